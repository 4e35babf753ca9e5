"""Reading a YAML text within limits, before anything is built from it.

YAML can say a great deal in a few bytes: nine lines of aliases («billion
laughs») stand for 387 million strings, and 50.000 `[` make the recursive
composer (libyaml's, and PyYAML's own) overflow the C stack and kill the
process. So the text is first read as a stream of events, which both parsers
produce with a loop and constant memory, counting depth, values (an alias
counts as everything it repeats) and text lengths, and stopping at the first
limit broken. Only a text that keeps every limit is composed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from cchc.core.numbers import format_number
from cchc.core.template_limits import MAX_TEXT_CHARS, MAX_YAML_DEPTH, MAX_YAML_NODES

__all__ = ["YamlLimitError", "check_yaml_limits"]


class YamlLimitError(ValueError):
    """A limit the text breaks, with the line and key path where it was broken."""

    def __init__(self, message: str, line: int | None, path: tuple[Any, ...]) -> None:
        self.message, self.line, self.path = message, line, path
        super().__init__(message)


@dataclass
class _Open:
    """A list or mapping being read: where the reader is inside it."""

    mapping: bool
    anchor: str | None
    first_node: int
    position: int = 0  # index in a list; in a mapping, even on a key, odd on a value
    key: Any = None


@dataclass
class _Walk:
    stack: list[_Open] = field(default_factory=list)
    nodes: int = 0
    sizes: dict[str, int] = field(default_factory=dict)  # anchor → values it stands for

    def path(self) -> tuple[Any, ...]:
        return tuple(
            (o.key if o.key is not None else "?") if o.mapping else o.position for o in self.stack
        )

    def count(self, n: int, event: yaml.Event, alias: str | None = None) -> None:
        self.nodes += n
        if self.nodes > MAX_YAML_NODES:
            repeated = f" (kể cả những gì bí danh «*{alias}» lặp lại)" if alias else ""
            raise self.refuse(
                f"quá nhiều giá trị: hơn {format_number(MAX_YAML_NODES)} giá trị{repeated}",
                event,
            )

    def refuse(self, message: str, event: yaml.Event) -> YamlLimitError:
        line = event.start_mark.line + 1 if event.start_mark else 0
        return YamlLimitError(message, line, self.path())

    def done(self, key: Any = None) -> None:
        """A whole node was read: the enclosing list or mapping moves on."""
        if self.stack:
            top = self.stack[-1]
            if top.mapping and top.position % 2 == 0:
                top.key = key
            elif top.mapping:
                top.key = None
            top.position += 1


def _on_event(walk: _Walk, event: yaml.Event) -> None:
    if isinstance(event, yaml.ScalarEvent):
        walk.count(1, event)
        if len(event.value) > MAX_TEXT_CHARS:
            raise walk.refuse(
                f"chuỗi dài {format_number(len(event.value))} ký tự, quá giới hạn "
                f"{format_number(MAX_TEXT_CHARS)} ký tự",
                event,
            )
        if event.anchor:
            walk.sizes[event.anchor] = 1
        walk.done(event.value)
    elif isinstance(event, yaml.AliasEvent):
        if any(o.anchor == event.anchor for o in walk.stack):
            raise walk.refuse(f"bí danh «*{event.anchor}» lặp lại chính nút chứa nó", event)
        walk.count(walk.sizes.get(event.anchor or "", 1), event, event.anchor)
        walk.done("*")
    elif isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
        walk.count(1, event)
        if len(walk.stack) >= MAX_YAML_DEPTH:
            raise walk.refuse(
                f"lồng quá sâu: quá {MAX_YAML_DEPTH} mức danh sách, bảng khóa trong nhau", event
            )
        mapping = isinstance(event, yaml.MappingStartEvent)
        walk.stack.append(_Open(mapping, event.anchor, walk.nodes))
    elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
        closed = walk.stack.pop()
        if closed.anchor:
            walk.sizes[closed.anchor] = walk.nodes - closed.first_node + 1
        walk.done("?")


def check_yaml_limits(text: str, loader: type) -> None:
    """Raise YamlLimitError at the first limit `text` breaks; a YAMLError if it is not YAML."""
    walk = _Walk()
    for event in yaml.parse(text, Loader=loader):
        _on_event(walk, event)
