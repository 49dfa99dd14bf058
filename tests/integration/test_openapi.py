"""The committed OpenAPI document is what the code serves; `make openapi` regenerates it."""

import json

from devstack.openapi import COMMITTED, document, rendered


def test_the_committed_document_matches_the_code():
    assert COMMITTED.read_text() == rendered(), "docs/openapi.json drifted: run `make openapi`"


def test_every_template_route_is_documented_with_the_error_shape():
    from devstack import template

    paths = document()["paths"]
    for route in template.routes():
        operation = paths[route.path][route.method.lower()]
        for status in ("401", "404", "422"):
            if route.method == "HEAD":  # the GET's statuses, without a body
                assert "content" not in operation["responses"][status]
                continue
            schema = operation["responses"][status]["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/ErrorBody"}
    assert (
        json.loads(COMMITTED.read_text())["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    )
