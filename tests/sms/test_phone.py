import pytest
from pydantic import BaseModel, ValidationError

from premier.sms.phone import PhoneNumber, country_of, normalise


class Body(BaseModel):
    phone: PhoneNumber


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("0712 345 678", "+254712345678"),  # national format, default region KE
        ("+254 712-345-678", "+254712345678"),
        ("254712345678", "+254712345678"),
        ("+1 (415) 555-2671", "+14155552671"),
        ("+44 20 7946 0958", "+442079460958"),
    ],
)
def test_numbers_are_normalised_to_e164(raw: str, e164: str) -> None:
    assert Body(phone=raw).phone == e164


@pytest.mark.parametrize("raw", ["", "hello", "12", "+254 12", "+999 123456789", "0712"])
def test_invalid_numbers_are_refused(raw: str) -> None:
    with pytest.raises(ValidationError):
        Body(phone=raw)


def test_region_can_be_chosen() -> None:
    assert normalise("0772 123456", region="UG") == "+256772123456"


def test_country_of_a_number() -> None:
    assert country_of("+254712345678") == "KE"
    assert country_of("+14155552671") == "US"
    assert country_of("garbage") == "*"
