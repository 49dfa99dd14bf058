"""What other contexts may ask of the portal: which unit, of which customer, and whether the caller may see
it; read through the portal repository (no schemas: cheap to import for any function)."""

from __future__ import annotations

from dataclasses import dataclass

from handoff.auth.access import Access
from handoff.errors import NotFound
from handoff.portal import repository as repo
from handoff.store import reads

UNIT_NOT_FOUND = "unit not found"


@dataclass(frozen=True)
class UnitRef:
    unit_id: str
    customer_id: str
    archived: bool


def unit_keys(path: dict[str, str]) -> list[reads.Key]:
    """What a route about one unit prefetches with the caller's membership."""
    return repo.unit_keys(path)


def unit(tenant_id: str, unit_id: str) -> UnitRef | None:
    item = repo.get_unit(tenant_id, unit_id)
    return UnitRef(item.unit_id, item.customer_id, bool(item.archived)) if item is not None else None


def visible_unit(access: Access, unit_id: str) -> UnitRef:
    """The unit, if the caller may see it (a portal user: only its companies' units); 404 otherwise, exactly
    like a unit that does not exist."""
    found = unit(access.tenant, unit_id)
    if found is None or not access.may_see_customer(found.customer_id):
        raise NotFound(UNIT_NOT_FOUND)
    return found


def customer_names(tenant_id: str, customer_ids: list[str]) -> dict[str, str]:
    """The names of these customers of the tenant (one BatchGetItem), by id."""
    return {c.customer_id: c.name for c in repo.get_customers(tenant_id, customer_ids)}


def partner_org_of(tenant_id: str, customer_id: str) -> tuple[str | None, str | None] | None:
    """The customer's partner organization and org unit (either may be none), or None: no such customer."""
    customer = repo.get_customer(tenant_id, customer_id)
    return (customer.partner_org_id, customer.org_unit_id) if customer is not None else None


def customer_is_live(tenant_id: str, customer_id: str) -> bool | None:
    """True for a live customer, False for an archived one, None when there is none."""
    customer = repo.get_customer(tenant_id, customer_id)
    return None if customer is None else not customer.archived


def requires_invoice_authorization(tenant_id: str, customer_id: str) -> bool:
    """Whether the customer authorizes (finalizes) the invoices it gets."""
    customer = repo.get_customer(tenant_id, customer_id)
    return bool(customer.requires_invoice_authorization) if customer is not None else False
