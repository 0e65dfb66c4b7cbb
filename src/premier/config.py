"""Typed settings, read from `PREMIER_*` environment variables and `.env`."""

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from premier.delivery.names import current_names
from premier.payments.settings import PaymentSettings
from premier.sms.settings import SmsSettings
from premier.storage.settings import StorageSettings

DEVELOPMENT_SECRET = "development-only-secret-change-me-0123456789"  # noqa: S105


def async_database_url(url: str) -> str:
    for plain, driver in (
        ("postgresql://", "postgresql+asyncpg://"),
        ("postgres://", "postgresql+asyncpg://"),
        ("sqlite://", "sqlite+aiosqlite://"),
    ):
        if url.startswith(plain):
            return driver + url.removeprefix(plain)
    return url


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PREMIER_", env_file=".env", extra="ignore")

    # Production unless told otherwise: `make run` sets development, the tests set test.
    environment: Literal["development", "test", "production"] = "production"
    # /docs, /redoc and /openapi.json; unset means on in development and test, off in
    # production (the OpenAPI document is still built in-process for `make api-types`).
    api_docs: bool | None = None
    database_url: str = "sqlite+aiosqlite:///var/premier.db"
    redis_url: str | None = None
    secret_key: str = DEVELOPMENT_SECRET
    access_token_minutes: int = Field(default=30, ge=1)
    refresh_token_days: int = Field(default=14, ge=1)
    # How long a signed-in user's role is trusted before it is read again (0 disables).
    auth_cache_seconds: float = Field(default=5.0, ge=0)
    # Failed sign-ins slow further attempts (premier.auth.throttle says how); none locks.
    login_throttle_window_minutes: int = Field(default=15, ge=1)
    login_free_failures: int = Field(default=5, ge=1)  # per account and client address
    login_address_free_failures: int = Field(default=20, ge=1)  # per client address
    login_account_free_failures: int = Field(default=50, ge=1)  # per account, every address
    login_max_delay_seconds: int = Field(default=300, ge=1)
    login_account_max_delay_seconds: int = Field(default=30, ge=1)
    register_per_address_per_hour: int = Field(default=10, ge=1)
    password_forgot_per_address_per_hour: int = Field(default=10, ge=1)
    # Argon2 hashes at once (each on a worker thread, off the event loop).
    password_hash_concurrency: int = Field(default=2, ge=1, le=64)

    hotel_name: str = "Premier Hotel"
    hotel_timezone: str = "Africa/Nairobi"
    hotel_currency: str = "KES"
    hotel_address: str = "1 Lakeside Drive, Nairobi"
    public_base_url: str = "http://127.0.0.1:8000"

    # Bookings a guest makes hold rooms before anyone has confirmed them: a guest may have
    # this many unconfirmed at once (0: no cap), and an unconfirmed booking is cancelled,
    # giving its room back, this long after it was made. The workers look every interval.
    booking_max_pending_per_guest: int = Field(default=3, ge=0)
    booking_hold_hours: float = Field(default=24.0, gt=0)
    booking_expiry_interval_seconds: float = Field(default=60.0, gt=0)

    # Demo accounts share a published password: `make run` turns this on, production refuses it.
    seed_demo_data: bool = False
    run_workers_in_process: bool = True
    static_dir: Path = Path(__file__).parent / "static"
    cors_origins: list[str] = []
    # Request bodies are refused past these sizes before they are read (413).
    max_body_bytes: int = Field(default=1_000_000, ge=1024)
    max_webhook_body_bytes: int = Field(default=256_000, ge=1024)
    # Strict-Transport-Security max-age, sent only on HTTPS (0 sends none).
    hsts_seconds: int = Field(default=31_536_000, ge=0)
    sms: SmsSettings = Field(default_factory=SmsSettings)  # PREMIER_SMS_* variables
    storage: StorageSettings = Field(default_factory=StorageSettings)  # PREMIER_STORAGE_*
    payments: PaymentSettings = Field(default_factory=PaymentSettings)  # PREMIER_PAYMENTS_*

    # Branding used by every email and notification template.
    hotel_logo_url: str | None = None
    hotel_brand_color: str = Field(default="#1f4e79", pattern=r"^#[0-9a-fA-F]{6}$")
    hotel_support_email: str = "frontdesk@premier.test"

    # Email: an ordered list of providers; the next one takes over while one is failing.
    email_providers: Annotated[list[str], NoDecode] = ["capture"]
    email_from_address: str = "no-reply@premier.test"
    email_from_name: str = "Premier Hotel"
    email_max_attempts: int = Field(default=6, ge=1, le=50)
    email_retry_base_seconds: float = Field(default=30.0, gt=0)
    email_retry_max_seconds: float = Field(default=3600.0, gt=0)
    email_lease_seconds: int = Field(default=120, ge=5)
    email_batch_size: int = Field(default=50, ge=1, le=1000)
    email_send_concurrency: int = Field(default=16, ge=1, le=256)
    email_send_rate_per_hour: int = Field(default=200, ge=1)
    email_provider_timeout_seconds: float = Field(default=10.0, gt=0)
    breaker_failure_threshold: int = Field(default=5, ge=1)
    breaker_open_seconds: float = Field(default=30.0, gt=0)
    password_reset_minutes: int = Field(default=30, ge=5, le=1440)

    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_security: Literal["none", "starttls", "tls"] = "none"
    smtp_pool_size: int = Field(default=8, ge=1, le=64)
    dkim_private_key: str | None = None  # PEM; signs SMTP mail when set with the two below
    dkim_selector: str | None = None
    dkim_domain: str | None = None

    sendgrid_api_key: str | None = None
    sendgrid_base_url: str = "https://api.sendgrid.com"
    sendgrid_webhook_public_key: str | None = None  # base64 DER ECDSA key from SendGrid
    mailgun_api_key: str | None = None
    mailgun_domain: str | None = None
    mailgun_base_url: str = "https://api.mailgun.net"
    mailgun_webhook_signing_key: str | None = None
    ses_region: str = "eu-west-1"
    ses_access_key_id: str | None = None
    ses_secret_access_key: str | None = None
    ses_base_url: str | None = None  # defaults to https://email.{region}.amazonaws.com
    # SNS signing certificates are fetched only from URLs matching this whole pattern: SNS's
    # own certificate path, in the region of the message's topic (the named group).
    sns_certificate_url_pattern: str = (
        r"https://sns\.(?P<region>[a-z]{2}(-gov)?-[a-z]+-[0-9])\.amazonaws\.com(\.cn)?"
        r"/SimpleNotificationService-[0-9a-f]+\.pem"
    )
    # SES notifications are accepted, and subscriptions confirmed, from these topics only.
    ses_webhook_topic_arns: Annotated[list[str], NoDecode] = []
    # Mailgun signs timestamp + token only: a token is accepted once, within this age.
    mailgun_webhook_max_age_seconds: int = Field(default=900, ge=60, le=86_400)

    @field_validator(
        "email_providers", "ses_webhook_topic_arns", "push_service_hosts", mode="before"
    )
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("email_providers")
    @classmethod
    def _known_providers(cls, value: list[str]) -> list[str]:
        value = current_names(value, setting="PREMIER_EMAIL_PROVIDERS")
        known = {"capture", "smtp", "sendgrid", "mailgun", "ses"}
        unknown = [name for name in value if name not in known]
        if unknown or not value:
            raise ValueError(f"email providers must be some of {sorted(known)}, got {value}")
        return value

    # Web Push (VAPID, RFC 8292): the hotel's P-256 key, PEM or base64url; in development one
    # is generated once into the key file when none is set.
    push_vapid_private_key: SecretStr | None = None
    push_vapid_key_file: Path = Path("var/vapid-private.pem")
    push_vapid_subject: str | None = None  # mailto: or https:; the support address by default
    push_ttl_seconds: int = Field(default=86_400, ge=0, le=2_419_200)
    push_timeout_seconds: float = Field(default=10.0, gt=0)
    push_retry_base_seconds: float = Field(default=30.0, gt=0)
    push_retry_max_seconds: float = Field(default=3600.0, gt=0)
    push_max_attempts: int = Field(default=6, ge=1, le=50)
    # Hosts (or parent domains) a subscription's endpoint may name in production: the
    # browsers' push services. Elsewhere any http(s) endpoint is taken (local fakes).
    push_service_hosts: Annotated[list[str], NoDecode] = [
        "fcm.googleapis.com",
        "updates.push.services.mozilla.com",
        "push.apple.com",
        "notify.windows.com",
    ]

    # Messaging: how many messages one sender may send a minute (429 past it), and how many
    # open conversations automatic assignment gives one agent before passing them by.
    messaging_sender_per_minute: int = Field(default=30, ge=1)
    messaging_agent_open_cap: int = Field(default=10, ge=1)
    # A participant who has not read a message this long after it came is notified
    # (`message.received`), at most once a conversation per quiet period.
    messaging_notify_after_seconds: int = Field(default=60, ge=0)
    messaging_notify_quiet_minutes: int = Field(default=5, ge=0)

    # How often the workers look for announcements that fell due.
    announcement_poll_seconds: float = Field(default=5.0, gt=0)

    # Realtime (WebSocket) hub: resume history, liveness and backpressure.
    redis_prefix: str = "premier"
    realtime_history_seconds: int = Field(default=3600, ge=1)
    realtime_history_max_events: int = Field(default=1000, ge=10)
    realtime_ping_seconds: float = Field(default=20, gt=0)
    realtime_idle_timeout_seconds: float = Field(default=60, gt=0)
    realtime_send_queue: int = Field(default=1024, ge=8)
    # How often an open socket re-reads its user: a change made on another instance (role,
    # deactivation, password reset) closes it within this time; this instance closes at once.
    realtime_recheck_seconds: float = Field(default=30, gt=0)
    # A staff member whose last socket closed shows offline this much later (a reload is
    # not a departure).
    realtime_presence_grace_seconds: float = Field(default=3.0, ge=0)

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, url: str) -> str:
        """Accept plain `postgresql://` and `sqlite:///` URLs and pick the async driver."""
        return async_database_url(url)

    @model_validator(mode="after")
    def _refuse_default_secret_in_production(self) -> "Settings":
        if self.environment == "production" and self.secret_key == DEVELOPMENT_SECRET:
            raise ValueError(
                "PREMIER_SECRET_KEY must be set to a secret of your own in production "
                "(or set PREMIER_ENVIRONMENT=development to try the app locally)"
            )
        if self.environment == "production" and self.seed_demo_data:
            raise ValueError(
                "PREMIER_SEED_DEMO_DATA creates accounts with a published password: "
                "not allowed in production"
            )
        if len(self.secret_key) < 32:
            raise ValueError("PREMIER_SECRET_KEY must be at least 32 characters")
        return self

    @property
    def docs_enabled(self) -> bool:
        return self.api_docs if self.api_docs is not None else self.environment != "production"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def explain_invalid_settings(exc: ValidationError) -> str:
    """One line per problem, naming the setting: what an operator needs, not a traceback."""
    lines = ["premier: refusing to start with these settings:"]
    for problem in exc.errors():
        where = ".".join(str(part) for part in problem["loc"])
        message = str(problem["msg"]).removeprefix("Value error, ")
        lines.append(f"  {where + ': ' if where else ''}{message}")
    return "\n".join(lines)


@lru_cache
def get_settings() -> Settings:
    return Settings()
