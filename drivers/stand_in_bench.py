"""A stand-in for a real lab, to try the ``handset`` target without hardware.

It starts, on one loopback block and outside any test run, what a lab has before the
harness arrives: a PBX (a Kamailio with the lab's users) and two H680s that are
already on -- reference phones, each with its relay-board emulator on a pseudo-terminal
and its LCD served as an MJPEG camera stream.  It then writes a bench file for
``--target handset`` that names them as a real bench would: the PBX as
``registrar.kind: external``, each phone's serial port, camera URL and relay map.
The harness then reaches them only through the serial port, the camera, the web UI
and the wire -- it starts none of them and cannot ask the PBX anything.

    python -m drivers.stand_in_bench --block 9 --write /tmp/stand-in.yaml
    pytest features/ --target handset --lab /tmp/stand-in.yaml -k "registers"

Everything it starts is stopped by its PID when it ends (Ctrl-C included).
"""
from __future__ import annotations

import argparse
import json
import signal
import threading
from pathlib import Path

import yaml

from lab_config import load_lab

from .handset import relay_port
from .reference_phone import ReferencePhoneProcess, hardware_args
from .registrar import KamailioRegistrar

REPO = Path(__file__).resolve().parent.parent
TEMPLATE = REPO / "lab_config" / "virtual-handset.yaml"   # phones, accounts and relay wiring to copy


class StandInBench:
    """The PBX and the phones of a pretend lab at 127.0.``block``.x; ``lab_yaml()`` describes them."""

    def __init__(self, block: int, run_dir: Path, protocol: str = "text", degradation: str = "none"):
        self.lab = load_lab(TEMPLATE).on_loopback_block(block)
        self.run_dir, self.protocol, self.degradation = Path(run_dir), protocol, degradation
        r = self.lab.registrar
        self.pbx = KamailioRegistrar(str(r.ip), r.port, {u.user: u.password for u in r.users},
                                     self.run_dir / "pbx", transports=tuple(r.transports))
        self.phones: dict[str, ReferencePhoneProcess] = {}
        self.ports: dict[str, str] = {}

    def start(self) -> "StandInBench":
        try:
            self.pbx.start()
            for name, p in self.lab.phones.items():
                phone = ReferencePhoneProcess(
                    name, str(p.ip), p.sip_port, p.web_port, p.mac, p.model,
                    data_dir=self.run_dir / "phones" / name, log_dir=self.run_dir / "phones",
                    extra_args=hardware_args(p.keypad, self.degradation, camera_at=self.camera_at(p),
                                             protocol=self.protocol))
                phone.start()
                self.phones[name] = phone
                self.ports[name] = relay_port(p, phone.data_dir, self.lab.bench)
        except BaseException:
            self.stop()
            raise
        return self

    @staticmethod
    def camera_at(phone) -> str:
        """Each phone's camera is a device of its own at .4N of the block (phone .1N): it stays put when
        a scenario gives the phone another address, as a camera on a real bench does."""
        a, b, c, d = str(phone.ip).split(".")
        return f"{a}.{b}.{c}.{int(d) + 30}:{phone.web_port}"

    def lab_yaml(self) -> str:
        """The ``--target handset`` bench file of this stand-in lab."""
        data = json.loads(self.lab.model_dump_json(exclude_none=True, exclude={"evidence_dir"}))
        data["bench"] = f"stand-in-{self.lab.registrar.ip}"
        data["target"] = "handset"
        data["registrar"]["kind"] = "external"
        for name, phone in data["phones"].items():
            phone["keypad"].update(protocol=self.protocol, port=self.ports[name])
            phone["camera"] = {"source": f"http://{self.camera_at(self.lab.phones[name])}/camera/mjpeg",
                               "lang": phone["camera"].get("lang", "eng")}
        header = ("# Written by drivers/stand_in_bench.py: a pretend lab on loopback (Kamailio as the lab's PBX,\n"
                  "# reference phones as the handsets, their relay boards on ptys, their LCDs as MJPEG cameras).\n")
        return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True)

    def write(self, path: Path) -> Path:
        path = Path(path)
        path.write_text(self.lab_yaml())
        return path

    def stop(self) -> None:
        for phone in self.phones.values():
            phone.stop()
        self.pbx.stop()

    def __enter__(self) -> "StandInBench":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--block", type=int, default=9, help="loopback block: addresses 127.0.BLOCK.x (default 9)")
    parser.add_argument("--write", type=Path, required=True, help="where to write the handset bench YAML")
    parser.add_argument("--run-dir", type=Path, default=None, help="logs and phone data (default: next to --write)")
    parser.add_argument("--protocol", choices=["text", "lcus"], default="text", help="the relay boards' protocol")
    parser.add_argument("--camera", choices=["none", "mild", "middle", "hard"], default="none",
                        help="how camera-like the LCD pictures are")
    args = parser.parse_args(argv)
    run_dir = args.run_dir or args.write.with_suffix(".run")
    done = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: done.set())
    with StandInBench(args.block, run_dir, args.protocol, args.camera) as lab:
        lab.write(args.write)
        print(f"stand-in lab up; bench file {args.write}; Ctrl-C stops it", flush=True)
        done.wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
