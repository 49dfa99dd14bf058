"""The customer access portal's API by route group (handoff.api.groups): each module is loaded by the
first request to a path it serves."""

CUSTOMERS = "/tenants/<tenant_id>/customers"
CUSTOMER = f"{CUSTOMERS}/<customer_id>"
ACCOUNTS = "/tenants/<tenant_id>/portal-accounts"
ACCOUNT = f"{ACCOUNTS}/<user_id>"
BOOKINGS = "/tenants/<tenant_id>/booking-requests"
BOOKING = f"{BOOKINGS}/<booking_id>"
