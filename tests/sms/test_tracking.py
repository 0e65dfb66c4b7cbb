from premier.sms.keywords import Intent, intent_of
from premier.sms.providers.africastalking import parse_optout as parse_africastalking_optout
from premier.sms.providers.africastalking import parse_report as parse_africastalking_report
from premier.sms.providers.twilio import parse_inbound as parse_twilio_inbound
from premier.sms.providers.twilio import parse_status as parse_twilio_status
from premier.sms.providers.twilio import signature as twilio_signature
from premier.sms.providers.twilio import signature_valid as twilio_signature_valid
from premier.sms.tracking import SmsStatus, may_follow, status_of

# The example from Twilio's own validator tests.
URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
PARAMS = {
    "CallSid": "CA1234567890ABCDE",
    "Caller": "+14158675309",
    "Digits": "1234",
    "From": "+14158675309",
    "To": "+18005551212",
}


def test_signature_matches_twilios_documented_value() -> None:
    assert twilio_signature("12345", URL, PARAMS.items()) == "RSOYDt4T1cUTdK1PDd93/VVr8B8="


def test_signature_validation() -> None:
    params = list(PARAMS.items())
    assert twilio_signature_valid("12345", URL, params, "RSOYDt4T1cUTdK1PDd93/VVr8B8=")
    port = URL.replace(".com", ".com:443")
    assert twilio_signature_valid("12345", port, params, "RSOYDt4T1cUTdK1PDd93/VVr8B8=")
    assert not twilio_signature_valid("12345", URL, params, None)
    assert not twilio_signature_valid("wrong", URL, params, "RSOYDt4T1cUTdK1PDd93/VVr8B8=")
    tampered = [*params[:-1], ("To", "+18005551213")]
    assert not twilio_signature_valid("12345", URL, tampered, "RSOYDt4T1cUTdK1PDd93/VVr8B8=")


def test_twilio_status_callbacks_are_normalised() -> None:
    event = parse_twilio_status(
        {
            "MessageSid": "SM1",
            "MessageStatus": "undelivered",
            "ErrorCode": "30003",
            "To": "+254712345678",
        }
    )
    assert event is not None
    assert (status_of(event), event.code) == (SmsStatus.UNDELIVERED, "30003")
    assert parse_twilio_status({"MessageSid": "SM1", "MessageStatus": "bogus"}) is None


def test_africastalking_reports_are_normalised() -> None:
    report = {
        "id": "ATXid_1",
        "status": "Failed",
        "phoneNumber": "+254711000001",
        "networkCode": "63902",
        "failureReason": "UserInBlackList",
        "retryCount": "0",
    }
    event = parse_africastalking_report(report)
    assert event is not None
    assert (status_of(event), event.code) == (SmsStatus.UNDELIVERED, "UserInBlackList")
    success = parse_africastalking_report({"id": "ATXid_1", "status": "Success"})
    assert success is not None and status_of(success) is SmsStatus.DELIVERED


def test_final_states_are_never_overwritten() -> None:
    assert may_follow("queued", SmsStatus.SENT)
    assert may_follow("sent", SmsStatus.DELIVERED)
    assert not may_follow("sent", SmsStatus.QUEUED)
    assert not may_follow("delivered", SmsStatus.SENT)
    assert not may_follow("delivered", SmsStatus.FAILED)


def test_opt_out_keywords() -> None:
    assert intent_of(" stop ") is Intent.OPT_OUT
    assert intent_of("UNSUBSCRIBE") is Intent.OPT_OUT
    assert intent_of("Start") is Intent.OPT_IN
    assert intent_of("please stop by at 5") is Intent.OTHER
    inbound = parse_twilio_inbound({"From": "+254712345678", "Body": "STOP", "To": "+1500"})
    assert inbound is not None and inbound.intent is Intent.OPT_OUT
    advanced = parse_twilio_inbound(
        {"From": "+254712345678", "Body": "arrêt", "OptOutType": "STOP"}
    )
    assert advanced is not None and advanced.intent is Intent.OPT_OUT
    optout = parse_africastalking_optout({"senderId": "PREMIER", "phoneNumber": "+254711000001"})
    assert optout is not None and optout.intent is Intent.OPT_OUT
