"""Background work: outbox tables claimed with leases, retried with backoff."""
