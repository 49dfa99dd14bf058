"""What other contexts may ask of partner organizations: whether one (or an org unit) is live, a customer's
organization, and the team a request is routed in (with the round-robin turn it stages into the caller's
transaction)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pynamodb.transactions import TransactWrite

from handoff import keys
from handoff.partners import repository as repo
from handoff.store import reads


def partner_org_keys(path: dict[str, str]) -> list[reads.Key]:
    """What a partner organization's tab reads first: the organization (prefetched with the caller)."""
    return [keys.partner_org(path["tenant_id"], path["partner_org_id"])]


def org_unit_is_live(tenant_id: str, org_unit_id: str) -> bool | None:
    """True for a live org unit, False for an archived one, None when there is none."""
    item = repo.get_org_unit(tenant_id, org_unit_id)
    return None if item is None else not item.archived


def is_live(tenant_id: str, partner_org_id: str) -> bool | None:
    """True for a live organization, False for an archived one, None when there is none."""
    item = repo.get(tenant_id, partner_org_id)
    return None if item is None else not item.archived


def org_unit_of(tenant_id: str, org_unit_id: str, partner_org_id: str) -> bool:
    """Whether the org unit is live and associated with this organization."""
    unit = repo.get_org_unit(tenant_id, org_unit_id)
    return unit is not None and not unit.archived and unit.partner_org_id == partner_org_id


def partner_org_of_customer(
    tenant_id: str, partner_org_id: str | None, org_unit_id: str | None
) -> str | None:
    """A customer's partner organization: its own, or else its (live) org unit's."""
    if partner_org_id:
        return partner_org_id
    unit = repo.get_org_unit(tenant_id, org_unit_id) if org_unit_id else None
    return unit.partner_org_id if unit is not None and not unit.archived else None


def next_org_unit(
    tenant_id: str, partner_org_id: str, after: dict[str, Any] | None
) -> tuple[str, dict[str, Any]] | None:
    """The organization's next live org unit after `after` (the index key this returned before), or its
    first: its id and index key."""
    unit = repo.next_org_unit(tenant_id, partner_org_id, after)
    if unit is None:
        return None
    key = {
        "PK": {"S": unit.pk},
        "SK": {"S": unit.sk},
        "GSI3PK": {"S": unit.gsi3pk},
        "GSI3SK": {"S": unit.gsi3sk},
    }
    return unit.org_unit_id, key


@dataclass(frozen=True)
class Team:
    team_id: str
    layers: tuple[tuple[tuple[str, ...], int], ...]  # (members, response minutes) per layer
    routes_outward: bool
    vendor_terms: dict[str, Any] | None
    turn: int  # how many requests it routed: the round-robin


def team(tenant_id: str, team_id: str) -> Team | None:
    """A live team, or None."""
    item = repo.get_team(tenant_id, team_id)
    if item is None or item.archived:
        return None
    return Team(
        team_id=item.team_id,
        layers=tuple((tuple(layer["members"]), int(layer["response_minutes"])) for layer in item.layers),
        routes_outward=bool(item.routes_outward),
        vendor_terms=item.vendor_terms,
        turn=repo.team_turns(tenant_id, team_id),
    )


def stage_turn(tx: TransactWrite, tenant_id: str, team_id: str) -> None:
    """Into the caller's transaction: the team routed one more request."""
    repo.stage_turn(tx, tenant_id, team_id)
