"""Locations of a tenant (sites where service work happens)."""
