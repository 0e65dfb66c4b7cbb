"""Local fake servers for external providers, one module per provider."""
