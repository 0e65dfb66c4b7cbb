"""Who changed what, when: one row per change made through the API, readable by managers."""
