"""Bases for request models: extra fields are refused, so server-owned fields are never bound from input."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, model_validator


class WriteModel(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class PatchModel(WriteModel):
    @model_validator(mode="after")
    def _not_empty(self) -> PatchModel:
        if not self.model_fields_set:
            raise ValueError("name at least one field to change")
        return self
