"""Partial updates: an omitted field stays as it is, and null is only for clearable fields."""

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, model_validator


class PatchModel(BaseModel):
    model_config = ConfigDict(extra="forbid")

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
