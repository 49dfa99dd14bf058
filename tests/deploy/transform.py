"""Prints template.yaml after the SAM transform, as JSON. Run by the SAM CLI's own interpreter (.venv-sam):
its samtranslator is the one `sam deploy` uses, and its pins conflict with ours (see the Makefile)."""

from __future__ import annotations

import copy
import json
import os
import sys
from pathlib import Path
from typing import Any

from samtranslator.translator.managed_policy_translator import ManagedPolicyLoader
from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse


class _NoAwsManagedPolicies(ManagedPolicyLoader):
    """The template names no AWS managed policy by name, so the loader never needs IAM."""

    def __init__(self) -> None:
        pass

    def load(self) -> dict[str, str]:
        return {}


def _packaged(document: dict[str, Any]) -> dict[str, Any]:
    """Local code paths replaced by S3 locations, as `sam package` leaves them."""
    document = copy.deepcopy(document)
    for resource in document["Resources"].values():
        props = resource.get("Properties", {})
        for key in ("CodeUri", "ContentUri"):
            if isinstance(props.get(key), str):
                props[key] = f"s3://artifacts/{props[key].strip('/')}.zip"
        if isinstance(props.get("DefinitionUri"), str):
            props["DefinitionUri"] = {"Bucket": "artifacts", "Key": props["DefinitionUri"]}
    return document


if __name__ == "__main__":
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    document = yaml_parse(Path(sys.argv[1]).read_text())
    json.dump(transform(_packaged(document), {}, _NoAwsManagedPolicies()), sys.stdout, default=str)
