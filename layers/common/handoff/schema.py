"""Bases for request models: extra fields are refused, so server-owned fields are never bound from input."""

from decimal import Decimal
from typing import Annotated, Any, ClassVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    GetJsonSchemaHandler,
    StringConstraints,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError

from handoff.ids import TENANT_ID_PATTERN

TenantId = Annotated[str, StringConstraints(pattern=TENANT_ID_PATTERN, min_length=1, max_length=40)]
EMAIL_PATTERN = r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$"


def _lower(value: str) -> str:
    return value.casefold()


Email = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=254, pattern=EMAIL_PATTERN),
    AfterValidator(_lower),
]
ReplyNote = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]


class ReadModel(BaseModel):
    """A response model. Its validator is built on first use, not at import: a function defines a hundred
    models and a request uses a few, and building them all was most of a cold start's own work."""

    model_config = ConfigDict(defer_build=True)


class WriteModel(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)


class PatchModel(WriteModel):
    """A partial update: absent fields stay as they are; `null` clears a field only where clearing is allowed
    (fields listed in `clearable`), and is refused for the rest."""

    clearable: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: Any, handler: GetJsonSchemaHandler
    ) -> "JsonSchemaValue":
        """The contract is what the server does: at least one field, and `null` only where it clears."""
        schema = handler.resolve_ref_schema(handler(core_schema))
        schema["minProperties"] = 1
        for name, prop in schema.get("properties", {}).items():
            if name in cls.clearable or "anyOf" not in prop:
                continue
            kept = [option for option in prop["anyOf"] if option.get("type") != "null"]
            if len(kept) == 1:
                del prop["anyOf"]
                prop.update(kept[0])
            else:
                prop["anyOf"] = kept
            if prop.get("default", "absent") is None:
                del prop["default"]
        return schema

    @model_validator(mode="after")
    def _not_empty(self) -> "PatchModel":
        if not self.model_fields_set:
            raise ValueError("name at least one field to change")
        for name in self.model_fields_set - self.clearable:
            if getattr(self, name) is None:
                raise PydanticCustomError("not_clearable", "{field} cannot be null", {"field": name})
        return self


class InvitationReply(WriteModel):
    """The answer to an invitation; a note is shown to the inviting tenant (why it was declined)."""

    note: ReplyNote | None = None


class PartOut(ReadModel):
    """A part under a labour line, at its price: in an estimate, and on the work it became."""

    part_id: str
    part_number: str
    description: str
    quantity: Decimal
    unit_price: int
    total: int
