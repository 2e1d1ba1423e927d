"""Trusted certificates (manual §6.7): which servers the phone's TLS connections accept.

Three settings (web Security -> Trusted certificates):

* ``cert.only_trusted``: a server certificate must chain to a trusted CA;
  off, any certificate is taken (the factory state of many desk phones);
* ``cert.common_name_validation``: the certificate's CN/SAN must name the host
  the phone connected to;
* ``cert.ca_set``: which CAs are trusted -- the built-in set (this machine's
  system CAs stand in for the vendor's), the uploaded ones, or both.

The settings take effect after a reboot (REQ-CERT-03): the phone builds its
TLS context from the values it booted with.  Uploaded CA files (.pem, .crt,
.cer, .der; PEM or DER inside) are checked to hold certificates and stored as
PEM in the data directory.
"""
from __future__ import annotations

import re
import ssl
from dataclasses import dataclass
from pathlib import Path

EXTENSIONS = (".pem", ".crt", ".cer", ".der")
MAX_BYTES = 256 * 1024
_PEM = re.compile(rb"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.DOTALL)


class CertificateRejected(ValueError):
    pass


@dataclass(frozen=True)
class TrustSettings:
    only_trusted: bool
    check_name: bool
    ca_set: str   # "Default", "Custom" or "All"

    @classmethod
    def from_config(cls, config: dict) -> "TrustSettings":
        return cls(bool(config["cert.only_trusted"]), bool(config["cert.common_name_validation"]),
                   str(config["cert.ca_set"]))


def to_pem(data: bytes, filename: str) -> str:
    """The certificates of an uploaded file as PEM text; raises CertificateRejected with the reason."""
    suffix = Path(filename or "").suffix.lower()
    if suffix not in EXTENSIONS:
        raise CertificateRejected(f"{filename!r}: only {', '.join(EXTENSIONS)} files hold certificates")
    if len(data) > MAX_BYTES:
        raise CertificateRejected(f"{filename!r} is {len(data)} bytes; at most {MAX_BYTES}")
    blocks = _PEM.findall(data)
    pem = "".join(b.decode("ascii", "replace") + "\n" for b in blocks)
    if not blocks:
        try:
            pem = ssl.DER_cert_to_PEM_cert(data)
        except (ValueError, TypeError):
            raise CertificateRejected(f"{filename!r} holds no certificate (neither PEM nor DER)") from None
    try:
        ssl.create_default_context().load_verify_locations(cadata=pem)
    except ssl.SSLError as exc:
        raise CertificateRejected(f"{filename!r} holds no valid certificate: {exc.reason or exc}") from None
    return pem


def store(cert_dir: Path, filename: str, pem: str) -> Path:
    cert_dir.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]", "_", Path(filename).stem)[:40] or "ca"
    path = cert_dir / f"{name}.pem"
    path.write_text(pem)
    return path


def uploaded(cert_dir: Path) -> list[str]:
    return sorted(p.name for p in cert_dir.glob("*.pem")) if cert_dir.is_dir() else []


def client_context(settings: TrustSettings, cert_dir: Path) -> ssl.SSLContext:
    """The TLS client context for HTTPS provisioning, HTTPS Action URL and LDAPS."""
    if not settings.only_trusted:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        return ctx
    ctx = ssl.create_default_context() if settings.ca_set in ("Default", "All") else \
        ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    if settings.ca_set in ("Custom", "All"):
        for name in uploaded(cert_dir):
            ctx.load_verify_locations(cafile=str(cert_dir / name))
    ctx.check_hostname = settings.check_name
    ctx.verify_mode = ssl.CERT_REQUIRED
    return ctx
