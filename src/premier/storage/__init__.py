"""Where uploaded files live: one `Storage` protocol, one backend per file, chosen by
settings (premier.storage.factory)."""
