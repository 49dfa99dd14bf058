"""Which committed events start which workflow, and starting it.

A workflow starts from the committed event (outbox -> bus -> rule -> functions/workflows), never from the
request that made the change: the request either commits with its event or fails whole, and a start that
fails is retried by the bus, then dead-lettered. Executions are named after entity and version, so a retried
start (or a redelivered event) is a no-op.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from handoff.config import WorkflowSettings, workflow_settings


@dataclass(frozen=True)
class Start:
    state_machine_arn: str
    name: str
    payload: dict[str, Any]


def _booking_suggestion_deadline(envelope: dict[str, Any], settings: WorkflowSettings) -> Start:
    booking_id, version = envelope["entity"]["id"], int(envelope["version"])
    return Start(
        settings.booking_expiry_state_machine_arn,
        f"booking-{booking_id}-v{version}",
        {
            "tenant_id": envelope["tenant_id"],
            "booking_id": booking_id,
            "version": version,
            "deadline_seconds": settings.booking_suggestion_ttl_seconds,
        },
    )


def _reminder_then_rest(reminder: int, deadline: int) -> dict[str, int]:
    """A deadline's two waits: until the reminder (always before the deadline), then the rest."""
    first = min(reminder, deadline - 1)
    return {"reminder_seconds": first, "rest_seconds": deadline - first}


def _estimate_execution(estimate_id: str, version: int, kind: str) -> str:
    return f"estimate-{estimate_id}-v{version}-{kind}"


def _estimate_decision_deadline(envelope: dict[str, Any], settings: WorkflowSettings) -> Start:
    estimate_id, version = envelope["entity"]["id"], int(envelope["data"]["submitted_version"])
    return Start(
        settings.estimate_deadline_state_machine_arn,
        _estimate_execution(estimate_id, version, "decision"),
        {
            "kind": "decision",
            "tenant_id": envelope["tenant_id"],
            "estimate_id": estimate_id,
            "version": version,
            **_reminder_then_rest(settings.estimate_reminder_seconds, settings.estimate_decision_seconds),
        },
    )


def _estimate_dispute_deadline(envelope: dict[str, Any], settings: WorkflowSettings) -> Start:
    estimate_id, version = envelope["entity"]["id"], int(envelope["data"]["submitted_version"])
    return Start(
        settings.estimate_deadline_state_machine_arn,
        _estimate_execution(estimate_id, version, "dispute"),
        {
            "kind": "dispute",
            "tenant_id": envelope["tenant_id"],
            "estimate_id": estimate_id,
            "version": version,
            "deadline_seconds": settings.estimate_dispute_seconds,
        },
    )


def _invitation_execution(invitation_id: str) -> str:
    return f"invitation-{invitation_id}"


def _invitation_deadline(envelope: dict[str, Any], settings: WorkflowSettings) -> Start:
    """A servicer-link or membership invitation waits for its answer for the inviting tenant's lifetime."""
    data = envelope["data"]
    kind = "servicer" if envelope.get("source") == "handoff.links" else "member"
    return Start(
        settings.invitation_expiry_state_machine_arn,
        _invitation_execution(data["invitation_id"]),
        {
            "kind": kind,
            "tenant_id": envelope["tenant_id"],
            "entity_id": envelope["entity"]["id"],
            "invitation_id": data["invitation_id"],
            "deadline_seconds": int(data["ttl_days"]) * settings.invitation_day_seconds,
        },
    )


def _approval_execution(ticket_id: str, version: int) -> str:
    return f"ticket-{ticket_id}-v{version}-approval"


def _approval_deadline(envelope: dict[str, Any], settings: WorkflowSettings) -> Start:
    """A partner's completed work waits for an owner admin: a reminder, then an escalation."""
    ticket_id, version = envelope["entity"]["id"], int(envelope["version"])
    return Start(
        settings.ticket_deadline_state_machine_arn,
        _approval_execution(ticket_id, version),
        {
            "deadline": "approval",
            "tenant_id": envelope["tenant_id"],
            "ticket_id": ticket_id,
            "subject_id": ticket_id,
            "version": version,
            **_reminder_then_rest(
                settings.ticket_approval_reminder_seconds, settings.ticket_approval_deadline_seconds
            ),
        },
    )


def _offer_execution(offer_id: str, round_: int) -> str:
    return f"offer-{offer_id}-r{round_}"


def _offer_window(envelope: dict[str, Any], settings: WorkflowSettings) -> Start:
    """A round of an offer waits for the other side's answer within the offer's acceptance window: a
    reminder when three quarters of it have passed, then the offer expires back to the owner."""
    data = envelope["data"]
    window = int(data["window_hours"]) * settings.offer_hour_seconds
    return Start(
        settings.ticket_deadline_state_machine_arn,
        _offer_execution(data["offer_id"], int(data["round"])),
        {
            "deadline": "offer",
            "tenant_id": envelope["tenant_id"],
            "ticket_id": envelope["entity"]["id"],
            "subject_id": data["offer_id"],
            "version": int(data["round"]),
            **_reminder_then_rest(max(1, window * 3 // 4), window),
        },
    )


def _routing_execution(ticket_id: str, round_: int) -> str:
    return f"ticket-{ticket_id}-route-r{round_}"


def _routing_deadline(envelope: dict[str, Any], settings: WorkflowSettings) -> Start | None:
    """A routed ticket waits for its assignee's answer for the layer's response time; unanswered, it
    escalates to the next layer (none in the last layer, or when no one took it)."""
    data = envelope["data"]
    if not data.get("waits"):
        return None
    window = int(data["response_minutes"]) * settings.escalation_minute_seconds
    return Start(
        settings.ticket_deadline_state_machine_arn,
        _routing_execution(envelope["entity"]["id"], int(data["round"])),
        {
            "deadline": "escalation",
            "tenant_id": envelope["tenant_id"],
            "ticket_id": envelope["entity"]["id"],
            "subject_id": data["team_id"],
            "version": int(data["round"]),
            **_reminder_then_rest(max(1, window * 3 // 4), window),
        },
    )


def _partner_invoicing(envelope: dict[str, Any], settings: WorkflowSettings) -> Start | None:
    """An outsourced ticket's work is done — completed, or approved where the owner requires approval —
    and its partner's invoice is computed (once per completion: the execution's name)."""
    data = envelope["data"]
    if envelope.get("source") != "handoff.tickets" or not data.get("servicer_id"):
        return None
    by_partner = (envelope.get("actor") or {}).get("tenant_id") == data["servicer_id"]
    if envelope.get("type") == "TicketCompleted" and not by_partner:
        return (
            None  # the partner says its work is done (or an owner admin approves it), not the owner's staff
        )
    ticket_id, version = envelope["entity"]["id"], int(envelope["version"])
    return Start(
        settings.partner_invoicing_state_machine_arn,
        f"partner-invoice-{ticket_id}-v{version}",
        {
            "tenant_id": envelope["tenant_id"],
            "ticket_id": ticket_id,
            "servicer_id": data["servicer_id"],
            "version": version,
        },
    )


# Event type -> the workflow it starts. The template's rule for functions/workflows names the same types
# (tests/unit/test_workflows.py holds the two together).
STARTS: dict[str, Callable[[dict[str, Any], WorkflowSettings], Start | None]] = {
    "BookingSuggested": _booking_suggestion_deadline,
    "EstimateSubmitted": _estimate_decision_deadline,
    "EstimateResubmitted": _estimate_decision_deadline,
    "EstimateDisputed": _estimate_dispute_deadline,
    "ServicerInvited": _invitation_deadline,
    "MemberInvited": _invitation_deadline,
    "TicketApprovalRequested": _approval_deadline,
    "OfferMade": _offer_window,
    "OfferCountered": _offer_window,
    "TicketRouted": _routing_deadline,
    "TicketCompleted": _partner_invoicing,
    "TicketApproved": _partner_invoicing,
}
# An owner admin's answer ends the approval's wait (it names the version that asked).
APPROVAL_ANSWERS = frozenset({"TicketApproved", "TicketRejected"})
# An answer ends the round it answers (a counter also opens the next round); so does a withdrawal.
OFFER_ANSWERS = frozenset(
    {"OfferAccepted", "OfferDeclined", "OfferCountered", "OfferRejected", "OfferWithdrawn"}
)
# An answer (or a withdrawal) ends the invitation's wait.
INVITATION_ANSWERS = frozenset(
    {
        "ServicerInvitationAccepted",
        "ServicerInvitationDeclined",
        "ServicerInvitationWithdrawn",
        "MemberInvitationAccepted",
        "MemberInvitationDeclined",
    }
)


def _waits_ended_by(envelope: dict[str, Any]) -> list[str]:
    """The executions a committed decision makes pointless: none is left waiting after a decision."""
    kind = envelope.get("type")
    if envelope.get("source") != "handoff.estimates":
        return []
    estimate_id, version = envelope["entity"]["id"], int(envelope["data"].get("submitted_version", 0))
    decision, dispute = (_estimate_execution(estimate_id, version, k) for k in ("decision", "dispute"))
    previous_dispute = _estimate_execution(estimate_id, version - 1, "dispute")
    return {
        "EstimateApproved": [decision],
        "EstimateDisputed": [decision],
        "EstimateDeclined": [decision, dispute],
        "EstimateResubmitted": [previous_dispute],
        "EstimateRevised": [decision, dispute],
    }.get(str(kind), [])


# What answers a routed ticket (its event names the round it ends), and a new routing (the round before).
ROUTING_ANSWERS = frozenset(
    {
        "TicketStarted",
        "OfferAccepted",
        "OfferCountered",  # the vendor engaged: negotiation, not silence
        "TicketAssigned",
        "TicketOutsourced",  # a dispatcher outsourced it by hand
        "TicketWithdrawn",
        "TicketCancelled",
        "TicketRouted",
    }
)

STOPS = frozenset(
    {"EstimateApproved", "EstimateDisputed", "EstimateDeclined", "EstimateResubmitted", "EstimateRevised"}
    | INVITATION_ANSWERS
    | APPROVAL_ANSWERS
    | OFFER_ANSWERS
    | ROUTING_ANSWERS
)


def start_for(envelope: dict[str, Any]) -> Start | None:
    """What the event starts (None for an event that starts nothing)."""
    plan = STARTS.get(str(envelope.get("type")))
    return plan(envelope, workflow_settings()) if plan else None


def stops_for(envelope: dict[str, Any]) -> list[str]:
    """The execution ARNs the event ends: an estimate's waits, an invitation's, an approval's, or an offer
    round's."""
    settings = workflow_settings()
    tickets = settings.ticket_deadline_state_machine_arn.replace(":stateMachine:", ":execution:")
    routing = [
        f"{tickets}:{_routing_execution(envelope['entity']['id'], r)}"
        for r in _routing_rounds_ended(envelope)
    ]
    if envelope.get("type") in INVITATION_ANSWERS:
        machine, names = (
            settings.invitation_expiry_state_machine_arn,
            [_invitation_execution(envelope["data"]["invitation_id"])],
        )
    elif envelope.get("type") in APPROVAL_ANSWERS:
        machine = settings.ticket_deadline_state_machine_arn
        names = [_approval_execution(envelope["entity"]["id"], int(envelope["data"]["approval_version"]))]
    elif envelope.get("type") in OFFER_ANSWERS:
        machine = settings.ticket_deadline_state_machine_arn
        names = [_offer_execution(envelope["data"]["offer_id"], int(envelope["data"]["answered_round"]))]
    else:
        machine, names = settings.estimate_deadline_state_machine_arn, _waits_ended_by(envelope)
    prefix = machine.replace(":stateMachine:", ":execution:")
    return [f"{prefix}:{name}" for name in names] + routing


def _routing_rounds_ended(envelope: dict[str, Any]) -> list[int]:
    """The routing round whose deadline this event ends: the one an answer (or a routing on demand) names."""
    if envelope.get("type") not in ROUTING_ANSWERS or envelope.get("source") != "handoff.tickets":
        return []
    ended = (envelope.get("data") or {}).get("ended_routing_round")
    return [int(ended)] if ended else []


def stop(execution_arn: str, cause: str) -> None:
    """Stops a waiting execution; one that already ended (or never started) is left as it is."""
    from botocore.exceptions import ClientError

    from handoff import aws

    try:
        aws.sfn().stop_execution(executionArn=execution_arn, cause=cause)
    except ClientError as error:
        if error.response["Error"]["Code"] not in ("ExecutionDoesNotExist", "ResourceNotFound"):
            raise


def start(start: Start) -> None:
    """Starts the execution. Starting it again with the same name and input is a no-op (Step Functions
    answers with the running execution); a closed one of the same name answers ExecutionAlreadyExists."""
    from botocore.exceptions import ClientError

    from handoff import aws

    try:
        aws.sfn().start_execution(
            stateMachineArn=start.state_machine_arn, name=start.name, input=json.dumps(start.payload)
        )
    except ClientError as error:
        if error.response["Error"]["Code"] != "ExecutionAlreadyExists":
            raise
