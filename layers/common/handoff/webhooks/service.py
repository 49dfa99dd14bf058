"""Use cases of the webhooks context: managing subscriptions, fanning events out, delivering them."""

from __future__ import annotations

import json
import time
from datetime import timedelta
from typing import Any

from aws_lambda_powertools import Logger

from handoff import aws, signing
from handoff.auth.access import Access
from handoff.config import webhook_settings
from handoff.errors import Conflict, NotFound
from handoff.ids import utc_now
from handoff.links import public as links
from handoff.webhooks import domain
from handoff.webhooks import repository as repo
from handoff.webhooks.schemas import (
    DeliveryOut,
    DeliveryPage,
    Redelivery,
    RotateSecret,
    SecretRotated,
    SubscriptionCreate,
    SubscriptionCreated,
    SubscriptionOut,
    SubscriptionPage,
    SubscriptionPatch,
)

logger = Logger()
SUBSCRIPTION_NOT_FOUND = "webhook subscription not found"
SQS_MAX_DELAY_SECONDS = 900


def _out(item: repo.SubscriptionItem) -> dict[str, Any]:
    return {
        "subscription_id": item.subscription_id,
        "url": item.url,
        "event_types": list(item.event_types),
        "description": item.description,
        "enabled": item.enabled,
        "disabled_reason": item.disabled_reason,
        "previous_secret_expires_at": signing.previous_expires_at(item.secret_slots(), utc_now()),
        "version": item.version,
        "created_at": item.created_at,
        "updated_at": item.updated_at,
    }


def _subscription(access: Access, subscription_id: str) -> repo.SubscriptionItem:
    item = repo.get_subscription(access.tenant, subscription_id)
    if item is None:
        raise NotFound(SUBSCRIPTION_NOT_FOUND)
    return item


# ---- subscriptions -----------------------------------------------------------------------------------------


def _checked_url(url: str) -> str:
    settings = webhook_settings()
    return domain.check_endpoint_url(
        url,
        allow_loopback=settings.allow_loopback,
        allowed_ports=settings.allowed_ports,
        blocked_ports=settings.blocked_ports,
    )


def create(access: Access, body: SubscriptionCreate) -> SubscriptionCreated:
    url = _checked_url(body.url)
    secret = signing.SecretSlot(signing.new_secret(), None)
    item = repo.new_subscription(
        access.tenant, url, body.event_types, body.description, access.user_id, secret
    )
    item.enabled = body.enabled
    repo.save_subscription(item)
    return SubscriptionCreated(**_out(item), secret=secret.secret)


def get(access: Access, subscription_id: str) -> SubscriptionOut:
    return SubscriptionOut(**_out(_subscription(access, subscription_id)))


def list_(access: Access, limit: int, cursor: str | None) -> SubscriptionPage:
    page = repo.list_subscriptions(access.tenant, limit, cursor)
    return SubscriptionPage(
        items=[SubscriptionOut(**_out(i)) for i in page.items], next_cursor=page.next_cursor
    )


def update(access: Access, subscription_id: str, patch: SubscriptionPatch) -> SubscriptionOut:
    item = _subscription(access, subscription_id)
    if patch.url is not None:
        item.url = _checked_url(patch.url)
    if patch.event_types is not None:
        item.event_types = patch.event_types
    if "description" in patch.model_fields_set:
        item.description = patch.description
    if patch.enabled is not None:
        item.enabled = patch.enabled
        item.disabled_reason = None if patch.enabled else "disabled by a user"
    repo.save_subscription(item)
    return SubscriptionOut(**_out(item))


def archive(access: Access, subscription_id: str) -> None:
    item = _subscription(access, subscription_id)
    item.archived = True
    item.enabled = False
    item.disabled_reason = "deleted"
    repo.save_subscription(item)


def rotate_secret(access: Access, subscription_id: str, body: RotateSecret) -> SecretRotated:
    item = _subscription(access, subscription_id)
    now = utc_now()
    slots, fresh = signing.rotate(item.secret_slots(), now, timedelta(seconds=body.overlap_seconds))
    item.set_secret_slots(slots)
    repo.save_subscription(item)
    return SecretRotated(
        subscription_id=subscription_id,
        secret=fresh,
        previous_secret_expires_at=signing.previous_expires_at(slots, now),
    )


# ---- delivery log ------------------------------------------------------------------------------------------


def _delivery_out(item: repo.DeliveryItem) -> DeliveryOut:
    return DeliveryOut.model_validate(item, from_attributes=True)


def deliveries(access: Access, subscription_id: str, limit: int, cursor: str | None) -> DeliveryPage:
    page = repo.list_deliveries(access.tenant, subscription_id, limit, cursor)
    if not page.items and cursor is None:
        _subscription(access, subscription_id)  # an empty log: is there a subscription at all?
    return DeliveryPage(items=[_delivery_out(d) for d in page.items], next_cursor=page.next_cursor)


def redeliver(access: Access, subscription_id: str, delivery_id: str) -> Redelivery:
    subscription = _subscription(access, subscription_id)
    if not subscription.enabled:
        raise Conflict("the subscription is disabled; enable it before redelivering")
    item = repo.get_delivery(access.tenant, subscription_id, delivery_id)
    if item is None:
        raise NotFound("delivery not found")
    if item.status not in domain.FINAL:
        raise Conflict("this delivery is still in progress")
    item.status = "pending"
    item.next_attempt_at = None
    repo.save_delivery(item)
    _enqueue(access.tenant, subscription_id, delivery_id, delay=0, redelivery=True)
    return Redelivery(delivery_id=delivery_id, status=item.status)


# ---- fan-out and delivery (event-driven) -------------------------------------------------------------------


def _enqueue(
    tenant_id: str, subscription_id: str, delivery_id: str, *, delay: int, redelivery: bool = False
) -> None:
    message = {
        "tenant_id": tenant_id,
        "subscription_id": subscription_id,
        "delivery_id": delivery_id,
        "not_before": time.time() + delay,
        "redelivery": redelivery,
    }
    aws.sqs().send_message(
        QueueUrl=webhook_settings().delivery_queue_url,
        MessageBody=json.dumps(message),
        DelaySeconds=min(max(delay, 0), SQS_MAX_DELAY_SECONDS),
    )


def fan_out(envelope: dict[str, Any]) -> int:
    """One delivery per subscribed endpoint of the event's tenant, and of each instance the change is shared
    with (the partner a ticket is outsourced to subscribes in its own instance); a repeated event adds none.
    """
    queued = 0
    for tenant_id in domain.audiences(envelope):
        if tenant_id != envelope["tenant_id"] and not _reaches(envelope, tenant_id):
            continue
        for subscription in repo.subscriptions_for_fanout(tenant_id):
            if not domain.subscribed(list(subscription.event_types), envelope["type"]):
                continue
            delivery = repo.new_delivery(
                tenant_id, subscription.subscription_id, envelope, domain.payload(envelope)
            )
            if repo.create_delivery(delivery):
                _enqueue(tenant_id, subscription.subscription_id, delivery.delivery_id, delay=0)
                queued += 1
    return queued


def _reaches(envelope: dict[str, Any], partner_id: str) -> bool:
    """An invitation's own events reach the invited instance whatever the link's state (the invitation is
    the one thing of the owner that does); everything else only while the link is active."""
    about_its_invitation = envelope.get("source") == "handoff.links" and str(
        envelope.get("type", "")
    ).startswith("ServicerInvit")
    return about_its_invitation or _linked(envelope["tenant_id"], partner_id)


def _linked(owner_id: str, partner_id: str) -> bool:
    """Work is shared with a partner only while its link is active: a suspended or revoked partner's
    subscriptions hear nothing more of the owner, whatever tickets still name it."""
    return links.is_active(owner_id, partner_id)


def deliver(message: dict[str, Any]) -> None:
    """One attempt of one delivery; schedules the next attempt, or ends in succeeded, gone or failed (DLQ)."""
    from handoff.webhooks.delivery import post  # HTTP and TLS: only the delivery worker loads them

    config = webhook_settings()
    remaining = float(message.get("not_before", 0)) - time.time()
    if remaining > 1:  # SQS delays at most 15 minutes: longer waits hop through the queue again
        _enqueue(
            message["tenant_id"], message["subscription_id"], message["delivery_id"], delay=int(remaining)
        )
        return
    tenant_id, subscription_id = message["tenant_id"], message["subscription_id"]
    item = repo.get_delivery(tenant_id, subscription_id, message["delivery_id"])
    if item is None or (item.status in domain.FINAL and not message.get("redelivery")):
        return  # already settled: a repeated message
    subscription = repo.get_subscription(tenant_id, subscription_id)
    if subscription is None or not subscription.enabled:
        item.status, item.last_error = domain.Outcome.SKIPPED, "the subscription is disabled"
        repo.save_delivery(item)
        return
    now = utc_now()
    timestamp = int(now.timestamp())
    secrets = signing.live_secrets(subscription.secret_slots(), now)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Handoff-Webhooks/1",
        **signing.signed_headers(secrets, item.event_id, timestamp, item.payload),
    }
    attempt = post(
        subscription.url,
        item.payload,
        headers,
        timeout=config.timeout_seconds,
        allow_loopback=config.allow_loopback,
        allowed_ports=config.allowed_ports,
        blocked_ports=config.blocked_ports,
    )
    item.attempts += 1
    item.last_status_code, item.last_error = attempt.status_code, attempt.error
    status, wait = domain.after_attempt(attempt.status_code, int(item.attempts), config.retry_schedule)
    item.status = status
    item.next_attempt_at = now + timedelta(seconds=wait) if wait is not None else None
    repo.save_delivery(item)
    logger.info("webhook attempt", delivery_id=item.delivery_id, status=status, code=attempt.status_code)
    if status == domain.Outcome.RETRYING and wait is not None:
        _enqueue(tenant_id, subscription_id, item.delivery_id, delay=wait)
    elif status == domain.Outcome.GONE:
        subscription.enabled = False
        subscription.disabled_reason = "the endpoint answered 410 Gone"
        repo.save_subscription(subscription)
    elif status == domain.Outcome.FAILED:
        aws.sqs().send_message(QueueUrl=config.dead_letter_queue_url, MessageBody=json.dumps(message))
