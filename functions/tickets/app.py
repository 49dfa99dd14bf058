"""Tickets: in-house and outsourced work, its time and notes, and the signed updates partner systems post; the
service board of approved labour and the work orders technicians clock on to."""

from handoff import coldstart  # isort: split

from handoff.api.app import lambda_entry
from handoff.api.groups import RouteGroups

TICKETS = "/tenants/{tenant_id}/tickets"
TICKET = f"{TICKETS}/{{ticket_id}}"

routes = RouteGroups(
    __package__,
    {
        TICKETS: "tickets",
        f"{TICKETS}/search": "search",
        "/tenants/{tenant_id}/partner-organizations": "search",
        f"{TICKET}/nte-requests": "nte",
        "/tenants/{tenant_id}/work-required": "service_board",
        "/tenants/{tenant_id}/units": "service_board",
        f"{TICKET}/clock-off": "service_board",
        f"{TICKET}/time-entries/{{entry_id}}": "service_board",
        "/tenants/{tenant_id}/offers": "offers",
        f"{TICKET}/offers": "offers",
        f"{TICKET}/costs": "costs",
        f"{TICKET}/attachments": "attachments",
        "/tenants/{tenant_id}/reports": "reports",
        "/tenants/{tenant_id}/servicer-links": "inbound",
        "/tenants/{tenant_id}/inbound": "inbound",
    },
)

lambda_handler = lambda_entry(routes)

coldstart.ready()
