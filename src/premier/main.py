"""ASGI entry point for uvicorn: `premier.main:app`."""

import sys

from premier.app import create_app

# aiosqlite runs each statement on a helper thread; with the default 5 ms GIL switch
# interval the event loop can wait that long for every hand-off back. A shorter interval
# cuts SQLite request latency markedly and costs little elsewhere.
sys.setswitchinterval(0.0005)

app = create_app()
