"""``python -m reference_impl --ip 127.0.0.11 --sip-port 5060 --web-port 8080 --data-dir DIR``

One process is one phone.  SIGTERM (or Ctrl-C) shuts it down cleanly; its data
dir keeps its configuration and records for the next start.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import re
import signal
import sys
from pathlib import Path

from aiohttp import web

from .firmware import installed_version
from .identity import Identity
from .phone import ConfigRejected, Phone
from .web import WebServer

POLL_MS = 5
RELAY_FDS_ENV = "H680_RELAY_FDS"


def parse_args(argv=None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m reference_impl", description=__doc__)
    ap.add_argument("--ip", required=True, help="the phone's own address (127.0.0.x on the embedded bench)")
    ap.add_argument("--sip-port", type=int, default=5060)
    ap.add_argument("--web-port", type=int, default=80)
    ap.add_argument("--data-dir", type=Path, required=True, help="where the phone keeps its flash (SQLite)")
    ap.add_argument("--cfg", type=Path, help="a CFG file (section.key = value) applied at boot")
    ap.add_argument("--mac", default="00:15:65:00:00:01")
    ap.add_argument("--model", default="SIP-H680W", choices=["SIP-H680W", "SIP-H680L"])
    hw = ap.add_argument_group("seen as hardware (the virtual-handset target)")
    hw.add_argument("--camera", default="off", choices=["off", "none", "mild", "middle", "hard"],
                    help="serve the LCD as an MJPEG camera stream at /camera/mjpeg, with this degradation")
    hw.add_argument("--camera-at", default=None, metavar="HOST:PORT",
                    help="also serve the camera at an address of its own, as a separate IP camera would be "
                         "(it stays there when the phone's address changes)")
    hw.add_argument("--camera-fps", type=float, default=10.0)
    hw.add_argument("--camera-live-noise", type=float, default=0.0)
    hw.add_argument("--relay", default="off", choices=["off", "lcus", "text"],
                    help="a relay-board emulator on a pseudo-terminal wired to the keypad; its pty name is "
                         "written to DATA_DIR/relay.port")
    hw.add_argument("--relay-map", type=json.loads, default=None,
                    help='key -> relay channel, as JSON: {"OK": 13, ...}')
    args = ap.parse_args(argv)
    if not re.fullmatch(r"([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}", args.mac):
        ap.error(f"--mac {args.mac!r}: allowed: six hex pairs separated by ':'")
    return args


async def run(args: argparse.Namespace) -> int:
    identity = Identity(args.model, args.mac.lower(), firmware=installed_version(args.data_dir))
    phone = Phone(identity, args.ip, args.sip_port, args.web_port, args.data_dir)
    args.restart = False
    if args.cfg:
        try:
            phone.import_cfg(args.cfg.read_text(encoding="utf-8-sig"), str(args.cfg))
        except (OSError, ConfigRejected) as exc:
            print(f"{args.cfg}: refused, nothing applied: {exc}", file=sys.stderr)
            return 2
    app = WebServer(phone).app
    camera_app = None
    if args.camera != "off":
        from .mjpeg import LcdCamera, add_camera_routes
        camera = LcdCamera(phone.screen, args.camera, fps=args.camera_fps, live_noise=args.camera_live_noise)
        add_camera_routes(app, camera)
        if args.camera_at:
            camera_app = web.Application()
            add_camera_routes(camera_app, camera)
    relay = None
    if args.relay != "off":
        from .relay_emulator import RelayEmulator
        if not args.relay_map:
            print("--relay needs --relay-map", file=sys.stderr)
            return 2
        kept = os.environ.pop(RELAY_FDS_ENV, "")
        fds = tuple(int(fd) for fd in kept.split(",")) if kept else None
        relay = RelayEmulator(args.relay, args.relay_map, lambda key, ms: phone.press(key, int(ms)), fds=fds,
                              on_switch=lambda switch, closed: phone.plug_headset(closed))
        relay.attach(asyncio.get_running_loop())
        (args.data_dir / "relay.port").write_text(relay.port)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
    await runner.setup()
    try:
        await web.TCPSite(runner, phone.ip, args.web_port).start()
    except OSError as exc:
        print(f"cannot serve the web UI on {phone.ip}:{args.web_port}: {exc}", file=sys.stderr)
        return 3
    camera_runner = None
    if camera_app is not None:
        host, _, port = args.camera_at.rpartition(":")
        camera_runner = web.AppRunner(camera_app, access_log=None, shutdown_timeout=0.5)
        await camera_runner.setup()
        try:
            await web.TCPSite(camera_runner, host, int(port)).start()
        except (OSError, ValueError) as exc:
            print(f"cannot serve the camera at {args.camera_at}: {exc}", file=sys.stderr)
            await runner.cleanup()
            return 3
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    phone.start()
    logging.info("phone %s up on %s (SIP %d, web %d)", args.mac, args.ip, args.sip_port, args.web_port)
    try:
        while not stop.is_set() and not phone.restart_requested:
            phone.engine.poll(POLL_MS)   # pjsua2 events and timers, on this thread
            await asyncio.sleep(0)       # then the web server and the phone's timers
        if phone.restart_requested:
            await asyncio.sleep(0.2)     # let the web reply that asked for the reboot go out
    finally:
        if relay is not None and phone.restart_requested:
            # The relay board is not part of the phone: its pty survives the reboot.
            master, slave = relay.detach()
            for fd in (master, slave):
                os.set_inheritable(fd, True)
            os.environ[RELAY_FDS_ENV] = f"{master},{slave}"
        elif relay is not None:
            relay.close()
        await phone.urls.close()
        phone.stop()
        await runner.cleanup()
        if camera_runner is not None:
            await camera_runner.cleanup()
        logging.info("phone stopped")
    args.restart = phone.restart_requested
    return 0


def main(argv=None) -> int:
    args = parse_args(argv)
    args.data_dir.mkdir(parents=True, exist_ok=True)
    logging.basicConfig(filename=args.data_dir / "phone.log", level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    code = asyncio.run(run(args))
    if args.restart:
        # A reboot that changes the network: the same process (same PID) starts again, as firmware does.
        logging.info("rebooting")
        logging.shutdown()
        os.execv(sys.executable, [sys.executable, "-m", "reference_impl", *sys.argv[1:]])
    return code


if __name__ == "__main__":
    sys.exit(main())
