"""Steps of §5.15, firmware upgrade from the web UI.

Images are made with the vendor format of the reference phone
(reference_impl.firmware.build_image); each upload goes through the web UI's
upgrade page as a browser sends it (multipart form).
"""
from __future__ import annotations

from pytest_bdd import parsers, step

from drivers.errors import PhoneFailure
from reference_impl.firmware import build_image

PHONE = r"(?:phone )?(?P<name>[A-B])"


def _upload(bench, name: str, data: bytes, filename: str = "h680.bin"):
    dut = bench.dut(name)
    dut.web.login()
    ident = dut.web.identity()
    bench.context.setdefault(f"firmware_before_{name}", ident["firmware"])
    bench.context[f"boot_id_{name}"] = ident.get("boot_id")
    resp = dut.web.request("POST", "/upgrade", files={"firmware": (filename, data, "application/octet-stream")})
    bench.context["upgrade_response"] = resp
    return resp


@step(parsers.re(rf"the web UI of {PHONE} upgrades it with a firmware image of version (?P<version>\S+)"
                 r"(?: made for the (?P<model>SIP-H680[WL]) only)?"))
def upload_image(bench, name, version, model):
    models = (model,) if model else ("SIP-H680W", "SIP-H680L")
    _upload(bench, name, build_image(version, b"\x7fELF reference firmware " * 400, models))


@step(parsers.re(rf"the web UI of {PHONE} upgrades it with a damaged firmware image"))
def upload_damaged(bench, name):
    image = bytearray(build_image("2.0.9.9", b"payload " * 1000))
    image[-10] ^= 0xFF
    _upload(bench, name, bytes(image))


@step(parsers.re(rf'the web UI of {PHONE} upgrades it with the file "(?P<filename>[^"]+)"'))
def upload_other_file(bench, name, filename):
    _upload(bench, name, b"Release notes\nNothing to see here.\n" * 20, filename)


@step(parsers.re(r'the upgrade is refused saying "(?P<reason>[^"]+)"'))
def upgrade_refused(bench, reason):
    resp = bench.context["upgrade_response"]
    if resp.status_code != 400 or reason not in resp.text:
        raise PhoneFailure(f"the upgrade page answered {resp.status_code}, expected a refusal naming "
                           f"{reason!r}: {resp.text[:400]}")


@step(parsers.re(r"the upgrade is accepted"))
def upgrade_accepted(bench):
    resp = bench.context["upgrade_response"]
    if resp.status_code != 200 or "Upgrading to" not in resp.text:
        raise PhoneFailure(f"the upgrade page answered {resp.status_code}: {resp.text[:400]}")


@step(parsers.re(rf"{PHONE} still runs the firmware it had"))
def firmware_unchanged(bench, name):
    dut = bench.dut(name)
    now = dut.web.identity()
    if now["firmware"] != bench.context[f"firmware_before_{name}"] or now.get("boot_id") != \
            bench.context[f"boot_id_{name}"]:
        raise PhoneFailure(f"{name} changed after a refused upgrade: now {now['firmware']} "
                           f"(was {bench.context[f'firmware_before_{name}']})")


@step(parsers.re(rf"the bench puts {PHONE} back on its original firmware"))
def reflash_original(bench, name):
    from steps.web_steps import comes_back_at
    before = bench.context.get(f"firmware_before_{name}")
    if before is None or bench.dut(name).web.identity()["firmware"] == before:
        return
    resp = _upload(bench, name, build_image(before, b"original firmware " * 400))
    if resp.status_code != 200:
        raise PhoneFailure(f"{name} refused its original firmware {before}: {resp.text[:300]}")
    comes_back_at(bench, name, bench.dut(name).ip)


# --- ringtone upload (REQ-RINGUP-01) --------------------------------------------------------------
def _wav(seconds: float, rate: int, channels: int) -> bytes:
    import io
    import math
    import struct
    import wave
    frames = int(seconds * rate)
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        sample = [struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * i / rate))) * channels
                  for i in range(frames)]
        w.writeframes(b"".join(sample))
    return buf.getvalue()


def _upload_ringtone(bench, name: str, filename: str, data: bytes) -> None:
    dut = bench.dut(name)
    dut.web.login()
    bench.context["config_before"] = dut.web.config()
    bench.context["ringtone_response"] = dut.web.request(
        "POST", "/ringtone", files={"ringtone": (filename, data, "audio/wav")})


@step(parsers.re(rf'the web UI of {PHONE} uploads the ringtone "(?P<filename>[^"]+)", '
                 r"(?P<seconds>[\d.]+) s of (?P<channels>mono|stereo) sound at (?P<rate>\d+) Hz"))
def upload_ringtone(bench, name, filename, seconds, channels, rate):
    data = _wav(float(seconds), int(rate), 1 if channels == "mono" else 2)
    _upload_ringtone(bench, name, filename, data)


@step(parsers.re(rf'the web UI of {PHONE} uploads the file "(?P<filename>[^"]+)" as a ringtone'))
def upload_text_as_ringtone(bench, name, filename):
    _upload_ringtone(bench, name, filename, b"not a sound at all\n" * 10)


@step(parsers.re(r'the ringtone upload is (?P<outcome>accepted|refused saying "(?P<reason>[^"]+)")'))
def ringtone_outcome(bench, outcome, reason):
    resp = bench.context["ringtone_response"]
    if outcome == "accepted":
        if resp.status_code != 200 or "uploaded" not in resp.text:
            raise PhoneFailure(f"the ringtone upload answered {resp.status_code}: {resp.text[:400]}")
    elif resp.status_code != 400 or reason not in resp.text:
        raise PhoneFailure(f"the ringtone upload answered {resp.status_code}, expected a refusal naming "
                           f"{reason!r}: {resp.text[:400]}")
