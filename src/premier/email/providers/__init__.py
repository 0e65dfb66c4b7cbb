"""Email providers, one module each: sending, and verifying and parsing its webhooks into
`premier.delivery.tracking.TrackingEvent`. `build.build_providers` makes the failover list."""
