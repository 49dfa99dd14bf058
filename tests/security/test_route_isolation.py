"""Every route declares the action it performs: no route can skip authorization."""

from devstack import template
from handoff.api.app import ROUTE_ACTIONS
from handoff.auth.policy import POLICY


def test_every_template_route_declares_an_action(gateway):
    served = {(r.method, r.path) for r in template.routes()}
    assert served, "the template routes nothing"
    assert served - set(ROUTE_ACTIONS) == set(), "routes without a declared action"
    assert set(ROUTE_ACTIONS) - served == set(), "declared routes the template does not route"


def test_every_declared_action_has_a_policy_rule():
    assert set(ROUTE_ACTIONS.values()) <= set(POLICY)
