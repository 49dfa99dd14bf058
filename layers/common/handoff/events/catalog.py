"""Every event type an envelope may carry (docs/events.md describes each): webhook subscriptions name these
(or `*`), and an envelope of a type not listed here is a programming error caught at once."""

from __future__ import annotations

EVENT_TYPES = frozenset(
    {
        # accounts
        "TenantCreated",
        "TenantUpdated",
        "MemberAdded",
        "MemberChanged",
        "MemberAccessReset",
        "MemberInvited",
        "MemberInvitationAccepted",
        "MemberInvitationDeclined",
        "MemberInvitationExpired",
        "IdentitiesMerged",
        # links and locations
        "ServicerInvited",
        "ServicerInvitationAccepted",
        "ServicerInvitationDeclined",
        "ServicerInvitationWithdrawn",
        "ServicerInvitationExpired",
        "ServicerLinkChanged",
        "ServicerLinkSuspended",
        "ServicerLinkResumed",
        "ServicerLinkRevoked",
        "ServicerLocationGranted",
        "ServicerLocationRevoked",
        "LocationCreated",
        "LocationUpdated",
        "LocationArchived",
        "LocationRestored",
        # portal
        "CustomerCreated",
        "CustomerUpdated",
        "UnitCreated",
        "UnitUpdated",
        "PortalAccountCreated",
        "PortalAccountChanged",
        "PortalCompanyGranted",
        "PortalCompanyRevoked",
        "BookingRequested",
        "BookingSuggested",
        "BookingSuggestionRejected",
        "BookingConfirmed",
        "BookingDeclined",
        "BookingExpired",
        # estimates
        "EstimateCreated",
        "EstimateAdjusted",
        "EstimateSubmitted",
        "EstimateResubmitted",
        "EstimateDisputed",
        "EstimateDisputeAcknowledged",
        "EstimateApproved",
        "EstimateDeclined",
        "EstimateRevised",
        "EstimateExpired",
        "EstimateNoteAdded",
        "EstimateReminderDue",
        "EstimateDisputeEscalated",
        "WorkRequiredCreated",
        # tickets and work orders
        "TicketCreated",
        "TicketOutsourced",
        "TicketWithdrawn",
        "TicketAccepted",
        "TicketDeclined",
        "TicketStarted",
        "TicketPaused",
        "TicketResumed",
        "TicketCompleted",
        "TicketClosed",
        "TicketReopened",
        "TicketCancelled",
        "TicketTimeLogged",
        "TicketNoteAdded",
        "TicketAssigned",
        "TicketApprovalRequested",
        "TicketApproved",
        "TicketRejected",
        "TicketApprovalReminderDue",
        "TicketApprovalEscalated",
        "TicketUpdated",
        "WorkOrderOpened",
        "TechnicianClockedOn",
        "TechnicianClockedOff",
        "TimeEntryCorrected",
        "UnitReady",
        "WorkOrderReadyToSubmit",
    }
)
ALL = "*"


def is_known(event_type: str) -> bool:
    return event_type == ALL or event_type in EVENT_TYPES
