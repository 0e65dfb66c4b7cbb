"""Opt-out keywords in inbound messages (the carrier-standard set Twilio also honours)."""

from enum import StrEnum

STOP_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "OPTOUT"})
START_WORDS = frozenset({"START", "UNSTOP", "YES", "SUBSCRIBE", "OPTIN"})


class Intent(StrEnum):
    OPT_OUT = "opt_out"
    OPT_IN = "opt_in"
    OTHER = "other"


def intent_of(text: str) -> Intent:
    """Only a message that *is* the keyword counts: "please stop by later" is not an opt-out."""
    word = text.strip().strip(".!").upper()
    if word in STOP_WORDS:
        return Intent.OPT_OUT
    if word in START_WORDS:
        return Intent.OPT_IN
    return Intent.OTHER
