"""Pure routing of a team's request: who in the current escalation layer takes it, and why.

In a layer, the partner users of the customer's partner organization (directly or through its org unit) come
first, then the internal technicians; a partner user of another organization never gets it. Among equals the
least open load wins, then the team's turn (round-robin). A layer with no one to take it passes the request to
the preferred vendor where the team routes outward; otherwise to the next layer, and past the last one to
nobody (the dispatchers see it unassigned on the board)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


class Via(StrEnum):
    PARTNER_USER = "partner_user"  # a partner user of the customer's partner organization
    TECHNICIAN = "technician"  # an internal technician (or dispatcher) of the layer
    VENDOR = "vendor"  # the servicer link marked preferred vendor: an offer at the team's terms
    NOBODY = "nobody"


@dataclass(frozen=True)
class Candidate:
    """A live member of a layer: a partner user (with the organization they belong to) or internal."""

    user_id: str
    partner_user: bool
    partner_org_id: str | None
    open_load: int  # the active tickets assigned to them now


@dataclass(frozen=True)
class Layer:
    candidates: tuple[Candidate, ...]
    response_minutes: int


@dataclass(frozen=True)
class RoutingDecision:
    via: Via
    layer: int  # the layer that took it (the last one tried, for nobody)
    assignee_id: str | None
    servicer_id: str | None
    reason: str
    skipped: tuple[int, ...] = ()  # earlier layers that had no one to take it
    response_minutes: int | None = None  # how long the assignee has to answer before it escalates

    @property
    def waits(self) -> bool:
        """Whether an answer is awaited (a deadline runs): someone took it."""
        return self.via is not Via.NOBODY


def _pick(pool: Sequence[Candidate], turn: int) -> tuple[Candidate, int]:
    """The least loaded; among those, the team's turn decides (stable: by user id)."""
    least = min(c.open_load for c in pool)
    tied = sorted((c for c in pool if c.open_load == least), key=lambda c: c.user_id)
    return tied[turn % len(tied)], len(tied)


def _why(kind: str, chosen: Candidate, tied: int, pool: int) -> str:
    tie = f", in turn among {tied} with as many" if tied > 1 else ""
    return f"{kind}: the least open load ({chosen.open_load} of {pool} considered){tie}"


def choose_in_layer(
    index: int,
    layer: Layer,
    customer_org: str | None,
    vendors: Sequence[str],
    routes_outward: bool,
    turn: int,
) -> RoutingDecision | None:
    """Who of this layer takes the request (None: no one here)."""
    partners = [
        c for c in layer.candidates if c.partner_user and customer_org and c.partner_org_id == customer_org
    ]
    if partners:
        chosen, tied = _pick(partners, turn)
        reason = _why("a partner user of the customer's partner organization", chosen, tied, len(partners))
        return RoutingDecision(
            Via.PARTNER_USER, index, chosen.user_id, None, reason, (), layer.response_minutes
        )
    internal = [c for c in layer.candidates if not c.partner_user]
    if internal:
        chosen, tied = _pick(internal, turn)
        lead = "an internal technician" + (
            " (no partner user of the customer's organization in this layer)" if customer_org else ""
        )
        reason = _why(lead, chosen, tied, len(internal))
        return RoutingDecision(
            Via.TECHNICIAN, index, chosen.user_id, None, reason, (), layer.response_minutes
        )
    if routes_outward and vendors:
        ordered = sorted(vendors)
        vendor = ordered[turn % len(ordered)]
        reason = "the preferred vendor: no one in this layer takes it" + (
            f" (in turn among {len(ordered)} preferred vendors)" if len(ordered) > 1 else ""
        )
        return RoutingDecision(Via.VENDOR, index, None, vendor, reason, (), layer.response_minutes)
    return None


def route(
    layers: Sequence[Layer],
    start: int,
    customer_org: str | None,
    vendors: Sequence[str],
    routes_outward: bool,
    turn: int,
) -> RoutingDecision:
    """From layer `start` on, the first layer with someone to take the request decides."""
    skipped: list[int] = []
    for index in range(start, len(layers)):
        decision = choose_in_layer(index, layers[index], customer_org, vendors, routes_outward, turn)
        if decision is not None:
            return RoutingDecision(
                decision.via,
                decision.layer,
                decision.assignee_id,
                decision.servicer_id,
                decision.reason,
                tuple(skipped),
                decision.response_minutes,
            )
        skipped.append(index)
    last = max(start, len(layers) - 1)
    return RoutingDecision(
        Via.NOBODY, last, None, None, "no one in the remaining layers takes it", tuple(skipped)
    )


def next_layer(current: int, count: int) -> int | None:
    """The layer an escalation moves to (None: the last layer escalates no further)."""
    return current + 1 if current + 1 < count else None
