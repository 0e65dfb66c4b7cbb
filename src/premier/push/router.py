from fastapi import Response, status

from premier.auth.access import access
from premier.auth.dependencies import CurrentActor
from premier.deps import AppSettings, ReadSession, WriteSession
from premier.http.routing import Router
from premier.push import service
from premier.push.schemas import PublicKey, SubscriptionIn, SubscriptionOut, UnsubscribeIn
from premier.push.vapid import require_vapid

router = Router(prefix="/api/v1/push", tags=["push"])


@router.get(
    "/public-key",
    responses={404: {"description": "This server offers no push messages (no VAPID key)."}},
)
@access("push", "public_key")
async def public_key(settings: AppSettings) -> PublicKey:
    """The key a browser subscribes with (`applicationServerKey`)."""
    return PublicKey(public_key=require_vapid(settings).public_key)


@router.get("/subscriptions")
@access("push_subscription", "manage")
async def my_devices(actor: CurrentActor, session: ReadSession) -> list[SubscriptionOut]:
    """Your devices that receive push messages."""
    rows = await service.list_devices(session=session, user_id=actor.id)
    return [SubscriptionOut.model_validate(row) for row in rows]


@router.post("/subscriptions")
@access("push_subscription", "manage")
async def subscribe(
    data: SubscriptionIn, actor: CurrentActor, session: WriteSession, settings: AppSettings
) -> SubscriptionOut:
    """Receive push messages on this device (sent again, it keeps one subscription)."""
    row = await service.subscribe(
        session=session,
        settings=settings,
        user_id=actor.id,
        device_id=data.device_id,
        endpoint=str(data.endpoint),
        p256dh=data.keys.p256dh,
        auth=data.keys.auth,
        user_agent=data.user_agent,
    )
    return SubscriptionOut.model_validate(row)


@router.post("/subscriptions/unsubscribe", status_code=status.HTTP_204_NO_CONTENT)
@access("push_subscription", "manage")
async def unsubscribe(data: UnsubscribeIn, actor: CurrentActor, session: WriteSession) -> Response:
    """Stop push messages to this device (nothing to stop is fine too)."""
    await service.unsubscribe(session=session, user_id=actor.id, device_id=data.device_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
