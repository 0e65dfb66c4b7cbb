"""Running the background work of every process: the event dispatcher, one queue worker
per delivery channel, the expiry of unconfirmed bookings."""
