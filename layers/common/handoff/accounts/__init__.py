"""Identity and tenants: tenants, users (global logins), memberships, duplicate-login retirement."""
