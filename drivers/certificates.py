"""Throw-away certificates for the bench's TLS servers (LDAPS/StartTLS, HTTPS provisioning).

A new CA is made at every start (EC P-256, valid two days) with the ``openssl`` command; its PEM is
what a phone is given to trust (§6.7), and a server certificate signed by it names the addresses
and host names the phone will connect to.
"""
from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

from .errors import LabError

PART = "throw-away CA"


def _openssl(args: list[str], cwd: Path) -> None:
    try:
        done = subprocess.run(["openssl", *args], cwd=cwd, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise LabError(PART, f"openssl {args[0]} could not run: {exc}") from None
    if done.returncode != 0:
        raise LabError(PART, f"openssl {' '.join(args[:2])} failed: {done.stderr.strip()[-500:]}")


def generate_ca(directory: Path, common_name: str = "h680-hil throw-away CA") -> tuple[Path, Path]:
    """A new self-signed CA (EC P-256, 2 days) in ``directory``: returns (ca.pem, ca.key)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    _openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
              "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", f"/CN={common_name}",
              "-addext", "basicConstraints=critical,CA:TRUE",
              "-addext", "keyUsage=critical,keyCertSign,cRLSign"], cwd=directory)
    return directory / "ca.pem", directory / "ca.key"


def generate_server_certificate(directory: Path, ca_pem: Path, ca_key: Path,
                                names: tuple[str, ...]) -> tuple[Path, Path]:
    """A server certificate signed by the CA for ``names`` (IP addresses and/or DNS names): (cert, key)."""
    directory = Path(directory)
    alt = ",".join(f"IP:{n}" if _is_ip(n) else f"DNS:{n}" for n in names)
    (directory / "server.ext").write_text(
        f"subjectAltName={alt}\nbasicConstraints=CA:FALSE\n"
        "keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n"
        "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n")
    _openssl(["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
              "-keyout", "server.key", "-out", "server.csr", "-subj", f"/CN={names[0]}"], cwd=directory)
    _openssl(["x509", "-req", "-in", "server.csr", "-CA", str(ca_pem), "-CAkey", str(ca_key),
              "-set_serial", str(int.from_bytes(os.urandom(8), "big")), "-days", "2",
              "-extfile", "server.ext", "-out", "server.pem"], cwd=directory)
    return directory / "server.pem", directory / "server.key"


def _is_ip(name: str) -> bool:
    try:
        socket.inet_pton(socket.AF_INET6 if ":" in name else socket.AF_INET, name)
        return True
    except OSError:
        return False


def generate_client_certificate(directory: Path, ca_pem: Path, ca_key: Path, common_name: str,
                                stem: str = "client") -> tuple[Path, Path]:
    """A TLS client certificate signed by the CA (``CN=common_name``, clientAuth): (<stem>.pem, <stem>.key).

    For servers that ask their clients for a certificate (the bench's OpenVPN server).
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / f"{stem}.ext").write_text(
        "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n"
        "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n")
    _openssl(["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
              "-keyout", f"{stem}.key", "-out", f"{stem}.csr", "-subj", f"/CN={common_name}"], cwd=directory)
    _openssl(["x509", "-req", "-in", f"{stem}.csr", "-CA", str(ca_pem), "-CAkey", str(ca_key),
              "-set_serial", str(int.from_bytes(os.urandom(8), "big")), "-days", "2",
              "-extfile", f"{stem}.ext", "-out", f"{stem}.pem"], cwd=directory)
    return directory / f"{stem}.pem", directory / f"{stem}.key"
