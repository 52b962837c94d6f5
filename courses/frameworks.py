"""Reads the frameworks the track is mapped to (fixtures/frameworks/*.yaml, beside the track) and checks the
`frameworks:` references in topic and lesson front matter against them (format in docs/frameworks.md).

Pure like courses.track: it touches no database and reports every fault with the file it is in.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml

FRAMEWORK_KEY = re.compile(r"^[A-Z0-9]+(?:-[A-Z0-9]+)*$")
ITEM_CODE = re.compile(r"^[A-Za-z0-9]+(?:[.-][A-Za-z0-9]+)*$")
REFERENCE = re.compile(r"^([A-Z0-9]+(?:-[A-Z0-9]+)*):([A-Za-z0-9]+(?:[.-][A-Za-z0-9]+)*)$")
FRAMEWORK_KEYS = {"key", "title", "short_title", "edition", "publisher", "url", "position", "summary", "items"}
ITEM_KEYS = {"code", "label", "title", "kind", "parent", "description", "note"}


@dataclass
class FrameworkItemSpec:
    code: str
    label: str
    title: str
    kind: str
    description: str
    parent: str | None
    note: str
    position: int
    mappable: bool = True  # an item with no children; groupings (a function, a clause) are not mapped

    def fingerprint(self) -> str:
        return _fingerprint(asdict(self))


@dataclass
class FrameworkSpec:
    path: str
    key: str
    slug: str
    title: str
    short_title: str
    edition: str
    publisher: str
    url: str
    summary: str
    position: int
    items: list[FrameworkItemSpec] = field(default_factory=list)

    def fingerprint(self) -> str:
        return _fingerprint(asdict(self) | {"path": None, "items": None})

    def item(self, code: str) -> FrameworkItemSpec | None:
        return next((item for item in self.items if item.code == code), None)


def _fingerprint(data: dict) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def _text(data: dict, key: str, *, required: bool = True) -> str | None:
    value = data.get(key)
    if value is None:
        value = ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or (required and not value.strip()):
        return None
    return " ".join(value.split())


def read_frameworks(folder: Path, rel) -> tuple[list[FrameworkSpec], list[str]]:
    """Every framework file in `folder` (none if the folder is absent), and the faults found in them."""
    frameworks: list[FrameworkSpec] = []
    faults: list[str] = []
    if not folder.is_dir():
        return frameworks, faults
    keys: dict[str, str] = {}
    for path in sorted(folder.glob("*.yaml")):
        where = rel(path)
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            faults.append(f"{where}: not valid YAML ({exc.__class__.__name__})")
            continue
        spec = _read_framework(path, where, data, faults)
        if spec is None:
            continue
        if spec.key in keys:
            faults.append(f"{where}: framework key '{spec.key}' is also used by {keys[spec.key]}")
            continue
        keys[spec.key] = where
        frameworks.append(spec)
    return sorted(frameworks, key=lambda f: (f.position, f.key)), faults


def _read_framework(path: Path, where: str, data, faults: list[str]) -> FrameworkSpec | None:
    if not isinstance(data, dict):
        faults.append(f"{where}: must be a mapping with 'key', 'title' and 'items'")
        return None
    before = len(faults)
    unknown = set(data) - FRAMEWORK_KEYS
    if unknown:
        faults.append(f"{where}: unknown keys {sorted(unknown)}")
    key = data.get("key")
    if not isinstance(key, str) or not FRAMEWORK_KEY.match(key):
        faults.append(f"{where}: 'key' must be capitals, digits and hyphens (like NIST-AI-RMF)")
    texts = {name: _text(data, name) for name in ("title", "short_title", "edition", "publisher", "url", "summary")}
    for name, value in texts.items():
        if value is None:
            faults.append(f"{where}: needs a non-empty '{name}'")
    position = data.get("position", 0)
    if not isinstance(position, int) or isinstance(position, bool):
        faults.append(f"{where}: 'position' must be a whole number")
    raw_items = data.get("items")
    if not isinstance(raw_items, list) or not raw_items:
        faults.append(f"{where}: needs a non-empty 'items' list")
        return None
    items = _read_items(where, raw_items, faults)
    if len(faults) > before:
        return None
    return FrameworkSpec(path=where, key=key, slug=path.stem, position=position, items=items, **texts)


def _read_items(where: str, raw_items: list, faults: list[str]) -> list[FrameworkItemSpec]:
    items: list[FrameworkItemSpec] = []
    codes: set[str] = set()
    for number, raw in enumerate(raw_items, 1):
        if not isinstance(raw, dict):
            faults.append(f"{where}: item {number} must be a mapping")
            continue
        code = raw.get("code")
        label = f"item {number}" if not isinstance(code, str) else f"item {code}"
        unknown = set(raw) - ITEM_KEYS
        if unknown:
            faults.append(f"{where}: {label}: unknown keys {sorted(unknown)}")
        if not isinstance(code, str) or not ITEM_CODE.match(code):
            faults.append(f"{where}: {label}: 'code' must be letters and digits joined by dots or hyphens")
            continue
        if code in codes:
            faults.append(f"{where}: {label}: the code is used twice")
            continue
        texts = {name: _text(raw, name) for name in ("label", "kind", "description")}
        for name, value in texts.items():
            if value is None:
                faults.append(f"{where}: {label}: needs a non-empty '{name}'")
        title, note = _text(raw, "title", required=False), _text(raw, "note", required=False)
        if title is None or note is None:
            faults.append(f"{where}: {label}: 'title' and 'note' must be text")
        parent = raw.get("parent")
        if parent is not None and parent not in codes:
            faults.append(f"{where}: {label}: parent {parent!r} is not an item listed before it")
        codes.add(code)
        label_text, kind, description = texts["label"], texts["kind"], texts["description"]
        if label_text and kind and description and title is not None and note is not None:
            items.append(
                FrameworkItemSpec(
                    code=code,
                    label=label_text,
                    title=title,
                    kind=kind,
                    description=description,
                    parent=parent,
                    note=note,
                    position=number,
                )
            )
    parents = {item.parent for item in items}
    for item in items:
        item.mappable = item.code not in parents
    return items


def read_references(where: str, meta: dict, faults: list[str]) -> list[str]:
    """The `frameworks:` list of a topic or lesson, in shape only (existence is checked later)."""
    value = meta.get("frameworks")
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(ref, str) for ref in value):
        faults.append(f"{where}: 'frameworks' must be a list like [NIST-AI-RMF:MEASURE-2.7, EU-AI-ACT:Art-15]")
        return []
    refs: list[str] = []
    for ref in value:
        ref = ref.strip()
        if not REFERENCE.match(ref):
            faults.append(f"{where}: framework reference {ref!r} is not FRAMEWORK:ITEM (like ISO-42001:A.6.2.4)")
        elif ref in refs:
            faults.append(f"{where}: framework reference {ref!r} is listed twice")
        else:
            refs.append(ref)
    return refs


def check_references(frameworks: list[FrameworkSpec], topics) -> list[str]:
    """Faults for references that name no framework, no item, or a grouping item; and for a lesson
    repeating an item its topic already maps."""
    by_key = {framework.key: framework for framework in frameworks}
    faults: list[str] = []

    def check(where: str, refs: list[str]) -> None:
        for ref in refs:
            key, code = ref.split(":", 1)
            framework = by_key.get(key)
            if framework is None:
                known = ", ".join(sorted(by_key)) or "none"
                faults.append(f"{where}: unknown framework in {ref!r} (known: {known})")
                continue
            item = framework.item(code)
            if item is None:
                faults.append(f"{where}: unknown framework item {ref!r} ({framework.path} has no item '{code}')")
            elif not item.mappable:
                faults.append(f"{where}: {ref!r} groups other items; map the specific items under it instead")

    for topic in topics:
        check(f"{topic.path}/topic.md", topic.frameworks)
        for lesson in topic.lessons:
            check(lesson.path, lesson.frameworks)
            for ref in sorted(set(lesson.frameworks) & set(topic.frameworks)):
                faults.append(f"{lesson.path}: {ref!r} is already mapped by its topic.md")
    return faults
