"""Built-in templates, English and Swahili, for every event in the catalog.

Each has a `subject` (email subject, in-app title), a `short` text (in-app body and SMS),
and the email's `text` and `html` parts. The HTML is a fragment: the branded layout in
`render.py` wraps it. An admin's saved template for the same event, channel and locale
takes precedence.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class BuiltinTemplate:
    subject: str
    short: str
    text: str
    html: str


T = BuiltinTemplate
LOCALES = ("en", "sw")

BUILTIN: dict[tuple[str, str], BuiltinTemplate] = {
    ("booking.created", "en"): T(
        "Your booking {{ booking.reference }} is confirmed",
        "Booking {{ booking.reference }}: room {{ booking.room_number }}, "
        "{{ booking.check_in | day }} to {{ booking.check_out | day }}.",
        "Dear {{ recipient.name }},\n\nThank you for booking with {{ hotel.name }}.\n\n"
        "Reference: {{ booking.reference }}\nRoom: {{ booking.room_number }}\n"
        "Check-in: {{ booking.check_in | day }}\nCheck-out: {{ booking.check_out | day }}\n"
        "{% if booking.total %}Total: {{ booking.total }}\n{% endif %}\n"
        "The attached calendar file adds your stay to your calendar.\n",
        "<h1>Your booking is confirmed</h1><p>Dear {{ recipient.name }},</p>"
        "<p>Thank you for booking with {{ hotel.name }}.</p><table class='facts'>"
        "<tr><th>Reference</th><td>{{ booking.reference }}</td></tr>"
        "<tr><th>Room</th><td>{{ booking.room_number }}</td></tr>"
        "<tr><th>Check-in</th><td>{{ booking.check_in | day }}</td></tr>"
        "<tr><th>Check-out</th><td>{{ booking.check_out | day }}</td></tr>"
        "{% if booking.total %}<tr><th>Total</th><td>{{ booking.total }}</td></tr>{% endif %}"
        "</table><p>The attached calendar file adds your stay to your calendar.</p>",
    ),
    ("booking.created", "sw"): T(
        "Uhifadhi wako {{ booking.reference }} umethibitishwa",
        "Uhifadhi {{ booking.reference }}: chumba {{ booking.room_number }}, "
        "{{ booking.check_in | day }} hadi {{ booking.check_out | day }}.",
        "Mpendwa {{ recipient.name }},\n\nAsante kwa kuhifadhi na {{ hotel.name }}.\n\n"
        "Namba ya uhifadhi: {{ booking.reference }}\nChumba: {{ booking.room_number }}\n"
        "Kuingia: {{ booking.check_in | day }}\nKutoka: {{ booking.check_out | day }}\n"
        "{% if booking.total %}Jumla: {{ booking.total }}\n{% endif %}\n"
        "Faili ya kalenda iliyoambatishwa inaongeza ukaaji wako kwenye kalenda yako.\n",
        "<h1>Uhifadhi wako umethibitishwa</h1><p>Mpendwa {{ recipient.name }},</p>"
        "<p>Asante kwa kuhifadhi na {{ hotel.name }}.</p><table class='facts'>"
        "<tr><th>Namba</th><td>{{ booking.reference }}</td></tr>"
        "<tr><th>Chumba</th><td>{{ booking.room_number }}</td></tr>"
        "<tr><th>Kuingia</th><td>{{ booking.check_in | day }}</td></tr>"
        "<tr><th>Kutoka</th><td>{{ booking.check_out | day }}</td></tr>"
        "{% if booking.total %}<tr><th>Jumla</th><td>{{ booking.total }}</td></tr>{% endif %}"
        "</table><p>Faili ya kalenda iliyoambatishwa inaongeza ukaaji wako kwenye kalenda "
        "yako.</p>",
    ),
    ("booking.received", "en"): T(
        "We received your booking {{ booking.reference }}",
        "Booking {{ booking.reference }} received: {{ booking.check_in | day }} to "
        "{{ booking.check_out | day }}. We will confirm it shortly.",
        "Dear {{ recipient.name }},\n\nWe received your booking {{ booking.reference }} for "
        "{{ booking.check_in | day }} to {{ booking.check_out | day }}. "
        "We will confirm it shortly.\n",
        "<p>Dear {{ recipient.name }},</p><p>We received your booking "
        "<b>{{ booking.reference }}</b> for {{ booking.check_in | day }} to "
        "{{ booking.check_out | day }}. "
        "We will confirm it shortly.</p>",
    ),
    ("booking.received", "sw"): T(
        "Tumepokea uhifadhi wako {{ booking.reference }}",
        "Uhifadhi {{ booking.reference }} umepokelewa: {{ booking.check_in | day }} hadi "
        "{{ booking.check_out | day }}. Tutauthibitisha hivi karibuni.",
        "Mpendwa {{ recipient.name }},\n\nTumepokea uhifadhi wako {{ booking.reference }} wa "
        "{{ booking.check_in | day }} hadi {{ booking.check_out | day }}. "
        "Tutauthibitisha hivi karibuni.\n",
        "<p>Mpendwa {{ recipient.name }},</p><p>Tumepokea uhifadhi wako "
        "<b>{{ booking.reference }}</b> wa {{ booking.check_in | day }} hadi "
        "{{ booking.check_out | day }}. "
        "Tutauthibitisha hivi karibuni.</p>",
    ),
    ("booking.status_changed", "en"): T(
        "Booking {{ booking.reference }} is now {{ booking.status | label }}",
        "Booking {{ booking.reference }} is now {{ booking.status | label }}.",
        "Dear {{ recipient.name }},\n\nYour booking {{ booking.reference }} changed from "
        "{{ previous_status | label }} to {{ booking.status | label }}.\n",
        "<p>Dear {{ recipient.name }},</p><p>Your booking <b>{{ booking.reference }}</b> "
        "changed from {{ previous_status | label }} to <b>{{ booking.status | label }}</b>.</p>",
    ),
    ("booking.status_changed", "sw"): T(
        "Uhifadhi {{ booking.reference }}: {{ booking.status | label }}",
        "Uhifadhi {{ booking.reference }}: {{ booking.status | label }}.",
        "Mpendwa {{ recipient.name }},\n\nUhifadhi wako {{ booking.reference }} umebadilika "
        "kutoka {{ previous_status | label }} kuwa {{ booking.status | label }}.\n",
        "<p>Mpendwa {{ recipient.name }},</p><p>Uhifadhi wako <b>{{ booking.reference }}</b> "
        "umebadilika kutoka {{ previous_status | label }} kuwa "
        "<b>{{ booking.status | label }}</b>.</p>",
    ),
    ("order.created", "en"): T(
        "We received your order #{{ order.id }}",
        "Order #{{ order.id }} received: {{ order.total }}.",
        "Dear {{ recipient.name }},\n\nWe received your order #{{ order.id }} "
        "({{ order.total }}). We will let you know when it is on its way.\n",
        "<h1>Order received</h1><p>Dear {{ recipient.name }},</p><p>We received your order "
        "<b>#{{ order.id }}</b> ({{ order.total }}). We will let you know when it is on its "
        "way.</p>",
    ),
    ("order.created", "sw"): T(
        "Tumepokea oda yako #{{ order.id }}",
        "Oda #{{ order.id }} imepokelewa: {{ order.total }}.",
        "Mpendwa {{ recipient.name }},\n\nTumepokea oda yako #{{ order.id }} "
        "({{ order.total }}). Tutakujulisha ikiwa njiani.\n",
        "<h1>Oda imepokelewa</h1><p>Mpendwa {{ recipient.name }},</p><p>Tumepokea oda yako "
        "<b>#{{ order.id }}</b> ({{ order.total }}). Tutakujulisha ikiwa njiani.</p>",
    ),
    ("order.status_changed", "en"): T(
        "Your order #{{ order.id }} is {{ order.status | label }}",
        "Order #{{ order.id }} is {{ order.status | label }}.",
        "Dear {{ recipient.name }},\n\nYour order #{{ order.id }} is now "
        "{{ order.status | label }}.\n",
        "<p>Dear {{ recipient.name }},</p><p>Your order <b>#{{ order.id }}</b> is now "
        "<b>{{ order.status | label }}</b>.</p>",
    ),
    ("order.status_changed", "sw"): T(
        "Oda yako #{{ order.id }}: {{ order.status | label }}",
        "Oda #{{ order.id }}: {{ order.status | label }}.",
        "Mpendwa {{ recipient.name }},\n\nOda yako #{{ order.id }} sasa ni "
        "{{ order.status | label }}.\n",
        "<p>Mpendwa {{ recipient.name }},</p><p>Oda yako <b>#{{ order.id }}</b> sasa ni "
        "<b>{{ order.status | label }}</b>.</p>",
    ),
    ("payment.receipt", "en"): T(
        "Receipt for your payment of {{ payment.amount }}",
        "Payment of {{ payment.amount }} received. Thank you.",
        "Dear {{ recipient.name }},\n\nWe received your payment.\n\nAmount: {{ payment.amount }}"
        "\nMethod: {{ payment.method | label }}\nReceipt number: {{ payment.id }}\n"
        "{% if payment.tendered %}Cash tendered: {{ payment.tendered }}\n"
        "Change given: {{ payment.change }}\n{% endif %}"
        "{% if payment.booking %}For: booking {{ payment.booking }}\n{% endif %}"
        "{% if payment.order %}For: room-service order #{{ payment.order }}\n{% endif %}",
        "<h1>Payment receipt</h1><p>Dear {{ recipient.name }},</p><p>We received your payment."
        "</p><table class='facts'><tr><th>Amount</th><td>{{ payment.amount }}</td></tr>"
        "<tr><th>Method</th><td>{{ payment.method | label }}</td></tr>"
        "<tr><th>Receipt number</th><td>{{ payment.id }}</td></tr>"
        "{% if payment.tendered %}<tr><th>Cash tendered</th><td>{{ payment.tendered }}</td></tr>"
        "<tr><th>Change given</th><td>{{ payment.change }}</td></tr>{% endif %}"
        "{% if payment.booking %}<tr><th>For</th><td>Booking {{ payment.booking }}</td></tr>"
        "{% endif %}{% if payment.order %}<tr><th>For</th><td>Room-service order "
        "#{{ payment.order }}</td></tr>{% endif %}</table>",
    ),
    ("payment.receipt", "sw"): T(
        "Risiti ya malipo yako ya {{ payment.amount }}",
        "Malipo ya {{ payment.amount }} yamepokelewa. Asante.",
        "Mpendwa {{ recipient.name }},\n\nTumepokea malipo yako.\n\nKiasi: {{ payment.amount }}"
        "\nNjia: {{ payment.method | label }}\nNamba ya risiti: {{ payment.id }}\n"
        "{% if payment.tendered %}Pesa taslimu iliyotolewa: {{ payment.tendered }}\n"
        "Chenji: {{ payment.change }}\n{% endif %}"
        "{% if payment.booking %}Kwa: uhifadhi {{ payment.booking }}\n{% endif %}"
        "{% if payment.order %}Kwa: oda #{{ payment.order }}\n{% endif %}",
        "<h1>Risiti ya malipo</h1><p>Mpendwa {{ recipient.name }},</p><p>Tumepokea malipo "
        "yako.</p><table class='facts'><tr><th>Kiasi</th><td>{{ payment.amount }}</td></tr>"
        "<tr><th>Njia</th><td>{{ payment.method | label }}</td></tr>"
        "<tr><th>Namba ya risiti</th><td>{{ payment.id }}</td></tr>"
        "{% if payment.tendered %}<tr><th>Pesa taslimu iliyotolewa</th>"
        "<td>{{ payment.tendered }}</td></tr><tr><th>Chenji</th><td>{{ payment.change }}</td>"
        "</tr>{% endif %}"
        "{% if payment.booking %}<tr><th>Kwa</th><td>Uhifadhi {{ payment.booking }}</td></tr>"
        "{% endif %}{% if payment.order %}<tr><th>Kwa</th><td>Oda #{{ payment.order }}</td>"
        "</tr>{% endif %}</table>",
    ),
    ("payment.failed", "en"): T(
        "Your payment of {{ payment.amount }} did not go through",
        "Payment of {{ payment.amount }} failed. Please try again.",
        "Dear {{ recipient.name }},\n\nYour payment of {{ payment.amount }} by "
        "{{ payment.method | label }} did not go through. Please try again or contact us.\n",
        "<p>Dear {{ recipient.name }},</p><p>Your payment of <b>{{ payment.amount }}</b> by "
        "{{ payment.method | label }} did not go through. Please try again or contact us.</p>",
    ),
    ("payment.failed", "sw"): T(
        "Malipo yako ya {{ payment.amount }} hayakufanikiwa",
        "Malipo ya {{ payment.amount }} hayakufanikiwa. Tafadhali jaribu tena.",
        "Mpendwa {{ recipient.name }},\n\nMalipo yako ya {{ payment.amount }} kwa "
        "{{ payment.method | label }} hayakufanikiwa. Tafadhali jaribu tena au wasiliana nasi.\n",
        "<p>Mpendwa {{ recipient.name }},</p><p>Malipo yako ya <b>{{ payment.amount }}</b> kwa "
        "{{ payment.method | label }} hayakufanikiwa. Tafadhali jaribu tena au wasiliana nasi.</p>",
    ),
    ("review.created", "en"): T(
        "New {{ review.rating }}-star review",
        "{{ review.guest_name }} rated their stay {{ review.rating }}/5.",
        "A guest left a review.\n\nGuest: {{ review.guest_name }}\nRating: {{ review.rating }}/5"
        "\nComment: {{ review.comment }}\n",
        "<h1>New review</h1><p><b>{{ review.guest_name }}</b> rated their stay "
        "<b>{{ review.rating }}/5</b>.</p><blockquote>{{ review.comment }}</blockquote>",
    ),
    ("review.created", "sw"): T(
        "Tathmini mpya ya nyota {{ review.rating }}",
        "{{ review.guest_name }} ametathmini ukaaji wake {{ review.rating }}/5.",
        "Mgeni ameacha tathmini.\n\nMgeni: {{ review.guest_name }}\nAlama: {{ review.rating }}/5"
        "\nMaoni: {{ review.comment }}\n",
        "<h1>Tathmini mpya</h1><p><b>{{ review.guest_name }}</b> ametathmini ukaaji wake "
        "<b>{{ review.rating }}/5</b>.</p><blockquote>{{ review.comment }}</blockquote>",
    ),
    ("review.replied", "en"): T(
        "The hotel answered your review",
        "{{ review.reply }}",
        "The hotel answered your review of stay {{ review.booking }}:\n\n{{ review.reply }}\n",
        "<h1>The hotel answered your review</h1><p>Of your stay {{ review.booking }}:</p>"
        "<blockquote>{{ review.reply }}</blockquote>",
    ),
    ("review.replied", "sw"): T(
        "Hoteli imejibu tathmini yako",
        "{{ review.reply }}",
        "Hoteli imejibu tathmini yako ya ukaaji {{ review.booking }}:\n\n{{ review.reply }}\n",
        "<h1>Hoteli imejibu tathmini yako</h1><p>Ya ukaaji wako {{ review.booking }}:</p>"
        "<blockquote>{{ review.reply }}</blockquote>",
    ),
    ("service_request.assigned", "en"): T(
        "Request #{{ request.id }} assigned to you",
        "{{ request.kind | label }} request #{{ request.id }}"
        "{% if request.room_number %} for room {{ request.room_number }}{% endif %}.",
        "Request #{{ request.id }} ({{ request.kind | label }})"
        "{% if request.room_number %} for room {{ request.room_number }}{% endif %} "
        "is assigned to you.\n",
        "<p>Request <b>#{{ request.id }}</b> ({{ request.kind | label }})"
        "{% if request.room_number %} for room {{ request.room_number }}{% endif %} "
        "is assigned to you.</p>",
    ),
    ("service_request.assigned", "sw"): T(
        "Ombi #{{ request.id }} limekabidhiwa kwako",
        "Ombi la {{ request.kind | label }} #{{ request.id }}"
        "{% if request.room_number %} kwa chumba {{ request.room_number }}{% endif %}.",
        "Ombi #{{ request.id }} ({{ request.kind | label }})"
        "{% if request.room_number %} kwa chumba {{ request.room_number }}{% endif %} "
        "limekabidhiwa kwako.\n",
        "<p>Ombi <b>#{{ request.id }}</b> ({{ request.kind | label }})"
        "{% if request.room_number %} kwa chumba {{ request.room_number }}{% endif %} "
        "limekabidhiwa kwako.</p>",
    ),
    ("message.received", "en"): T(
        "New message from {{ message.sender_name }}",
        "{{ message.sender_name }}: {{ message.preview }}"
        "{% if unread > 1 %} ({{ unread }} unread){% endif %}",
        "Dear {{ recipient.name }},\n\n{{ message.sender_name }} wrote"
        '{% if conversation.subject %} about "{{ conversation.subject }}"{% endif %}:\n\n'
        "{{ message.preview }}\n\n"
        "{% if unread > 1 %}You have {{ unread }} unread messages there.\n{% endif %}",
        "<p>Dear {{ recipient.name }},</p><p>{{ message.sender_name }} wrote"
        "{% if conversation.subject %} about <b>{{ conversation.subject }}</b>{% endif %}:"
        "</p><blockquote>{{ message.preview }}</blockquote>"
        "{% if unread > 1 %}<p>You have {{ unread }} unread messages there.</p>{% endif %}",
    ),
    ("message.received", "sw"): T(
        "Ujumbe mpya kutoka kwa {{ message.sender_name }}",
        "{{ message.sender_name }}: {{ message.preview }}"
        "{% if unread > 1 %} ({{ unread }} haijasomwa){% endif %}",
        "Mpendwa {{ recipient.name }},\n\n{{ message.sender_name }} ameandika"
        '{% if conversation.subject %} kuhusu "{{ conversation.subject }}"{% endif %}:\n\n'
        "{{ message.preview }}\n\n"
        "{% if unread > 1 %}Una jumbe {{ unread }} ambazo hujasoma.\n{% endif %}",
        "<p>Mpendwa {{ recipient.name }},</p><p>{{ message.sender_name }} ameandika"
        "{% if conversation.subject %} kuhusu <b>{{ conversation.subject }}</b>{% endif %}:"
        "</p><blockquote>{{ message.preview }}</blockquote>"
        "{% if unread > 1 %}<p>Una jumbe {{ unread }} ambazo hujasoma.</p>{% endif %}",
    ),
    ("auth.password_reset", "en"): T(
        "Reset your {{ hotel.name }} password",
        "Reset your password: {{ reset_url }}",
        "Dear {{ recipient.name }},\n\nSomeone asked to reset the password of your account. "
        "If it was you, open this link within {{ minutes }} minutes:\n\n{{ reset_url }}\n\n"
        "If it was not you, ignore this email: your password stays as it is.\n",
        "<p>Dear {{ recipient.name }},</p><p>Someone asked to reset the password of your "
        "account. If it was you, use this link within {{ minutes }} minutes:</p>"
        "<p><a class='button' href='{{ reset_url }}'>Reset password</a></p>"
        "<p>If it was not you, ignore this email: your password stays as it is.</p>",
    ),
    ("auth.password_reset", "sw"): T(
        "Weka upya nenosiri lako la {{ hotel.name }}",
        "Weka upya nenosiri lako: {{ reset_url }}",
        "Mpendwa {{ recipient.name }},\n\nMtu ameomba kuweka upya nenosiri la akaunti yako. "
        "Kama ni wewe, fungua kiungo hiki ndani ya dakika {{ minutes }}:\n\n{{ reset_url }}\n\n"
        "Kama si wewe, puuza barua hii: nenosiri lako halitabadilika.\n",
        "<p>Mpendwa {{ recipient.name }},</p><p>Mtu ameomba kuweka upya nenosiri la akaunti "
        "yako. Kama ni wewe, tumia kiungo hiki ndani ya dakika {{ minutes }}:</p>"
        "<p><a class='button' href='{{ reset_url }}'>Weka upya nenosiri</a></p>"
        "<p>Kama si wewe, puuza barua hii: nenosiri lako halitabadilika.</p>",
    ),
    ("sms.budget_exceeded", "en"): T(
        "SMS budget reached: messages are being held",
        "The {{ budget }} SMS budget is used up. Non-urgent SMS are held until you release "
        "or cancel them in the SMS queue.",
        "Dear {{ recipient.name }},\n\nThe {{ budget }} SMS budget of {{ hotel.name }} is "
        "used up. Non-urgent SMS are held until you release or cancel them in the SMS "
        "queue; emergency messages still go out.\n",
        "<h1>SMS budget reached</h1><p>Dear {{ recipient.name }},</p><p>The "
        "<b>{{ budget }}</b> SMS budget of {{ hotel.name }} is used up. Non-urgent SMS are "
        "held until you release or cancel them in the SMS queue; emergency messages still go "
        "out.</p>",
    ),
    ("sms.budget_exceeded", "sw"): T(
        "Bajeti ya SMS imefikiwa: ujumbe unasubirishwa",
        "Bajeti ya SMS ({{ budget }}) imekwisha. SMS zisizo za dharura zinasubirishwa hadi "
        "uziachilie au uzifute kwenye foleni ya SMS.",
        "Mpendwa {{ recipient.name }},\n\nBajeti ya SMS ({{ budget }}) ya {{ hotel.name }} "
        "imekwisha. SMS zisizo za dharura zinasubirishwa hadi uziachilie au uzifute kwenye "
        "foleni ya SMS; ujumbe wa dharura bado unatumwa.\n",
        "<h1>Bajeti ya SMS imefikiwa</h1><p>Mpendwa {{ recipient.name }},</p><p>Bajeti ya "
        "SMS (<b>{{ budget }}</b>) ya {{ hotel.name }} imekwisha. SMS zisizo za dharura "
        "zinasubirishwa hadi uziachilie au uzifute kwenye foleni ya SMS; ujumbe wa dharura "
        "bado unatumwa.</p>",
    ),
    ("payment.flagged", "en"): T(
        "Payment {{ payment.reference }} needs checking",
        "{{ payment.provider }} reported payment {{ payment.reference }} differently from "
        "what was asked: {{ payment.reason }}. It was not credited.",
        "Dear {{ recipient.name }},\n\n{{ payment.provider }} reported payment "
        "{{ payment.reference }} differently from what was asked ({{ payment.reason }}). "
        "It was not credited; please check it with the provider.\n",
        "<h1>Payment needs checking</h1><p>Dear {{ recipient.name }},</p><p>"
        "{{ payment.provider }} reported payment <b>{{ payment.reference }}</b> differently "
        "from what was asked ({{ payment.reason }}). It was not credited; please check it "
        "with the provider.</p>",
    ),
    ("payment.flagged", "sw"): T(
        "Malipo {{ payment.reference }} yanahitaji kukaguliwa",
        "{{ payment.provider }} imeripoti malipo {{ payment.reference }} tofauti na "
        "yaliyoombwa: {{ payment.reason }}. Hayajahesabiwa.",
        "Mpendwa {{ recipient.name }},\n\n{{ payment.provider }} imeripoti malipo "
        "{{ payment.reference }} tofauti na yaliyoombwa ({{ payment.reason }}). Hayajahesabiwa; "
        "tafadhali yakague na mtoa huduma.\n",
        "<h1>Malipo yanahitaji kukaguliwa</h1><p>Mpendwa {{ recipient.name }},</p><p>"
        "{{ payment.provider }} imeripoti malipo <b>{{ payment.reference }}</b> tofauti na "
        "yaliyoombwa ({{ payment.reason }}). Hayajahesabiwa; tafadhali yakague na mtoa "
        "huduma.</p>",
    ),
    ("promotion", "en"): T(
        "{{ title }}",
        "{{ title }}: {{ message }}",
        "Dear {{ recipient.name }},\n\n{{ message }}\n"
        "{% if cta_url %}\nFind out more: {{ cta_url }}\n{% endif %}",
        "<h1>{{ title }}</h1><p>Dear {{ recipient.name }},</p><p>{{ message }}</p>"
        "{% if cta_url %}<p><a class='button' href='{{ cta_url }}'>Find out more</a></p>"
        "{% endif %}",
    ),
    ("promotion", "sw"): T(
        "{{ title }}",
        "{{ title }}: {{ message }}",
        "Mpendwa {{ recipient.name }},\n\n{{ message }}\n"
        "{% if cta_url %}\nPata maelezo zaidi: {{ cta_url }}\n{% endif %}",
        "<h1>{{ title }}</h1><p>Mpendwa {{ recipient.name }},</p><p>{{ message }}</p>"
        "{% if cta_url %}<p><a class='button' href='{{ cta_url }}'>Pata maelezo zaidi</a></p>"
        "{% endif %}",
    ),
    ("announcement", "en"): T(
        "{{ title }}",
        "{{ message }}",
        "Dear {{ recipient.name }},\n\n{{ message }}\n",
        "<h1>{{ title }}</h1><p>Dear {{ recipient.name }},</p><p>{{ message }}</p>",
    ),
    ("announcement", "sw"): T(
        "{{ sw.title or title }}",
        "{{ sw.message or message }}",
        "Mpendwa {{ recipient.name }},\n\n{{ sw.message or message }}\n",
        "<h1>{{ sw.title or title }}</h1><p>Mpendwa {{ recipient.name }},</p>"
        "<p>{{ sw.message or message }}</p>",
    ),
    ("announcement.emergency", "en"): T(
        "EMERGENCY: {{ title }}",
        "EMERGENCY: {{ title }}. {{ message }}",
        "Dear {{ recipient.name }},\n\n{{ message }}\n",
        "<h1>EMERGENCY: {{ title }}</h1><p>Dear {{ recipient.name }},</p><p>{{ message }}</p>",
    ),
    ("announcement.emergency", "sw"): T(
        "DHARURA: {{ sw.title or title }}",
        "DHARURA: {{ sw.title or title }}. {{ sw.message or message }}",
        "Mpendwa {{ recipient.name }},\n\n{{ sw.message or message }}\n",
        "<h1>DHARURA: {{ sw.title or title }}</h1><p>Mpendwa {{ recipient.name }},</p>"
        "<p>{{ sw.message or message }}</p>",
    ),
    ("general", "en"): T(
        "{{ title }}",
        "{{ message }}",
        "Dear {{ recipient.name }},\n\n{{ message }}\n{% if url %}\n{{ url }}\n{% endif %}",
        "<h1>{{ title }}</h1><p>Dear {{ recipient.name }},</p><p>{{ message }}</p>"
        "{% if url %}<p><a class='button' href='{{ url }}'>Open</a></p>{% endif %}",
    ),
    ("general", "sw"): T(
        "{{ title }}",
        "{{ message }}",
        "Mpendwa {{ recipient.name }},\n\n{{ message }}\n{% if url %}\n{{ url }}\n{% endif %}",
        "<h1>{{ title }}</h1><p>Mpendwa {{ recipient.name }},</p><p>{{ message }}</p>"
        "{% if url %}<p><a class='button' href='{{ url }}'>Fungua</a></p>{% endif %}",
    ),
}


def builtin(event_type: str, locale: str) -> BuiltinTemplate | None:
    return BUILTIN.get((event_type, locale)) or BUILTIN.get((event_type, "en"))
