"""Tickets: work an owner does in house or outsources to a linked partner company."""
