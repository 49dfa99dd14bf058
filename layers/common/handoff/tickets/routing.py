"""Routing a ticket in its team: who of the current escalation layer takes it (the pure rules are
`tickets.dispatch`), recorded as a RoutingDecision entry and a `TicketRouted` event in the ticket's own
transaction. The event starts the layer's response deadline (the ticket deadline state machine); an answer
(the assignee starts the work, the vendor accepts, a dispatcher reassigns, withdraws or cancels) stops it;
unanswered, the deadline escalates the ticket to the next layer, as a dispatcher's `escalate` does."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from pynamodb.transactions import TransactWrite

from handoff.accounts import public as accounts
from handoff.auth.access import Access
from handoff.auth.policy import Role
from handoff.errors import Conflict, HandoffError, Invalid
from handoff.links import public as links
from handoff.partners import public as partners
from handoff.portal import public as portal
from handoff.store import reads
from handoff.tickets import dispatch, outsourcing, service
from handoff.tickets import repository as repo
from handoff.tickets.dispatch import Candidate, Layer, RoutingDecision, Via
from handoff.tickets.domain import ASSIGNABLE_ROLES, Terms, TicketAction, TicketStatus
from handoff.tickets.schemas import AssignIn, EscalateIn, TermsIn, TicketCreate, TicketOut

ROUTER = "routing"
# Statuses in which a routed ticket still waits for someone to take it up.
ESCALATABLE = frozenset({TicketStatus.OPEN.value, TicketStatus.OFFERED.value})


def _customer_org(item: repo.TicketItem) -> str | None:
    if not item.customer_id:
        return None
    found = portal.partner_org_of(item.tenant_id, item.customer_id)
    return partners.partner_org_of_customer(item.tenant_id, *found) if found else None


def _layers(
    tenant_id: str, team: partners.Team, start: int
) -> tuple[list[Layer], dict[str, accounts.Worker]]:
    """The team's layers with their live members who may take work and their open loads (one BatchGetItem of
    the members, one COUNT per member of the layers still ahead), and those members."""
    ahead = [m for members, _ in team.layers[start:] for m in members]
    live = {
        user_id: worker
        for user_id, worker in accounts.workers(tenant_id, ahead).items()
        if worker.roles & ASSIGNABLE_ROLES
    }
    loads = {user_id: repo.open_load(tenant_id, user_id) for user_id in live}
    layers = []
    for members, minutes in team.layers:
        candidates = tuple(
            Candidate(
                user_id=m,
                partner_user=Role.PARTNER in live[m].roles,
                partner_org_id=live[m].partner_org_id,
                open_load=loads[m],
            )
            for m in members
            if m in live
        )
        layers.append(Layer(candidates, minutes))
    return layers, live


def _vendor_terms(team: partners.Team) -> Terms | None:
    """The terms an outward offer proposes; terms stored before a rule tightened route nobody outward."""
    if not team.routes_outward or not team.vendor_terms:
        return None
    try:
        return TermsIn.model_validate(team.vendor_terms).to_terms()
    except ValidationError:
        return None


def _vendors(item: repo.TicketItem, exclude: str | None) -> list[str]:
    """The preferred vendors that may take this ticket (active, granted its location, not the one that just
    let it wait)."""
    fit = []
    for grant in links.preferred_vendors(item.tenant_id):
        if item.location_id and not grant.may_see_location(item.location_id):
            continue
        if grant.flags.restricted_locations and not item.location_id:
            continue
        if grant.servicer_id != exclude:
            fit.append(grant.servicer_id)
    return fit


def _team(item: repo.TicketItem, team_id: str, field: str) -> partners.Team:
    team = partners.team(item.tenant_id, team_id)
    if team is None:
        raise Invalid(field, "no such team (or it is archived)")
    return team


def stage_routing(
    item: repo.TicketItem,
    team_id: str,
    start: int,
    trigger: str,
    *,
    field: str = "team_id",
    exclude_vendor: str | None = None,
) -> tuple[list[service.Change], tuple[repo.OfferItem, ...], Any]:
    """Routes the ticket from layer `start` of the team, in memory: the assignee (or an offer to the
    preferred vendor), the RoutingDecision entry and its event, and the team's turn for the transaction."""
    team = _team(item, team_id, field)
    layers, live = _layers(item.tenant_id, team, start)
    terms = _vendor_terms(team)
    vendors = _vendors(item, exclude_vendor) if terms is not None else []
    decision = dispatch.route(layers, start, _customer_org(item), vendors, terms is not None, team.turn)
    router = service.system(item.tenant_id, ROUTER)
    changes: list[service.Change] = []
    offers: tuple[repo.OfferItem, ...] = ()
    item.assignee_id, item.assignee_org_id = None, None
    if decision.via is Via.VENDOR:
        assert decision.servicer_id is not None and terms is not None
        # The vendor sees the offer, not why the team's own people did not take it.
        offer, changes = outsourcing.stage_offer(item, router, decision.servicer_id, terms, None, None)
        offers = (offer,)
    elif decision.assignee_id is not None:
        item.assignee_id = decision.assignee_id
        item.assignee_org_id = live[decision.assignee_id].partner_org_id
    ahead = dispatch.next_layer(decision.layer, len(team.layers)) is not None
    # Routing again on demand ends the wait before it (a deadline's own execution has already ended).
    ended = int(item.routing_round or 0) if item.routing_waiting and trigger != "deadline" else None
    item.team_id, item.routing_layer = team.team_id, decision.layer
    item.routing_round = int(item.routing_round or 0) + 1
    item.routing_waiting = decision.waits and ahead  # the last layer escalates no further: no deadline
    record = _record(team.team_id, int(item.routing_round), decision, trigger)
    item.record("route", router.by, router.company_id, decision.reason, assignment=None)
    facts = {**record, "waits": bool(item.routing_waiting), "ended_routing_round": ended}
    routed = service.change_of(
        item,
        "TicketRouted",
        router,
        "routing",
        None,
        facts,
        step="route",
        text=decision.reason,
        routing=record,
    )
    changes.append(routed)

    def turn(tx: TransactWrite) -> None:
        partners.stage_turn(tx, item.tenant_id, team.team_id)

    return changes, offers, turn


def _record(team_id: str, round_: int, decision: RoutingDecision, trigger: str) -> dict[str, Any]:
    return {
        "team_id": team_id,
        "round": round_,
        "via": decision.via.value,
        "layer": decision.layer,
        "assignee_id": decision.assignee_id,
        "servicer_id": decision.servicer_id,
        "reason": decision.reason,
        "skipped": list(decision.skipped),
        "response_minutes": decision.response_minutes,
        "trigger": trigger,
    }


def create(access: Access, body: TicketCreate) -> TicketOut:
    """A new ticket; logged for a team, routed in its first layer in the same transaction."""
    item, doer, created = service.stage_create(access, body)
    if body.team_id is None:
        service.commit(item, doer, [created])
    else:
        changes, offers, turn = stage_routing(item, body.team_id, 0, "created")
        service.commit(item, doer, [created, *changes], offers=offers, also=(turn,))
    return service.ticket_out(item, doer)


def assign(access: Access, ticket_id: str, body: AssignIn) -> TicketOut:
    """To a member, a partner company (an offer), or a team: routed from its first layer."""
    if body.team_id is None:
        return outsourcing.assign(access, ticket_id, body)
    doer = service.doer_of(access)
    item = service.visible(access.tenant, ticket_id, doer)
    if item.status != TicketStatus.OPEN.value or item.servicer_id is not None:
        raise Conflict(
            f"a ticket that is {item.status} is not routed; only an open ticket goes to a team",
            code="illegal_transition",
        )
    changes, offers, turn = stage_routing(item, body.team_id, 0, "assigned")
    service.commit(item, doer, changes, offers=offers, also=(turn,))
    return service.ticket_out(item, doer)


# ---- escalation: on demand, or when the layer's deadline passes ------------------------------------------


def _stage_escalation(
    item: repo.TicketItem, doer: service.Doer, note: str | None, trigger: str
) -> tuple[list[service.Change], tuple[repo.OfferItem, ...], Any]:
    if item.team_id is None or item.routing_layer is None:
        raise Conflict("this ticket is not routed in a team; assign it to one first", code="not_routed")
    if item.status not in ESCALATABLE:
        raise Conflict(
            f"a ticket that is {item.status} has been taken up; it escalates no further",
            code="illegal_transition",
        )
    team = partners.team(item.tenant_id, item.team_id)
    if team is None:
        raise Conflict("the ticket's team is archived", code="team_archived")
    following = dispatch.next_layer(int(item.routing_layer), len(team.layers))
    if following is None:
        raise Conflict("the ticket is in the team's last layer", code="no_next_layer")
    before: list[service.Change] = []
    offers: tuple[repo.OfferItem, ...] = ()
    silent = item.servicer_id  # a vendor that let it wait is not offered it again
    if item.status == TicketStatus.OFFERED.value:  # the vendor did not answer: the offer is withdrawn
        why = note or "escalated to the next layer"
        before, offers = outsourcing.stage_ticket_step(item, TicketAction.WITHDRAW, doer, why)
    changes, more, turn = stage_routing(item, item.team_id, following, trigger, exclude_vendor=silent)
    return [*before, *changes], (*offers, *more), turn


def escalate(access: Access, ticket_id: str, body: EscalateIn) -> TicketOut:
    """A dispatcher moves the ticket to the next layer of its team now."""
    doer = service.doer_of(access)
    item = service.visible(access.tenant, ticket_id, doer)
    changes, offers, turn = _stage_escalation(
        item, service.system(item.tenant_id, ROUTER), body.note, "escalated"
    )
    service.commit(item, doer, changes, offers=offers, also=(turn,))
    return service.ticket_out(item, doer)


def escalation_deadline(kind: str, tenant_id: str, ticket_id: str, round_: int) -> str:
    """The layer's response deadline: only if that very routing still waits for its answer. A concurrent
    change of the ticket is a race: read again and decide again."""
    if kind == "reminder":
        return "reminded"  # the assignee was told when it was routed; the deadline itself escalates
    return reads.retry_on_conflict(lambda: _escalate_at_deadline(tenant_id, ticket_id, round_))


def _escalate_at_deadline(tenant_id: str, ticket_id: str, round_: int) -> str:
    item = repo.get_ticket(tenant_id, ticket_id)
    if item is None or not item.routing_waiting or int(item.routing_round or 0) != round_:
        return "stale"
    router = service.system(tenant_id, ROUTER)
    try:
        changes, offers, turn = _stage_escalation(
            item, router, "no answer within the layer's response time", "deadline"
        )
    except HandoffError as refused:
        if isinstance(refused, Conflict) and refused.code == Conflict.code:
            raise  # a race, not a rule: retried from fresh reads
        # A rule now refuses it (the team archived, its last layer reached, the vendor's link gone): nothing
        # escalates, and the dispatchers find the ticket where it is on the board.
        return f"not escalated: {refused.code}"
    service.commit(item, router, changes, offers=offers, also=(turn,))
    return "escalated"
