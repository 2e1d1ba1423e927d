"""Lab (bench) configuration: read a bench YAML, check it all, or stop the run with a clear list.

A QA engineer writes a bench file by hand, usually by copying ``reference.yaml``.
When they get it wrong the run must stop before the first scenario, with a
message they can act on without reading this code: the file, the line, the
dotted field (``phones.A.ip``), the bad value and what the field accepts.
Every problem is listed at once, so one edit-run cycle fixes them all.

The YAML is read with a narrowed set of implicit types (see ``_BenchYamlLoader``)
so that values a bench holds -- MACs, passwords, user names -- stay the text
that was written.

    lab = load_lab("lab_config/reference.yaml")
    lab.phone("A").ip   # IPv4Address('127.0.0.11')
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError

from drivers.errors import LabError
from lab_config.model import (
    NO_VALUE,
    TARGETS,
    Allowed,
    BenchParts,
    CaptureConfig,
    Lab,
    PeerAccount,
    PeersConfig,
    PhoneAccount,
    PhoneConfig,
    Problem,
    RegistrarConfig,
    SipUser,
    cross_check,
    dotted,
)

__all__ = [
    "REFERENCE_YAML", "LabConfigError", "load_lab", "Lab", "RegistrarConfig", "SipUser",
    "PhoneConfig", "PhoneAccount", "PeersConfig", "PeerAccount", "CaptureConfig",
]

REFERENCE_YAML = Path(__file__).with_name("reference.yaml")
"""The embedded default bench: everything on loopback, two phones, two soft-phone peers."""


class LabConfigError(LabError):
    """A bench file that cannot be used; ``problems`` holds one line per mistake."""

    def __init__(self, path: str | Path, problems: list[str]):
        self.path = Path(path)
        self.problems = list(problems)
        count = f"{len(problems)} problem" + ("" if len(problems) == 1 else "s")
        body = "\n".join(f"  {line}" for line in self.problems)
        super().__init__("lab config", f"{path}: {count} in this bench file\n{body}")


def load_lab(path: str | Path) -> Lab:
    """Read and check the bench file at ``path``; raise ``LabConfigError`` listing every problem."""
    path = Path(path)
    root, data = _parse(path, _read(path))
    lines = _key_lines(root)
    problems = list(_duplicate_keys(root, ()))
    if not isinstance(data, dict):
        shown = "the file is empty" if data is None else "the top level is not a mapping"
        problems.append(Problem((), shown, _describe(Lab, [])))
    else:
        try:
            lab = Lab.model_validate(data)
        except ValidationError as exc:
            problems += _problems_from(exc, data)
        else:
            if not problems:
                lab._source = path
                return lab
    raise LabConfigError(path, _render(path, problems, lines))


# --- reading the file ------------------------------------------------------------------


class _BenchYamlLoader(yaml.SafeLoader):
    """PyYAML's safe loader with YAML 1.2-like plain scalars.

    YAML 1.1 reads ``12:34:56:00:00:11`` as a base-60 integer, ``0123`` as octal
    83 and ``on`` as true.  A bench is full of such values (MACs, passwords), so
    only ``true``/``false``, ``null``/``~``/empty and plain decimal integers are
    typed here; everything else stays text, as the person wrote it.
    """

    yaml_implicit_resolvers: dict = {}


_BenchYamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
_BenchYamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^-?(?:0|[1-9][0-9]*)$"), list("-0123456789"))
_BenchYamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])
_BenchYamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:merge", re.compile(r"^(?:<<)$"), ["<"])


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        reason = f"no such file (looked for {path.absolute()})"
    except IsADirectoryError:
        reason = "this is a directory; give the path of a bench .yaml file"
    except UnicodeDecodeError as exc:
        reason = f"not UTF-8 text (byte {exc.start})"
    except OSError as exc:
        reason = f"cannot read it: {exc.strerror}"
    raise LabConfigError(path, [f"{path}: {reason}"])


def _parse(path: Path, text: str) -> tuple[yaml.Node | None, Any]:
    """Build the node tree (for line numbers) and the plain data from one YAML document."""
    loader = _BenchYamlLoader(text)
    try:
        root = loader.get_single_node()
        return root, (loader.construct_document(root) if root is not None else None)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        what = exc.problem or exc.context or "unreadable YAML"
        if exc.problem and exc.context:
            opened = f" on line {exc.context_mark.line + 1}" if exc.context_mark else ""
            what += f" ({exc.context}{opened})"
        raise LabConfigError(path, [f"{where}: YAML syntax error: {what}"]) from None
    except yaml.YAMLError as exc:
        raise LabConfigError(path, [f"{path}: YAML error: {exc}"]) from None
    finally:
        loader.dispose()


def _key_lines(node: yaml.Node | None, loc: tuple[str, ...] = ()) -> dict[tuple[str, ...], int]:
    """Map each path of keys (as text) to the 1-based line where it is written."""
    lines: dict[tuple[str, ...], int] = {}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            # A key written twice: YAML keeps the last, so its lines are the ones to show.
            here = loc + (str(key.value),)
            lines[here] = key.start_mark.line + 1
            lines.update(_key_lines(value, here))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            here = loc + (str(index),)
            lines[here] = item.start_mark.line + 1
            lines.update(_key_lines(item, here))
    return lines


def _duplicate_keys(node: yaml.Node | None, loc: tuple[str | int, ...]) -> list[Problem]:
    """PyYAML keeps the last of two equal keys silently; a bench file must not."""
    problems: list[Problem] = []
    if isinstance(node, yaml.MappingNode):
        first: dict[str, int] = {}
        for key, value in node.value:
            name = str(key.value)
            if name in first and name != "<<":
                problems.append(Problem(loc + (name,), f"key given twice (first on line "
                                        f"{first[name]}); YAML would keep only the last",
                                        "each key once in a mapping"))
            first.setdefault(name, key.start_mark.line + 1)
            problems += _duplicate_keys(value, loc + (name,))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            problems += _duplicate_keys(item, loc + (index,))
    return problems


# --- turning pydantic's errors into problems ------------------------------------------

_MESSAGES = {
    "missing": "missing (this field is required)",
    "extra_forbidden": "unknown key",
    "literal_error": "not one of the choices",
    "string_pattern_mismatch": "not in the expected form",
    "model_type": "not a mapping",
    "model_attributes_type": "not a mapping",
    "dict_type": "not a mapping",
    "list_type": "not a list",
}


def _problems_from(exc: ValidationError, data: dict) -> list[Problem]:
    problems: list[Problem] = []
    whole_bench_checked = False
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        if error["type"] == "lab_cross_check":
            whole_bench_checked |= loc == ()
            problems += [Problem(loc + p.loc, p.message, p.allowed, p.value)
                         for p in error["ctx"]["problems"]]
        else:
            problems.append(_problem_of(error, loc))
    if not whole_bench_checked:
        # pydantic skips Lab's own validator when a field failed: check what did validate.
        problems += cross_check(_valid_parts(data))
    return problems


def _problem_of(error: dict, loc: tuple[str | int, ...]) -> Problem:
    kind = error["type"]
    annotation, metadata, parent = _walk(loc)
    if kind == "extra_forbidden":
        fields = ", ".join(parent.model_fields) if parent else "?"
        allowed = f"the keys of this section: {fields}"
    else:
        allowed = _describe(annotation, metadata)
    message = _MESSAGES.get(kind) or _plain(error["msg"])
    keep_value = kind not in {"missing"} and loc[-1:] != ("password",)
    clean_loc = tuple(part for part in loc if part != "[key]")
    if loc[-1:] == ("[key]",):
        message = f"role name {message}"
    return Problem(clean_loc, message, allowed, error.get("input") if keep_value else NO_VALUE)


def _walk(loc: tuple[str | int, ...]) -> tuple[Any, list[Any], type[BaseModel] | None]:
    """Follow ``loc`` through Lab's type annotations to the field it names.

    Returns the field's type, its Annotated metadata (where ``Allowed`` lives)
    and the model that owns it.  An unknown key gives ``(None, [], owner)``.
    """
    annotation: Any = Lab
    metadata: list[Any] = []
    parent: type[BaseModel] | None = None
    index = 0
    while index < len(loc):
        annotation, extra = _unwrap(annotation)
        metadata += extra
        part = loc[index]
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            info = annotation.model_fields.get(part) if isinstance(part, str) else None
            if info is None:
                return None, [], annotation
            parent, annotation, metadata = annotation, info.annotation, list(info.metadata)
        elif get_origin(annotation) is dict:
            key_type, value_type = get_args(annotation)
            is_key = loc[index + 1: index + 2] == ("[key]",)
            annotation, metadata = (key_type if is_key else value_type), []
            index += is_key
        elif get_origin(annotation) is list:
            annotation, metadata = get_args(annotation)[0], []
        else:
            break
        index += 1
    annotation, extra = _unwrap(annotation)
    return annotation, metadata + extra, parent


def _unwrap(annotation: Any) -> tuple[Any, list[Any]]:
    metadata: list[Any] = []
    while hasattr(annotation, "__metadata__"):
        metadata += list(annotation.__metadata__)
        annotation = annotation.__origin__
    return annotation, metadata


def _describe(annotation: Any, metadata: list[Any]) -> str:
    """The words for what a field accepts: its ``Allowed`` marker, or what its type says."""
    for item in reversed(metadata):
        if isinstance(item, Allowed):
            return item.text
    if get_origin(annotation) is Literal:
        return "one of " + ", ".join(str(choice) for choice in get_args(annotation))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "a mapping with the keys " + ", ".join(annotation.model_fields)
    return getattr(annotation, "__name__", str(annotation))


def _plain(message: str) -> str:
    message = message.removeprefix("Value error, ")
    return message[:1].lower() + message[1:]


def _valid_parts(data: dict) -> BenchParts:
    """The sections of a failed bench that are valid on their own, for the cross-checks."""
    target = data.get("target")
    registrar, phones = data.get("registrar"), data.get("phones")
    users = registrar.get("users") if isinstance(registrar, dict) else None
    return BenchParts(
        target=target if target in TARGETS else None,
        registrar=_valid(RegistrarConfig, registrar),
        users=_valid(list[SipUser], users),
        phones={role: phone for role, raw in (phones.items() if isinstance(phones, dict) else ())
                if (phone := _valid(PhoneConfig, raw)) is not None},
        peers=_valid(PeersConfig, data.get("peers", {})),
        capture=_valid(CaptureConfig, data.get("capture", {})),
    )


def _valid(kind: Any, raw: Any) -> Any:
    try:
        return TypeAdapter(kind).validate_python(raw)
    except ValidationError:
        return None


# --- the message -----------------------------------------------------------------------


def _render(path: Path, problems: list[Problem], lines: dict[tuple[str, ...], int]) -> list[str]:
    """One line per problem, in file order: ``file:line: field = value: what; allowed: ...``."""
    rendered: dict[str, int] = {}
    for problem in problems:
        line = _line_of(problem.loc, lines)
        where = f"{path}:{line}" if line else str(path)
        field = dotted(problem.loc) or "(top level)"
        value = "" if problem.value is NO_VALUE else f" = {_short(problem.value)}"
        text = f"{where}: {field}{value}: {problem.message}; allowed: {problem.allowed}"
        rendered.setdefault(text, line or 0)
    return sorted(rendered, key=lambda text: rendered[text])


def _line_of(loc: tuple[str | int, ...], lines: dict[tuple[str, ...], int]) -> int | None:
    """The line of the deepest written key on ``loc`` (a missing field points at its section)."""
    keys = tuple(str(part) for part in loc)
    for end in range(len(keys), 0, -1):
        if keys[:end] in lines:
            return lines[keys[:end]]
    return None


def _short(value: Any) -> str:
    text = repr(str(value)) if not isinstance(value, (int, dict, list, type(None))) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
