from premier.auth.access import access
from premier.deps import AppSettings
from premier.hotel.schemas import HotelProfile
from premier.http.routing import Router
from premier.kit.time import hotel_today

router = Router(prefix="/api/v1", tags=["hotel"])


@router.get("/hotel")
@access("hotel", "read")
async def hotel_profile(settings: AppSettings) -> HotelProfile:
    """Public: the web UI uses the hotel's date (not the browser's) for arrivals and stays."""
    return HotelProfile(
        name=settings.hotel_name,
        address=settings.hotel_address,
        timezone=settings.hotel_timezone,
        currency=settings.hotel_currency,
        today=hotel_today(settings.hotel_timezone),
        demo=settings.seed_demo_data and settings.environment != "production",
    )
