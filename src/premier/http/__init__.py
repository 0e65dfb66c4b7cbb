"""HTTP hardening around the whole application: body size limits and security headers."""
