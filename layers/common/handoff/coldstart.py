"""Imported first by every function's entry module, before anything heavy: in a Lambda sandbox the cyclic
garbage collector is paused while the function initialises and resumed when its handler is ready (ADR 0013).

An init creates about a hundred thousand long-lived objects (botocore's service model, pydantic's schemas,
Powertools) and almost no garbage, so the collections it triggers find nothing to free: measured, they were
20 to 30 ms of a 330 ms cold start. What the init made is then frozen (`gc.freeze`), so the collections that
requests trigger never walk it again.

Only in a sandbox (Lambda sets AWS_LAMBDA_FUNCTION_NAME): the local stack and the tests import every
function into one long-lived process, where a freeze would keep whatever the tests had made until then.
"""

import gc
import os

IN_LAMBDA = "AWS_LAMBDA_FUNCTION_NAME" in os.environ

if IN_LAMBDA:
    gc.disable()


def ready() -> None:
    """The entry module's last statement: everything made so far lives as long as the sandbox does."""
    if IN_LAMBDA:
        gc.freeze()
        gc.enable()
