"""Imports every domain's tables so that the metadata (and Alembic) sees all of them."""

from premier.announcements.models import Announcement, AnnouncementRecipient
from premier.audit.models import AuditEntry
from premier.auth.models import AuthAttempt, PasswordResetToken, RefreshToken
from premier.bookings.models import Booking
from premier.db import Base
from premier.email.models import CapturedEmail, EmailEvent, EmailQueue, WebhookToken
from premier.events.models import OutboxEvent
from premier.folio.models import CheckoutOverride, FolioCharge
from premier.guests.models import GuestNote, GuestPreferences
from premier.http.models import IdempotentRequest
from premier.messaging.models import (
    CannedReply,
    Conversation,
    ConversationParticipant,
    Message,
    MessageAttachment,
)
from premier.notifications.models import (
    DeliveryLog,
    Notification,
    NotificationGroup,
    NotificationGroupMember,
    NotificationPreference,
    NotificationTemplate,
    Suppression,
)
from premier.orders.models import MenuItem, Order, OrderItem
from premier.payments.models import Payment, PaymentEventRecord, PaymentRefund, PaymentRequest
from premier.push.models import PushQueue, PushSubscription
from premier.realtime.models import RealtimeEvent
from premier.reviews.models import Review
from premier.rooms.models import InventoryVersion, Room, RoomRate, RoomType
from premier.service_requests.models import ServiceRequest
from premier.sms.models import PhoneVerification, SmsQueue
from premier.uploads.models import Upload
from premier.users.models import User

__all__ = [
    "Announcement",
    "AnnouncementRecipient",
    "AuditEntry",
    "AuthAttempt",
    "Base",
    "Booking",
    "CannedReply",
    "CapturedEmail",
    "CheckoutOverride",
    "Conversation",
    "ConversationParticipant",
    "DeliveryLog",
    "EmailEvent",
    "EmailQueue",
    "FolioCharge",
    "GuestNote",
    "GuestPreferences",
    "IdempotentRequest",
    "InventoryVersion",
    "MenuItem",
    "Message",
    "MessageAttachment",
    "Notification",
    "NotificationGroup",
    "NotificationGroupMember",
    "NotificationPreference",
    "NotificationTemplate",
    "Order",
    "OrderItem",
    "OutboxEvent",
    "PasswordResetToken",
    "Payment",
    "PaymentEventRecord",
    "PaymentRefund",
    "PaymentRequest",
    "PhoneVerification",
    "PushQueue",
    "PushSubscription",
    "RealtimeEvent",
    "RefreshToken",
    "Review",
    "Room",
    "RoomRate",
    "RoomType",
    "ServiceRequest",
    "SmsQueue",
    "Suppression",
    "Upload",
    "User",
    "WebhookToken",
]
