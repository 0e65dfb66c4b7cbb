import httpx

from tests.helpers import hotel_date


async def test_hotel_profile_is_public_and_dated_in_the_hotels_zone(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/api/v1/hotel")
    assert response.status_code == 200
    body = response.json()
    assert body["timezone"] == "Africa/Nairobi"
    assert body["today"] == str(hotel_date())
    assert body["currency"] == "KES"
    assert body["demo"] is False  # the test settings seed nothing
