"""Estimates: labour lines with parts under them, customer decisions, disputes, frozen versions, work."""
