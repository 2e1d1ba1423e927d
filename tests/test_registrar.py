"""KamailioRegistrar against a real Kamailio, driven by hand-built SIP over UDP sockets.

The SIP client is deliberately tiny (a socket, a header parser and RFC 2617 digest with
hashlib) so the test depends on nothing but the registrar under test.
"""
from __future__ import annotations

import hashlib
import os
import re
import socket
import time
import uuid

import pytest

from drivers.errors import LabError
from drivers.process import pid_running
from drivers.registrar import KamailioRegistrar

USERS = {"alice": "alice-pw", "bob": "b0b pw!", "1001": "x$y'z"}


def free_port(ip: str) -> int:
    """A port free for both UDP and TCP on ip (the registrar listens on both)."""
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
            u.bind((ip, 0))
            port = u.getsockname()[1]
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as t:
                try:
                    t.bind((ip, port))
                except OSError:
                    continue
                return port
    raise RuntimeError("no free port")




class SipMessage:
    """A parsed SIP request or response (first line, headers, body)."""

    def __init__(self, data: bytes):
        head, _, self.body = data.decode(errors="replace").partition("\r\n\r\n")
        lines = head.split("\r\n")
        self.first = lines[0]
        self.headers: list[tuple[str, str]] = []
        for line in lines[1:]:
            name, _, value = line.partition(":")
            self.headers.append((name.strip().lower(), value.strip()))

    @property
    def status(self) -> int | None:
        return int(self.first.split()[1]) if self.first.startswith("SIP/2.0 ") else None

    @property
    def method(self) -> str | None:
        return None if self.status is not None else self.first.split()[0]

    def header(self, name: str) -> str | None:
        return next((v for n, v in self.headers if n == name.lower()), None)

    def all(self, name: str) -> list[str]:
        return [v for n, v in self.headers if n == name.lower()]


class RawUser:
    """A SIP user agent on its own UDP socket: REGISTER with digest, send and answer MESSAGE."""

    def __init__(self, user: str, password: str, reg: KamailioRegistrar, ip: str = "127.0.0.1"):
        self.user, self.password, self.reg = user, password, reg
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((ip, 0))
        self.sock.settimeout(2.0)
        self.host, self.port = self.sock.getsockname()
        self.call_id = uuid.uuid4().hex
        self.cseq = 0

    @property
    def contact(self) -> str:
        return f"sip:{self.user}@{self.host}:{self.port}"

    def close(self) -> None:
        self.sock.close()

    def build(self, method: str, uri: str, to: str, extra: str = "", body: str = "",
                 call_id: str | None = None, cseq: int | None = None,
                 branch: str | None = None) -> str:
        """Build a request; ``to`` is the To header value (with its tag, in dialog)."""
        if cseq is None:
            self.cseq += 1
            cseq = self.cseq
        branch = branch or "z9hG4bK" + uuid.uuid4().hex
        return (f"{method} {uri} SIP/2.0\r\n"
                f"Via: SIP/2.0/UDP {self.host}:{self.port};rport;branch={branch}\r\n"
                f"Max-Forwards: 70\r\n"
                f"From: <sip:{self.user}@{self.reg.domain}>;tag={self.call_id[:8]}\r\n"
                f"To: {to}\r\n"
                f"Call-ID: {call_id or self.call_id}\r\n"
                f"CSeq: {cseq} {method}\r\n"
                f"{extra}"
                f"Content-Length: {len(body.encode())}\r\n\r\n{body}")

    def send(self, text: str) -> None:
        self.sock.sendto(text.encode(), (self.reg.ip, self.reg.port))

    def recv(self, timeout: float = 2.0, provisional: bool = False) -> SipMessage:
        """Next message; provisional responses are skipped unless asked for."""
        deadline = time.monotonic() + timeout
        while True:
            self.sock.settimeout(max(0.01, deadline - time.monotonic()))
            msg = SipMessage(self.sock.recvfrom(65535)[0])
            if provisional or msg.status is None or msg.status >= 200:
                return msg

    def digest(self, challenge: str, method: str, uri: str, auth_user: str | None = None) -> str:
        """RFC 2617 response (qop=auth when offered) to a WWW/Proxy-Authenticate value."""
        params = dict(re.findall(r'(\w+)="?([^",]*)"?', challenge))
        user = auth_user or self.user
        ha1 = md5(f"{user}:{params['realm']}:{self.password}")
        ha2 = md5(f"{method}:{uri}")
        cred = f'Digest username="{user}", realm="{params["realm"]}", nonce="{params["nonce"]}", uri="{uri}"'
        if "auth" in params.get("qop", "").split(","):
            cnonce, nc = uuid.uuid4().hex[:8], "00000001"
            response = md5(f"{ha1}:{params['nonce']}:{nc}:{cnonce}:auth:{ha2}")
            cred += f', qop=auth, nc={nc}, cnonce="{cnonce}"'
        else:
            response = md5(f"{ha1}:{params['nonce']}:{ha2}")
        return cred + f', response="{response}", algorithm=MD5'

    def register(self, expires: int = 300, auth_user: str | None = None) -> tuple[SipMessage, SipMessage]:
        """REGISTER, answer the 401; return (first response, final response)."""
        uri, aor = f"sip:{self.reg.domain}", f"sip:{self.user}@{self.reg.domain}"
        extra = f"Contact: <{self.contact}>\r\nExpires: {expires}\r\n"
        self.send(self.build("REGISTER", uri, f"<{aor}>", extra))
        first = self.recv()
        if first.status != 401:
            return first, first
        auth = self.digest(first.header("WWW-Authenticate"), "REGISTER", uri, auth_user)
        self.send(self.build("REGISTER", uri, f"<{aor}>", extra + f"Authorization: {auth}\r\n"))
        return first, self.recv()

    def message(self, to_user: str, text: str, credentials: bool = False) -> SipMessage:
        """Send a MESSAGE (answering a 407 when asked to); return the final response."""
        uri = f"sip:{to_user}@{self.reg.domain}"
        call_id = uuid.uuid4().hex
        extra = "Content-Type: text/plain\r\n"
        self.send(self.build("MESSAGE", uri, f"<{uri}>", extra, text, call_id))
        reply = self.recv()
        if reply.status == 407 and credentials:
            auth = self.digest(reply.header("Proxy-Authenticate"), "MESSAGE", uri)
            self.send(self.build("MESSAGE", uri, f"<{uri}>",
                                    extra + f"Proxy-Authorization: {auth}\r\n", text, call_id))
            reply = self.recv()
        return reply

    def answer(self, request: SipMessage, code: int = 200, reason: str = "OK",
               extra: str = "", to_tag: str = "bobtag") -> None:
        """Reply to a request we received, back to where it came from (its top Via)."""
        vias = "".join(f"Via: {v}\r\n" for v in request.all("via"))
        to = request.header("to")
        if ";tag=" not in to:
            to += ";tag=" + to_tag
        reply = (f"SIP/2.0 {code} {reason}\r\n{vias}From: {request.header('from')}\r\n"
                 f"To: {to}\r\nCall-ID: {request.header('call-id')}\r\n"
                 f"CSeq: {request.header('cseq')}\r\n{extra}Content-Length: 0\r\n\r\n")
        self.send(reply)


def md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


@pytest.fixture
def registrar(tmp_path):
    reg = KamailioRegistrar("127.0.0.1", free_port("127.0.0.1"), USERS, tmp_path / "kam")
    reg.start()
    try:
        yield reg
    finally:
        reg.stop()


@pytest.fixture
def users(registrar):
    made: list[RawUser] = []

    def make(name: str, password: str | None = None) -> RawUser:
        ua = RawUser(name, USERS.get(name, "nope") if password is None else password, registrar)
        made.append(ua)
        return ua

    yield make
    for ua in made:
        ua.close()


def test_start_and_stop_by_pid(tmp_path):
    reg = KamailioRegistrar("127.0.0.2", free_port("127.0.0.2"), USERS, tmp_path / "kam")
    t0 = time.monotonic()
    reg.start()
    started = time.monotonic() - t0
    try:
        pid = reg.pid
        assert pid is not None and pid_running(pid)
        assert reg.domain == "127.0.0.2"
        assert int((tmp_path / "kam" / "kamailio.pid").read_text()) == pid
        workers = [p for p in os.listdir("/proc") if p.isdigit() and _pgid(int(p)) == pid]
        assert len(workers) > 1, "kamailio should have forked its worker processes"
    finally:
        t1 = time.monotonic()
        reg.stop()
        stopped = time.monotonic() - t1
    assert reg.pid is None
    assert not pid_running(pid)
    assert not [p for p in os.listdir("/proc") if p.isdigit() and _pgid(int(p)) == pid], \
        "a kamailio worker outlived stop()"
    reg.stop()  # idempotent
    with pytest.raises(LabError, match="not running"):
        reg.registered_contacts("alice")
    assert started < 3.0 and stopped < 3.0, (started, stopped)
    assert "Listening on" in reg.log_path.read_text()


def _pgid(pid: int) -> int | None:
    try:
        return os.getpgid(pid)
    except ProcessLookupError:
        return None


def test_register_challenged_then_accepted(registrar, users):
    alice = users("alice")
    first, final = alice.register(expires=300)
    assert first.status == 401
    challenge = first.header("WWW-Authenticate")
    assert f'realm="{registrar.domain}"' in challenge and "qop=" in challenge
    assert final.status == 200, final.first
    assert alice.contact in final.header("Contact")
    assert registrar.registered_contacts("alice") == [alice.contact]
    assert registrar.is_registered("alice@127.0.0.1")
    assert registrar.wait_registered("alice", timeout=1) == [alice.contact]


def test_password_with_special_characters(registrar, users):
    for name in ("bob", "1001"):
        assert users(name).register()[1].status == 200, name
        assert registrar.is_registered(name)


def test_bad_password_is_forbidden(registrar, users):
    first, final = users("alice", password="wrong").register()
    assert first.status == 401
    assert final.status == 403
    assert not registrar.is_registered("alice")


def test_unknown_user_cannot_register(registrar, users):
    first, final = users("mallory", password="whatever").register()
    assert first.status == 401
    assert final.status == 403
    assert registrar.registered_contacts("mallory") == []


def test_auth_user_must_match_to_user(registrar, users):
    # bob's credentials used to register alice's address
    alice = users("alice", password=USERS["bob"])
    assert alice.register(auth_user="bob")[1].status == 403
    assert not registrar.is_registered("alice")


def test_expires_zero_unregisters(registrar, users):
    alice = users("alice")
    assert alice.register(expires=300)[1].status == 200
    registrar.wait_registered("alice", timeout=1)
    assert alice.register(expires=0)[1].status == 200
    assert registrar.registered_contacts("alice") == []
    registrar.wait_unregistered("alice", timeout=1)


def test_short_expires_is_honoured(registrar, users):
    alice = users("alice")
    final = alice.register(expires=1)[1]
    assert final.status == 200
    assert "expires=1" in final.header("Contact").replace(" ", "")
    registrar.wait_unregistered("alice", timeout=3)


def test_message_relayed_to_registered_contact(registrar, users):
    alice, bob = users("alice"), users("bob")
    assert bob.register()[1].status == 200
    alice.send(alice.build("MESSAGE", "sip:bob@127.0.0.1", "<sip:bob@127.0.0.1>",
                              "Content-Type: text/plain\r\n", "hello bob", uuid.uuid4().hex))
    got = bob.recv()
    assert got.method == "MESSAGE"
    assert got.first.split()[1] == bob.contact, "R-URI should be rewritten to bob's contact"
    assert got.body == "hello bob"
    assert got.all("via")[0].startswith(f"SIP/2.0/UDP {registrar.ip}:{registrar.port}")
    bob.answer(got, 200)
    reply = alice.recv()
    assert reply.status == 200


def test_invite_dialog_is_record_routed(registrar, users):
    """INVITE / 200 / ACK / BYE: the ACK and BYE come back through the registrar (loose routing)."""
    alice, bob = users("alice"), users("bob")
    assert bob.register()[1].status == 200
    to = "<sip:bob@127.0.0.1>"
    alice.send(alice.build("INVITE", "sip:bob@127.0.0.1", to, f"Contact: <{alice.contact}>\r\n"))
    invite = bob.recv()
    assert invite.method == "INVITE" and invite.first.split()[1] == bob.contact
    record_route = invite.all("record-route")
    assert record_route and f"{registrar.ip}:{registrar.port}" in record_route[0]
    assert ";lr" in record_route[0]
    rr_headers = "".join(f"Record-Route: {r}\r\n" for r in record_route)
    bob.answer(invite, 200, extra=f"Contact: <{bob.contact}>\r\n{rr_headers}")
    ok = alice.recv()
    assert ok.status == 200
    route = "".join(f"Route: {r}\r\n" for r in reversed(ok.all("record-route")))
    assert route, "the 200 should carry the Record-Route back to the caller"
    in_dialog = f"{to};tag=bobtag"
    alice.send(alice.build("ACK", bob.contact, in_dialog, route, cseq=alice.cseq))
    ack = bob.recv()
    assert ack.method == "ACK"
    assert ack.all("via")[0].startswith(f"SIP/2.0/UDP {registrar.ip}:{registrar.port}"), \
        "the ACK should have come through the registrar"
    alice.send(alice.build("BYE", bob.contact, in_dialog, route))
    bye = bob.recv()
    assert bye.method == "BYE" and bye.header("route") is None
    bob.answer(bye, 200)
    assert alice.recv().status == 200


def test_cancel_reaches_the_callee(registrar, users):
    alice, bob = users("alice"), users("bob")
    assert bob.register()[1].status == 200
    to, branch = "<sip:bob@127.0.0.1>", "z9hG4bK" + uuid.uuid4().hex
    alice.send(alice.build("INVITE", "sip:bob@127.0.0.1", to, f"Contact: <{alice.contact}>\r\n",
                           branch=branch))
    invite = bob.recv()
    bob.answer(invite, 180, "Ringing")
    assert alice.recv(provisional=True).status in (100, 180)
    alice.send(alice.build("CANCEL", "sip:bob@127.0.0.1", to, cseq=alice.cseq, branch=branch))
    cancel = bob.recv()
    assert cancel.method == "CANCEL"
    bob.answer(cancel, 200)
    bob.answer(invite, 487, "Request Terminated")
    finals = {m.header("cseq").split()[1]: m.status for m in (alice.recv(), alice.recv())}
    assert finals == {"CANCEL": 200, "INVITE": 487}
    assert bob.recv().method == "ACK", "the registrar acknowledges the 487 hop by hop"


def test_register_over_tcp(registrar):
    """REGISTER on a TCP connection: challenged, accepted, and the binding is listed."""
    with socket.create_connection((registrar.ip, registrar.port), timeout=2) as conn:
        host, port = conn.getsockname()
        contact = f"sip:carol@{host}:{port};transport=tcp"
        ua = RawUser("alice", USERS["alice"], registrar)
        ua.close()
        aor, uri = "sip:alice@127.0.0.1", "sip:127.0.0.1"
        replies = conn.makefile("rb")

        def exchange(extra: str) -> SipMessage:
            text = ua.build("REGISTER", uri, f"<{aor}>", f"Contact: <{contact}>\r\n{extra}")
            text = text.replace(f"SIP/2.0/UDP {ua.host}:{ua.port}", f"SIP/2.0/TCP {host}:{port}")
            conn.sendall(text.encode())
            head = b""
            while not head.endswith(b"\r\n\r\n"):
                head += replies.readline()
            msg = SipMessage(head)
            replies.read(int(msg.header("content-length") or 0))
            return msg

        first = exchange("")
        assert first.status == 401
        auth = ua.digest(first.header("WWW-Authenticate"), "REGISTER", uri)
        assert exchange(f"Authorization: {auth}\r\n").status == 200
        assert registrar.registered_contacts("alice") == [contact]


def test_message_to_unregistered_user_is_404(registrar, users):
    alice = users("alice")
    assert alice.message("bob", "anyone there?").status == 404
    assert alice.message("nobody", "anyone there?").status == 404


def test_options_to_registrar_itself(registrar, users):
    alice = users("alice")
    alice.send(alice.build("OPTIONS", f"sip:{registrar.ip}:{registrar.port}", "<sip:127.0.0.1>"))
    assert alice.recv().status == 200


def test_challenge_invite_requires_proxy_auth(tmp_path):
    reg = KamailioRegistrar("127.0.0.1", free_port("127.0.0.1"), USERS, tmp_path / "kam",
                            transports=("udp",), challenge_invite=True)
    reg.start()
    alice, bob = RawUser("alice", USERS["alice"], reg), RawUser("bob", USERS["bob"], reg)
    try:
        assert bob.register()[1].status == 200
        reply = alice.message("bob", "no credentials")
        assert reply.status == 407
        assert f'realm="{reg.domain}"' in reply.header("Proxy-Authenticate")
        # with credentials the MESSAGE reaches bob
        uri = "sip:bob@127.0.0.1"
        alice.send(alice.build("MESSAGE", uri, f"<{uri}>", "", "hi", "cid-1"))
        challenge = alice.recv().header("Proxy-Authenticate")
        auth = alice.digest(challenge, "MESSAGE", uri)
        alice.send(alice.build("MESSAGE", uri, f"<{uri}>", f"Proxy-Authorization: {auth}\r\n", "hi", "cid-1"))
        got = bob.recv()
        assert got.method == "MESSAGE" and got.body == "hi"
        assert got.header("proxy-authorization") is None, "credentials must not be forwarded"
        bob.answer(got)
        assert alice.recv().status == 200
        bad = RawUser("alice", "wrong", reg)
        try:
            assert bad.message("bob", "x", credentials=True).status == 403
        finally:
            bad.close()
    finally:
        alice.close()
        bob.close()
        reg.stop()


def test_two_instances_and_port_clash(tmp_path):
    port = free_port("127.0.0.2")
    first = KamailioRegistrar("127.0.0.2", port, USERS, tmp_path / "one")
    other = KamailioRegistrar("127.0.0.3", port, USERS, tmp_path / "two")
    try:
        first.start()
        other.start()  # same port, other address: both run at once
        assert first.pid and other.pid and first.pid != other.pid
        for transports in (("udp", "tcp"), ("udp",), ("tcp",)):
            clash = KamailioRegistrar("127.0.0.2", port, USERS, tmp_path / "clash",
                                      transports=transports)
            with pytest.raises(LabError) as info:
                clash.start()
            assert info.value.part == "registrar"
            assert f"127.0.0.2:{port}" in str(info.value)
            assert "Address already in use" in str(info.value), str(info.value)
            assert clash.pid is None
        assert first.pid is not None and first.is_registered("alice") is False, \
            "the first instance must survive the clash"
    finally:
        other.stop()
        first.stop()


class BrokenRegistrar(KamailioRegistrar):
    """A real Kamailio fed a config that names a module it does not have."""

    def render_cfg(self) -> str:
        return super().render_cfg().replace('loadmodule "auth.so"', 'loadmodule "no_such_mod.so"')


def test_users_that_cannot_go_into_the_config_are_refused(tmp_path):
    with pytest.raises(ValueError):
        KamailioRegistrar("127.0.0.1", 5060, {"al ice": "pw"}, tmp_path)
    with pytest.raises(ValueError):
        KamailioRegistrar("127.0.0.1", 5060, {"alice": 'p"w'}, tmp_path)


def test_bad_config_is_a_lab_error_with_log_tail(tmp_path):
    reg = BrokenRegistrar("127.0.0.1", free_port("127.0.0.1"), USERS, tmp_path / "kam")
    with pytest.raises(LabError) as info:
        reg.start()
    message = str(info.value)
    assert info.value.part == "registrar" and message.startswith("[lab: registrar]")
    assert "exited" in message
    assert "no_such_mod" in message, "the log tail should show kamailio's own complaint"
    assert reg.pid is None
    assert "no_such_mod" in reg.log_path.read_text()
    reg.stop()
