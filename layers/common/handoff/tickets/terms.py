"""The terms work is offered and billed at, as clients send them: their own module, so that a context that
takes terms (a team's vendor terms) does not load every model of the tickets context."""

from typing import TYPE_CHECKING, Annotated

from pydantic import Field, StringConstraints

from handoff.schema import WriteModel

if TYPE_CHECKING:  # the domain loads where terms are made, not in every context that validates them
    from handoff.tickets.domain import Terms

Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
WorkType = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9_-]{0,39}$"),
    Field(description="A kind of work billed at its own rate: lowercase letters, digits, - and _"),
]
RateCents = Annotated[int, Field(ge=0, le=10_000_000, description="An hourly rate, in minor units")]
Conditions = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class TermsIn(WriteModel):
    """What the work bills at: the standard hourly rate, other work types' rates, the markup on costs, a
    not-to-exceed amount, the currency and free-text conditions."""

    hourly_rate_cents: RateCents = Field(description="The standard labour rate per hour")
    rates: dict[WorkType, RateCents] = Field(
        default_factory=dict,
        max_length=20,
        description="Hourly rates of other work types (overtime, emergency, ...): time logged with that "
        "work_type bills at it",
    )
    markup_bp: int = Field(
        default=0, ge=0, le=10_000, description="Markup on costs, in basis points (1500 = 15 %)"
    )
    not_to_exceed_cents: int | None = Field(
        default=None, ge=1, le=100_000_000_000, description="The most the work may bill in all"
    )
    currency: Currency = Field(description="ISO 4217, e.g. EUR")
    conditions: Conditions | None = None

    def to_terms(self) -> "Terms":
        from handoff.tickets.domain import Terms

        return Terms(
            hourly_rate_cents=self.hourly_rate_cents,
            currency=self.currency,
            rates=tuple(sorted(self.rates.items())),
            markup_bp=self.markup_bp,
            not_to_exceed_cents=self.not_to_exceed_cents,
            conditions=self.conditions,
        )
