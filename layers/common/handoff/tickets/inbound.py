"""Signed updates from a partner's system: verified like the webhooks we send (Standard Webhooks: signature,
±5 minutes, each message id once), then applied through the same ticket rules as the API."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import timedelta

from handoff import keys, signing
from handoff.auth.access import Access
from handoff.errors import Conflict, Forbidden, Invalid, NotFound, Unauthorized
from handoff.ids import ULID_PATTERN, is_tenant_id, utc_now
from handoff.links import public as links
from handoff.links.domain import ACCEPTED, LinkStatus
from handoff.store import reads
from handoff.tickets import domain, outsourcing, service
from handoff.tickets import repository as repo
from handoff.tickets.domain import TicketStatus
from handoff.tickets.schemas import NoteCreate
from handoff.tickets.schemas.inbound import (
    InboundSecret,
    PartnerUpdate,
    PartnerUpdateOut,
    RotateInboundSecret,
)

# Past the timestamp tolerance on both sides, a message id can no longer be replayed with a fresh timestamp.
REMEMBER_MESSAGES = signing.INBOUND_TOLERANCE * 2 + timedelta(minutes=5)
MAX_MESSAGE_ID = 255
ULID = re.compile(ULID_PATTERN)


@dataclass(frozen=True)
class SignedBy:
    """A verified partner system: which owner it wrote to, who it is, and the message it sent."""

    owner_id: str
    servicer_id: str
    message_id: str

    def __str__(self) -> str:
        return f"partner-system:{self.servicer_id}"


def _claims(body: str) -> tuple[str, str | None]:
    """The partner (and ticket) the body names: needed to find the secret before anything is trusted."""
    try:
        data = json.loads(body)
    except ValueError:
        data = None
    partner = data.get("partner_id") if isinstance(data, dict) else None
    ticket = data.get("ticket_id") if isinstance(data, dict) else None
    if not isinstance(partner, str) or not is_tenant_id(partner):
        raise Unauthorized("name your instance in partner_id and sign the body", code="invalid_signature")
    return partner, ticket if isinstance(ticket, str) and ULID.fullmatch(ticket) else None


def authenticate(owner_id: str, headers: dict[str, str], body: str) -> SignedBy:
    """Who signed this update, or 401. An unknown partner, an unlinked one and a wrong signature look the
    same; the ticket, link and replay marker arrive in the same BatchGetItem as the secret."""
    message_id, timestamp, signatures = (headers.get(name) for name in signing.HEADERS)
    if not message_id or not timestamp or not signatures:
        raise Unauthorized(
            "sign the update: webhook-id, webhook-timestamp and webhook-signature are required",
            code="invalid_signature",
        )
    if len(message_id) > MAX_MESSAGE_ID:
        raise Unauthorized("webhook-id is too long", code="invalid_signature")
    signing.check_fresh(timestamp, utc_now())  # a stale or malformed message costs no read
    partner, ticket = _claims(body)
    if not is_tenant_id(owner_id):
        raise Unauthorized("webhook-signature does not match", code="invalid_signature")
    wanted = [
        keys.inbound_secret(owner_id, partner),
        keys.servicer_link(owner_id, partner),
        keys.inbound_message(owner_id, partner, message_id),
    ]
    reads.prefetch([*wanted, *([keys.ticket(owner_id, ticket)] if ticket else [])])
    slots = links.inbound_secrets(owner_id, partner)
    signing.verify(signing.live_secrets(slots, utc_now()), message_id, timestamp, signatures, body, utc_now())
    return SignedBy(owner_id, partner, message_id)


def apply(signed: SignedBy, update: PartnerUpdate) -> PartnerUpdateOut:
    """Status, time entries and notes, in that order, through the ticket's rules; all or nothing, and the
    message id is spent in the same transaction."""
    if update.partner_id != signed.servicer_id:
        raise Unauthorized("webhook-signature does not match", code="invalid_signature")
    link = links.grant(signed.owner_id, signed.servicer_id)
    if link is None or link.status not in ACCEPTED:  # invited, declined, expired or revoked: not linked
        raise NotFound(service.TICKET_NOT_FOUND)
    if link.status is not LinkStatus.ACTIVE:
        raise Forbidden("the servicer link to this instance is suspended", code="link_suspended")
    if repo.was_received(signed.owner_id, signed.servicer_id, signed.message_id):
        raise Conflict("this message id was already received", code="replayed_message")
    doer = service.partner_system(signed.servicer_id)
    item = service.visible(signed.owner_id, update.ticket_id, doer)
    changes: list[service.Change] = []
    offers: tuple[repo.OfferItem, ...] = ()
    if update.status is not None and update.status.value != item.status:
        step = domain.step_to(TicketStatus(item.status), update.status, doer.side)
        if step in domain.RELEASING and (update.time_entries or update.notes):
            raise Invalid("status", "a decline carries only its reason; send time and notes before it")
        changes, offers = outsourcing.stage_ticket_step(item, step, doer, update.reason)
    for entry in update.time_entries:  # each flagged on entry if it leaves the total over the NTE
        before = item.billable_cents
        changes += service.flag_nte(item, doer, before, service.stage_time(item, doer, entry))
    changes += [service.stage_note(item, doer, NoteCreate(text=text)) for text in update.notes]
    if not changes:
        raise Conflict(f"the ticket is already {item.status}; nothing to change", code="no_change")
    message = repo.new_inbound_message(
        signed.owner_id, signed.servicer_id, signed.message_id, utc_now() + REMEMBER_MESSAGES
    )
    service.commit(item, doer, changes, message=message, offers=offers)
    # What the update asked for (its status's step, time, notes), not the offer entry an accept also makes.
    applied = [c.activity.step or c.activity.kind for c in changes if c.activity.kind != "offer"]
    return PartnerUpdateOut(
        ticket_id=item.ticket_id, status=item.status, version=int(item.version or 0), applied=applied
    )


def rotate_secret(access: Access, servicer_id: str, body: RotateInboundSecret) -> InboundSecret:
    """A new secret for this partner's system (the first one, or a rotation with an overlap)."""
    fresh, previous_expires_at = links.rotate_inbound_secret(
        access.tenant, servicer_id, access.user_id, timedelta(seconds=body.overlap_seconds)
    )
    return InboundSecret(
        servicer_id=servicer_id, secret=fresh, previous_secret_expires_at=previous_expires_at
    )


def secret_keys(path: dict[str, str]) -> list[reads.Key]:
    return [
        keys.servicer_link(path["tenant_id"], path["servicer_id"]),
        keys.inbound_secret(path["tenant_id"], path["servicer_id"]),
    ]
