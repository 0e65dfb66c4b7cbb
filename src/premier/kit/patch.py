"""Partial updates: an omitted field stays as it is, and null is only for clearable fields."""

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, model_validator

from premier.kit.input import Input


def _state_refused_nulls(schema: dict[str, Any], model: type[BaseModel]) -> None:
    """The document offers null only for clearable fields, as the validator below checks."""
    clearable: frozenset[str] = getattr(model, "clearable", frozenset())
    for name, field in schema.get("properties", {}).items():
        choices = field.get("anyOf")
        if name in clearable or not choices:
            continue
        kept = [choice for choice in choices if choice != {"type": "null"}]
        field.pop("anyOf")
        field.update(kept[0] if len(kept) == 1 else {"anyOf": kept})
        if field.get("default", 0) is None:
            field.pop("default")


class PatchModel(Input):
    model_config = ConfigDict(extra="forbid", json_schema_extra=_state_refused_nulls)

    # Fields a client may clear by sending null; any other null is refused.
    clearable: ClassVar[frozenset[str]] = frozenset()

    @model_validator(mode="before")
    @classmethod
    def _refuse_null_for_required_fields(cls, data: Any) -> Any:
        if isinstance(data, dict):
            refused = sorted(k for k, v in data.items() if v is None and k not in cls.clearable)
            if refused:
                raise ValueError(f"these fields cannot be null: {', '.join(refused)}")
        return data

    def changes(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_unset=True)
