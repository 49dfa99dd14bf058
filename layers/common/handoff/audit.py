"""Append-only audit entries, written in the same transaction as the change they record."""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import JSONAttribute, UnicodeAttribute, UTCDateTimeAttribute

from handoff import keys
from handoff.ids import new_id, utc_now
from handoff.store.table import Item


class AuditItem(Item, discriminator="audit"):
    tenant_id = UnicodeAttribute()
    audit_id = UnicodeAttribute()
    actor = UnicodeAttribute()
    action = UnicodeAttribute()
    subject = UnicodeAttribute()
    data = JSONAttribute(default=dict)
    at = UTCDateTimeAttribute()


def audit_entry(tenant_id: str, actor: str, action: str, subject: str, data: dict[str, Any]) -> AuditItem:
    audit_id = new_id()
    pk, sk = keys.audit(tenant_id, audit_id)
    return AuditItem(
        pk,
        sk,
        tenant_id=tenant_id,
        audit_id=audit_id,
        actor=actor,
        action=action,
        subject=subject,
        data=data,
        at=utc_now(),
    )
