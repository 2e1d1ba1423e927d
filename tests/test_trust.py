"""Trusted certificates (§6.7): what the phone's TLS client accepts, against a real HTTPS server on loopback."""
from __future__ import annotations

import http.server
import ssl
import subprocess
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from reference_impl.trust import CertificateRejected, TrustSettings, client_context, store, to_pem

SERVER_IP = "127.0.61.1"


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def pki(tmp_path_factory) -> Path:
    """A CA and a server certificate for "lab-server.test" (no IP in its names)."""
    d = tmp_path_factory.mktemp("pki")
    _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
             "-days", "2", "-subj", "/CN=h680-hil test CA", cwd=d)
    _openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
             "-subj", "/CN=lab-server.test", cwd=d)
    (d / "ext.cnf").write_text("subjectAltName=DNS:lab-server.test\n")
    _openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
             "-out", "server.pem", "-days", "2", "-extfile", "ext.cnf", cwd=d)
    _openssl("x509", "-in", "ca.pem", "-outform", "DER", "-out", "ca.der", cwd=d)
    return d


@pytest.fixture(scope="module")
def https_url(pki):
    server = http.server.ThreadingHTTPServer((SERVER_IP, 0), http.server.SimpleHTTPRequestHandler)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(pki / "server.pem", pki / "server.key")
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://{SERVER_IP}:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _fetch(url: str, ctx: ssl.SSLContext) -> bool:
    try:
        with urllib.request.urlopen(url, context=ctx, timeout=5) as resp:
            return resp.status == 200
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, ssl.SSLError):
            return False
        raise


def test_without_only_trusted_any_certificate_is_taken(https_url, tmp_path) -> None:
    assert _fetch(https_url, client_context(TrustSettings(False, False, "All"), tmp_path))


def test_only_trusted_needs_the_uploaded_ca(https_url, pki, tmp_path) -> None:
    settings = TrustSettings(True, False, "Custom")
    assert not _fetch(https_url, client_context(settings, tmp_path))        # nothing uploaded yet
    store(tmp_path, "lab-ca.der", to_pem((pki / "ca.der").read_bytes(), "lab-ca.der"))
    assert _fetch(https_url, client_context(settings, tmp_path))            # DER upload, stored as PEM
    assert not _fetch(https_url, client_context(TrustSettings(True, False, "Default"), tmp_path))


def test_common_name_validation_refuses_a_certificate_for_another_host(https_url, pki, tmp_path) -> None:
    store(tmp_path, "ca.pem", to_pem((pki / "ca.pem").read_bytes(), "ca.pem"))
    assert _fetch(https_url, client_context(TrustSettings(True, False, "Custom"), tmp_path))
    assert not _fetch(https_url, client_context(TrustSettings(True, True, "Custom"), tmp_path))


@pytest.mark.parametrize("name, data, reason", [
    ("notes.txt", b"hello", "only .pem, .crt, .cer, .der"),
    ("ca.pem", b"-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n", "no valid certificate"),
    ("ca.der", b"\x00\x01 garbage", "no valid certificate"),
])
def test_files_that_hold_no_certificate_are_refused(name, data, reason) -> None:
    with pytest.raises(CertificateRejected, match=reason):
        to_pem(data, name)
