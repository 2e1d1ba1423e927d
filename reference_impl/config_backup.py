"""Configuration backup (manual §6.3): the BIN file of the whole configuration, and CFG sections.

BIN is the phone's own container, not meant to be edited: a magic line, then
zlib-compressed JSON holding the model it came from and the complete CFG text,
then a SHA-256 of everything before it.  Importing a BIN *replaces* the
configuration: settings the file leaves out go back to their defaults.  The
file is checked whole (marker, checksum, model, every value) before anything
changes.

CFG export can be limited to the manual's two parts: the network
configuration and the SIP configuration (the accounts and the SIP settings).
"""
from __future__ import annotations

import hashlib
import json
import zlib

from .schema import SCHEMA

BIN_MAGIC = b"H680BIN1\n"
CFG_SECTIONS = {
    "network": ("network.",),
    "sip": ("account.", "sip."),
}


class BackupRejected(ValueError):
    pass


def keys_of_sections(sections: list[str]) -> list[str]:
    """Schema keys of the chosen CFG sections; refuses an unknown section by name."""
    unknown = [s for s in sections if s not in CFG_SECTIONS]
    if unknown:
        raise BackupRejected(f"unknown CFG section(s) {', '.join(unknown)}; allowed: {', '.join(CFG_SECTIONS)}")
    prefixes = tuple(p for s in sections for p in CFG_SECTIONS[s])
    return [k for k in SCHEMA if k.startswith(prefixes)]


def pack_bin(model: str, firmware: str, cfg_text: str) -> bytes:
    body = zlib.compress(json.dumps({"model": model, "firmware": firmware, "cfg": cfg_text}).encode())
    blob = BIN_MAGIC + body
    return blob + hashlib.sha256(blob).digest()


def unpack_bin(data: bytes, model: str) -> str:
    """The CFG text inside a BIN file made for ``model``; raises BackupRejected with the reason."""
    if not data.startswith(BIN_MAGIC):
        raise BackupRejected("not an H680 BIN configuration file")
    blob, digest = data[:-32], data[-32:]
    if len(data) < len(BIN_MAGIC) + 32 or hashlib.sha256(blob).digest() != digest:
        raise BackupRejected("the BIN file is damaged: its checksum does not match")
    try:
        content = json.loads(zlib.decompress(blob[len(BIN_MAGIC):]))
        source_model, cfg = str(content["model"]), str(content["cfg"])
    except (zlib.error, ValueError, KeyError, TypeError):
        raise BackupRejected("the BIN file's content cannot be read") from None
    if source_model.rstrip("WL") != model.rstrip("WL"):
        raise BackupRejected(f"the BIN file comes from a {source_model}; this phone is a {model}")
    return cfg
