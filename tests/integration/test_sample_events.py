"""The sample events in events/ (what `sam local invoke -e` takes) stay valid for their functions."""

from devstack import template
from devstack.gateway import LambdaContext
from devstack.runtime import handler_of
from devstack.samples import all_samples, worker_samples


def test_every_route_and_every_worker_has_a_sample():
    assert {(r.method, r.path) for r in template.routes()} <= set(all_samples())
    assert {s.function for s in template.event_sources()} <= set(worker_samples())


def test_worker_samples_run_cleanly_on_an_empty_stack(aws_env):
    """Nothing to find on a fresh stack: each worker accepts its sample and reports no failed record."""
    for source in template.event_sources():
        for event in worker_samples()[source.function]:
            result = handler_of(source)(event, LambdaContext()) or {}
            assert result.get("batchItemFailures", []) == [], source.function
