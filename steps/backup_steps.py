"""Steps of §6.3, configuration management: CFG export by parts, edit and import; BIN backup and restore."""
from __future__ import annotations

import re

from pytest_bdd import parsers, step

from drivers.certificates import generate_ca
from drivers.errors import PhoneFailure
from drivers.webui import ConfigRefused

PHONE = r"(?:phone )?(?P<name>[A-B])"


@step(parsers.re(rf"the web UI of {PHONE} exports its (?P<what>whole|network|SIP|network and SIP) "
                 r"configuration as CFG"))
def export_cfg_parts(bench, name, what):
    sections = {"whole": None, "network": ["network"], "SIP": ["sip"], "network and SIP": ["network", "sip"]}
    dut = bench.dut(name)
    dut.web.login()
    text = dut.web.export_cfg(sections[what])
    (bench.evidence_dir / "exported.cfg").write_text(text)
    bench.context["exported_cfg"] = text


def _cfg_keys(text: str) -> dict[str, str]:
    out = {}
    for line in text.splitlines():
        m = re.match(r"^\s*([\w.]+)\s*=\s*(.*?)\s*$", line)
        if m and not line.lstrip().startswith(("#", ";")):
            out[m.group(1)] = m.group(2)
    return out


@step(parsers.re(r"the exported CFG (?P<how>holds|has no) (?P<prefix>[\w.]+)\* settings"))
def exported_has_prefix(bench, how, prefix):
    keys = [k for k in _cfg_keys(bench.context["exported_cfg"]) if k.startswith(prefix)]
    if (how == "holds") != bool(keys):
        raise PhoneFailure(f"the exported CFG {'lacks' if how == 'holds' else 'still holds'} {prefix}* settings"
                           f"{': ' + ', '.join(keys[:5]) if keys else ''}")


@step(parsers.re(r"the exported CFG sets (?P<key>[\w.]+) = (?P<value>.*)"))
def exported_sets(bench, key, value):
    got = _cfg_keys(bench.context["exported_cfg"]).get(key)
    if got != value:
        raise PhoneFailure(f"the exported CFG sets {key} = {got!r}, expected {value!r}")


@step(parsers.re(r"the exported CFG is edited to set (?P<key>[\w.]+) = (?P<value>.*)"))
def edit_exported(bench, key, value):
    text, n = re.subn(rf"(?m)^(\s*{re.escape(key)}\s*=).*$", lambda m: f"{m.group(1)} {value}",
                      bench.context["exported_cfg"])
    if n != 1:
        raise ValueError(f"the exported CFG has {n} lines for {key}; the edit needs exactly one")
    bench.context["exported_cfg"] = text


@step(parsers.re(rf"the (?:edited|exported) CFG is imported into {PHONE}"))
def import_exported(bench, name):
    dut = bench.dut(name)
    dut.web.login()
    bench.context["config_before"] = dut.web.config()
    dut.web.import_cfg(bench.context["exported_cfg"], "edited.cfg")


@step(parsers.re(rf"the web UI of {PHONE} exports its configuration as BIN"))
def export_bin(bench, name):
    dut = bench.dut(name)
    dut.web.login()
    data = dut.web.export_bin()
    (bench.evidence_dir / "exported.bin").write_bytes(data)
    bench.context["exported_bin"] = data


@step(parsers.re(rf"the (?P<how>exported|damaged) BIN file is imported into {PHONE}"))
def import_bin(bench, how, name):
    data = bytearray(bench.context["exported_bin"])
    if how == "damaged":
        data[len(data) // 2] ^= 0x55
    dut = bench.dut(name)
    dut.web.login()
    bench.context["config_before"] = dut.web.config()
    try:
        dut.web.import_bin(bytes(data))
        bench.context["cfg_problems"] = []
    except ConfigRefused as exc:
        bench.context["cfg_problems"] = exc.problems


@step(parsers.re(r'the BIN import is refused saying "(?P<reason>[^"]+)"'))
def bin_refused(bench, reason):
    problems = bench.context["cfg_problems"]
    if not any(reason in p for p in problems):
        raise PhoneFailure(f"expected a refusal saying {reason!r}; the phone said: {problems or 'nothing (accepted)'}")


# --- trusted certificates (§6.7) ------------------------------------------------------------------
def _make_ca(directory, name: str) -> bytes:
    ca_pem, _key = generate_ca(directory / name, name)
    return ca_pem.read_bytes()


@step(parsers.re(rf'the web UI of {PHONE} imports the certificate file "(?P<filename>[^"]+)"'
                 r"(?P<bad> that holds no certificate)?"))
def import_certificate(bench, name, filename, bad):
    data = b"just some text\n" if bad else _make_ca(bench.evidence_dir, "h680-hil-lab-ca")
    dut = bench.dut(name)
    dut.web.login()
    bench.context["cert_response"] = dut.web.request(
        "POST", "/certificates/upload", files={"certificate": (filename, data, "application/octet-stream")})


@step(parsers.re(r'the certificate import is (?P<outcome>accepted|refused saying "(?P<reason>[^"]+)")'))
def certificate_outcome(bench, outcome, reason):
    resp = bench.context["cert_response"]
    ok = resp.status_code == 200 and "Imported" in resp.text
    if outcome == "accepted" and not ok or outcome != "accepted" and (resp.status_code != 400 or reason not in resp.text):
        raise PhoneFailure(f"the certificate import answered {resp.status_code}: {resp.text[:400]}")


@step(parsers.re(rf'the trusted certificates page of {PHONE} lists "(?P<filename>[^"]+)"'))
def certificates_listed(bench, name, filename):
    dut = bench.dut(name)
    dut.web.login()
    text = dut.web.page("/certificates").text
    if f"<li>{filename}</li>" not in text:
        raise PhoneFailure(f"the trusted certificates page does not list {filename}")


@step(parsers.re(rf"the trusted certificates page of {PHONE} is submitted with (?P<values>.+)"))
def certificates_submit(bench, name, values):
    dut = bench.dut(name)
    dut.web.login()
    form = dict(part.split(" = ", 1) for part in values.split(", "))
    bench.context["cert_response"] = dut.web.request("POST", "/certificates", data=form)


@step(parsers.re(r"the web UI says the change takes effect after a reboot"))
def reboot_prompt(bench):
    resp = bench.context["cert_response"]
    if resp.status_code != 200 or "id='reboot-prompt'" not in resp.text:
        raise PhoneFailure(f"no reboot prompt after the submit: {resp.status_code} {resp.text[:300]}")
