"""ASGI entry point for uvicorn: `premier.main:app`."""

import sys

from pydantic import ValidationError

from premier.app import create_app, freeze_long_lived_objects
from premier.config import explain_invalid_settings

try:
    app = create_app()
except ValidationError as invalid:  # run by uvicorn directly: say what to set, no traceback
    sys.exit(explain_invalid_settings(invalid))
freeze_long_lived_objects()
