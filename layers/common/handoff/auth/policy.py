"""The permission policy: the single source of truth for who may perform which action.

Deny by default. Each route declares one `Action`; the policy says which tenant roles grant it and whether the
caller may also act on their own record (the `self` relation). Tests walk this table as a matrix.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    SYSTEM_ADMIN = "system_admin"
    ADMIN = "admin"
    DISPATCHER = "dispatcher"
    TECHNICIAN = "technician"
    PARTNER = "partner"
    CUSTOMER = "customer"
    CLIENT_REP_MANAGER = "client_rep_manager"


STAFF_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.ADMIN, Role.DISPATCHER, Role.TECHNICIAN, Role.PARTNER})
CLIENT_ROLES = frozenset({Role.CUSTOMER, Role.CLIENT_REP_MANAGER})


class Scope(StrEnum):
    IDENTITY = "identity"  # acts on the caller's own identity; no tenant involved
    TENANT = "tenant"  # acts inside /tenants/{tenant_id}
    SIGNED = "signed"  # a partner system's signed message to a tenant; no user token counts here


class ServicerAccess(StrEnum):
    """What a linked servicer's members may do with an action inside the owner's instance."""

    DENIED = "denied"
    ALLOWED = "allowed"
    WITH_LOCATION_MANAGEMENT = "with_location_management"  # only when the link has can_manage_locations
    HIDDEN = "hidden"  # not even refused: the servicer is not told such records exist (404)


class Action(StrEnum):
    TENANT_CREATE = "tenant:create"
    ME_READ = "me:read"
    ME_INVITATION_ANSWER = "me:answer-invitation"
    ME_UPDATE = "me:update"
    TENANT_READ = "tenant:read"
    TENANT_UPDATE = "tenant:update"
    MEMBER_LIST = "member:list"
    MEMBER_READ = "member:read"
    MEMBER_CREATE = "member:create"
    MEMBER_UPDATE = "member:update"
    MEMBER_MERGE = "member:merge"
    MEMBER_RESET_ACCESS = "member:reset-access"
    PARTNER_ORG_LIST = "partner-organization:list"
    PARTNER_ORG_READ = "partner-organization:read"
    PARTNER_ORG_CREATE = "partner-organization:create"
    PARTNER_ORG_UPDATE = "partner-organization:update"
    BANNER_UPLOAD = "partner-organization:upload-banner"
    BRANDING_READ = "branding:read"
    ORG_UNIT_LIST = "org-unit:list"
    ORG_UNIT_READ = "org-unit:read"
    ORG_UNIT_CREATE = "org-unit:create"
    ORG_UNIT_UPDATE = "org-unit:update"
    TEAM_LIST = "team:list"
    TEAM_READ = "team:read"
    TEAM_CREATE = "team:create"
    TEAM_UPDATE = "team:update"
    TICKET_ESCALATE = "ticket:escalate"
    RESOURCE_LIST = "partner-resource:list"
    RESOURCE_READ = "partner-resource:read"
    RESOURCE_CREATE = "partner-resource:create"
    RESOURCE_UPDATE = "partner-resource:update"
    RESOURCE_RESET_ACCESS = "partner-resource:reset-access"
    WEBHOOK_LIST = "webhook:list"
    WEBHOOK_READ = "webhook:read"
    WEBHOOK_CREATE = "webhook:create"
    WEBHOOK_UPDATE = "webhook:update"
    WEBHOOK_DELETE = "webhook:delete"
    WEBHOOK_ROTATE_SECRET = "webhook:rotate-secret"
    DELIVERY_LIST = "webhook-delivery:list"
    DELIVERY_REDELIVER = "webhook-delivery:redeliver"
    LOCATION_LIST = "location:list"
    LOCATION_READ = "location:read"
    LOCATION_CREATE = "location:create"
    LOCATION_UPDATE = "location:update"
    SERVICER_LIST = "servicer-link:list"
    SERVICER_READ = "servicer-link:read"
    SERVICER_LINK = "servicer-link:create"
    SERVICER_CHANGE = "servicer-link:update"
    SERVICER_REVOKE = "servicer-link:revoke"
    SERVICER_GRANT_LOCATION = "servicer-link:grant-location"
    SERVICER_REVOKE_LOCATION = "servicer-link:revoke-location"
    LINKED_OWNERS_LIST = "linked-owner:list"
    CUSTOMER_LIST = "customer:list"
    CUSTOMER_READ = "customer:read"
    CUSTOMER_CREATE = "customer:create"
    CUSTOMER_UPDATE = "customer:update"
    UNIT_LIST = "unit:list"
    UNIT_READ = "unit:read"
    UNIT_CREATE = "unit:create"
    UNIT_UPDATE = "unit:update"
    PORTAL_ACCOUNT_LIST = "portal-account:list"
    PORTAL_ACCOUNT_READ = "portal-account:read"
    PORTAL_ACCOUNT_CREATE = "portal-account:create"
    PORTAL_ACCOUNT_UPDATE = "portal-account:update"
    PORTAL_COMPANY_GRANT = "portal-account:grant-company"
    PORTAL_COMPANY_REVOKE = "portal-account:revoke-company"
    BOOKING_LIST = "booking:list"
    BOOKING_READ = "booking:read"
    BOOKING_REQUEST = "booking:request"
    BOOKING_ACT = "booking:act"
    TICKET_LIST = "ticket:list"
    TICKET_READ = "ticket:read"
    TICKET_CREATE = "ticket:create"
    TICKET_ACT = "ticket:act"
    TICKET_DISPATCH = "ticket:dispatch"
    TICKET_APPROVE = "ticket:approve"
    TICKET_LOG_TIME = "ticket:log-time"
    TICKET_NOTE = "ticket:note"
    TICKET_ACTIVITY_LIST = "ticket-activity:list"
    PARTNER_UPDATE = "partner-update:apply"
    SERVICER_INBOUND_SECRET = "servicer-link:rotate-inbound-secret"
    SERVICER_INVITATION_LIST = "servicer-invitation:list"
    SERVICER_INVITATION_ANSWER = "servicer-invitation:answer"
    ESTIMATE_LIST = "estimate:list"
    ESTIMATE_READ = "estimate:read"
    ESTIMATE_CREATE = "estimate:create"
    ESTIMATE_UPDATE = "estimate:update"
    ESTIMATE_ACT = "estimate:act"
    ESTIMATE_DECIDE = "estimate:decide"
    ESTIMATE_NOTE = "estimate:note"
    WORK_REQUIRED_LIST = "work-required:list"
    WORK_ORDER_LIST = "work-order:list"
    WORK_CLOCK = "work-order:clock"
    TIME_CORRECT = "ticket:correct-time"
    TICKET_ASSIGN = "ticket:assign"
    TICKET_UPDATE = "ticket:update"
    TICKET_SEARCH = "ticket:search"
    REPORT_READ = "ticket-report:read"
    OFFER_LIST = "ticket-offer:list"
    OFFER_READ = "ticket-offer:read"
    OFFER_CREATE = "ticket-offer:create"
    OFFER_ANSWER = "ticket-offer:answer"
    COST_LIST = "ticket-cost:list"
    COST_CREATE = "ticket-cost:create"
    NTE_REQUEST = "ticket-nte:request"
    NTE_LIST = "ticket-nte:list"
    NTE_DECIDE = "ticket-nte:decide"
    PARTNER_INVOICE_LIST = "partner-invoice:list"
    PARTNER_INVOICE_READ = "partner-invoice:read"
    PARTNER_INVOICE_ACT = "partner-invoice:act"
    INVOICE_LIST = "invoice:list"
    INVOICE_READ = "invoice:read"
    INVOICE_CREATE = "invoice:create"
    INVOICE_ACT = "invoice:act"
    RATE_CARD_LIST = "rate-card:list"
    RATE_CARD_READ = "rate-card:read"
    RATE_CARD_WRITE = "rate-card:write"
    ATTACHMENT_LIST = "ticket-attachment:list"
    ATTACHMENT_READ = "ticket-attachment:read"
    ATTACHMENT_CREATE = "ticket-attachment:create"


@dataclass(frozen=True)
class Rule:
    scope: Scope
    roles: frozenset[Role] = frozenset()
    self_allowed: bool = False  # the caller may act on their own membership whatever their roles
    servicer: ServicerAccess = ServicerAccess.DENIED
    # Still allowed, for a while, to the partner of a revoked link: reading the history of the work it did.
    history: bool = False


_MANAGERS = frozenset({Role.SYSTEM_ADMIN, Role.ADMIN})
_EVERY_ROLE = frozenset(Role)
_SYSTEM_ADMIN = frozenset({Role.SYSTEM_ADMIN})
_STAFF = frozenset(STAFF_ROLES)
_HIDDEN = ServicerAccess.HIDDEN

POLICY: dict[Action, Rule] = {
    Action.TENANT_CREATE: Rule(Scope.IDENTITY),
    Action.ME_READ: Rule(Scope.IDENTITY),
    Action.ME_INVITATION_ANSWER: Rule(Scope.IDENTITY),
    Action.ME_UPDATE: Rule(Scope.IDENTITY),
    Action.TENANT_READ: Rule(Scope.TENANT, _EVERY_ROLE, servicer=ServicerAccess.ALLOWED),
    Action.TENANT_UPDATE: Rule(Scope.TENANT, frozenset({Role.SYSTEM_ADMIN})),
    Action.MEMBER_LIST: Rule(Scope.TENANT, _MANAGERS | {Role.DISPATCHER}),
    Action.MEMBER_READ: Rule(Scope.TENANT, _MANAGERS | {Role.DISPATCHER}, self_allowed=True),
    Action.MEMBER_CREATE: Rule(Scope.TENANT, _MANAGERS),
    Action.MEMBER_UPDATE: Rule(Scope.TENANT, _MANAGERS),
    Action.MEMBER_MERGE: Rule(Scope.TENANT, frozenset({Role.SYSTEM_ADMIN})),
    Action.MEMBER_RESET_ACCESS: Rule(Scope.TENANT, _MANAGERS),
    # Partner organizations (groups of outside technicians inside the tenant) and the branding they give.
    Action.PARTNER_ORG_LIST: Rule(Scope.TENANT, _STAFF, servicer=_HIDDEN),
    Action.PARTNER_ORG_READ: Rule(Scope.TENANT, _STAFF, servicer=_HIDDEN),
    Action.PARTNER_ORG_CREATE: Rule(Scope.TENANT, _MANAGERS, servicer=_HIDDEN),
    Action.PARTNER_ORG_UPDATE: Rule(Scope.TENANT, _MANAGERS, servicer=_HIDDEN),
    Action.BANNER_UPLOAD: Rule(Scope.TENANT, _MANAGERS, servicer=_HIDDEN),
    Action.BRANDING_READ: Rule(Scope.TENANT, _STAFF | CLIENT_ROLES, servicer=_HIDDEN),
    Action.ORG_UNIT_LIST: Rule(Scope.TENANT, _STAFF, servicer=_HIDDEN),
    Action.ORG_UNIT_READ: Rule(Scope.TENANT, _STAFF, servicer=_HIDDEN),
    Action.ORG_UNIT_CREATE: Rule(Scope.TENANT, _MANAGERS, servicer=_HIDDEN),
    Action.ORG_UNIT_UPDATE: Rule(Scope.TENANT, _MANAGERS, servicer=_HIDDEN),
    Action.TEAM_LIST: Rule(Scope.TENANT, _STAFF, servicer=_HIDDEN),
    Action.TEAM_READ: Rule(Scope.TENANT, _STAFF, servicer=_HIDDEN),
    Action.TEAM_CREATE: Rule(Scope.TENANT, _MANAGERS, servicer=_HIDDEN),
    Action.TEAM_UPDATE: Rule(Scope.TENANT, _MANAGERS, servicer=_HIDDEN),
    # A partner company's admin portal: its own people (resources), who of them may accept offered work.
    Action.RESOURCE_LIST: Rule(Scope.TENANT, _MANAGERS),
    Action.RESOURCE_READ: Rule(Scope.TENANT, _MANAGERS, self_allowed=True),
    Action.RESOURCE_CREATE: Rule(Scope.TENANT, _MANAGERS),
    Action.RESOURCE_UPDATE: Rule(Scope.TENANT, _MANAGERS),
    Action.RESOURCE_RESET_ACCESS: Rule(Scope.TENANT, _MANAGERS),
    **{
        action: Rule(Scope.TENANT, _MANAGERS)
        for action in (
            Action.WEBHOOK_LIST,
            Action.WEBHOOK_READ,
            Action.WEBHOOK_CREATE,
            Action.WEBHOOK_UPDATE,
            Action.WEBHOOK_DELETE,
            Action.WEBHOOK_ROTATE_SECRET,
            Action.DELIVERY_LIST,
            Action.DELIVERY_REDELIVER,
        )
    },
    Action.LOCATION_LIST: Rule(Scope.TENANT, _STAFF, servicer=ServicerAccess.ALLOWED),
    Action.LOCATION_READ: Rule(Scope.TENANT, _STAFF, servicer=ServicerAccess.ALLOWED),
    Action.LOCATION_CREATE: Rule(Scope.TENANT, _MANAGERS, servicer=ServicerAccess.WITH_LOCATION_MANAGEMENT),
    Action.LOCATION_UPDATE: Rule(Scope.TENANT, _MANAGERS, servicer=ServicerAccess.WITH_LOCATION_MANAGEMENT),
    **{
        action: Rule(Scope.TENANT, _SYSTEM_ADMIN)
        for action in (
            Action.SERVICER_LIST,
            Action.SERVICER_READ,
            Action.SERVICER_LINK,
            Action.SERVICER_CHANGE,
            Action.SERVICER_REVOKE,
            Action.SERVICER_GRANT_LOCATION,
            Action.SERVICER_REVOKE_LOCATION,
            Action.SERVICER_INBOUND_SECRET,
            # The invited instance's side: only its system admin answers for it.
            Action.SERVICER_INVITATION_LIST,
            Action.SERVICER_INVITATION_ANSWER,
        )
    },
    Action.LINKED_OWNERS_LIST: Rule(Scope.TENANT, _STAFF),
    # Portal users (client roles) read their own companies and units, and update a unit's readings and PO
    # number; which companies are theirs is the relation the services check (others answer 404).
    Action.CUSTOMER_LIST: Rule(Scope.TENANT, _STAFF | CLIENT_ROLES),
    Action.CUSTOMER_READ: Rule(Scope.TENANT, _STAFF | CLIENT_ROLES),
    Action.CUSTOMER_CREATE: Rule(Scope.TENANT, _MANAGERS | {Role.DISPATCHER}),
    Action.CUSTOMER_UPDATE: Rule(Scope.TENANT, _MANAGERS | {Role.DISPATCHER}),
    Action.UNIT_LIST: Rule(Scope.TENANT, _STAFF | CLIENT_ROLES),
    Action.UNIT_READ: Rule(Scope.TENANT, _STAFF | CLIENT_ROLES),
    Action.UNIT_CREATE: Rule(Scope.TENANT, _MANAGERS | {Role.DISPATCHER}),
    Action.UNIT_UPDATE: Rule(Scope.TENANT, _MANAGERS | {Role.DISPATCHER} | CLIENT_ROLES),
    **{
        action: Rule(Scope.TENANT, _MANAGERS)
        for action in (
            Action.PORTAL_ACCOUNT_LIST,
            Action.PORTAL_ACCOUNT_READ,
            Action.PORTAL_ACCOUNT_CREATE,
            Action.PORTAL_ACCOUNT_UPDATE,
            Action.PORTAL_COMPANY_GRANT,
            Action.PORTAL_COMPANY_REVOKE,
        )
    },
    # Which side may take which booking step is the booking's own rule (bookings.domain), not the policy's.
    Action.BOOKING_LIST: Rule(Scope.TENANT, _MANAGERS | {Role.DISPATCHER} | CLIENT_ROLES),
    Action.BOOKING_READ: Rule(Scope.TENANT, _MANAGERS | {Role.DISPATCHER} | CLIENT_ROLES),
    Action.BOOKING_REQUEST: Rule(Scope.TENANT, _MANAGERS | {Role.DISPATCHER} | CLIENT_ROLES),
    Action.BOOKING_ACT: Rule(Scope.TENANT, _MANAGERS | {Role.DISPATCHER} | CLIENT_ROLES),
    # Estimates: the shop (admins, dispatchers) writes them; the customer's portal users read and decide on
    # theirs (the domain's side table says which action is whose). Servicers never see a client's prices.
    # Only the customer's own portal users decide (approve, decline, dispute); shop staff never decide for
    # the customer through these routes.
    Action.ESTIMATE_LIST: Rule(Scope.TENANT, _MANAGERS | {Role.DISPATCHER} | CLIENT_ROLES, servicer=_HIDDEN),
    Action.ESTIMATE_READ: Rule(Scope.TENANT, _MANAGERS | {Role.DISPATCHER} | CLIENT_ROLES, servicer=_HIDDEN),
    Action.ESTIMATE_CREATE: Rule(Scope.TENANT, _MANAGERS | {Role.DISPATCHER}, servicer=_HIDDEN),
    Action.ESTIMATE_UPDATE: Rule(Scope.TENANT, _MANAGERS | {Role.DISPATCHER}, servicer=_HIDDEN),
    Action.ESTIMATE_ACT: Rule(Scope.TENANT, _MANAGERS | {Role.DISPATCHER}, servicer=_HIDDEN),
    Action.ESTIMATE_DECIDE: Rule(Scope.TENANT, CLIENT_ROLES, servicer=_HIDDEN),
    Action.ESTIMATE_NOTE: Rule(Scope.TENANT, _MANAGERS | {Role.DISPATCHER} | CLIENT_ROLES, servicer=_HIDDEN),
    Action.WORK_REQUIRED_LIST: Rule(
        Scope.TENANT, _MANAGERS | {Role.DISPATCHER, Role.TECHNICIAN}, servicer=_HIDDEN
    ),
    # Tickets: the owner's staff, and the members of the partner a ticket is outsourced to (which tickets are
    # theirs, and which side may take which step, are the ticket's own rules).
    Action.TICKET_LIST: Rule(Scope.TENANT, _STAFF, servicer=ServicerAccess.ALLOWED, history=True),
    Action.TICKET_READ: Rule(Scope.TENANT, _STAFF, servicer=ServicerAccess.ALLOWED, history=True),
    Action.TICKET_CREATE: Rule(Scope.TENANT, _MANAGERS | {Role.DISPATCHER}),
    Action.TICKET_ACT: Rule(Scope.TENANT, _STAFF, servicer=ServicerAccess.ALLOWED),
    # Checked by the ticket service for the steps that commit the owner (outsource, withdraw, close, ...).
    Action.TICKET_DISPATCH: Rule(Scope.TENANT, _MANAGERS | {Role.DISPATCHER}),
    # Closing the work of a partner linked with require_admin_approval: the owner's admins.
    Action.TICKET_APPROVE: Rule(Scope.TENANT, _MANAGERS),
    Action.TICKET_LOG_TIME: Rule(Scope.TENANT, _STAFF, servicer=ServicerAccess.ALLOWED),
    Action.TICKET_NOTE: Rule(Scope.TENANT, _STAFF, servicer=ServicerAccess.ALLOWED),
    Action.TICKET_ACTIVITY_LIST: Rule(Scope.TENANT, _STAFF, servicer=ServicerAccess.ALLOWED, history=True),
    Action.PARTNER_UPDATE: Rule(Scope.SIGNED),
    # Work orders are the shop's own: technicians (and partner-role members) clock on, dispatchers clock them
    # and correct clocked time; the customer's portal users see a unit's work orders (status only).
    Action.WORK_ORDER_LIST: Rule(Scope.TENANT, _STAFF | CLIENT_ROLES, servicer=_HIDDEN),
    Action.WORK_CLOCK: Rule(
        Scope.TENANT, _MANAGERS | {Role.DISPATCHER, Role.TECHNICIAN, Role.PARTNER}, servicer=_HIDDEN
    ),
    Action.TIME_CORRECT: Rule(Scope.TENANT, _MANAGERS | {Role.DISPATCHER}, servicer=_HIDDEN),
    # The owner assigns to its members or a partner company; a partner, the work it holds to its own members.
    Action.TICKET_ASSIGN: Rule(Scope.TENANT, _MANAGERS | {Role.DISPATCHER}, servicer=ServicerAccess.ALLOWED),
    Action.TICKET_ESCALATE: Rule(Scope.TENANT, _MANAGERS | {Role.DISPATCHER}, servicer=_HIDDEN),
    Action.TICKET_SEARCH: Rule(Scope.TENANT, _STAFF, servicer=ServicerAccess.ALLOWED, history=True),
    # Reports: the owner's dispatchers and admins; a partner's admins and those allowed to accept work.
    Action.REPORT_READ: Rule(
        Scope.TENANT, _MANAGERS | {Role.DISPATCHER}, servicer=ServicerAccess.ALLOWED, history=True
    ),
    Action.TICKET_UPDATE: Rule(Scope.TENANT, _MANAGERS | {Role.DISPATCHER}),
    # Offers: the owner's dispatchers make them; both sides read and answer them (which side may give which
    # answer, and who of a partner may answer at all, are the offer's own rules).
    Action.OFFER_LIST: Rule(Scope.TENANT, _STAFF, servicer=ServicerAccess.ALLOWED, history=True),
    Action.OFFER_READ: Rule(Scope.TENANT, _STAFF, servicer=ServicerAccess.ALLOWED, history=True),
    Action.OFFER_CREATE: Rule(Scope.TENANT, _MANAGERS | {Role.DISPATCHER}),
    Action.OFFER_ANSWER: Rule(Scope.TENANT, _MANAGERS | {Role.DISPATCHER}, servicer=ServicerAccess.ALLOWED),
    Action.COST_LIST: Rule(Scope.TENANT, _STAFF, servicer=ServicerAccess.ALLOWED, history=True),
    Action.COST_CREATE: Rule(Scope.TENANT, _STAFF, servicer=ServicerAccess.ALLOWED),
    # The partner doing the work asks to raise the not-to-exceed; the owner's dispatchers and admins decide.
    Action.NTE_REQUEST: Rule(Scope.TENANT, frozenset(), servicer=ServicerAccess.ALLOWED),
    Action.NTE_LIST: Rule(Scope.TENANT, _MANAGERS | {Role.DISPATCHER}, servicer=ServicerAccess.ALLOWED),
    Action.NTE_DECIDE: Rule(Scope.TENANT, _MANAGERS | {Role.DISPATCHER}, servicer=_HIDDEN),
    # Money: the owner's admins and dispatchers read what partners bill; its admins decide (within their
    # approval limits); the partner reads and sends its own.
    Action.PARTNER_INVOICE_LIST: Rule(
        Scope.TENANT, _MANAGERS | {Role.DISPATCHER}, servicer=ServicerAccess.ALLOWED
    ),
    Action.PARTNER_INVOICE_READ: Rule(
        Scope.TENANT, _MANAGERS | {Role.DISPATCHER}, servicer=ServicerAccess.ALLOWED
    ),
    Action.PARTNER_INVOICE_ACT: Rule(Scope.TENANT, _MANAGERS, servicer=ServicerAccess.ALLOWED),
    # A shop's invoices: its admins make and move them, its dispatchers read them; a portal user reads its
    # companies' and, where the customer authorizes them, authorizes or disputes.
    Action.INVOICE_LIST: Rule(Scope.TENANT, _MANAGERS | {Role.DISPATCHER} | CLIENT_ROLES, servicer=_HIDDEN),
    Action.INVOICE_READ: Rule(Scope.TENANT, _MANAGERS | {Role.DISPATCHER} | CLIENT_ROLES, servicer=_HIDDEN),
    Action.INVOICE_CREATE: Rule(Scope.TENANT, _MANAGERS, servicer=_HIDDEN),
    Action.INVOICE_ACT: Rule(Scope.TENANT, _MANAGERS | CLIENT_ROLES, servicer=_HIDDEN),
    # Rate cards are the tenant's own prices: its admins set them, its dispatchers (who offer work) read
    # them; a partner sees the terms it is offered, never the owner's card.
    Action.RATE_CARD_LIST: Rule(Scope.TENANT, _MANAGERS | {Role.DISPATCHER}, servicer=_HIDDEN),
    Action.RATE_CARD_READ: Rule(Scope.TENANT, _MANAGERS | {Role.DISPATCHER}, servicer=_HIDDEN),
    Action.RATE_CARD_WRITE: Rule(Scope.TENANT, _MANAGERS, servicer=_HIDDEN),
    Action.ATTACHMENT_LIST: Rule(Scope.TENANT, _STAFF, servicer=ServicerAccess.ALLOWED, history=True),
    Action.ATTACHMENT_READ: Rule(Scope.TENANT, _STAFF, servicer=ServicerAccess.ALLOWED, history=True),
    Action.ATTACHMENT_CREATE: Rule(Scope.TENANT, _STAFF, servicer=ServicerAccess.ALLOWED),
}


def is_allowed(action: Action, roles: frozenset[Role], *, acting_on_self: bool = False) -> bool:
    """Whether holding `roles` in a tenant grants `action` there. Unknown actions are denied."""
    rule = POLICY.get(action)
    if rule is None:
        return False
    if rule.scope is Scope.IDENTITY:
        return True
    if rule.scope is Scope.SIGNED:
        return False
    return bool(roles & rule.roles) or (rule.self_allowed and acting_on_self)


def is_allowed_for_servicer(action: Action, *, can_manage_locations: bool) -> bool:
    """Whether a member of a linked servicer instance may perform `action` in the owner's instance."""
    rule = POLICY.get(action)
    if rule is None or rule.scope is not Scope.TENANT:
        return False
    if rule.servicer is ServicerAccess.WITH_LOCATION_MANAGEMENT:
        return can_manage_locations
    return rule.servicer is ServicerAccess.ALLOWED


def may_answer_offers(roles_in_partner: frozenset[Role], accepts_work: bool) -> bool:
    """Who answers the work a linked owner offers a partner company (accepts, counters, declines): its
    admins, and the members they allow to accept work."""
    return accepts_work or bool(roles_in_partner & _MANAGERS)


def can_grant(granter_roles: frozenset[Role], role: Role) -> bool:
    """Only a system admin hands out (or takes away) system admin."""
    return role is not Role.SYSTEM_ADMIN or Role.SYSTEM_ADMIN in granter_roles
