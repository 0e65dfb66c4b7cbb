"""Request bodies take the JSON types the OpenAPI document states, not lookalikes.

FastAPI validates a parsed body in Pydantic's lax mode, where `false` is a floor number,
`0` is a yes/no answer and `0` is a date in 1970. A client that sends those has a bug, and
saying so beats storing a room on floor 0. Strict mode for the whole model would also refuse
dates, which JSON can only send as text, so this checks only what lax mode would bend.
"""

import datetime as dt
import re
import types
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, BeforeValidator, ConfigDict, model_validator
from pydantic_core import PydanticCustomError

JSON_TYPE_ERROR = "json_type"
# Python type -> (JSON types that may stand for it, the words for an error).
_JSON_KINDS: dict[type, tuple[tuple[type, ...], str]] = {
    bool: ((bool,), "true or false"),
    int: ((int,), "a whole number"),
    float: ((int, float), "a number"),
    # Python callers (the seed, the services) may pass the objects themselves.
    dt.date: ((str, dt.date), "a date as YYYY-MM-DD"),
    dt.datetime: ((str, dt.datetime), "a date and time in ISO 8601"),
}


def _choices(annotation: Any) -> list[Any]:
    """The types a value may take: Optional and unions opened, Annotated unwrapped."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _choices(get_args(annotation)[0])
    if origin is Union or origin is types.UnionType:
        return [choice for arg in get_args(annotation) for choice in _choices(arg)]
    return [annotation]


def _refusal(value: Any, annotation: Any) -> str | None:
    """Why `value` is not what `annotation` states in JSON, or None when it may be."""
    choices = _choices(annotation)
    if value is None and type(None) in choices:
        return None
    choices = [choice for choice in choices if choice is not type(None)]
    kinds = [_JSON_KINDS[choice] for choice in choices if choice in _JSON_KINDS]
    if not kinds or len(kinds) < len(choices):
        return _inner_refusal(value, choices)
    for accepted, _ in kinds:
        if isinstance(value, bool) and bool not in accepted:
            continue
        if isinstance(value, accepted):
            return None
        if int in accepted and isinstance(value, float) and value.is_integer():
            return None  # JSON Schema counts 1.0 as an integer
    return " or ".join(words for _, words in kinds)


def _inner_refusal(value: Any, choices: list[Any]) -> str | None:
    """Lists and maps of numbers, flags or dates: the same rule for each element."""
    if len(choices) != 1:
        return None
    origin, args = get_origin(choices[0]), get_args(choices[0])
    if origin is list and isinstance(value, list) and args:
        for item in value:
            if (why := _refusal(item, args[0])) is not None:
                return f"a list of {why}"
    if origin is dict and isinstance(value, dict) and len(args) == 2:
        for item in value.values():
            if (why := _refusal(item, args[1])) is not None:
                return f"a map of {why}"
    return None


class Input(BaseModel):
    """A request body: unknown fields refused, and each value of the JSON type stated."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _json_types(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for name, field in cls.model_fields.items():
                key = field.alias or name
                if key in data and (why := _refusal(data[key], field.annotation)) is not None:
                    # A model-level error: `field` in its context tells the error answer
                    # which field it is about (premier.errors).
                    raise PydanticCustomError(
                        JSON_TYPE_ERROR, "{field} must be {kind}", {"field": key, "kind": why}
                    )
        return data


def _calendar_text(value: Any) -> Any:
    """Query strings are all text; lax mode reads "0" or "0.5" as seconds since 1970."""
    if isinstance(value, str) and not _ISO_DAY.match(value):
        raise ValueError("must be a date as YYYY-MM-DD")
    return value


_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")

# A date or a date and time in a query string, written as ISO 8601 text.
QueryDate = Annotated[dt.date, BeforeValidator(_calendar_text)]
QueryDateTime = Annotated[dt.datetime, BeforeValidator(_calendar_text)]
