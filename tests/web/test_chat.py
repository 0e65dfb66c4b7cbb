"""Guest ↔ staff messages in real browsers: a guest on a phone and the front desk at a desk
write to each other live, and nothing is lost on a reload."""

import io
import re
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest
from PIL import Image
from playwright.sync_api import Browser, FilePayload, Locator, Page, ViewportSize, expect

from premier.seed import DEMO_PASSWORD
from tests.web.test_browser import _shot, _sign_in

GUEST = "guest@premier.test"
FRONT_DESK = "frontdesk@premier.test"
PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
LONG_WORD = "Ω" + "x" * 300 + "😀" + "漢字" * 40


def _open_messages(page: Page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Messages").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Messages")


def _picture() -> FilePayload:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (29, 77, 79)).save(out, format="PNG")
    return {"name": "bathroom.png", "mimeType": "image/png", "buffer": out.getvalue()}


PDF: FilePayload = {
    "name": "invoice.pdf",
    "mimeType": "application/pdf",
    "buffer": b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\nstartxref\n0\n%%EOF\n",
}


def _bubbles(page: Page, text: str) -> Locator:
    return page.get_by_test_id("chat-message").filter(has_text=text)


@pytest.mark.timeout(150)
def test_a_guest_and_the_front_desk_chat_live_and_a_reload_loses_nothing(
    chromium: Browser, live_server: str, screenshot_dir: Path | None
) -> None:
    guest_context = chromium.new_context(viewport=PHONE, is_mobile=True)
    desk_context = chromium.new_context(viewport=DESKTOP)
    guest = guest_context.new_page()
    desk = desk_context.new_page()
    _sign_in(guest, live_server, GUEST)
    _sign_in(desk, live_server, FRONT_DESK)
    _open_messages(desk)
    # The demo guest's first message waits unread; opening the conversation reads it.
    expect(desk.get_by_test_id("messages-unread")).to_have_text("1")
    _shot(desk, screenshot_dir, "chat-desk-inbox-desktop")
    desk.get_by_test_id("conversation").filter(has_text="Grace Guest").first.click()
    expect(_bubbles(desk, "check out at 2pm")).to_be_visible()
    expect(desk.get_by_test_id("messages-unread")).to_have_count(0)
    _open_messages(desk)
    expect(desk.get_by_test_id("chat-message")).to_have_count(0)

    # The guest opens their conversation with the front desk (from the demo) and writes.
    _open_messages(guest)
    guest.get_by_test_id("conversation").filter(has_text="Front desk").first.click()
    expect(_bubbles(guest, "late checkout until 14:00")).to_be_visible()
    # A staff-only note in the same conversation never reaches the guest.
    expect(guest.get_by_text("Room is not booked the next night")).to_have_count(0)
    box = guest.get_by_label("Message", exact=True)
    box.fill(f"Could you also send a taxi at 15:00? {LONG_WORD}")
    send = guest.get_by_role("button", name="Send", exact=True)
    send.dblclick()  # a double click sends once
    expect(_bubbles(guest, "send a taxi at 15:00")).to_have_count(1)
    expect(box).to_have_value("")

    # The desk's unread badges move without a reload; the message is there when opened.
    expect(desk.get_by_test_id("messages-unread")).to_have_text("1")
    expect(desk).to_have_title(re.compile(r"^\(\d+\) "))
    row = desk.get_by_test_id("conversation").filter(has_text="Grace Guest").first
    expect(row.get_by_test_id("conversation-unread")).to_have_text("1")
    # The row previews the latest message.
    expect(row.get_by_test_id("conversation-preview")).to_contain_text("send a taxi at 15:00")
    row.click()
    expect(_bubbles(desk, "send a taxi at 15:00")).to_be_visible()
    expect(_bubbles(desk, "Room is not booked")).to_have_attribute("data-kind", "note")
    # Shown is read: the badges go, and the guest's message is marked seen for them.
    expect(desk.get_by_test_id("messages-unread")).to_have_count(0)
    expect(row.get_by_test_id("conversation-unread")).to_have_count(0)
    # The guest sees it "Seen" at once, without a reload or a reply.
    expect(_bubbles(guest, "send a taxi at 15:00").get_by_test_id("read-receipt")).to_have_text(
        re.compile("Seen")
    )

    # Typing shows on the other side; the reply arrives live.
    reply_box = desk.get_by_label("Message", exact=True)
    reply_box.press_sequentially("Of course")
    expect(guest.get_by_test_id("typing")).to_have_text(re.compile("Faith Frontdesk is typing"))
    reply_box.fill("Of course: a taxi will wait at 15:00.")
    desk.get_by_role("button", name="Send", exact=True).click()
    expect(_bubbles(desk, "a taxi will wait at 15:00")).to_be_visible()
    expect(_bubbles(guest, "a taxi will wait at 15:00")).to_be_visible()
    expect(guest.get_by_test_id("typing")).to_have_text("")
    # The guest has the conversation open, so the reply is read: the desk sees it live.
    expect(_bubbles(desk, "a taxi will wait at 15:00").get_by_test_id("read-receipt")).to_have_text(
        re.compile("Seen")
    )

    # Canned replies on "/" and a note only staff see.
    reply_box.fill("/late")
    desk.get_by_role("listbox", name="Canned replies").get_by_role("option").first.click()
    expect(reply_box).to_have_value(re.compile("Late checkout until 14:00 is fine, Grace"))
    reply_box.fill("")
    desk.get_by_label("Internal note (staff only)").check()
    desk.get_by_label("Note for staff", exact=True).fill("Taxi booked with City Cabs.")
    desk.get_by_role("button", name="Add note").click()
    expect(_bubbles(desk, "Taxi booked with City Cabs")).to_have_attribute("data-kind", "note")
    expect(row.get_by_test_id("conversation-preview")).to_have_text(
        "Note: Taxi booked with City Cabs."
    )
    _shot(desk, screenshot_dir, "chat-desk-conversation-desktop")
    _shot(guest, screenshot_dir, "chat-guest-conversation-phone")
    width = guest.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the conversation is {width}px wide on a phone"

    # A reload on both sides keeps every message, and the guest never gets the notes.
    for page in (guest, desk):
        page.reload()
        expect(_bubbles(page, "send a taxi at 15:00")).to_have_count(1)
        expect(_bubbles(page, "a taxi will wait at 15:00")).to_have_count(1)
    expect(guest.get_by_text("Taxi booked with City Cabs")).to_have_count(0)
    expect(_bubbles(desk, "Taxi booked with City Cabs")).to_have_count(1)
    guest_context.close()
    desk_context.close()


@pytest.mark.timeout(90)
def test_a_guest_writes_to_a_department_from_the_messages_page(
    chromium: Browser, live_server: str, screenshot_dir: Path | None
) -> None:
    context = chromium.new_context(viewport=PHONE, is_mobile=True)
    page = context.new_page()
    _sign_in(page, live_server, GUEST)
    _open_messages(page)
    _shot(page, screenshot_dir, "chat-guest-inbox-phone")
    page.get_by_role("button", name="New conversation").click()
    form = page.get_by_role("form", name="New conversation")
    form.get_by_role("combobox").select_option("concierge")
    form.get_by_label("Your message").fill("Can you book a table for two tonight?")
    _shot(page, screenshot_dir, "chat-guest-new-conversation-phone")
    form.get_by_role("button", name="Send").click()
    expect(_bubbles(page, "book a table for two")).to_be_visible()
    expect(page.get_by_role("heading", level=2)).to_have_text("Concierge")

    # A picture and a PDF go up with progress and come back as a thumbnail and a link
    # named after the file.
    page.get_by_test_id("attach-input").set_input_files([_picture(), PDF])
    uploads = page.get_by_role("list", name="Attachments")
    expect(uploads.get_by_text("ready")).to_have_count(2)
    page.get_by_label("Message", exact=True).fill("The receipt and a photo of the sink.")
    page.get_by_role("button", name="Send", exact=True).click()
    sent = _bubbles(page, "The receipt and a photo")
    expect(sent.get_by_role("img", name="bathroom.png")).to_be_visible()
    # The document is named as it was picked, not guessed.
    expect(sent.get_by_role("link", name=re.compile(r"^invoice\.pdf · PDF"))).to_be_visible()
    page.wait_for_function(
        "document.querySelector('.chat-attachment-image img')?.naturalWidth > 0", timeout=10_000
    )
    _shot(page, screenshot_dir, "chat-guest-attachments-phone")

    page.reload()
    expect(_bubbles(page, "book a table for two")).to_have_count(1)
    expect(_bubbles(page, "The receipt and a photo").get_by_role("img")).to_be_visible()
    context.close()


def _book_a_stay(base_url: str) -> str:
    """The demo guest books a room through the API; answers the booking's reference."""
    with httpx.Client(base_url=base_url) as http:
        login = http.post("/api/v1/auth/login", json={"email": GUEST, "password": DEMO_PASSWORD})
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        room_type = http.get("/api/v1/rooms/types").json()[0]["id"]
        check_in = date.today() + timedelta(days=20)
        stay = {"room_type_id": room_type, "check_in": str(check_in),
                "check_out": str(check_in + timedelta(days=2))}  # fmt: skip
        booking = http.post("/api/v1/bookings", json=stay, headers=headers)
        assert booking.status_code == 201, booking.text
        return str(booking.json()["reference"])


@pytest.mark.timeout(90)
def test_a_guest_messages_the_front_desk_from_their_booking(
    chromium: Browser, live_server: str
) -> None:
    reference = _book_a_stay(live_server)
    context = chromium.new_context(viewport=PHONE, is_mobile=True)
    page = context.new_page()
    _sign_in(page, live_server, GUEST)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My bookings").click()
    booking = page.locator(f'[data-testid="booking"][data-reference="{reference}"]')
    booking.get_by_role("link", name="Message the front desk").click()
    form = page.get_by_role("form", name="New conversation")
    expect(form.get_by_label("Subject")).to_have_value(f"Booking {reference}")
    form.get_by_label("Your message").fill("We will arrive after midnight.")
    form.get_by_role("button", name="Send").click()
    expect(_bubbles(page, "arrive after midnight")).to_be_visible()
    expect(page.get_by_role("heading", level=2)).to_have_text("Front desk")
    context.close()


def _long_conversation(base_url: str, guest_lines: int, desk_lines: int) -> None:
    """A new front desk conversation with more messages than one page holds."""
    with httpx.Client(base_url=base_url) as http:
        seats = {}
        for email in (GUEST, FRONT_DESK):
            login = http.post(
                "/api/v1/auth/login", json={"email": email, "password": DEMO_PASSWORD}
            )
            seats[email] = {"Authorization": f"Bearer {login.json()['access_token']}"}
        opened = http.post(
            "/api/v1/messages/conversations",
            json={"department": "front_desk", "subject": "A long stay"},
            headers=seats[GUEST],
        )
        assert opened.status_code == 201, opened.text
        conversation = opened.json()["id"]
        lines = [(GUEST, n) for n in range(guest_lines)] + [
            (FRONT_DESK, n) for n in range(desk_lines)
        ]
        for number, (email, n) in enumerate(sorted(lines, key=lambda line: line[1])):
            sent = http.post(
                "/api/v1/messages/send",
                json={"conversation_id": conversation, "body": f"Line {number:02d}",
                      "client_message_id": f"long-{email.split('@')[0]}-{n}"},
                headers=seats[email],
            )  # fmt: skip
            assert sent.status_code == 201, sent.text


@pytest.mark.timeout(90)
def test_older_messages_load_on_scrolling_up(chromium: Browser, live_server: str) -> None:
    _long_conversation(live_server, guest_lines=18, desk_lines=17)
    context = chromium.new_context(viewport=PHONE, is_mobile=True)
    page = context.new_page()
    _sign_in(page, live_server, GUEST)
    _open_messages(page)
    page.get_by_test_id("conversation").filter(has_text="A long stay").click()
    messages = page.get_by_test_id("chat-message")
    expect(messages).to_have_count(30)
    expect(messages.last).to_contain_text("Line 34")  # the newest at the bottom, in view
    expect(messages.last).to_be_in_viewport()
    page.get_by_test_id("chat-scroll").evaluate("box => { box.scrollTop = 0 }")
    expect(messages).to_have_count(35)
    expect(messages.first).to_contain_text("Line 00")
    expect(page.get_by_role("button", name="Load earlier messages")).to_have_count(0)
    context.close()


@pytest.mark.timeout(120)
def test_the_front_desk_starts_a_chat_with_colleagues(
    chromium: Browser, live_server: str, screenshot_dir: Path | None
) -> None:
    desk_context = chromium.new_context(viewport=DESKTOP)
    cook_context = chromium.new_context(viewport=PHONE, is_mobile=True)
    desk = desk_context.new_page()
    cook = cook_context.new_page()
    _sign_in(desk, live_server, FRONT_DESK)
    _sign_in(cook, live_server, "kitchen@premier.test")
    _open_messages(desk)
    desk.get_by_role("button", name="New chat").click()
    form = desk.get_by_role("form", name="New chat")
    start = form.get_by_role("button", name="Start chat")
    expect(start).to_be_disabled()  # nobody picked yet
    form.get_by_label("Find a colleague").fill("Kevin")
    form.get_by_role("checkbox", name=re.compile("Kevin Kitchen")).check()
    form.get_by_label("Find a colleague").fill("Hawa")
    form.get_by_role("checkbox", name=re.compile("Hawa Housekeeping")).check()
    picked = form.get_by_role("list", name="Chat with")
    expect(picked.get_by_role("listitem")).to_have_text(
        [re.compile("Kevin Kitchen"), re.compile("Hawa Housekeeping")]
    )
    form.get_by_label("Subject").fill("Breakfast tray for room 12")
    _shot(desk, screenshot_dir, "chat-desk-new-staff-chat-desktop")
    start.click()
    expect(desk.get_by_role("heading", level=2)).to_have_text("Breakfast tray for room 12")
    desk.get_by_label("Message", exact=True).fill("Can the kitchen send a tray at 7?")
    desk.get_by_role("button", name="Send", exact=True).click()
    expect(_bubbles(desk, "send a tray at 7")).to_be_visible()

    # The cook finds it in their list, previewed, and answers; the desk sees it read.
    _open_messages(cook)
    row = cook.get_by_test_id("conversation").filter(has_text="Breakfast tray for room 12")
    expect(row.get_by_test_id("conversation-preview")).to_have_text(
        "Faith Frontdesk: Can the kitchen send a tray at 7?"
    )
    row.click()
    expect(_bubbles(cook, "send a tray at 7")).to_be_visible()
    expect(_bubbles(desk, "send a tray at 7").get_by_test_id("read-receipt")).to_have_text(
        re.compile("Seen")
    )
    desk_context.close()
    cook_context.close()
