"""Auto provisioning (§6.4): the bench's four servers and the phone's fetching, against each other.

Real servers on loopback (HTTP, HTTPS with a throw-away CA, FTP, TFTP) and the phone's real
client code; no phone process is needed to check the order, the all-or-nothing parsing and the
errors.
"""
from __future__ import annotations

import ssl

import pytest

from drivers.errors import LabError
from drivers.provisioning_servers import provisioning_server
from reference_impl.provisioning import (
    Fetcher,
    FileMissing,
    ProvisioningError,
    boot_file_names,
    fetch_configuration,
    server_url_problem,
    tftp_get,
)
from reference_impl.schema import defaults

MAC = "00:15:65:00:00:11"
HOST = "127.0.0.1"


@pytest.fixture(params=["http", "https", "ftp", "tftp"])
def server(request, tmp_path):
    with provisioning_server(request.param, HOST, 0, tmp_path / "root") as srv:
        yield srv


def fetcher_for(srv) -> Fetcher:
    tls = None
    if srv.protocol == "https":
        tls = ssl.create_default_context(cadata=srv.ca_pem.decode())
    return Fetcher(srv.url, tls=tls, timeout=3.0)


def test_boot_file_first_then_the_files_it_names_in_order(server):
    server.put("common.boot", "#!version:1.0.0.1\ninclude:config \"common.cfg\"\naccount.cfg\n$mac.cfg\n")
    server.put("common.cfg", "hotline.number = 1000\nauto_redial.interval = 30\n")
    server.put("account.cfg", "account.1.label = Lab\n")
    server.put("001565000011.cfg", "auto_redial.interval = 45\n")
    got = fetch_configuration(fetcher_for(server), MAC, defaults())
    assert got.files == ["common.boot", "common.cfg", "account.cfg", "001565000011.cfg"]
    assert server.asked_for() == got.files
    assert got.values["hotline.number"] == "1000"
    assert got.values["auto_redial.interval"] == 45      # the per-phone file wins
    assert got.values["account.1.label"] == "Lab"


def test_without_a_boot_file_common_then_mac_file(server):
    server.put("common.cfg", "hotline.number = 2000\n")
    server.put("001565000011.cfg", "hotline.number = 3000\n")
    got = fetch_configuration(fetcher_for(server), MAC, defaults())
    assert server.asked_for() == ["common.boot", "common.cfg", "001565000011.cfg"]
    assert got.values["hotline.number"] == "3000"


def test_without_a_boot_file_either_default_file_may_be_absent_but_not_both(server):
    server.put("common.cfg", "hotline.number = 2000\n")
    got = fetch_configuration(fetcher_for(server), MAC, defaults())
    assert got.files == ["common.cfg"] and got.values == {"hotline.number": "2000"}
    server.remove("common.cfg")
    with pytest.raises(ProvisioningError, match="none of common.boot") as err:
        fetch_configuration(fetcher_for(server), MAC, defaults())
    assert err.value.status == "file_missing"


def test_a_missing_listed_file_stops_the_run(server):
    server.put("common.boot", "common.cfg\nnot-there.cfg\n")
    server.put("common.cfg", "hotline.number = 2000\n")
    with pytest.raises(FileMissing, match="not-there.cfg"):
        fetch_configuration(fetcher_for(server), MAC, defaults())


def test_a_bad_line_names_the_file_line_and_key(server):
    server.put("common.boot", "common.cfg\n")
    server.put("common.cfg", "# comment\nhotline.number = 2000\nauto_redial.interval = 999\n")
    with pytest.raises(ProvisioningError) as err:
        fetch_configuration(fetcher_for(server), MAC, defaults())
    assert err.value.status == "bad_file"
    assert "common.cfg" in str(err.value) and "line 3" in str(err.value)
    assert "auto_redial.interval" in str(err.value)


@pytest.mark.parametrize("size", [0, 511, 512, 1024, 70_000])
def test_tftp_reads_files_of_any_block_count(tmp_path, size):
    data = bytes(range(256)) * (size // 256) + bytes(size % 256)
    with provisioning_server("tftp", HOST, 0, tmp_path / "root") as srv:
        srv.put("image.bin", data)
        assert tftp_get(HOST, srv.port, "image.bin", timeout=3.0) == data


def test_tftp_missing_file_and_silent_server(tmp_path):
    with provisioning_server("tftp", HOST, 0, tmp_path / "root") as srv:
        with pytest.raises(FileMissing):
            tftp_get(HOST, srv.port, "nothing.cfg", timeout=2.0)
        port = srv.port
    with pytest.raises(ProvisioningError, match="no answer") as err:
        tftp_get(HOST, port, "common.boot", timeout=0.5)
    assert err.value.status == "server_unreachable"


@pytest.mark.parametrize("protocol", ["http", "ftp"])
def test_a_server_that_is_down_is_named(tmp_path, protocol):
    with provisioning_server(protocol, HOST, 0, tmp_path / "root") as srv:
        url = srv.url
    with pytest.raises(ProvisioningError) as err:
        Fetcher(url, timeout=1.0).get("common.boot")
    assert err.value.status == "server_unreachable" and url.split("@")[-1].rstrip("/") in str(err.value)


def test_https_refuses_a_server_the_phone_does_not_trust(tmp_path):
    with provisioning_server("https", HOST, 0, tmp_path / "root") as srv:
        srv.put("common.boot", "common.cfg\n")
        with pytest.raises(ProvisioningError) as err:
            Fetcher(srv.url, tls=ssl.create_default_context(), timeout=2.0).get("common.boot")
        assert err.value.status == "certificate_refused"
        assert srv.asked_for() == []          # nothing was served over an untrusted connection


def test_boot_file_syntax():
    assert boot_file_names('include:config "a.cfg"\n# x\n\n$mac.cfg\nb.cfg', MAC) == [
        "a.cfg", "001565000011.cfg", "b.cfg"]
    with pytest.raises(ProvisioningError, match="line 2"):
        boot_file_names("a.cfg\nhotline.number = 1\n", MAC)


@pytest.mark.parametrize("url,ok", [("http://127.0.0.1", True), ("tftp://127.0.0.1:6969/dir", True),
                                    ("ftp://u:p@127.0.0.1/", True), ("", True),
                                    ("gopher://127.0.0.1", False), ("http://", False),
                                    ("http://127.0.0.1:99999", False)])
def test_server_url_check(url, ok):
    assert (server_url_problem(url) is None) == ok


def test_a_taken_port_is_a_lab_error(tmp_path):
    with provisioning_server("http", HOST, 0, tmp_path / "a") as first:
        with pytest.raises(LabError, match="cannot listen"):
            provisioning_server("http", HOST, first.port, tmp_path / "b").start()
