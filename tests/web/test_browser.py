"""The web UI in a real browser: guests book, order and ask; the staff see it and act."""

import re
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from premier.seed import DEMO_PASSWORD

GUEST = "guest@premier.test"
FRONT_DESK = "frontdesk@premier.test"


def _sign_in(page: Page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/login")
    page.get_by_role("button", name=re.compile(re.escape(email))).click()
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_test_id("current-user")).to_be_visible()


def _book_first_room(page: Page, check_in: date) -> str:
    """On the desk's booking page for a guest: search one night from `check_in`, book the
    first room offered and confirm; the new booking's reference."""
    page.get_by_label("Check-in").fill(check_in.isoformat())
    page.get_by_label("Check-out").fill((check_in + timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Search").click()
    option = page.get_by_test_id("room-option").first
    option.get_by_role("button", name="Book this room").click()
    option.get_by_role("button", name=re.compile("Confirm booking")).click()
    return page.get_by_test_id("booking-reference").inner_text().strip()


def _shot(page: Page, folder: Path | None, name: str) -> None:
    if folder is not None:
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


@pytest.mark.timeout(90)
def test_guest_books_a_room_and_the_front_desk_sees_it_arrive(
    chromium: Browser, live_server: str, screenshot_dir: Path | None
) -> None:
    check_in = date.today() + timedelta(days=30)
    check_out = check_in + timedelta(days=2)

    guest = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = guest.new_page()
    _sign_in(page, live_server, GUEST)
    expect(page).to_have_url(re.compile(r"/rooms$"))

    page.get_by_label("Check-in").fill(check_in.isoformat())
    page.get_by_label("Check-out").fill(check_out.isoformat())
    page.get_by_label("Guests").fill("2")
    page.get_by_role("button", name="Search").click()
    option = page.get_by_test_id("room-option").first
    expect(option).to_contain_text("total for 2 nights")
    _shot(page, screenshot_dir, "guest-find-room")
    option.get_by_role("button", name="Book this room").click()
    option.get_by_role("button", name=re.compile("Confirm booking")).click()

    reference = page.get_by_test_id("booking-reference")
    expect(reference).to_be_visible()
    booking_ref = reference.inner_text().strip()
    assert booking_ref

    page.get_by_role("link", name="See my bookings").click()
    mine = page.locator(f'[data-testid="booking"][data-reference="{booking_ref}"]')
    expect(mine).to_be_visible()
    expect(mine).to_contain_text("pending")
    _shot(page, screenshot_dir, "guest-my-bookings")

    desk = chromium.new_context(viewport={"width": 1280, "height": 900})
    staff = desk.new_page()
    _sign_in(staff, live_server, FRONT_DESK)
    expect(staff).to_have_url(re.compile(r"/desk$"))
    staff.get_by_label("Day", exact=True).fill(check_in.isoformat())
    arrivals = staff.get_by_role("region", name="Arrivals")
    arrival = arrivals.locator(f'[data-testid="booking"][data-reference="{booking_ref}"]')
    expect(arrival).to_be_visible()
    expect(arrival).to_contain_text("Grace Guest")
    _shot(staff, screenshot_dir, "desk-arrivals")

    arrival.get_by_role("button", name="Confirm").click()
    expect(arrival).to_contain_text("confirmed")

    # The guest pays the whole stay in cash at the desk.
    arrival.get_by_role("button", name="Payments").click()
    expect(arrival).to_contain_text("due")
    arrival.get_by_role("button", name="Record cash payment").click()
    expect(arrival).to_contain_text("settled")
    _shot(staff, screenshot_dir, "desk-payment")

    # The guest sees the front desk's confirmation on their next look.
    page.reload()
    expect(mine).to_contain_text("confirmed")

    guest.close()
    desk.close()


@pytest.mark.timeout(90)
def test_guest_orders_room_service_on_a_phone_and_the_kitchen_moves_it_along(
    chromium: Browser, live_server: str
) -> None:
    guest = chromium.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = guest.new_page()
    _sign_in(page, live_server, GUEST)
    page.goto(f"{live_server}/room-service")

    page.get_by_role("button", name="Add Kenyan Coffee").click()
    page.get_by_role("button", name="Add Kenyan Coffee").click()
    page.get_by_role("button", name="Add Pancake Stack").click()
    page.get_by_role("button", name="View order").click()
    cart = page.get_by_role("form", name="Your order")
    expect(cart).to_contain_text("Kenyan Coffee")
    # With the order on screen the bar goes, rather than sit over its last button.
    expect(page.get_by_role("button", name="View order")).to_be_hidden()
    # Delivered to the room the guest is staying in, the only place room service goes.
    expect(cart.get_by_label("Deliver to")).to_contain_text("Room 201")
    cart.get_by_label("Notes for the kitchen (optional)").fill("Oat milk, please")
    cart.get_by_role("button", name="Place order").click()
    expect(page.get_by_text(re.compile(r"Order #\d+ is with the kitchen"))).to_be_visible()
    mine = page.get_by_test_id("order").filter(has_text="Oat milk, please")
    expect(mine).to_contain_text("placed")
    expect(mine).to_contain_text(re.compile(r"2 \S Kenyan Coffee"))

    kitchen = chromium.new_context(viewport={"width": 1280, "height": 900})
    board = kitchen.new_page()
    _sign_in(board, live_server, "kitchen@premier.test")
    expect(board).to_have_url(re.compile(r"/kitchen$"))
    placed = board.get_by_role("region", name="Placed").get_by_test_id("order")
    ticket = placed.filter(has_text="Oat milk, please")
    expect(ticket).to_contain_text("Grace Guest")
    ticket.get_by_role("button", name="Start preparing").click()
    preparing = board.get_by_role("region", name="Preparing").get_by_test_id("order")
    expect(preparing.filter(has_text="Oat milk, please")).to_be_visible()
    expect(ticket).to_have_count(0)

    page.reload()
    expect(mine).to_contain_text("preparing")
    guest.close()
    kitchen.close()


@pytest.mark.timeout(90)
def test_guest_asks_for_towels_and_housekeeping_takes_the_request(
    chromium: Browser, live_server: str
) -> None:
    guest = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = guest.new_page()
    _sign_in(page, live_server, GUEST)
    page.goto(f"{live_server}/requests")
    page.get_by_label("Details").fill("Two extra towels for room 201, please")
    page.get_by_label("Room number").fill("201")
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_text("we have your request")).to_be_visible()
    mine = page.get_by_test_id("service-request").filter(has_text="Two extra towels")
    expect(mine).to_contain_text("open")

    staff = chromium.new_context(viewport={"width": 1280, "height": 900})
    desk = staff.new_page()
    _sign_in(desk, live_server, "housekeeping@premier.test")
    request = desk.get_by_test_id("service-request").filter(has_text="Two extra towels")
    request.get_by_role("button", name="Assign to me").click()
    expect(request).to_contain_text("Assigned to Hawa Housekeeping")
    request.get_by_role("button", name="Start").click()
    expect(request).to_contain_text("in progress")

    page.reload()
    expect(mine).to_contain_text("in progress")
    guest.close()
    staff.close()


@pytest.mark.timeout(60)
def test_guest_reviews_a_finished_stay(chromium: Browser, live_server: str) -> None:
    guest = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = guest.new_page()
    _sign_in(page, live_server, GUEST)
    page.goto(f"{live_server}/my-bookings")
    stay = page.get_by_test_id("booking").filter(has_text="checked out").first
    stay.get_by_role("button", name="Review your stay").click()
    stay.get_by_label("4 stars").check()
    stay.get_by_label("Comment").fill("Lovely lake view, slow breakfast.")
    stay.get_by_role("button", name="Send review").click()
    expect(stay).to_contain_text("Thank you for your review.")

    page.reload()
    expect(stay).to_contain_text("Thank you for your review.")
    expect(stay.get_by_role("button", name="Review your stay")).to_have_count(0)
    guest.close()


@pytest.mark.timeout(60)
def test_front_desk_books_a_room_for_a_guest(chromium: Browser, live_server: str) -> None:
    check_in = date.today() + timedelta(days=40)
    desk = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = desk.new_page()
    _sign_in(page, live_server, FRONT_DESK)
    page.get_by_role("link", name="New booking").click()
    page.get_by_label("Find the guest").fill("victor")
    page.get_by_role("listitem").filter(has_text="vip@premier.test").get_by_role(
        "button", name="Choose"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Book for Victor Vip")

    reference = _book_first_room(page, check_in)

    page.get_by_role("link", name="See all bookings").click()
    row = page.locator(f'[data-testid="booking-row"][data-reference="{reference}"]')
    expect(row).to_contain_text("Victor Vip")
    desk.close()


@pytest.mark.timeout(90)
def test_the_guest_is_notified_of_a_desk_booking_and_the_manager_sees_the_email(
    chromium: Browser, live_server: str, screenshot_dir: Path | None
) -> None:
    guest = chromium.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = guest.new_page()
    _sign_in(page, live_server, "vip@premier.test")
    bell = page.get_by_role("button", name=re.compile("^Notifications"))
    bell.click()
    panel = page.get_by_role("region", name="Notifications")
    expect(panel.get_by_role("strong").first).to_have_text("Notifications")
    mark_all = panel.get_by_role("button", name="Mark all read")
    if mark_all.count():
        mark_all.click()
    expect(page.get_by_test_id("unread-count")).to_have_count(0)

    # The front desk books a stay for the guest: the guest hears of it in the app and by email.
    check_in = date.today() + timedelta(days=50)
    desk = chromium.new_context(viewport={"width": 1280, "height": 900})
    staff = desk.new_page()
    _sign_in(staff, live_server, FRONT_DESK)
    staff.get_by_role("link", name="New booking").click()
    staff.get_by_label("Find the guest").fill("victor")
    staff.get_by_role("listitem").filter(has_text="vip@premier.test").get_by_role(
        "button", name="Choose"
    ).click()
    _book_first_room(staff, check_in)
    expect(staff.get_by_test_id("booking-reference")).to_be_visible()
    desk.close()

    page.reload()
    expect(page.get_by_test_id("unread-count")).to_have_text(re.compile(r"^[1-9]"))
    page.get_by_role("button", name=re.compile("^Notifications")).click()
    expect(page.get_by_test_id("notification").first).to_be_visible()
    _shot(page, screenshot_dir, "guest-notifications-phone")
    page.get_by_role("region", name="Notifications").get_by_role(
        "button", name="Mark all read"
    ).click()
    expect(page.get_by_test_id("unread-count")).to_have_count(0)
    guest.close()

    for name, viewport in (("desktop", (1280, 900)), ("phone", (390, 844))):
        manager = chromium.new_context(
            viewport={"width": viewport[0], "height": viewport[1]}, is_mobile=name == "phone"
        )
        office = manager.new_page()
        _sign_in(office, live_server, "manager@premier.test")
        office.get_by_role("link", name="Email & SMS").click()
        expect(office.get_by_role("heading", level=1)).to_have_text("Email & SMS")
        office.get_by_label("Recipient").fill("vip@premier.test")
        rows = office.get_by_test_id("email-row")
        expect(rows.first).to_contain_text("vip@premier.test")
        _shot(office, screenshot_dir, f"manager-messages-{name}")
        office.get_by_role("link", name="Messaging stats").click()
        expect(office.get_by_role("region", name="Email")).to_contain_text("Delivery rate")
        expect(office.get_by_role("img").first).to_be_visible()
        _shot(office, screenshot_dir, f"manager-messaging-stats-{name}")
        manager.close()


def _guest_bookings_from(base_url: str, check_in: date) -> list[str]:
    with httpx.Client(base_url=base_url) as http:
        login = http.post("/api/v1/auth/login", json={"email": GUEST, "password": DEMO_PASSWORD})
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        page = http.get("/api/v1/bookings", params={"limit": 100}, headers=headers).json()
        return [b["reference"] for b in page["items"] if b["check_in"] == str(check_in)]


@pytest.mark.timeout(90)
def test_a_double_click_on_confirm_books_once(chromium: Browser, live_server: str) -> None:
    check_in = date.today() + timedelta(days=55)
    phone = chromium.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
    page = phone.new_page()
    _sign_in(page, live_server, GUEST)
    page.get_by_label("Check-in").fill(check_in.isoformat())
    page.get_by_label("Check-out").fill((check_in + timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Search").click()
    option = page.get_by_test_id("room-option").first
    option.get_by_role("button", name="Book this room").click()
    option.get_by_role("button", name=re.compile("Confirm booking")).dblclick()

    reference = page.get_by_test_id("booking-reference").inner_text().strip()
    # Booked: the rooms are no longer offered for another click.
    expect(page.get_by_test_id("room-option")).to_have_count(0)
    assert _guest_bookings_from(live_server, check_in) == [reference]
    phone.close()
