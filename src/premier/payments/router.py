from typing import Annotated

from fastapi import APIRouter, Depends, status

from premier.auth.access import access
from premier.auth.dependencies import CurrentActor
from premier.deps import ReadSession, WriteSession
from premier.kit.ids import PathId, QueryId
from premier.kit.pagination import Page, PageParams, page_params
from premier.payments import service
from premier.payments.models import PaymentStatus
from premier.payments.schemas import CashPayment, PaymentOut, Refund

router = APIRouter(prefix="/api/v1/payments", tags=["payments"])


@router.post("/cash", status_code=status.HTTP_201_CREATED)
@access("payment", "record_cash")
async def record_cash(data: CashPayment, actor: CurrentActor, session: WriteSession) -> PaymentOut:
    """The front desk records cash it has taken for a booking or an order."""
    payment = await service.record_cash(session=session, actor=actor, data=data)
    return PaymentOut.model_validate(payment)


@router.get("")
@access("payment", "read")
async def list_payments(
    actor: CurrentActor,
    session: ReadSession,
    page: Annotated[PageParams, Depends(page_params)],
    status: PaymentStatus | None = None,
    booking_id: QueryId = None,
) -> Page[PaymentOut]:
    return await service.list_payments(
        session=session, actor=actor, page=page, status=status, booking_id=booking_id
    )


@router.get("/{payment_id}")
@access("payment", "read")
async def get_payment(payment_id: PathId, actor: CurrentActor, session: ReadSession) -> PaymentOut:
    payment = await service.get_payment(session=session, actor=actor, payment_id=payment_id)
    return PaymentOut.model_validate(payment)


@router.post("/{payment_id}/refund")
@access("payment", "refund")
async def refund(
    payment_id: PathId, data: Refund, actor: CurrentActor, session: WriteSession
) -> PaymentOut:
    payment = await service.refund(session=session, actor=actor, payment_id=payment_id, data=data)
    return PaymentOut.model_validate(payment)
