from typing import Annotated

from fastapi import Depends, Header, Query, Request, status
from fastapi.responses import JSONResponse

from premier.auth.access import access
from premier.auth.dependencies import CurrentActor
from premier.db import Database
from premier.deps import AppSettings, Documents, ReadSession, WriteSession, app_database
from premier.http.routing import Router
from premier.kit.ids import PathId, QueryId
from premier.kit.money import Currency
from premier.kit.pagination import Page, PageParams, page_params
from premier.payments import initiate, receipts, reconcile, refunds, service, webhooks
from premier.payments.models import PaymentMethod, PaymentStatus
from premier.payments.runtime import Payments
from premier.payments.schemas import (
    CashPayment,
    PaymentCreate,
    PaymentHistoryEntry,
    PaymentOption,
    PaymentOut,
    PaymentVoid,
    ReceiptOut,
    Refund,
)

router = Router(prefix="/api/v1/payments", tags=["payments"])

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=8,
        max_length=128,
        pattern=r"^[A-Za-z0-9_.:-]+$",
        description="A key of your own for this payment: a retry with it never charges twice",
    ),
]
Database_ = Annotated[Database, Depends(app_database)]


async def _payments(request: Request) -> Payments:
    payments: Payments = request.app.state.payments
    return payments


PaymentsRuntime = Annotated[Payments, Depends(_payments)]


# First in this router: routes are tried in order, and providers send webhooks in storms.
@router.post("/webhooks/{provider}")
@access("payment_webhook", "deliver")
async def provider_webhook(
    provider: str, request: Request, payments: PaymentsRuntime
) -> dict[str, str]:
    """Stripe, PayPal and Flutterwave post here; each is verified before it is read, and
    answered once stored."""
    body = await request.body()
    await webhooks.receive(
        inbox=payments.inbox,
        providers=payments.providers,
        name=provider,
        headers=request.headers,
        body=body,
    )
    return {"status": "accepted"}


@router.post("/callbacks/{token}")
@access("payment_webhook", "deliver")
async def provider_callback(
    token: str, request: Request, database: Database_, payments: PaymentsRuntime
) -> dict[str, object]:
    """M-Pesa's result for one payment, on that payment's own secret path."""
    body = await request.body()
    await webhooks.receive_callback(
        database=database,
        inbox=payments.inbox,
        providers=payments.providers,
        token=token,
        headers=request.headers,
        body=body,
    )
    return {"ResultCode": 0, "ResultDesc": "Accepted"}


@router.get("/methods")
@access("payment", "create")
async def payment_methods(
    payments: PaymentsRuntime,
    request: Request,
    currency: Currency,
    amount: Annotated[int, Query(gt=0, le=10**12, description="minor units")],
) -> list[PaymentOption]:
    """The ways to pay this amount here, each with what it would charge (converted where
    the method does not take this currency). A provider without credentials is absent."""
    return initiate.methods(
        providers=payments.providers,
        settings=payments.settings,
        hotel_currency=request.app.state.settings.hotel_currency,
        currency=currency,
        amount=amount,
    )


@router.post("", status_code=status.HTTP_201_CREATED, response_model=PaymentOut)
@access("payment", "create")
async def create_payment(
    data: PaymentCreate, actor: CurrentActor, payments: PaymentsRuntime, key: IdempotencyKey = None
) -> JSONResponse:
    """Start paying a booking or an order. Send an `Idempotency-Key`: a retry with the same
    key and body returns the first answer and never charges twice."""
    if key is None:
        return JSONResponse(
            {
                "error": {
                    "code": "idempotency_key_required",
                    "message": "send an Idempotency-Key header with each new payment",
                    "details": None,
                }
            },
            422,
        )
    answer = await payments.starter.start(actor=actor, key=key, data=data)
    return JSONResponse(answer.body, answer.status_code)


@router.post("/cash", status_code=status.HTTP_201_CREATED)
@access("payment", "record_cash")
async def record_cash(data: CashPayment, actor: CurrentActor, session: WriteSession) -> PaymentOut:
    """The front desk records cash it has taken for a booking or an order: never more than
    is due; with `tendered`, the change handed back is recorded too."""
    payment = await service.record_cash(session=session, actor=actor, data=data)
    return PaymentOut.model_validate(payment)


@router.get("")
@access("payment", "read")
async def list_payments(
    actor: CurrentActor,
    session: ReadSession,
    page: Annotated[PageParams, Depends(page_params)],
    status: PaymentStatus | None = None,
    method: PaymentMethod | None = None,
    booking_id: QueryId = None,
    order_id: QueryId = None,
    flagged: bool | None = None,
) -> Page[PaymentOut]:
    return await service.list_payments(
        session=session,
        actor=actor,
        page=page,
        status=status,
        booking_id=booking_id,
        order_id=order_id,
        method=method,
        flagged=flagged,
    )


@router.get("/{payment_id}")
@access("payment", "read")
async def get_payment(payment_id: PathId, actor: CurrentActor, session: ReadSession) -> PaymentOut:
    payment = await service.get_payment(session=session, actor=actor, payment_id=payment_id)
    return PaymentOut.model_validate(payment)


@router.get(
    "/{payment_id}/receipt",
    responses={409: {"description": "The payment has not gone through: no receipt yet."}},
)
@access("payment", "read")
async def receipt(
    payment_id: PathId,
    actor: CurrentActor,
    session: WriteSession,
    documents: Documents,
    settings: AppSettings,
) -> ReceiptOut:
    """A link to the payment's PDF receipt (made the first time it is asked for)."""
    hotel = receipts.Hotel(
        name=settings.hotel_name, address=settings.hotel_address, timezone=settings.hotel_timezone
    )
    url = await receipts.receipt_link(
        session=session, documents=documents, actor=actor, payment_id=payment_id, hotel=hotel
    )
    return ReceiptOut(url=url)


@router.get("/{payment_id}/history")
@access("payment", "read")
async def payment_history(
    payment_id: PathId, actor: CurrentActor, session: ReadSession
) -> list[PaymentHistoryEntry]:
    """What happened to the payment, oldest first: recorded, settled, refunds, a void."""
    return await service.history(session=session, actor=actor, payment_id=payment_id)


@router.post("/{payment_id}/void")
@access("payment", "void")
async def void_payment(
    payment_id: PathId, data: PaymentVoid, actor: CurrentActor, session: WriteSession
) -> PaymentOut:
    """A manager strikes out a cash payment recorded by mistake, with the reason; what it
    paid is due again."""
    payment = await service.void_cash(
        session=session, actor=actor, payment_id=payment_id, data=data
    )
    return PaymentOut.model_validate(payment)


@router.post("/{payment_id}/refresh")
@access("payment", "refresh")
async def refresh_payment(
    payment_id: PathId, actor: CurrentActor, database: Database_, payments: PaymentsRuntime
) -> PaymentOut:
    """Ask the provider where a pending payment is now (a guest back from its page)."""
    async with database.reading() as session:
        await service.get_payment(session=session, actor=actor, payment_id=payment_id)
    await reconcile.check_one(
        database=database, providers=payments.providers, payment_id=payment_id
    )
    async with database.reading() as session:
        payment = await service.get_payment(session=session, actor=actor, payment_id=payment_id)
        return PaymentOut.model_validate(payment)


@router.post("/{payment_id}/refund")
@access("payment", "refund")
async def refund(
    payment_id: PathId,
    data: Refund,
    actor: CurrentActor,
    database: Database_,
    payments: PaymentsRuntime,
    key: IdempotencyKey = None,
) -> PaymentOut:
    """Refund all or part of what was captured, with a reason; never more than is left."""
    payment = await refunds.refund(
        database=database,
        providers=payments.providers,
        actor=actor,
        payment_id=payment_id,
        data=data,
        key=key,
    )
    return PaymentOut.model_validate(payment)
