from premier.sms.pricing import Spend, budget_exceeded, estimate_cost, parse_provider_price
from premier.sms.settings import SmsSettings


def test_cost_is_segments_times_the_country_price() -> None:
    settings = SmsSettings(prices={"KE": 80, "*": 600})
    kenya = estimate_cost(settings=settings, to="+254712345678", body="a" * 200)
    assert (kenya.country, kenya.segments, kenya.amount, kenya.currency) == ("KE", 2, 160, "KES")
    abroad = estimate_cost(settings=settings, to="+14155552671", body="Hello! 👍")
    assert (abroad.country, abroad.segments, abroad.amount) == ("US", 1, 600)


def test_provider_prices_are_parsed_to_minor_units() -> None:
    assert parse_provider_price("KES 0.8000") == (80, "KES")
    assert parse_provider_price("-0.00750", "USD") == (1, "USD")
    assert parse_provider_price("-0.0790", "usd") == (8, "USD")
    assert parse_provider_price("0") is None
    assert parse_provider_price(None, "USD") is None
    assert parse_provider_price("UGX 35") == (35, "UGX")
    assert parse_provider_price("KES abc") is None


def test_budgets_name_the_first_limit_broken() -> None:
    settings = SmsSettings(budget_daily=1000, budget_monthly=5000, recipient_budget_daily=200)
    spend = Spend(hotel_day=800, hotel_month=800, recipient_day=100, recipient_month=100)
    assert budget_exceeded(settings=settings, spend=spend, amount=80) is None
    assert budget_exceeded(settings=settings, spend=spend, amount=101) == "recipient daily"
    assert budget_exceeded(settings=settings, spend=spend, amount=201) == "hotel daily"
    big = Spend(hotel_day=990, hotel_month=990, recipient_day=0, recipient_month=0)
    assert budget_exceeded(settings=settings, spend=big, amount=80) == "hotel daily"
    assert budget_exceeded(settings=SmsSettings(), spend=big, amount=10**9) is None
