"""Email: the outbox worker, providers, delivery tracking and the email API."""
