from fastapi import status

from premier.auth.access import access
from premier.auth.dependencies import CurrentActor
from premier.deps import ReadSession, WriteSession
from premier.folio import service
from premier.folio.schemas import ChargeCreate, ChargeOut, ChargeVoid, FolioOut
from premier.http.routing import Router
from premier.kit.ids import PathId

router = Router(prefix="/api/v1/bookings", tags=["folio"])


@router.get("/{booking_id}/folio")
@access("folio", "read")
async def read_folio(booking_id: PathId, actor: CurrentActor, session: ReadSession) -> FolioOut:
    """The stay's running bill: the room, charges, orders charged to the room, payments
    and refunds, each with the balance after it, and what is still due."""
    return await service.read_folio(session=session, actor=actor, booking_id=booking_id)


@router.post("/{booking_id}/folio/charges", status_code=status.HTTP_201_CREATED)
@access("folio", "post_charge")
async def post_charge(
    booking_id: PathId, data: ChargeCreate, actor: CurrentActor, session: WriteSession
) -> ChargeOut:
    """Post a charge (minibar, laundry, damage ...) to a confirmed or checked-in stay.
    Send an `Idempotency-Key`: a repeat of the request posts it once."""
    charge = await service.post_charge(
        session=session, actor=actor, booking_id=booking_id, data=data
    )
    return ChargeOut.model_validate(charge)


@router.post("/{booking_id}/folio/charges/{charge_id}/void")
@access("folio", "void_charge")
async def void_charge(
    booking_id: PathId,
    charge_id: PathId,
    data: ChargeVoid,
    actor: CurrentActor,
    session: WriteSession,
) -> ChargeOut:
    """A manager strikes out a charge with the reason; it stays on the folio, voided."""
    charge = await service.void_charge(
        session=session, actor=actor, booking_id=booking_id, charge_id=charge_id, data=data
    )
    return ChargeOut.model_validate(charge)
