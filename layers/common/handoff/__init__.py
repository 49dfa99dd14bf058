"""Handoff's shared layer: domain rules, data access, authentication, authorization and the API toolkit."""
