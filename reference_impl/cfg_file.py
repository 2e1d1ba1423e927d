"""CFG files: the manual's ``section.key = value`` text, read and written.

The same parser serves the web's CFG import (§6.3) and auto-provisioning
(§6.4), so its refusals have to be useful to someone editing a file by hand:
it reads the *whole* file, collects *every* problem with its line number and
key, and either returns all the values or raises one ``CfgError`` listing them
all.  Nothing is ever half-applied -- the caller applies the returned dict in
one storage transaction.

File syntax accepted:

* one ``key = value`` per line; spaces around ``=`` and at the line ends are
  ignored; the value is everything after the first ``=`` (so it may contain
  ``=`` or ``#``: there are no inline comments -- passwords may hold ``#``);
* blank lines, and lines starting with ``#`` or ``;`` are comments -- this
  covers a header such as ``#!version:1.0.0.1``;
* UTF-8, with or without a byte-order mark; LF or CRLF line ends;
* values are not unquoted: ``"bob"`` means the five characters ``"bob"``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from .schema import (
    INTERFACES,
    SCHEMA,
    SECTION_TITLES,
    ConfigValueError,
    defaults,
    rule_problems,
    section_of,
    suggest,
)

DEFAULT_HEADER = "#!version:1.0.0.1"


@dataclass
class CfgProblem:
    """One thing wrong in a CFG file, at a line (1-based; 0 = the file as a whole)."""

    line: int
    key: str | None
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        key = f"{self.key}: " if self.key else ""
        return f"{where}{key}{self.message}"


class CfgError(ValueError):
    """A CFG file that was refused as a whole; ``problems`` lists every reason."""

    def __init__(self, source: str, problems: list[CfgProblem]):
        self.source = source
        self.problems = list(problems)
        count = len(self.problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(
            f"{source}: {count} problem{'s' if count != 1 else ''}, nothing was applied:\n{lines}"
        )


def _decode(text: str | bytes, source: str) -> str:
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise CfgError(source, [CfgProblem(0, None, f"is not UTF-8 text ({exc.reason} "
                                                       f"at byte {exc.start})")]) from None
    return text.removeprefix("\ufeff")


def parse_cfg(
    text: str | bytes,
    source: str = "<cfg>",
    where: str = "cfg",
    base: dict[str, object] | None = None,
) -> dict[str, object]:
    """Read a CFG file; return ``{key: value}`` for the keys it sets, or raise ``CfgError``.

    ``where`` is the interface the file comes through; keys that interface may
    not change are refused.  ``base`` is the configuration the file will be
    applied on (the phone's current values; factory defaults if omitted): the
    cross-field rules (T2 >= T1, static IP fields ...) are checked on ``base``
    updated with the file, and a broken rule is reported at the line of a key
    the file sets.  Rules already broken by ``base`` alone are not the file's
    fault and are not reported.
    """
    if where not in INTERFACES:
        raise ValueError(f"where must be one of {sorted(INTERFACES)}, not {where!r}")
    body = _decode(text, source)
    problems: list[CfgProblem] = []
    values: dict[str, object] = {}
    first_line: dict[str, int] = {}

    for number, line in enumerate(body.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped[0] in "#;":
            continue
        key, sep, raw = stripped.partition("=")
        key, raw = key.strip(), raw.strip()
        if not sep:
            problems.append(CfgProblem(number, None,
                                       f"not a 'key = value' line: {_shorten(stripped)!r}"))
            continue
        if not key:
            problems.append(CfgProblem(number, None, f"no key before '=': {_shorten(stripped)!r}"))
            continue
        setting = SCHEMA.get(key)
        if setting is None:
            hint = suggest(key)
            problems.append(CfgProblem(number, key, "unknown key"
                                       + (f" (did you mean {hint}?)" if hint else "")))
            continue
        if key in first_line:
            problems.append(CfgProblem(number, key,
                                       f"duplicate key (already set on line {first_line[key]})"))
            continue
        first_line[key] = number
        if where not in setting.where:
            problems.append(CfgProblem(number, key, f"cannot be set through {where} "
                                       f"(only through: {', '.join(sorted(setting.where))})"))
            continue
        try:
            values[key] = setting.parse(raw)
        except ConfigValueError as exc:
            problems.append(CfgProblem(number, key, exc.reason))

    merged = {**(base if base is not None else defaults()), **values}
    for keys, message in rule_problems(merged):
        in_file = [k for k in keys if k in first_line]
        if in_file:
            key = in_file[0]
            problems.append(CfgProblem(first_line[key], key, message.removeprefix(f"{key}: ")))

    if problems:
        problems.sort(key=lambda p: p.line)
        raise CfgError(source, problems)
    return values


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def export_cfg(
    values: dict[str, object],
    keys: Iterable[str] | None = None,
    header: str | None = None,
) -> str:
    """Write ``values`` as a CFG file that ``parse_cfg`` reads back to the same values.

    Every schema key (or only ``keys``) in schema order, grouped by section
    under a comment naming it.  A key missing from ``values`` is written with
    its default.  ``header`` (e.g. ``DEFAULT_HEADER``), if given, becomes the first line,
    turned into a comment (``# ...``) unless it already is one.
    """
    wanted = list(SCHEMA) if keys is None else list(keys)
    unknown = [k for k in wanted if k not in SCHEMA]
    if unknown:
        raise KeyError(f"not settings of this phone: {', '.join(unknown)}")
    chosen = set(wanted)
    lines: list[str] = []
    if header:  # always a comment line, so the file still parses
        lines.append(header if header.startswith(("#", ";")) else f"# {header}")
    current: str | None = None
    for key, setting in SCHEMA.items():
        if key not in chosen:
            continue
        section = section_of(key)
        if section != current:
            if lines:
                lines.append("")
            lines.append(f"# --- {SECTION_TITLES.get(section, section)} ---")
            current = section
        value = values.get(key, setting.default)
        lines.append(f"{key} = {setting.format(value)}".rstrip())
    return "\n".join(lines) + "\n"
