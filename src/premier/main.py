"""ASGI entry point for uvicorn: `premier.main:app`."""

from premier.app import create_app, freeze_long_lived_objects

app = create_app()
freeze_long_lived_objects()
