"""Notifications: one `notify()` for every channel, preferences, templates, in-app inbox."""
