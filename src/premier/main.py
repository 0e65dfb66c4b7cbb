"""ASGI entry point for uvicorn: `premier.main:app`."""

from premier.app import create_app

app = create_app()
