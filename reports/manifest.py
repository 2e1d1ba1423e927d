"""A SHA-256 manifest of a run's bundle, and the check that nothing changed since.

The chicken-and-egg of "the manifest's own hash printed in the report": the
report cannot contain the hash of a manifest that lists the report.  So the
bundle is sealed in two layers:

1. the *evidence digest*: SHA-256 of the canonical list (path, hash) of every
   file except the report and the manifest.  It is printed in the report;
2. ``manifest.json``: every file of the bundle, the report included, plus the
   evidence digest.  ``verify`` prints the manifest's own SHA-256, which the lab
   records outside the bundle (ticket, e-mail, signed log) — that is the anchor.

``verify`` names every file that was changed, added or removed, and also checks
that the evidence digest still matches both the manifest and the report.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST = "manifest.json"
REPORT_FILES = ("certification.html", "certification.pdf")
SCHEMA = "h680-hil/manifest/1"


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def hash_tree(root: Path, exclude: tuple[str, ...] = (MANIFEST,)) -> dict[str, str]:
    """``relative path -> sha256`` of every regular file under ``root`` (sockets, fifos and
    the names in ``exclude``, relative to the root, are left out; symlinks are not followed)."""
    root = Path(root)
    out: dict[str, str] = {}
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root).as_posix()
        if rel in exclude or p.is_symlink() or not p.is_file():
            continue
        out[rel] = sha256_file(p)
    return out


def digest(entries: dict[str, str]) -> str:
    """One hash for a set of files: SHA-256 of ``"<sha256>  <path>\\n"`` lines in path order."""
    text = "".join(f"{h}  {p}\n" for p, h in sorted(entries.items()))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def evidence_entries(root: Path) -> dict[str, str]:
    return hash_tree(root, exclude=(MANIFEST, *REPORT_FILES))


def write(root: Path, evidence_digest: str) -> str:
    """Write ``manifest.json`` over the whole bundle; returns the manifest file's own SHA-256."""
    root = Path(root)
    files = hash_tree(root)
    doc = {"schema": SCHEMA, "algorithm": "sha256",
           "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
           "evidence_digest": evidence_digest, "report_files": list(REPORT_FILES), "files": files}
    (root / MANIFEST).write_text(json.dumps(doc, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    return sha256_file(root / MANIFEST)


@dataclass
class Verification:
    manifest_sha256: str = ""
    changed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.changed or self.added or self.removed or self.problems)

    def lines(self) -> list[str]:
        out = [f"manifest sha256: {self.manifest_sha256 or '-'}"]
        out += [f"CHANGED  {p}" for p in self.changed]
        out += [f"ADDED    {p}" for p in self.added]
        out += [f"REMOVED  {p}" for p in self.removed]
        out += [f"PROBLEM  {p}" for p in self.problems]
        out.append("OK: every file matches the manifest" if self.ok else
                   f"FAILED: {len(self.changed)} changed, {len(self.added)} added, {len(self.removed)} removed, "
                   f"{len(self.problems)} other problem(s)")
        return out


def verify(root: Path) -> Verification:
    root = Path(root)
    v = Verification()
    path = root / MANIFEST
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        recorded: dict[str, str] = dict(doc["files"])
    except FileNotFoundError:
        v.problems.append(f"{MANIFEST} is missing: the bundle was never certified (or the manifest was removed)")
        return v
    except (OSError, ValueError, KeyError, TypeError) as exc:
        v.problems.append(f"{MANIFEST} cannot be read: {exc}")
        return v
    v.manifest_sha256 = sha256_file(path)
    current = hash_tree(root)
    v.changed = sorted(p for p in recorded.keys() & current.keys() if recorded[p] != current[p])
    v.added = sorted(current.keys() - recorded.keys())
    v.removed = sorted(recorded.keys() - current.keys())
    report_files = set(doc.get("report_files", REPORT_FILES))
    recorded_digest = digest({p: h for p, h in recorded.items() if p not in report_files})
    if recorded_digest != doc.get("evidence_digest"):
        v.problems.append("the manifest's file list no longer gives the evidence digest it records "
                          "(the manifest was edited)")
    html = root / "certification.html"
    if html.is_file() and doc.get("evidence_digest", "") not in html.read_text(encoding="utf-8", errors="replace"):
        v.problems.append("certification.html does not show the manifest's evidence digest")
    return v
