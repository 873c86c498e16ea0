"""Reading scenarios from YAML files, dicts and `--set key.path=value` overrides."""

from __future__ import annotations

import copy
import difflib
import re
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from adoption.config.scenario import Scenario
from adoption.config.writing import commented_yaml
from adoption.errors import InputError

ScenarioSource = str | Path | Mapping[str, Any] | Scenario | None
RULE_TAGS = ("acceptance", "bass", "threshold", "contagion")
Overrides = Iterable[str] | Mapping[str, Any] | None
MAX_YAML_DEPTH = 40
"""Deepest nesting a scenario file may have (the schema itself needs about six levels)."""
MAX_YAML_NODES = 100_000
"""Most values a scenario may expand to, aliases counted each time they are used."""
MAX_YAML_TEXT = 10_000_000
"""Most characters of text (keys and values) a scenario may expand to, aliases counted
each time they are used: a long string aliased many times is as large as its copies."""


class BoundedLoader(yaml.SafeLoader):
    """A safe YAML loader that refuses what no scenario needs but a hostile file uses.

    Refused: nesting deeper than `MAX_YAML_DEPTH` (a stack overflow otherwise), a
    document that expands to more than `MAX_YAML_NODES` values or `MAX_YAML_TEXT`
    characters once aliases are followed (an alias bomb: a few hundred bytes that
    expand to billions of values, or one long string aliased into gigabytes), and a
    key repeated within one mapping (YAML would silently keep the last value).
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        self._depth += 1
        try:
            if self._depth > MAX_YAML_DEPTH:
                raise yaml.composer.ComposerError(
                    None,
                    None,
                    f"nested deeper than {MAX_YAML_DEPTH} levels",
                    self.peek_event().start_mark,
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def compose_document(self) -> yaml.Node:
        node = super().compose_document()
        sizes: dict[int, tuple[int, int]] = {}

        def expanded(item: yaml.Node) -> tuple[int, int]:
            """(values, characters) of `item` once every alias in it is followed."""
            # the document is a DAG (aliases share nodes): memoise by identity
            if id(item) not in sizes:
                sizes[id(item)] = (0, 0)  # a recursive alias counts once, not forever
                if isinstance(item, yaml.ScalarNode):
                    total = (1, len(item.value))
                else:
                    children = (
                        item.value
                        if isinstance(item, yaml.SequenceNode)
                        else [child for pair in item.value for child in pair]
                    )
                    parts = [expanded(child) for child in children]
                    total = (1 + sum(p[0] for p in parts), sum(p[1] for p in parts))
                sizes[id(item)] = (
                    min(total[0], MAX_YAML_NODES + 1),
                    min(total[1], MAX_YAML_TEXT + 1),
                )
            return sizes[id(item)]

        values, characters = expanded(node) if node is not None else (0, 0)
        if values > MAX_YAML_NODES:
            raise yaml.composer.ComposerError(
                None,
                None,
                f"the document expands to more than {MAX_YAML_NODES:,} values "
                "(aliases nested in aliases?)",
                node.start_mark,
            )
        if characters > MAX_YAML_TEXT:
            raise yaml.composer.ComposerError(
                None,
                None,
                f"the document expands to more than {MAX_YAML_TEXT:,} characters of text "
                "(a long value repeated through aliases?)",
                node.start_mark,
            )
        return node

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=True)
            try:
                first = seen.setdefault(key, key_node.start_mark.line + 1)
            except TypeError:
                continue  # an unhashable key: the base class says so
            if first != key_node.start_mark.line + 1:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"key '{key}' appears twice in one mapping (first on line {first})",
                    key_node.start_mark,
                )
        return super().construct_mapping(node, deep=deep)


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
    if not isinstance(source, str | Path):
        raise InputError(
            "scenario: expected a YAML file path, a mapping or a Scenario, "
            f"got {type(source).__name__}"
        )
    path = Path(source)
    if not path.is_file():
        raise InputError(f"scenario file '{path}' not found")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    data = _parse_yaml(text, str(path))
    if not data:
        raise InputError(f"scenario file '{path}' is empty")
    return data, str(path), path.resolve().parent


def scenario_from_text(data: bytes, origin: str) -> Scenario:
    """A validated scenario from a file's bytes (an upload), with the messages the CLI
    gives for the same file: `origin` names it. Paths in it stay as written."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{origin}: not UTF-8 text (byte {exc.start})") from None
    raw = _parse_yaml(text, origin)
    if not raw:
        raise InputError(f"scenario file '{origin}' is empty")
    return _validate(raw, origin)


def parse_yaml_text(text: str) -> Any:
    """YAML text to Python values through the bounded loader (raises `yaml.YAMLError`)."""
    return yaml.load(text, Loader=BoundedLoader)  # a SafeLoader subclass: safe


def _parse_yaml(text: str, origin: str) -> dict[str, Any]:
    try:
        data = parse_yaml_text(text)
    except RecursionError:
        raise InputError(f"{origin}: invalid YAML: nested too deeply") from None
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
            value = parse_yaml_text(text) if text.strip() else ""
        except (yaml.YAMLError, RecursionError):
            value = text
        pairs.append((path.strip(), value))
    return pairs


KEY_PART = re.compile(r"\[([^\[\]]+)\]|([^.\[\]]+)")


def key_parts(dotted: str) -> list[str]:
    """'a.b.c' -> [a, b, c]; a bracketed part may hold dots: 'u[tool.x].low' -> [u, tool.x, low].

    Brackets name keys that contain dots, such as an uncertainty's field path.
    """
    parts, position = [], 0
    while position < len(dotted):
        match = KEY_PART.match(dotted, position)
        if match is None:
            raise InputError(
                f"--set {dotted}: cannot read the key path at character {position + 1} "
                "(expected key.path or key[dotted.name].path)"
            )
        parts.append(match.group(1) or match.group(2))
        position = match.end()
        if position < len(dotted) and dotted[position] == "." and dotted[position + 1 :][:1]:
            position += 1
        elif position < len(dotted) and dotted[position] != "[":
            raise InputError(f"--set {dotted}: expected '.' or '[' at character {position + 1}")
    if not parts:
        raise InputError(f"--set {dotted!r}: expected key.path=value")
    return parts


def _set_path(raw: dict[str, Any], dotted: str, value: Any) -> None:
    node = raw
    parts = key_parts(dotted)
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
    """The fully resolved scenario as YAML, defaults included, in schema order, each
    field under a comment with its label, unit and source."""
    return commented_yaml(scenario.model_dump(mode="json"), Scenario.model_json_schema())
