"""Start and stop the realtime hub with the application."""

from premier.config import Settings
from premier.db import Database
from premier.events import ALL, EventBus, UserChanged
from premier.realtime.backplanes.base import Backplane
from premier.realtime.hub import Hub
from premier.realtime.presence import LocalStore, Presence, PresenceStore, RedisStore
from premier.realtime.protocol import CLOSE_GOING_AWAY
from premier.realtime.shutdown import close_sockets_before_server

SHUTDOWN_REASON = "server shutting down"


async def start_realtime(*, settings: Settings, database: Database, bus: EventBus) -> Hub:
    backplane: Backplane
    if settings.redis_url:
        from premier.realtime.backplanes.redis import RedisBackplane

        backplane = RedisBackplane(
            url=settings.redis_url,
            prefix=settings.redis_prefix,
            history_seconds=settings.realtime_history_seconds,
            history_max_events=settings.realtime_history_max_events,
        )
    else:
        from premier.realtime.backplanes.database import DatabaseBackplane

        backplane = DatabaseBackplane(
            database=database, history_seconds=settings.realtime_history_seconds
        )
    hub = Hub(
        backplane=backplane,
        history_seconds=settings.realtime_history_seconds,
        history_max_events=settings.realtime_history_max_events,
    )
    store: PresenceStore
    if settings.redis_url:
        store = RedisStore(url=settings.redis_url, prefix=settings.redis_prefix)
    else:
        store = LocalStore()
    hub.presence = Presence(
        store=store, publish=hub.on_event, grace_seconds=settings.realtime_presence_grace_seconds
    )
    await hub.start()
    bus.subscribe(ALL, hub.on_event)
    bus.subscribe(UserChanged.type, hub.on_user_changed)
    hub.on_stop.append(
        close_sockets_before_server(hub, close_code=CLOSE_GOING_AWAY, reason=SHUTDOWN_REASON)
    )
    return hub


async def stop_realtime(hub: Hub) -> None:
    await hub.stop(close_code=CLOSE_GOING_AWAY, reason=SHUTDOWN_REASON)
