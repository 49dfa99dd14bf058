"""Servicer links: a contractor's instance working inside an owner's instance, within the link's flags."""
