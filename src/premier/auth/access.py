"""Who may do what: every access rule of the API, in one table, decided by one function.

RULES maps a permission, a (resource, action) pair, to the seats that hold it and how far
each one reaches. A seat is a guest, a staff member of one department, a manager or an
admin; a staff member's seat is their department, so a rule reads as role x department.
A seat that a rule does not name is refused (403), and so is a route that names no rule:
deny by default.

How far a grant reaches is its Scope:

- ALL: every row.
- OWN: the actor's own rows: a guest's bookings, orders and requests; anyone's inbox.
- DEPARTMENT: rows the actor's department handles, or that are assigned to the actor.
- COLLEAGUES: for the user directory, the hotel's staff accounts and not its guests.

Where it is enforced:

- Every route names its permission with `@access("order", "read")` under its route
  decorator. One app-wide dependency (premier.auth.dependencies.authorize) reads it, answers
  401 to an anonymous caller and 403 to a seat the rule does not name, before the handler
  or its body is looked at. The WebSocket authenticates in its first frame, so the socket
  asks `check()` itself once it knows who is there.
- Services apply the scope to what they read and change through `scope_of()` and
  `reaches()`, which read this same table: a guest's list is filtered to their own rows
  because the table says OWN, not because the service knows what a guest is.

Adding a route: put `@access("<resource>", "<action>")` between its route decorator and its
function. If no rule has that pair yet, add one line to RULES below, for example
`("minibar", "read"): rule(guest=OWN, housekeeping=ALL, management=ALL),`, or
`("minibar", "price"): PUBLIC,` for an endpoint anyone may call. tests/auth/
test_access_matrix.py then calls the route as every seat and checks the answer against
the table; a route without a rule fails it by name, and so does a rule no route uses.

Choices worth knowing:

- Orders: the kitchen makes them and the front desk bills them, so both read every order;
  housekeeping, maintenance and the concierge have no business with them.
- Service requests: each department sees the kinds it answers (and anything assigned to
  one of its people); the front desk routes every request, so it sees them all.
- The user directory holds guests' emails and phones. The front desk and the concierge
  deal with guests by name and need them; the other departments only look up colleagues
  (to hand a request over), so they see staff accounts only.
- Conversations: a department's staff answer its inbox together, so each of them reads
  every conversation in it, not only those assigned to them; guests never see notes.
- Bookings carry the guest's name and email too: the front desk and the concierge read
  them; the kitchen, housekeeping and maintenance work from room numbers.
- A booking's page shows each part only to who may read it anyway: its payments to who
  reads payments, its requests and conversations as far as those grants reach, and its
  history (the audit entries of the booking, its payments and requests) to the front desk
  and managers.
- Guest profiles and staff notes: the seats that read guests' contact details (the front
  desk, the concierge, managers) read and write them; a guest sees their own profile and
  preferences, never the notes.
- The room status board shows rooms and booking references, no guest names: the front
  desk, housekeeping and maintenance read it; housekeeping (and managers) mark rooms
  cleaned; only managers take rooms out of service.
"""

from collections.abc import Callable, Iterable, Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Final, TypeVar

from premier.auth.actor import Actor
from premier.kit.errors import PermissionDenied
from premier.users.models import Department, Role


class Scope(StrEnum):
    ALL = "all"
    OWN = "own"
    DEPARTMENT = "department"
    COLLEAGUES = "colleagues"


ALL, OWN, DEPARTMENT, COLLEAGUES = Scope.ALL, Scope.OWN, Scope.DEPARTMENT, Scope.COLLEAGUES

# The seats: the roles, with staff split by department.
GUEST = Role.GUEST.value
MANAGER = Role.MANAGER.value
ADMIN = Role.ADMIN.value
DEPARTMENTS: Final = tuple(d.value for d in Department)
SEATS: Final = (GUEST, *DEPARTMENTS, MANAGER, ADMIN)
# Names a rule may use for several seats at once.
GROUPS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {"staff": DEPARTMENTS, "management": (MANAGER, ADMIN), "everyone": SEATS}
)

Permission = tuple[str, str]
Rule = Mapping[str, Scope] | None
PUBLIC: Final[Rule] = None
"""Anyone, signed in or not: the endpoint checks what it needs itself (a signature, a
token in the link) or serves what the hotel publishes."""


def rule(**grants: Scope) -> Mapping[str, Scope]:
    """The seats holding a permission. `staff=`, `management=` and `everyone=` name several
    seats at once; a seat named on its own overrides its group."""
    granted: dict[str, Scope] = {}
    for name, scope in grants.items():
        if name in GROUPS:
            granted.update(dict.fromkeys(GROUPS[name], scope))
    for name, scope in grants.items():
        if name in GROUPS:
            continue
        if name not in SEATS:
            raise ValueError(f"no seat {name!r}; seats are {', '.join(SEATS)}")
        granted[name] = scope
    return MappingProxyType(granted)


RULES: Final[Mapping[Permission, Rule]] = MappingProxyType(
    {
        # The hotel's public face and signing in.
        ("health", "read"): PUBLIC,
        ("hotel", "read"): PUBLIC,
        ("web_ui", "read"): PUBLIC,
        ("account", "register"): PUBLIC,
        ("session", "sign_in"): PUBLIC,
        ("session", "refresh"): PUBLIC,
        ("session", "sign_out"): PUBLIC,
        ("password", "forgot"): PUBLIC,
        ("password", "reset"): PUBLIC,
        ("unsubscribe", "use_link"): PUBLIC,
        # Provider callbacks prove themselves with a signature or a secret in the URL.
        ("email_webhook", "deliver"): PUBLIC,
        ("sms_webhook", "deliver"): PUBLIC,
        ("payment_webhook", "deliver"): PUBLIC,
        # One's own account, inbox and live updates.
        ("profile", "read"): rule(everyone=OWN),
        ("profile", "update"): rule(everyone=OWN),
        ("phone", "verify"): rule(everyone=OWN),
        ("inbox", "read"): rule(everyone=OWN),
        ("inbox", "update"): rule(everyone=OWN),
        ("realtime", "connect"): rule(everyone=OWN),
        ("department_channel", "listen"): rule(staff=DEPARTMENT, management=ALL),
        ("role_channel", "listen"): rule(management=ALL),
        # Presence (premier.realtime.presence): anyone signed in may know whether a
        # department is online (a guest waiting for an answer); who is online, only its
        # own staff and managers.
        ("presence", "read"): rule(everyone=ALL),
        ("presence", "list_staff"): rule(staff=DEPARTMENT, management=ALL),
        # The user directory.
        ("user", "read"): rule(staff=COLLEAGUES, front_desk=ALL, concierge=ALL, management=ALL),
        # Managers create and change staff accounts; only admins touch managers' and
        # admins' (premier.users.service.check_may_manage).
        ("user", "create"): rule(management=ALL),
        ("user", "update"): rule(management=ALL),
        ("user", "reset_password"): rule(management=ALL),
        # Rooms: what is for sale is public; the rooms themselves are for staff.
        ("room_type", "read"): PUBLIC,
        ("room_type", "write"): rule(management=ALL),
        ("room_type", "manage"): rule(management=ALL),
        ("room", "read"): rule(staff=ALL, management=ALL),
        ("room", "write"): rule(management=ALL),
        # The room status board: the desk gives out ready rooms, housekeeping cleans them,
        # maintenance sees what is out of service; managers take rooms out of service.
        ("room_status", "read"): rule(
            front_desk=ALL, housekeeping=ALL, maintenance=ALL, management=ALL
        ),
        ("room_status", "clean"): rule(housekeeping=ALL, management=ALL),
        ("room_status", "set_out_of_service"): rule(management=ALL),
        # Bookings.
        ("booking", "create"): rule(guest=OWN, front_desk=ALL, management=ALL),
        ("booking", "read"): rule(guest=OWN, front_desk=ALL, concierge=ALL, management=ALL),
        ("booking", "cancel"): rule(guest=OWN, front_desk=ALL, management=ALL),
        ("booking", "move"): rule(front_desk=ALL, management=ALL),
        # Changes to a stay, each re-priced (premier.bookings.stay).
        ("booking", "change_room"): rule(front_desk=ALL, management=ALL),
        ("booking", "extend"): rule(front_desk=ALL, management=ALL),
        ("booking", "depart_early"): rule(front_desk=ALL, management=ALL),
        ("booking", "no_show"): rule(front_desk=ALL, management=ALL),
        # Room service.
        ("menu", "read"): PUBLIC,
        ("menu", "write"): rule(kitchen=ALL, management=ALL),
        # Guests order to their own room; the desk and the kitchen take orders by phone.
        ("order", "create"): rule(guest=OWN, front_desk=ALL, kitchen=ALL, management=ALL),
        ("order", "read"): rule(guest=OWN, kitchen=ALL, front_desk=ALL, management=ALL),
        ("order", "update"): rule(guest=OWN, kitchen=ALL, management=ALL),
        # Payments.
        ("payment", "read"): rule(guest=OWN, front_desk=ALL, management=ALL),
        ("payment", "create"): rule(guest=OWN, front_desk=ALL, management=ALL),
        ("payment", "refresh"): rule(guest=OWN, front_desk=ALL, management=ALL),
        ("payment", "record_cash"): rule(front_desk=ALL, management=ALL),
        ("payment", "refund"): rule(management=ALL),
        # Striking out a mistaken cash payment is a manager's call, never the clerk's own.
        ("payment", "void"): rule(management=ALL),
        # A stay's folio (its running bill): the guest reads their own; the front desk posts
        # charges (minibar, laundry ...); striking one out, or letting a guest check out
        # with money still owed, is a manager's call.
        ("folio", "read"): rule(guest=OWN, front_desk=ALL, management=ALL),
        ("folio", "post_charge"): rule(front_desk=ALL, management=ALL),
        ("folio", "void_charge"): rule(management=ALL),
        ("folio", "override_checkout"): rule(management=ALL),
        # Service requests.
        ("service_request", "create"): rule(guest=OWN),
        ("service_request", "read"): rule(
            guest=OWN, staff=DEPARTMENT, front_desk=ALL, management=ALL
        ),
        ("service_request", "assign"): rule(staff=DEPARTMENT, front_desk=ALL, management=ALL),
        ("service_request", "update"): rule(
            guest=OWN, staff=DEPARTMENT, front_desk=ALL, management=ALL
        ),
        # Reviews: guests write about their stays; the whole staff may read what they say.
        ("review", "create"): rule(guest=OWN),
        ("review", "read"): rule(guest=OWN, staff=ALL, management=ALL),
        ("review", "reply"): rule(management=ALL),
        # Guests the desk books for without an account of their own (walk-ins, calls).
        ("guest_profile", "create"): rule(front_desk=ALL, management=ALL),
        # Guest profiles (premier.guests): contact details, preferences and stays. A guest
        # reads and edits their own (another's id is 'not found'); the seats that deal with
        # guests by name read and edit all. Staff notes about a guest are for those seats
        # only: no guest reads them, not even their own.
        ("guest", "search"): rule(front_desk=ALL, concierge=ALL, management=ALL),
        ("guest", "read"): rule(guest=OWN, front_desk=ALL, concierge=ALL, management=ALL),
        ("guest_preferences", "update"): rule(
            guest=OWN, front_desk=ALL, concierge=ALL, management=ALL
        ),
        ("guest_note", "read"): rule(front_desk=ALL, concierge=ALL, management=ALL),
        ("guest_note", "write"): rule(front_desk=ALL, concierge=ALL, management=ALL),
        # Who changed what: managers read the whole trail. The front desk reads one
        # booking's part of it (its check-in, moves, payments...) on the booking's page,
        # since it runs every stay; no one else sees who did what.
        ("audit", "read"): rule(management=ALL),
        ("booking_history", "read"): rule(front_desk=ALL, management=ALL),
        # Notification templates and groups.
        ("notification_template", "read"): rule(management=ALL),
        ("notification_template", "write"): rule(admin=ALL),
        ("notification_group", "manage"): rule(management=ALL),
        # Email and SMS.
        ("email", "send"): rule(staff=ALL, management=ALL),
        ("email", "send_template"): rule(management=ALL),
        # Hand-written mail and SMS: other staff write only to guests they serve (with a
        # current or upcoming booking); these seats write to any address.
        ("message", "write_to_anyone"): rule(management=ALL),
        ("email_queue", "read"): rule(management=ALL),
        ("email_queue", "manage"): rule(management=ALL),
        ("sms", "send"): rule(staff=ALL, management=ALL),
        ("sms", "emergency"): rule(management=ALL),
        ("sms_queue", "read"): rule(management=ALL),
        ("sms_queue", "manage"): rule(management=ALL),
        # Uploads: what each purpose allows is in premier.uploads.service (PURPOSES). The
        # staff see private uploads (avatars, message attachments, review photos) of
        # others; receipts only who reads payments. Signed file links carry their own proof.
        ("upload", "create"): rule(everyone=OWN),
        ("upload", "read"): rule(everyone=OWN, staff=ALL, management=ALL),
        ("upload", "delete"): rule(everyone=OWN, management=ALL),
        ("upload_file", "read"): PUBLIC,
        # Announcements: the management writes them and sees every one; everyone reads and
        # acknowledges those sent to them.
        ("announcement", "write"): rule(management=ALL),
        ("announcement", "read"): rule(everyone=OWN, management=ALL),
        ("announcement", "acknowledge"): rule(everyone=OWN),
        ("announcement", "track"): rule(management=ALL),
        # Messaging (premier.messaging): a guest reads and writes their own conversations;
        # staff their department's inbox (and any conversation they take part in, which the
        # service adds to this reach); the management all of them. Internal notes are for
        # whoever holds write_note, never guests. Staff start chats with colleagues.
        ("conversation", "create"): rule(guest=OWN, staff=OWN, management=OWN),
        ("conversation", "read"): rule(guest=OWN, staff=DEPARTMENT, management=ALL),
        ("conversation", "send"): rule(guest=OWN, staff=DEPARTMENT, management=ALL),
        ("conversation", "write_note"): rule(staff=DEPARTMENT, management=ALL),
        ("conversation", "assign"): rule(staff=DEPARTMENT, management=ALL),
        ("conversation", "update"): rule(guest=OWN, staff=DEPARTMENT, management=ALL),
        ("canned_reply", "read"): rule(staff=DEPARTMENT, management=ALL),
        ("canned_reply", "write"): rule(management=ALL),
        # Web Push: the public key is public; anyone signed in manages their own devices.
        ("push", "public_key"): PUBLIC,
        ("push_subscription", "manage"): rule(everyone=OWN),
    }
)


def seat_of(actor: Actor) -> str:
    """The seat an actor holds: staff sit in their department; a staff account without
    one holds no seat, and so no permission."""
    if actor.role == Role.STAFF:
        return actor.department.value if actor.department else ""
    return actor.role.value


def is_public(permission: Permission) -> bool:
    return _rule(permission) is PUBLIC


def grant_of(actor: Actor, resource: str, action: str) -> Scope | None:
    """How far the actor's grant of this permission reaches, or None without one."""
    granted = _rule((resource, action))
    if granted is None:  # PUBLIC
        return ALL
    return granted.get(seat_of(actor))


def scope_of(actor: Actor, resource: str, action: str) -> Scope:
    """The actor's reach for this permission; PermissionDenied without one."""
    scope = grant_of(actor, resource, action)
    if scope is None:
        seat = seat_of(actor) or "staff without a department"
        raise PermissionDenied(
            f"{seat.replace('_', ' ')} may not {action.replace('_', ' ')} "
            f"{resource.replace('_', ' ')}s",
            details={"resource": resource, "action": action, "seat": seat},
        )
    return scope


def check(actor: Actor, resource: str, action: str) -> None:
    scope_of(actor, resource, action)


def allows(actor: Actor, resource: str, action: str) -> bool:
    return grant_of(actor, resource, action) is not None


def reaches(
    actor: Actor,
    resource: str,
    action: str,
    *,
    owner_id: int | None = None,
    departments: Iterable[Department] = (),
    assignee_id: int | None = None,
) -> bool:
    """Whether the actor's grant covers one row: owned by `owner_id`, handled by
    `departments`, assigned to `assignee_id`."""
    scope = grant_of(actor, resource, action)
    if scope is None:
        return False
    if scope is ALL:
        return True
    if scope is OWN:
        return owner_id == actor.id
    if scope is DEPARTMENT:
        return assignee_id == actor.id or actor.department in tuple(departments)
    return False


def handled_departments(actor: Actor, resource: str, action: str) -> tuple[Department, ...]:
    """The departments whose rows a DEPARTMENT grant reaches: the actor's own."""
    scope = grant_of(actor, resource, action)
    if scope is DEPARTMENT and actor.department is not None:
        return (actor.department,)
    return ()


def _rule(permission: Permission) -> Rule:
    try:
        return RULES[permission]
    except KeyError:
        raise LookupError(
            f"no access rule for {permission}: add one to RULES in premier.auth.access"
        ) from None


# --- declaring a route's permission -----------------------------------------------------

DECLARED = "__access__"
Endpoint = TypeVar("Endpoint", bound=Callable[..., object])


def access(resource: str, action: str) -> Callable[[Endpoint], Endpoint]:
    """Mark a route's function with the permission it needs. An unknown pair fails at
    import, so a typo never ships as an open (or closed) route."""
    permission = (resource, action)
    _rule(permission)

    def declare(endpoint: Endpoint) -> Endpoint:
        setattr(endpoint, DECLARED, permission)
        return endpoint

    return declare


def declared(endpoint: object) -> Permission | None:
    """The permission a route's function declared, if it did."""
    permission = getattr(endpoint, DECLARED, None)
    return permission if isinstance(permission, tuple) else None
