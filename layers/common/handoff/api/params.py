"""Request parameters every context uses the same way: paging, optimistic concurrency."""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Header, Query

from handoff.store.pages import DEFAULT_LIMIT, MAX_LIMIT

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"Page size, at most {MAX_LIMIT}")]
Cursor = Annotated[str | None, Query(max_length=2048, description="`next_cursor` of the previous page")]
IfMatch = Annotated[str | None, Header(alias="if-match", description='The version you last read, e.g. "3"')]
Accept = Annotated[
    str | None, Header(alias="accept", max_length=1000, description="text/csv for CSV; JSON otherwise")
]
Archived = Annotated[bool, Query(description="Include archived records")]
NamePrefix = Annotated[str | None, Query(min_length=1, max_length=120)]

__all__ = ["DEFAULT_LIMIT", "Accept", "Archived", "Cursor", "IfMatch", "Limit", "NamePrefix"]


def wants_csv(accept: str | None) -> bool:
    """Whether the client asked for CSV (`Accept: text/csv`, before any JSON it would also take)."""
    types = [part.split(";")[0].strip().lower() for part in (accept or "").split(",")]
    return "text/csv" in types and (
        "application/json" not in types or types.index("text/csv") < types.index("application/json")
    )
