"""structlog: readable lines in development, JSON in production; secrets and phone numbers
redacted from every line, ours and uvicorn's (see premier.kit.redact)."""

import logging

import structlog

from premier.config import Settings
from premier.kit.redact import RedactingFilter, redact_event

# uvicorn's own loggers: request lines (access) and WebSocket handshakes (error).
UVICORN_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access")


def install_redaction() -> None:
    """On the loggers rather than their handlers: uvicorn replaces its handlers whenever it
    configures logging, but keeps the loggers' filters. Idempotent."""
    for name in UVICORN_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactingFilter) for f in logger.filters):
            logger.addFilter(RedactingFilter())


def configure_logging(settings: Settings) -> None:
    renderer: structlog.types.Processor = (
        structlog.processors.JSONRenderer()
        if settings.environment == "production"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            redact_event,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.INFO),
        cache_logger_on_first_use=True,
    )
    install_redaction()
