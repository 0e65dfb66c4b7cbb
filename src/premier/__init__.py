"""Premier Hotel: guest services and communication platform for hotels."""

__version__ = "0.1.0"
