"""Reads template.yaml: its resources, its routes, and intrinsic functions resolved for the local stack."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "template.yaml"


class _CfnLoader(yaml.SafeLoader):
    """YAML with CloudFormation's short-form tags turned into their long form ({"Ref": ...})."""


def _construct(tag: str) -> Any:
    name = "Ref" if tag == "Ref" else f"Fn::{tag}"

    def constructor(loader: yaml.SafeLoader, node: yaml.Node) -> dict[str, Any]:
        if isinstance(node, yaml.ScalarNode):
            value: Any = loader.construct_scalar(node)
            if tag == "GetAtt":
                value = str(value).split(".", 1)
        elif isinstance(node, yaml.SequenceNode):
            value = loader.construct_sequence(node, deep=True)
        else:
            value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
        return {name: value}

    return constructor


for _tag in (
    "Ref",
    "GetAtt",
    "Sub",
    "If",
    "Equals",
    "Join",
    "Select",
    "Split",
    "Not",
    "And",
    "Or",
    "FindInMap",
):
    _CfnLoader.add_constructor(f"!{_tag}", _construct(_tag))


@lru_cache(maxsize=1)
def load() -> dict[str, Any]:
    with TEMPLATE.open() as handle:
        document: dict[str, Any] = yaml.load(handle, Loader=_CfnLoader)  # noqa: S506 - SafeLoader subclass
    return document


def resources(kind: str) -> dict[str, dict[str, Any]]:
    return {name: r for name, r in load()["Resources"].items() if r["Type"] == kind}


@dataclass(frozen=True)
class Route:
    function: str
    method: str
    path: str
    module: str  # importable module of the handler, e.g. functions.accounts.app
    handler: str  # attribute in that module, e.g. lambda_handler


def _module_of(code_uri: str, handler: str) -> tuple[str, str]:
    module, _, attribute = handler.rpartition(".")
    package = code_uri.strip("/").replace("/", ".")
    return f"{package}.{module}", attribute


def routes() -> list[Route]:
    found = []
    for name, resource in resources("AWS::Serverless::Function").items():
        props = resource["Properties"]
        for event in (props.get("Events") or {}).values():
            if event["Type"] != "Api":
                continue
            module, attribute = _module_of(props["CodeUri"], props["Handler"])
            found.append(
                Route(
                    name,
                    event["Properties"]["Method"].upper(),
                    event["Properties"]["Path"],
                    module,
                    attribute,
                )
            )
    return found


def _with_defaults(text: str, parameters: dict[str, Any]) -> str:
    """A !Sub of parameters, with their defaults."""
    return re.sub(r"\$\{([^}]+)\}", lambda m: str(parameters[m.group(1)].get("Default", "")), text)


def cors() -> dict[str, str]:
    """The API's Cors settings, unquoted ('https://app.example' -> https://app.example); the origin is the
    parameter's default."""
    for api in resources("AWS::Serverless::Api").values():
        settings = api["Properties"].get("Cors") or {}
        parameters = load().get("Parameters", {})
        values = {}
        for name, value in settings.items():
            if isinstance(value, dict) and "Ref" in value:
                value = str(parameters[value["Ref"]].get("Default", ""))
            elif isinstance(value, dict) and "Fn::Sub" in value:
                value = _with_defaults(str(value["Fn::Sub"]), parameters)
            values[name] = str(value).strip("'")
        return values
    return {}


def gateway_response(kind: str) -> tuple[int, str]:
    """API Gateway's own answer of this kind (MISSING_AUTHENTICATION_TOKEN, ...) as the template shapes it."""
    for api in resources("AWS::Serverless::Api").values():
        response = (api["Properties"].get("GatewayResponses") or {}).get(kind)
        if response:
            return int(response["StatusCode"]), str(response["ResponseTemplates"]["application/json"])
    raise KeyError(f"the template shapes no {kind} gateway response")


@dataclass(frozen=True)
class EventSource:
    """A function's asynchronous trigger: a table stream, a queue, or a bus rule."""

    function: str
    kind: str  # DynamoDB | SQS | EventBridgeRule
    properties: dict[str, Any]
    module: str
    handler: str
    function_properties: dict[str, Any]


def event_sources() -> list[EventSource]:
    found = []
    for name, resource in resources("AWS::Serverless::Function").items():
        props = resource["Properties"]
        for event in (props.get("Events") or {}).values():
            if event["Type"] in ("DynamoDB", "SQS", "EventBridgeRule"):
                module, attribute = _module_of(props["CodeUri"], props["Handler"])
                found.append(EventSource(name, event["Type"], event["Properties"], module, attribute, props))
    return found


def function_modules() -> dict[str, str]:
    """Function logical id -> importable module of its handler."""
    return {
        name: _module_of(r["Properties"]["CodeUri"], r["Properties"]["Handler"])[0]
        for name, r in resources("AWS::Serverless::Function").items()
    }


class Resolver:
    """Resolves Ref/GetAtt/Sub against the physical names the local stack gave its resources."""

    def __init__(
        self,
        physical: dict[str, str],
        attributes: dict[tuple[str, str], str],
        region: str,
        account: str,
        overrides: dict[str, str],
    ):
        self.physical = physical
        self.attributes = attributes
        self.region = region
        self.account = account
        self.overrides = overrides
        self.parameters = {k: str(v.get("Default", "")) for k, v in load().get("Parameters", {}).items()}

    def ref(self, name: str) -> str:
        pseudo = {
            "AWS::Region": self.region,
            "AWS::AccountId": self.account,
            "AWS::StackName": "handoff-local",
        }
        if name in pseudo:
            return pseudo[name]
        if name in self.parameters:
            return self.parameters[name]
        if name in self.physical:
            return self.physical[name]
        raise KeyError(f"template reference {name} is not provisioned locally")

    def get_att(self, logical: str, attribute: str) -> str:
        if (logical, attribute) in self.attributes:
            return self.attributes[(logical, attribute)]
        return f"arn:aws:local:{self.region}:{self.account}:{self.ref(logical)}"

    def _sub(self, expression: str) -> str:
        logical, _, attribute = expression.partition(".")
        return (
            self.get_att(logical, attribute)
            if attribute and not logical.startswith("AWS::")
            else self.ref(logical)
        )

    def resolve(self, value: Any) -> Any:
        if isinstance(value, dict) and len(value) == 1:
            ((key, arg),) = value.items()
            if key == "Ref":
                return self.ref(arg)
            if key == "Fn::GetAtt":
                return self.get_att(arg[0], arg[1])
            if key == "Fn::Sub":
                text = arg if isinstance(arg, str) else arg[0]
                return re.sub(r"\$\{([^}]+)\}", lambda m: self._sub(m.group(1)), text)
        if isinstance(value, dict):
            return {k: self.resolve(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.resolve(v) for v in value]
        return value

    def function_environment(self) -> dict[str, str]:
        """Globals plus every function's variables (one process hosts them all, so they must agree)."""
        env: dict[str, str] = {}
        sources = [load().get("Globals", {}).get("Function", {})]
        sources += [r["Properties"] for r in resources("AWS::Serverless::Function").values()]
        for source in sources:
            for key, raw in ((source.get("Environment") or {}).get("Variables") or {}).items():
                value = self.overrides[key] if key in self.overrides else str(self.resolve(raw))
                if env.get(key, value) != value:
                    raise ValueError(
                        f"functions disagree on {key}; the local stack hosts them in one process"
                    )
                env[key] = value
        return env
