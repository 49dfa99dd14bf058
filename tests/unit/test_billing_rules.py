"""The pure rules of partner invoices: lines at the accepted terms, the one table of steps, auto-approval,
approver limits and numbers."""

from decimal import Decimal

import pytest

from handoff.billing.domain import (
    InvoiceAction,
    InvoiceSide,
    InvoiceStatus,
    auto_approves,
    check_approver,
    invoice_lines,
    invoice_number,
    take,
    total,
)
from handoff.errors import Conflict, Forbidden, Invalid
from handoff.tickets.domain import CostSpent, Terms, TimeWorked

TERMS = Terms(hourly_rate_cents=6000, currency="EUR", rates=(("overtime", 9000),), markup_bp=1500)


def test_lines_bill_what_each_entry_billed_when_logged_and_nothing_billed_before():
    time = [
        TimeWorked("e2", 30, "overtime", "2026-11-02", 4500),
        TimeWorked("e1", 90, None, "2026-11-01", 9000),
    ]
    costs = [CostSpent("c1", "Seal", Decimal("2"), 1000, "2026-11-01", 2300)]
    lines = invoice_lines(TERMS, time, costs)
    assert [(ln.source_id, ln.quantity, ln.unit_cents, ln.amount_cents) for ln in lines] == [
        ("e1", "1.50", 6000, 9000),
        ("e2", "0.50", 9000, 4500),  # its work type's rate
        ("c1", "2", 1000, 2300),  # 20.00 plus 15 %
    ]
    assert [ln.source_id for ln in invoice_lines(TERMS, time, costs, frozenset({"e1", "c1"}))] == ["e2"]


@pytest.mark.parametrize(
    ("status", "action", "side", "after"),
    [
        (InvoiceStatus.DRAFT, InvoiceAction.SEND, InvoiceSide.PARTNER, InvoiceStatus.SENT),
        (InvoiceStatus.DISPUTED, InvoiceAction.SEND, InvoiceSide.PARTNER, InvoiceStatus.SENT),
        (InvoiceStatus.SENT, InvoiceAction.APPROVE, InvoiceSide.OWNER, InvoiceStatus.APPROVED),
        (InvoiceStatus.SENT, InvoiceAction.DISPUTE, InvoiceSide.OWNER, InvoiceStatus.DISPUTED),
        (InvoiceStatus.SENT, InvoiceAction.REJECT, InvoiceSide.OWNER, InvoiceStatus.REJECTED),
    ],
)
def test_the_legal_steps(status, action, side, after):
    assert take(status, action, side) is after


def test_the_other_sides_step_is_forbidden_and_an_illegal_one_conflicts():
    with pytest.raises(Forbidden):
        take(InvoiceStatus.SENT, InvoiceAction.APPROVE, InvoiceSide.PARTNER)
    with pytest.raises(Forbidden):
        take(InvoiceStatus.DRAFT, InvoiceAction.SEND, InvoiceSide.OWNER)
    for status in (InvoiceStatus.APPROVED, InvoiceStatus.REJECTED):
        with pytest.raises(Conflict):
            take(status, InvoiceAction.SEND, InvoiceSide.PARTNER)
    with pytest.raises(Conflict):
        take(InvoiceStatus.DRAFT, InvoiceAction.APPROVE, InvoiceSide.OWNER)


def test_auto_approval_needs_the_computed_amount_within_an_nte_and_no_dispute():
    assert auto_approves(11300, 11300, 11300, False)
    assert not auto_approves(11300, 11300, None, False)  # no amount agreed: a person approves
    assert not auto_approves(11300, 11300, 10000, False)  # over the not-to-exceed
    assert not auto_approves(11300, 11800, 20000, False)  # adjusted
    assert not auto_approves(11300, 11300, 20000, True)  # disputed once: a person looks again


def test_approvers_approve_up_to_their_limit():
    check_approver(None, 10**9)
    check_approver(5000, 5000)
    with pytest.raises(Forbidden):
        check_approver(5000, 5001)


def test_totals_and_numbers():
    assert total(1000, -300) == 700
    with pytest.raises(Invalid):
        total(1000, -1001)
    assert invoice_number("2026", 7) == "2026-000007"


def test_a_shop_invoice_bills_clocked_hours_at_the_approved_rate_and_flags_the_difference():
    from handoff.billing.domain import shop_lines, tax_cents
    from handoff.tickets.domain import OrderLine

    lines = shop_lines(
        [
            OrderLine("l1", "w1", "Brakes", Decimal("1.5"), 9000, 5400, (("Pads", Decimal("2"), 4500),)),
            OrderLine("l2", "w2", "Road test", Decimal("0.25"), 9000, 900, ()),
        ]
    )
    assert [
        (ln["source_id"], ln["quantity"], ln["amount_cents"], ln["differs_from_estimate"]) for ln in lines
    ] == [
        ("w1", "1.50", 13500, False),
        ("w1:0", "2", 9000, False),
        ("w2", "0.25", 2250, False),
    ]
    longer = shop_lines([OrderLine("l1", "w1", "Brakes", Decimal("1.5"), 9000, 7200, ())])
    assert (longer[0]["amount_cents"], longer[0]["estimated_cents"], longer[0]["differs_from_estimate"]) == (
        18000,
        13500,
        True,
    )
    assert tax_cents(10000, 2100) == 2100


@pytest.mark.parametrize("needs", [True, False])
def test_the_customer_authorizes_where_it_must_and_the_shop_finalizes_where_it_need_not(needs):
    from handoff.billing.domain import ShopAction, ShopSide, ShopStatus, take_shop_step

    if needs:
        assert (
            take_shop_step(ShopStatus.DRAFT, ShopAction.SUBMIT, ShopSide.SHOP, True) is ShopStatus.SUBMITTED
        )
        assert (
            take_shop_step(ShopStatus.SUBMITTED, ShopAction.AUTHORIZE, ShopSide.CUSTOMER, True)
            is ShopStatus.FINALIZED
        )
        with pytest.raises(Conflict):
            take_shop_step(ShopStatus.SUBMITTED, ShopAction.FINALIZE, ShopSide.SHOP, True)
        with pytest.raises(Forbidden):
            take_shop_step(ShopStatus.SUBMITTED, ShopAction.AUTHORIZE, ShopSide.SHOP, True)
    else:
        assert (
            take_shop_step(ShopStatus.DRAFT, ShopAction.FINALIZE, ShopSide.SHOP, False)
            is ShopStatus.FINALIZED
        )
        with pytest.raises(Conflict):
            take_shop_step(ShopStatus.DRAFT, ShopAction.SUBMIT, ShopSide.SHOP, False)
    for action, side in ((ShopAction.REVISE, ShopSide.SHOP), (ShopAction.AUTHORIZE, ShopSide.CUSTOMER)):
        with pytest.raises(Conflict):
            take_shop_step(ShopStatus.FINALIZED, action, side, needs)


def test_only_an_approver_below_the_total_escalates_and_only_once():
    from handoff.billing.domain import check_escalation

    check_escalation(5000, 9000, [], "u1")
    for limit, endorsed in ((None, []), (9000, []), (5000, ["u1"])):
        with pytest.raises(Conflict):
            check_escalation(limit, 9000, endorsed, "u1")


def test_each_tax_rule_taxes_the_kinds_of_line_it_names():
    from handoff.billing.domain import TaxRule, flat_tax, taxes

    lines = [{"kind": "labour", "amount_cents": 10000}, {"kind": "part", "amount_cents": 3333}]
    rules = (TaxRule("VAT", 2000, ("labour", "part", "cost")), TaxRule("Levy", 150, ("part",)))
    assert [(t["taxable_cents"], t["amount_cents"]) for t in taxes(rules, lines)] == [
        (13333, 2667),
        (3333, 50),
    ]
    assert flat_tax(0) == () and flat_tax(1900)[0].applies_to == ("labour", "part", "cost")


def test_a_credit_never_takes_more_of_a_line_than_is_left():
    from handoff.billing.domain import credit_lines

    lines = [
        {"kind": "labour", "source_id": "a", "description": "Pads", "amount_cents": 5000},
        {"kind": "part", "source_id": "a:0", "description": "Pad", "amount_cents": 2000},
    ]
    everything = credit_lines(lines, {"a": 1000}, None)
    assert [(c["source_id"], c["amount_cents"]) for c in everything] == [("a", 4000), ("a:0", 2000)]
    with pytest.raises(Invalid) as twice:
        credit_lines(lines, {}, [("a:0", 1500), ("a:0", 1000)])  # named twice: 2500 of 2000
    assert twice.value.details[0]["field"] == "body.credit_lines.1.amount_cents"
    with pytest.raises(Invalid):
        credit_lines(lines, {}, [("nope", 1)])
    with pytest.raises(Conflict):
        credit_lines(lines, {"a": 5000, "a:0": 2000}, None)


def test_a_rate_version_takes_effect_today_or_later_within_two_years():
    from datetime import date

    from handoff.billing.domain import check_version_date

    today = date(2026, 12, 1)
    check_version_date(today, today)
    check_version_date(date(2028, 12, 1), today)
    for day in (date(2026, 11, 30), date(2028, 12, 2)):
        with pytest.raises(Invalid):
            check_version_date(day, today)


def test_terms_bill_each_day_at_the_step_they_scheduled_for_it():
    from handoff.tickets.domain import RateStep

    terms = Terms(
        hourly_rate_cents=6000,
        currency="EUR",
        rates=(("overtime", 9000),),
        markup_bp=1000,
        not_to_exceed_cents=50_000,
        schedule=(
            RateStep("2027-01-01", 7000, (("overtime", 9500),), 500),
            RateStep("2027-06-01", 7500),
        ),
    )
    assert terms.on("2026-12-31") is terms
    january = terms.on("2027-03-15")
    assert (january.hourly_rate_cents, january.rate_for("overtime"), january.markup_bp) == (7000, 9500, 500)
    assert january.not_to_exceed_cents == 50_000  # the accepted amount stays
    june = terms.on("2027-06-01")
    assert june.hourly_rate_cents == 7500
    with pytest.raises(Invalid):
        june.rate_for("overtime")  # the step names no overtime rate from that day
    assert Terms.from_doc(terms.to_doc()) == terms


def test_only_a_finalized_invoice_is_credited_and_crediting_leaves_it_finalized():
    from handoff.billing.domain import ShopAction, ShopSide, ShopStatus, take_shop_step

    finalized = take_shop_step(ShopStatus.FINALIZED, ShopAction.CREDIT, ShopSide.SHOP, True)
    assert finalized is ShopStatus.FINALIZED
    with pytest.raises(Conflict) as early:
        take_shop_step(ShopStatus.DRAFT, ShopAction.CREDIT, ShopSide.SHOP, False)
    assert early.value.code == "not_finalized"
    with pytest.raises(Forbidden):
        take_shop_step(ShopStatus.FINALIZED, ShopAction.CREDIT, ShopSide.CUSTOMER, True)


def test_credit_notes_never_give_back_more_tax_than_was_charged():
    from handoff.billing.domain import credit_taxes

    charged = [
        {"name": "VAT", "rate_bp": 1000, "applies_to": ["part"], "taxable_cents": 9000, "amount_cents": 900}
    ]
    first, after = credit_taxes(charged, [], [{"kind": "part", "amount_cents": 4505}])
    second, after = credit_taxes(charged, after, [{"kind": "part", "amount_cents": 4495}])
    assert (first[0]["amount_cents"], second[0]["amount_cents"]) == (451, 449)  # 900 in all, as charged
    assert after == [[9000, 900]]
    untaxed, _ = credit_taxes(charged, [], [{"kind": "labour", "amount_cents": 5000}])
    assert untaxed[0]["amount_cents"] == 0  # the rule taxed parts only
