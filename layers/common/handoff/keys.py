"""The one owner of every key format.

Every partition key, on the table and on each index, is led by ``T#<tenant>#`` with the delimiter closing the
tenant id, so ``acme`` can never match ``acme-corp``. Global identities (a login spans tenants) live under the
pseudo-tenant ``_``, which no tenant id can spell (tenant ids are ``[a-z0-9-]``).
"""

from __future__ import annotations

import hashlib
from enum import StrEnum

GLOBAL = "_"


def tenant_prefix(tenant_id: str) -> str:
    return f"T#{tenant_id}#"


def tenant(tenant_id: str) -> tuple[str, str]:
    return f"{tenant_prefix(tenant_id)}TENANT", "TENANT"


def members_partition(tenant_id: str) -> str:
    return f"{tenant_prefix(tenant_id)}MEMBERS"


def member_facet(tenant_id: str, role: str | None, active: bool | None, can_login: bool | None) -> str:
    """The staff matching one combination of personnel filters (`*`: not filtered), by name: a filtered
    search is one Query over exactly the members that match."""

    def flag(value: bool | None) -> str:
        return "*" if value is None else str(int(value))

    return f"{members_partition(tenant_id)}#r={role or '*'}#a={flag(active)}#l={flag(can_login)}"


def portal_accounts_partition(tenant_id: str) -> str:
    """GSI1 partition of the memberships with client roles (portal accounts), by name; staff stay in
    `members_partition`, so each of the two lists is one Query over exactly what it shows."""
    return f"{tenant_prefix(tenant_id)}PORTAL-ACCOUNTS"


def member(tenant_id: str, user_id: str) -> tuple[str, str]:
    return members_partition(tenant_id), f"MEMBER#{user_id}"


def user_partition(user_id: str) -> str:
    return f"{tenant_prefix(GLOBAL)}USER#{user_id}"


def user(user_id: str) -> tuple[str, str]:
    return user_partition(user_id), PROFILE


def user_place(tenant_id: str) -> str:
    """Sort key of a membership on the user's index partition: what `GET /me` lists."""
    return f"MEMBERSHIP#{tenant_id}"


def email(address: str) -> tuple[str, str]:
    return f"{tenant_prefix(GLOBAL)}EMAIL#{address.casefold()}", "EMAIL"


def audit(tenant_id: str, audit_id: str) -> tuple[str, str]:
    return f"{tenant_prefix(tenant_id)}AUDIT", f"AUDIT#{audit_id}"


def outbox(tenant_id: str, event_id: str) -> tuple[str, str]:
    return f"{tenant_prefix(tenant_id)}OUTBOX", f"EVT#{event_id}"


def webhooks_partition(tenant_id: str) -> str:
    return f"{tenant_prefix(tenant_id)}WEBHOOKS"


def webhook_subscription(tenant_id: str, subscription_id: str) -> tuple[str, str]:
    return webhooks_partition(tenant_id), f"SUB#{subscription_id}"


def webhook_delivery(tenant_id: str, subscription_id: str, delivery_id: str) -> tuple[str, str]:
    return f"{tenant_prefix(tenant_id)}DELIVERIES#{subscription_id}", f"DLV#{delivery_id}"


def locations_partition(tenant_id: str) -> str:
    return f"{tenant_prefix(tenant_id)}LOCATIONS"


def location(tenant_id: str, location_id: str) -> tuple[str, str]:
    return locations_partition(tenant_id), f"LOC#{location_id}"


def servicers_partition(owner_id: str) -> str:
    return f"{tenant_prefix(owner_id)}SERVICERS"


LINK_PREFIX = "LINK#"
ACTIVITY_PREFIX = "ACT#"
PROFILE = "PROFILE"


def servicer_link(owner_id: str, servicer_id: str) -> tuple[str, str]:
    return servicers_partition(owner_id), f"{LINK_PREFIX}{servicer_id}"


def linked_owners_partition(servicer_id: str) -> str:
    """The servicer's view of its links (GSI2): led by the servicer tenant."""
    return f"{tenant_prefix(servicer_id)}OWNERS"


def servicer_invitations_partition(servicer_id: str) -> str:
    """The invitations an instance was sent and has not answered (GSI2): led by the invited tenant."""
    return f"{tenant_prefix(servicer_id)}INVITATIONS"


def linked_owner(owner_id: str) -> str:
    return f"{LINK_PREFIX}{owner_id}"


def idempotency(tenant_id: str, user_id: str, key: str) -> tuple[str, str]:
    """Scoped by tenant and caller: two tenants (or two users) using the same key never collide."""
    digest = hashlib.sha256(key.encode()).hexdigest()
    return f"{tenant_prefix(tenant_id)}IDEMPOTENCY", f"KEY#{user_id}#{digest}"


def customers_partition(tenant_id: str) -> str:
    return f"{tenant_prefix(tenant_id)}CUSTOMERS"


def customer(tenant_id: str, customer_id: str) -> tuple[str, str]:
    return customers_partition(tenant_id), f"CUST#{customer_id}"


def with_archived(partition: str) -> str:
    """GSI2 twin of a by-name list partition: every record, archived ones too (GSI1 holds the live ones)."""
    return f"{partition}#ALL"


def by_name(name: str, item_id: str) -> str:
    """GSI1 sort key of everything listed by name (members, locations, customers, units): case-insensitive."""
    return f"NAME#{name.casefold()}#{item_id}"


def name_prefix(prefix: str) -> str:
    return f"NAME#{prefix.casefold()}"


def unit(tenant_id: str, unit_id: str) -> tuple[str, str]:
    return f"{tenant_prefix(tenant_id)}UNIT#{unit_id}", "UNIT"


def customer_units_partition(tenant_id: str, customer_id: str) -> str:
    """A customer's units, by name (GSI1)."""
    return f"{tenant_prefix(tenant_id)}UNITS#{customer_id}"


def booking(tenant_id: str, booking_id: str) -> tuple[str, str]:
    return f"{tenant_prefix(tenant_id)}BOOKING#{booking_id}", "BOOKING"


def bookings_by_status(tenant_id: str, status: str) -> str:
    """The shop's booking board: one partition per status, newest first (ULID sort keys)."""
    return f"{tenant_prefix(tenant_id)}BOOKINGS#{status}"


def customer_bookings(tenant_id: str, customer_id: str) -> str:
    return f"{tenant_prefix(tenant_id)}CUSTOMER#{customer_id}#BOOKINGS"


def booking_sort(booking_id: str) -> str:
    return f"BK#{booking_id}"


def estimate_partition(tenant_id: str, estimate_id: str) -> str:
    """An estimate, its frozen versions and the work its approvals produced: one partition."""
    return f"{tenant_prefix(tenant_id)}ESTIMATE#{estimate_id}"


def estimate(tenant_id: str, estimate_id: str) -> tuple[str, str]:
    return estimate_partition(tenant_id, estimate_id), "ESTIMATE"


VERSION_PREFIX = "V#"
UNIT_ESTIMATE_PREFIX = "ESTIMATE#"


def estimate_version(tenant_id: str, estimate_id: str, version: int) -> tuple[str, str]:
    return estimate_partition(tenant_id, estimate_id), f"{VERSION_PREFIX}{version:05d}"


def estimates_by_status(tenant_id: str, status: str) -> str:
    """The shop's estimate board (GSI1): one partition per status, newest first (ULID sort keys)."""
    return f"{tenant_prefix(tenant_id)}ESTIMATES#{status}"


def customer_estimates(tenant_id: str, customer_id: str) -> str:
    """A customer's estimates (GSI2), newest first."""
    return f"{tenant_prefix(tenant_id)}CUSTOMER#{customer_id}#ESTIMATES"


def estimate_sort(estimate_id: str) -> str:
    return f"EST#{estimate_id}"


def unit_estimate(tenant_id: str, unit_id: str, estimate_id: str) -> tuple[str, str]:
    """A unit's entry for one of its estimates, in the unit's partition (a unit lists its estimates)."""
    return unit(tenant_id, unit_id)[0], f"{UNIT_ESTIMATE_PREFIX}{estimate_id}"


def work_required(tenant_id: str, work_id: str) -> tuple[str, str]:
    """One approved labour line, addressed by its own id (a clock-on reads it with the caller's membership);
    the estimate's version condition makes an approval's work exactly-once."""
    return f"{tenant_prefix(tenant_id)}WORK#{work_id}", "WORK"


def work_required_board(tenant_id: str) -> str:
    """The service board (GSI1): open work required, oldest first."""
    return f"{tenant_prefix(tenant_id)}WORK-REQUIRED"


def unit_work_required(tenant_id: str, unit_id: str) -> str:
    """A unit's open work required (GSI2), oldest first."""
    return f"{tenant_prefix(tenant_id)}UNIT#{unit_id}#WORK-REQUIRED"


def work_sort(work_id: str) -> str:
    return f"WR#{work_id}"


def repair_order_counter(tenant_id: str) -> tuple[str, str]:
    """The tenant's last repair order number: every work order takes the next one in its own transaction."""
    return f"{tenant_prefix(tenant_id)}COUNTERS", "COUNTER#RO"


def technician_clock(tenant_id: str, user_id: str) -> tuple[str, str]:
    """A technician's clock: the one job they are clocked on to, if any (every clocking changes it, so two
    clockings of one technician never both commit)."""
    return f"{tenant_prefix(tenant_id)}TECH#{user_id}", "CLOCK"


def technician_time(tenant_id: str, user_id: str) -> str:
    """A technician's clocked time entries (GSI2), by start: the neighbour a correction could overlap."""
    return f"{tenant_prefix(tenant_id)}TECH#{user_id}#TIME"


def unit_work_orders(tenant_id: str, unit_id: str) -> str:
    """A unit's work orders (GSI2 of a ticket that is never outsourced), newest first."""
    return f"{tenant_prefix(tenant_id)}UNIT#{unit_id}#WORK-ORDERS"


def assigned_to(tenant_id: str, user_id: str) -> str:
    """The tickets assigned to one member (GSI3) while they are active, newest first."""
    return f"{tenant_prefix(tenant_id)}ASSIGNEE#{user_id}"


def ticket_partition(tenant_id: str, ticket_id: str) -> str:
    """A ticket and its activity (time entries, notes): one partition, read with one Query."""
    return f"{tenant_prefix(tenant_id)}TICKET#{ticket_id}"


def ticket(tenant_id: str, ticket_id: str) -> tuple[str, str]:
    return ticket_partition(tenant_id, ticket_id), "TICKET"


def ticket_activity(tenant_id: str, ticket_id: str, entry_id: str) -> tuple[str, str]:
    return ticket_partition(tenant_id, ticket_id), f"{ACTIVITY_PREFIX}{entry_id}"


def tickets_by_status(tenant_id: str, status: str) -> str:
    """The owner's ticket board: one partition per status, newest first (ULID sort keys)."""
    return f"{tenant_prefix(tenant_id)}TICKETS#{status}"


def outsourced_to(servicer_id: str, owner_id: str) -> str:
    """What an owner outsourced to a partner, seen from the partner's side (GSI2): led by the partner."""
    return f"{tenant_prefix(servicer_id)}OUTSOURCED#{owner_id}"


def outsourced_in_status(servicer_id: str, owner_id: str, status: str) -> str:
    """What an owner outsourced to a partner in one status (GSI3: a ticket outsourced has no member
    assignee), led by the partner."""
    return f"{outsourced_to(servicer_id, owner_id)}#{status}"


def ticket_sort(ticket_id: str) -> str:
    return f"TK#{ticket_id}"


OFFER_PREFIX = "OFFER#"
NTE_PREFIX = "NTE#"
COST_PREFIX = "COST#"
ATTACHMENT_PREFIX = "FILE#"


def ticket_offer(tenant_id: str, ticket_id: str, offer_id: str) -> tuple[str, str]:
    """An offer of the ticket and its rounds, beside the ticket (the ticket's offers: one Query)."""
    return ticket_partition(tenant_id, ticket_id), f"{OFFER_PREFIX}{offer_id}"


def offers_by_status(tenant_id: str, status: str) -> str:
    """The owner's offer board: one partition per status (GSI1), newest first."""
    return f"{tenant_prefix(tenant_id)}OFFERS#{status}"


def offers_to(servicer_id: str, owner_id: str, status: str) -> str:
    """The offers an owner made to a partner in one status, seen from the partner's side (GSI2)."""
    return f"{tenant_prefix(servicer_id)}OFFERS_FROM#{owner_id}#{status}"


def offer_sort(offer_id: str) -> str:
    return f"OF#{offer_id}"


def ticket_nte_request(tenant_id: str, ticket_id: str, request_id: str) -> tuple[str, str]:
    """A partner's request to raise a ticket's not-to-exceed amount, beside the ticket."""
    return ticket_partition(tenant_id, ticket_id), f"{NTE_PREFIX}{request_id}"


def ticket_cost(tenant_id: str, ticket_id: str, cost_id: str) -> tuple[str, str]:
    return ticket_partition(tenant_id, ticket_id), f"{COST_PREFIX}{cost_id}"


def ticket_attachment(tenant_id: str, ticket_id: str, attachment_id: str) -> tuple[str, str]:
    return ticket_partition(tenant_id, ticket_id), f"{ATTACHMENT_PREFIX}{attachment_id}"


def attachment_upload_key(tenant_id: str, ticket_id: str, attachment_id: str) -> str:
    """Where a presigned upload puts the bytes: never served (the confirmed copy is)."""
    return f"uploads/{tenant_id}/tickets/{ticket_id}/{attachment_id}"


def attachment_object_key(tenant_id: str, ticket_id: str, attachment_id: str) -> str:
    """Where a confirmed attachment is kept and read from (by presigned download only)."""
    return f"attachments/{tenant_id}/tickets/{ticket_id}/{attachment_id}"


def ticket_search(viewer: str, owner_id: str, facet: str) -> str:
    """A search entry's partition: the tickets one side finds by one facet (status, assignee, partner,
    location, title word, or all), newest first. The owner's side is led by the owner; a partner's by the
    partner, then the owner whose tickets they are."""
    if viewer == owner_id:
        return f"{tenant_prefix(owner_id)}TSEARCH#{facet}"
    return f"{tenant_prefix(viewer)}TSEARCH#{owner_id}#{facet}"


IN_HOUSE = "-"  # the partner of a ticket no partner holds, in report keys


def reports_partition(owner_id: str) -> str:
    """The owner's report buckets: what its tickets add up to, kept with every ticket change."""
    return f"{tenant_prefix(owner_id)}REPORTS"


def report_by_day(day: str, partner: str, status: str, currency: str) -> str:
    """A summary bucket by the day its tickets were created (the owner's report over all partners)."""
    return f"D#{day}#P#{partner}#S#{status}#C#{currency}"


def report_by_partner(partner: str, day: str, status: str, currency: str) -> str:
    """The same bucket led by the partner (a partner's report over its own work, one key range)."""
    return f"P#{partner}#D#{day}#S#{status}#C#{currency}"


def report_status(partner: str, status: str) -> str:
    """How many tickets are in a status now, and the sum of their creation times (their average age)."""
    return f"STATUS#{partner}#{status}"


def partner_org(tenant_id: str, partner_org_id: str) -> tuple[str, str]:
    return f"{tenant_prefix(tenant_id)}PARTNER_ORG#{partner_org_id}", "ORG"


def partner_orgs_partition(tenant_id: str) -> str:
    """The tenant's partner organizations by name (GSI1 live, GSI2 with the archived)."""
    return f"{tenant_prefix(tenant_id)}PARTNER_ORGS"


def org_unit(tenant_id: str, org_unit_id: str) -> tuple[str, str]:
    return f"{tenant_prefix(tenant_id)}ORG_UNIT#{org_unit_id}", "ORG_UNIT"


def org_units_partition(tenant_id: str) -> str:
    """The tenant's org units by name (GSI1 live, GSI2 with the archived)."""
    return f"{tenant_prefix(tenant_id)}ORG_UNITS"


def partner_org_units(tenant_id: str, partner_org_id: str) -> str:
    """The org units associated with a partner organization, by name (GSI3)."""
    return f"{tenant_prefix(tenant_id)}PARTNER_ORG#{partner_org_id}#ORG_UNITS"


def partner_org_technicians(tenant_id: str, partner_org_id: str) -> str:
    """A partner organization's technicians (members with the partner role in it), by name (GSI3)."""
    return f"{tenant_prefix(tenant_id)}PARTNER_ORG#{partner_org_id}#TECHNICIANS"


def partner_org_customers(tenant_id: str, partner_org_id: str) -> str:
    """The customers that name a partner organization themselves, by name (GSI3)."""
    return f"{tenant_prefix(tenant_id)}PARTNER_ORG#{partner_org_id}#CUSTOMERS"


def org_unit_customers(tenant_id: str, org_unit_id: str) -> str:
    """The customers of an org unit that name no partner organization themselves (they get the org unit's),
    by name (GSI3)."""
    return f"{tenant_prefix(tenant_id)}ORG_UNIT#{org_unit_id}#CUSTOMERS"


def teams_partition(tenant_id: str) -> str:
    """The tenant's teams by name (GSI1 live, GSI2 with the archived)."""
    return f"{tenant_prefix(tenant_id)}TEAMS"


def team(tenant_id: str, team_id: str) -> tuple[str, str]:
    return f"{tenant_prefix(tenant_id)}TEAM#{team_id}", "TEAM"


def team_turn(tenant_id: str, team_id: str) -> tuple[str, str]:
    return f"{tenant_prefix(tenant_id)}TEAM#{team_id}", "TURN"


def partner_invoice(owner_id: str, invoice_id: str) -> tuple[str, str]:
    """A partner's invoice to an owner, kept in the owner's tenant (where the work was done)."""
    return f"{tenant_prefix(owner_id)}PINV#{invoice_id}", "PINV"


def partner_invoice_of_ticket(owner_id: str, ticket_id: str, version: int) -> tuple[str, str]:
    """Which invoice a ticket's completion (its version) made: a retried computation finds it and stops."""
    return f"{tenant_prefix(owner_id)}PINV-FOR#{ticket_id}", f"V#{version:09d}"


def partner_invoices_by_status(owner_id: str, status: str) -> str:
    """The owner's partner invoices in one status (GSI1), newest first."""
    return f"{tenant_prefix(owner_id)}PINVS#{status}"


def partner_invoices_from(servicer_id: str, owner_id: str) -> str:
    """What a partner invoiced one owner (GSI2), led by the partner, newest first."""
    return f"{tenant_prefix(servicer_id)}PINVS-TO#{owner_id}"


def invoice_counter(issuer_id: str, series: str) -> tuple[str, str]:
    """The last number an issuer gave in a series (moved in the transaction that gives the next)."""
    return f"{tenant_prefix(issuer_id)}COUNTERS", f"COUNTER#INV#{series}"


def invoice_sort(invoice_id: str) -> str:
    return f"PI#{invoice_id}"


def invoice(tenant_id: str, invoice_id: str) -> tuple[str, str]:
    """A shop's invoice to its customer for a work order."""
    return f"{tenant_prefix(tenant_id)}INV#{invoice_id}", "INV"


def invoice_of_work_order(tenant_id: str, work_order_id: str) -> tuple[str, str]:
    """The one invoice a work order gets (a correction is a credit note, not a second invoice)."""
    return f"{tenant_prefix(tenant_id)}INV-FOR#{work_order_id}", "INV-FOR"


def invoices_by_status(tenant_id: str, status: str) -> str:
    """The shop's invoices in one status (GSI1), newest first."""
    return f"{tenant_prefix(tenant_id)}INVS#{status}"


def customer_invoices(tenant_id: str, customer_id: str) -> str:
    """What a customer was invoiced, once submitted or finalized (GSI2), newest first."""
    return f"{tenant_prefix(tenant_id)}CUSTOMER#{customer_id}#INVOICES"


def rate_card(tenant_id: str, rate_card_id: str) -> tuple[str, str]:
    """A rate card's head (its scope, name and latest version); its versions share the partition."""
    return f"{tenant_prefix(tenant_id)}RCARD#{rate_card_id}", "CARD"


RATE_VERSION = "V#"


def rate_version(tenant_id: str, rate_card_id: str, effective_from: str, version: int) -> tuple[str, str]:
    """One version of a rate card, sorted by the day it takes effect, then by its number: the version in
    force on a day is the last one at or before `V#<day>#999999` (one Query, Limit 1, descending)."""
    return rate_card(tenant_id, rate_card_id)[0], f"{RATE_VERSION}{effective_from}#{version:06d}"


def rate_versions_until(effective_on: str) -> str:
    return f"{RATE_VERSION}{effective_on}#999999"


def rate_card_for(tenant_id: str, scope: str) -> tuple[str, str]:
    """The one rate card of a scope (`shop`, or `partner#<servicer>`): a guard naming the card."""
    return f"{tenant_prefix(tenant_id)}RCARD-FOR#{scope}", "RCARD-FOR"


def rate_cards(tenant_id: str) -> str:
    """The tenant's rate cards (GSI1), by scope."""
    return f"{tenant_prefix(tenant_id)}RCARDS"


DEFAULT_BANNER = "_default"  # the tenant's own banner among its organizations' (no id spells it)


def portal_branding(tenant_id: str) -> tuple[str, str]:
    """The tenant's default banner."""
    return f"{tenant_prefix(tenant_id)}BRANDING", "BRANDING"


def banner_upload_key(tenant_id: str, partner_org_id: str, upload_id: str) -> str:
    """Where a banner's presigned upload lands: never served, deleted once checked."""
    return f"uploads/{tenant_id}/banners/{partner_org_id}/{upload_id}"


def banner_object_key(tenant_id: str, partner_org_id: str, upload_id: str) -> str:
    """A published banner: the re-encoded image, under a key of its own."""
    return f"banners/{tenant_id}/{partner_org_id}/{upload_id}.png"


def inbound_secret(owner_id: str, servicer_id: str) -> tuple[str, str]:
    """The secret a partner's system signs its updates to this owner with (kept apart from the link, which
    every servicer request reads)."""
    return servicers_partition(owner_id), f"INBOUND#{servicer_id}"


def inbound_message(owner_id: str, servicer_id: str, message_id: str) -> tuple[str, str]:
    """A received inbound message id, kept past the timestamp tolerance so a replay is recognised."""
    digest = hashlib.sha256(message_id.encode()).hexdigest()
    return f"{tenant_prefix(owner_id)}INBOUND#{servicer_id}", f"MSG#{digest}"


class CursorQuery(StrEnum):
    """Every paginated query, by name: a cursor is signed for one of these and the values that shape it."""

    MEMBERS = "members"
    PORTAL_ACCOUNTS = "portal-accounts"
    LOCATIONS = "locations"
    GRANTED_LOCATIONS = "granted"
    SERVICERS = "servicers"
    LINKED_OWNERS = "owners"
    WEBHOOKS = "webhooks"
    DELIVERIES = "deliveries"
    BOOKINGS = "bookings"
    CUSTOMER_BOOKINGS = "customer-bookings"
    TICKETS = "tickets"
    OUTSOURCED = "outsourced"
    ACTIVITY = "activity"
    CUSTOMERS = "customers"
    MY_CUSTOMERS = "my-customers"
    UNITS = "units"
    ESTIMATES = "estimates"
    CUSTOMER_ESTIMATES = "customer-estimates"
    UNIT_ESTIMATES = "unit-estimates"
    ESTIMATE_VERSIONS = "estimate-versions"
    WORK_REQUIRED = "work-required"
    UNIT_WORK_REQUIRED = "unit-work-required"
    UNIT_WORK_ORDERS = "unit-work-orders"
    SERVICER_INVITATIONS = "servicer-invitations"
    ASSIGNED = "assigned"
    OFFERS = "offers"
    PARTNER_OFFERS = "partner-offers"
    TICKET_OFFERS = "ticket-offers"
    COSTS = "costs"
    NTE_REQUESTS = "nte-requests"
    ATTACHMENTS = "attachments"
    TICKET_SEARCH = "ticket-search"
    PARTNER_ORGS = "partner-orgs"
    ORG_UNITS = "org-units"
    PARTNER_ORG_UNITS = "partner-org-units"
    PARTNER_ORG_TECHNICIANS = "partner-org-technicians"
    PARTNER_ORG_CUSTOMERS = "partner-org-customers"
    PARTNER_ORG_REQUESTS = "partner-org-requests"
    TEAMS = "teams"
    PARTNER_INVOICES = "partner-invoices"
    PARTNER_INVOICES_FROM = "partner-invoices-from"
    INVOICES = "invoices"
    CUSTOMER_INVOICES = "customer-invoices"
    RATE_CARDS = "rate-cards"


def cursor_scope(query: CursorQuery, tenant_id: str, *shape: object) -> str:
    """What a cursor is bound to: the query, the tenant it reads, and every value that shapes the query."""
    return "|".join([query.value, tenant_id, *("" if part is None else str(part) for part in shape)])
