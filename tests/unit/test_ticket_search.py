"""Search's pure rules: which words a title is found by, which index partition a search starts from, and
what the rest of its filters keep."""

from datetime import UTC, datetime

from handoff.tickets.domain import SearchFilters, SearchView, title_words

VIEW = SearchView(status="open", assignee="U1", partner="fixit", location="L1", words=("replace", "pump"))
AT = datetime(2026, 11, 20, tzinfo=UTC)


def test_a_title_is_found_by_its_whole_words_in_any_case():
    assert title_words("Replace the PUMP, then re-test: pump #2") == [
        "replace",
        "the",
        "pump",
        "then",
        "re",
        "test",
    ]
    assert title_words("Ölwechsel größer") == ["ölwechsel", "grösser"]  # casefolded: ß finds ss
    assert len(title_words(" ".join(f"w{i}" for i in range(30)))) == 12


def test_each_facet_is_a_partition_the_ticket_is_listed_in():
    assert VIEW.facets() == ["all", "s=open", "a=U1", "p=fixit", "l=L1", "w=replace", "w=pump"]
    bare = SearchView(status="open", assignee=None, partner=None, location=None, words=())
    assert bare.facets() == ["all", "s=open"]


def test_a_search_starts_from_its_most_selective_filter():
    assert SearchFilters().start() == "all"
    assert SearchFilters(status="open").start() == "s=open"
    assert SearchFilters(status="open", partner="fixit").start() == "p=fixit"
    assert SearchFilters(partner="fixit", location="L1").start() == "l=L1"
    assert SearchFilters(location="L1", assignee="U1").start() == "a=U1"
    assert SearchFilters(assignee="U1", words=("pump", "replace")).start() == "w=replace"


def test_the_other_filters_keep_only_what_meets_them_all():
    assert SearchFilters(status="open", words=("pump",)).matches(VIEW, AT, AT)
    assert not SearchFilters(status="closed").matches(VIEW, AT, AT)
    assert not SearchFilters(words=("pump", "valve")).matches(VIEW, AT, AT)
    assert not SearchFilters(partner="brightco").matches(VIEW, AT, AT)
    assert SearchFilters(updated_from=AT, updated_to=datetime(2026, 11, 21, tzinfo=UTC)).matches(VIEW, AT, AT)
    assert not SearchFilters(created_to=AT).matches(VIEW, AT, AT)  # the end is exclusive
