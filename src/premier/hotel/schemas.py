from datetime import date

from pydantic import BaseModel


class HotelProfile(BaseModel):
    """What a client needs before anyone signs in: who the hotel is and what day it is there."""

    name: str
    address: str
    timezone: str
    currency: str
    today: date
    demo: bool
