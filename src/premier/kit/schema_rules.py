"""Rules across fields, stated in the OpenAPI document as well as checked.

A model validator that refuses "a department target without a department" is invisible to
a client generated from the document: it sends a request the schema allows and is refused.
These helpers write the same rules as JSON Schema (`anyOf` of the shapes that pass), so the
document says what the validator checks. The validators stay: they give the sentence.
"""

from typing import Any

JsonSchema = dict[str, Any]


def given(*fields: str) -> JsonSchema:
    """Each field present and not null."""
    return {
        "required": list(fields),
        "properties": {field: {"not": {"type": "null"}} for field in fields},
    }


def not_given(*fields: str) -> JsonSchema:
    """Each field absent, null or empty."""
    return {
        "properties": {
            field: {"anyOf": [{"type": "null"}, {"const": ""}, {"const": []}]} for field in fields
        }
    }


def equals(field: str, *values: str) -> JsonSchema:
    """The field holds one of these values (absent counts as its default: add `required`)."""
    return {"properties": {field: {"enum": list(values)}}}


def all_of(*parts: JsonSchema) -> JsonSchema:
    return {"allOf": list(parts)} if len(parts) > 1 else parts[0]


def one_of_shapes(*shapes: JsonSchema) -> JsonSchema:
    """The body must take one of these shapes, added to the model's own schema."""
    return {"anyOf": list(shapes)}
