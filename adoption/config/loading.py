"""Reading scenarios from YAML files, dicts and `--set key.path=value` overrides."""

from __future__ import annotations

import copy
import difflib
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from adoption.config.scenario import Scenario
from adoption.errors import InputError

ScenarioSource = str | Path | Mapping[str, Any] | Scenario | None
RULE_TAGS = ("acceptance", "bass", "threshold", "contagion")
Overrides = Iterable[str] | Mapping[str, Any] | None


def default_scenario_text() -> str:
    """The YAML text of the bundled default scenario."""
    return resources.files("adoption.config").joinpath("default.yaml").read_text("utf-8")


def load_scenario(source: ScenarioSource = None, overrides: Overrides = None) -> Scenario:
    """Return a validated scenario from a YAML path, a dict, a Scenario, or the default.

    `overrides` are ``"key.path=value"`` strings (values parsed as YAML) or a mapping of
    dotted paths to values; they are validated like the file. Raises `InputError` with
    a message naming the file or override, the key path and what was expected.
    """
    raw, origin, base_dir = _read_source(source)
    scenario = _validate(raw, origin)
    pairs = _parse_overrides(overrides)
    if pairs:
        for path, value in pairs:
            _set_path(raw, path, value)
        label = "--set " + ", ".join(f"{p}={v}" for p, v in pairs)
        scenario = _validate(raw, label)
    return _resolve_paths(scenario, base_dir)


def _read_source(source: ScenarioSource) -> tuple[dict[str, Any], str, Path]:
    if source is None:
        return _parse_yaml(default_scenario_text(), "the default scenario"), "default", Path.cwd()
    if isinstance(source, Scenario):
        return source.model_dump(mode="json"), "scenario", Path.cwd()
    if isinstance(source, Mapping):
        return copy.deepcopy(dict(source)), "scenario", Path.cwd()
    path = Path(source)
    if not path.is_file():
        raise InputError(f"scenario file '{path}' not found")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    return _parse_yaml(text, str(path)), str(path), path.resolve().parent


def _parse_yaml(text: str, origin: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise InputError(f"{origin}: {where}invalid YAML: {problem}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InputError(
            f"{origin}: expected a mapping of sections at the top level, got {type(data).__name__}"
        )
    return data


def _validate(raw: dict[str, Any], origin: str) -> Scenario:
    try:
        return Scenario.model_validate(raw)
    except ValidationError as exc:
        problems = [_describe(error) for error in exc.errors()]
        raise InputError(f"{origin}: " + "; ".join(problems)) from None


def _describe(error: Mapping[str, Any]) -> str:
    """One readable line for a pydantic error: key path, what was expected, what was given."""
    loc = [str(part) for part in error["loc"]]
    if loc[:1] == ["behaviour"] and len(loc) > 2 and loc[1] in RULE_TAGS:
        del loc[1]  # the rule's tag is not a key the user wrote
    path = ".".join(loc) or "(top level)"
    kind = error["type"]
    if kind == "extra_forbidden":
        return f"unknown key '{path}'{_suggestion(loc)}"
    if kind == "missing":
        return f"{path}: required but missing"
    message = error["msg"].removeprefix("Value error, ")
    given = error.get("input")
    if isinstance(given, dict | list):
        return f"{path}: {message}"
    return f"{path}: {message} (got {given!r})"


def _suggestion(loc: list[str]) -> str:
    """' (did you mean ...?)' for a misspelt key, found among the section's fields."""
    model: Any = Scenario
    for part in loc[:-1]:
        field = model.model_fields.get(part) if isinstance(model, type) else None
        if field is None:
            return ""
        annotation = field.annotation
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return ""
        model = annotation
    close = difflib.get_close_matches(loc[-1], list(model.model_fields), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _parse_overrides(overrides: Overrides) -> list[tuple[str, Any]]:
    if not overrides:
        return []
    if isinstance(overrides, Mapping):
        return list(overrides.items())
    pairs = []
    for item in overrides:
        path, sep, text = item.partition("=")
        if not sep or not path.strip():
            raise InputError(f"--set {item!r}: expected key.path=value")
        try:
            value = yaml.safe_load(text) if text.strip() else ""
        except yaml.YAMLError:
            value = text
        pairs.append((path.strip(), value))
    return pairs


def _set_path(raw: dict[str, Any], dotted: str, value: Any) -> None:
    node = raw
    parts = dotted.split(".")
    for depth, part in enumerate(parts[:-1]):
        child = node.setdefault(part, {})
        if not isinstance(child, dict):
            where = ".".join(parts[: depth + 1])
            raise InputError(f"--set {dotted}: '{where}' is a value, not a section")
        node = child
    node[parts[-1]] = value


def _resolve_paths(scenario: Scenario, base_dir: Path) -> Scenario:
    """Make the scenario's file paths absolute, relative to the scenario file."""
    fields = [(scenario.organisation, "org_chart"), (scenario.organisation, "collaboration_edges")]
    if scenario.network is not None:
        fields.append((scenario.network, "path"))
    for section, name in fields:
        path = getattr(section, name)
        if path is not None and not path.is_absolute():
            setattr(section, name, (base_dir / path).resolve())
    return scenario


def scenario_yaml(scenario: Scenario) -> str:
    """The fully resolved scenario as YAML, defaults included, in schema order."""
    return yaml.safe_dump(
        scenario.model_dump(mode="json"), sort_keys=False, allow_unicode=True, width=88
    )
