"""A succeeded payment's receipt, as a PDF the guest can keep and the front desk reprint.

Made the first time it is asked for, kept as a private upload of the payer's (so it is
served like every private file: a signed link that expires), and the same file from then on:
a receipt does not change once issued. A refund later shows on the payment, not by rewriting
the receipt.

The PDF uses the standard Helvetica font, which covers Latin-1: a character outside it (a
name in another script) prints as "?" rather than failing the receipt.
"""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from fpdf import FPDF
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from premier.auth.actor import Actor
from premier.bookings.models import Booking
from premier.kit.documents import DocumentStore
from premier.kit.errors import Conflict
from premier.kit.money import format_amount
from premier.payments import service
from premier.payments.models import Payment, PaymentMethod, PaymentReceipt, PaymentStatus
from premier.users.models import User

RECEIPT_PURPOSE = "receipt"
PAID = frozenset(
    {PaymentStatus.SUCCEEDED, PaymentStatus.PARTIALLY_REFUNDED, PaymentStatus.REFUNDED}
)


@dataclass(frozen=True, slots=True)
class Hotel:
    name: str
    address: str
    timezone: str


async def receipt_link(
    *, session: AsyncSession, documents: DocumentStore, actor: Actor, payment_id: int, hotel: Hotel
) -> str:
    """The link to the payment's receipt, made now if it is the first time it is asked for."""
    payment = await service.get_payment(session=session, actor=actor, payment_id=payment_id)
    if payment.status not in PAID:
        raise Conflict(
            "A receipt is issued once the payment has gone through",
            code="payment_not_paid",
            details={"status": payment.status},
        )
    link = await _existing_link(session, documents, payment.id)
    if link is not None:
        return link
    return await _issue(session=session, documents=documents, payment=payment, hotel=hotel)


async def _existing_link(
    session: AsyncSession, documents: DocumentStore, payment_id: int
) -> str | None:
    kept = await session.get(PaymentReceipt, payment_id)
    return None if kept is None else await documents.link(session, kept.upload_id)


async def _issue(
    *, session: AsyncSession, documents: DocumentStore, payment: Payment, hotel: Hotel
) -> str:
    payer = await session.get(User, payment.payer_id)
    booking = await session.get(Booking, payment.booking_id) if payment.booking_id else None
    data = render(payment=payment, payer=payer, booking=booking, hotel=hotel)
    upload_id = await documents.keep(
        session, owner_id=payment.payer_id, purpose=RECEIPT_PURPOSE,
        filename=f"receipt-{payment.reference}.pdf", content_type="application/pdf", data=data,
    )  # fmt: skip
    session.add(PaymentReceipt(payment_id=payment.id, upload_id=upload_id))
    try:
        await session.commit()
    except IntegrityError:
        # Asked for twice at once: the other request's receipt stands.
        await session.rollback()
    link = await _existing_link(session, documents, payment.id)
    if link is None:  # pragma: no cover - the row was just written or found
        raise Conflict("the receipt could not be made; try again", code="receipt_unavailable")
    return link


def render(*, payment: Payment, payer: User | None, booking: Booking | None, hotel: Hotel) -> bytes:
    """The receipt's PDF: who paid what, for what, how and when."""
    pdf = FPDF(format=(148, 210))  # A5, in millimetres
    pdf.set_title(f"Receipt {payment.reference}")
    pdf.set_author(hotel.name)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    _line(pdf, hotel.name, height=9)
    pdf.set_font("Helvetica", "", 9)
    _line(pdf, hotel.address)
    pdf.ln(6)
    pdf.set_font("Helvetica", "B", 13)
    _line(pdf, "Receipt", height=8)
    pdf.set_font("Helvetica", "", 10)
    for label, value in _rows(payment, payer, booking, hotel):
        pdf.set_font("Helvetica", "B", 10)
        pdf.cell(38, 7, _latin1(label))
        pdf.set_font("Helvetica", "", 10)
        pdf.multi_cell(0, 7, _latin1(value), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("Helvetica", "I", 9)
    _line(pdf, f"Thank you for staying with {hotel.name}.")
    return bytes(pdf.output())


def _rows(
    payment: Payment, payer: User | None, booking: Booking | None, hotel: Hotel
) -> list[tuple[str, str]]:
    when = payment.settled_at or payment.updated_at or payment.created_at
    rows = [
        ("Receipt no.", payment.reference),
        ("Date", _local(when, hotel.timezone)),
        ("Received from", payer.full_name if payer else "Guest"),
        ("For", _purpose(payment, booking)),
        ("Amount paid", format_amount(payment.amount, payment.currency)),
        ("Paid by", PaymentMethod(payment.method).label),
    ]
    if payment.tendered_amount is not None and payment.change_due:
        rows.append(("Cash tendered", format_amount(payment.tendered_amount, payment.currency)))
        rows.append(("Change given", format_amount(payment.change_due, payment.currency)))
    if payment.provider_charge_id and payment.method != PaymentMethod.CASH:
        rows.append(("Transaction", payment.provider_charge_id))
    if payment.bill_amount is not None and payment.bill_currency:
        bill = format_amount(payment.bill_amount, payment.bill_currency)
        rows.append(("Bill", f"{bill} at {payment.fx_rate} {payment.currency} each"))
    if payment.refunded_amount:
        rows.append(("Refunded", format_amount(payment.refunded_amount, payment.currency)))
    return rows


def _purpose(payment: Payment, booking: Booking | None) -> str:
    if booking is not None:
        nights = f"{booking.check_in:%d %b %Y} to {booking.check_out:%d %b %Y}"
        return f"Booking {booking.reference}, {booking.room_type.name}, {nights}"
    if payment.order_id is not None:
        return f"Room-service order {payment.order_id}"
    return "Your stay"


def _local(moment: datetime, timezone: str) -> str:
    return moment.astimezone(ZoneInfo(timezone)).strftime("%d %b %Y, %H:%M")


def _line(pdf: FPDF, text: str, *, height: float = 5) -> None:
    pdf.multi_cell(0, height, _latin1(text), new_x="LMARGIN", new_y="NEXT")


def _latin1(text: str) -> str:
    return text.encode("latin-1", "replace").decode("latin-1")
