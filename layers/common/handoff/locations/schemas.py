"""Request and response models for locations."""

from datetime import datetime
from typing import Annotated

from pydantic import Field, StringConstraints

from handoff.schema import PatchModel, ReadModel, WriteModel

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
PostalCode = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=16)]
Country = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
Notes = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]


class LocationCreate(WriteModel):
    name: Name
    address: Line | None = None
    city: Line | None = None
    postal_code: PostalCode | None = None
    country: Country | None = Field(default=None, description="ISO 3166-1 alpha-2, e.g. DE")
    notes: Notes | None = None


class LocationPatch(PatchModel):
    clearable = frozenset({"address", "city", "postal_code", "country", "notes"})

    name: Name | None = None
    address: Line | None = None
    city: Line | None = None
    postal_code: PostalCode | None = None
    country: Country | None = None
    notes: Notes | None = None
    archived: bool | None = Field(default=None, description="true archives the location, false restores it")


class LocationOut(ReadModel):
    location_id: str
    name: str
    address: str | None
    city: str | None
    postal_code: str | None
    country: str | None
    notes: str | None
    archived: bool
    version: int
    created_at: datetime
    updated_at: datetime


class LocationPage(ReadModel):
    items: list[LocationOut]
    next_cursor: str | None
