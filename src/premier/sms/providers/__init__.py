"""SMS providers, one module each: sending, and parsing its callbacks into
`premier.delivery.tracking.TrackingEvent` and `InboundSms`. `build.build_providers` makes
them from the settings."""
