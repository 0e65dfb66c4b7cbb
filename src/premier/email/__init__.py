"""Email: a delivery channel, its queue, providers, delivery tracking and the email API."""
