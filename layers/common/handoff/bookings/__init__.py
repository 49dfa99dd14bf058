"""Booking requests: a customer asks for a slot for a unit; shop and customer negotiate until both agree."""
