"""Announcements: what the management tells many people at once, now or at a set time."""
