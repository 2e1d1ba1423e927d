"""The reference phone's SQLite storage: config overrides, call history, resets, durability."""
from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from reference_impl.schema import ConfigRulesError, ConfigValueError, defaults
from reference_impl.storage import MIGRATIONS, CallRecord, PhoneStorage

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "phone.db"


@pytest.fixture
def storage(db_path: Path):
    store = PhoneStorage(db_path)
    yield store
    store.close()


def test_fresh_phone_has_factory_config(storage: PhoneStorage) -> None:
    assert storage.config_overrides() == {}
    assert storage.config() == defaults()
    assert storage.calls() == [] and storage.last_dialled() is None


def test_only_differences_from_defaults_are_stored(storage: PhoneStorage, db_path: Path) -> None:
    storage.set_config({"account.1.enable": True, "account.1.port": 5060, "sip.t1": 250})
    assert storage.config_overrides() == {"account.1.enable": True, "sip.t1": 250}
    rows = dict(sqlite3.connect(db_path).execute("SELECT key, value FROM config"))
    assert rows == {"account.1.enable": "1", "sip.t1": "250"}  # as CFG text
    storage.set_config({"sip.t1": 500})  # back to the default: the row goes
    assert storage.config_overrides() == {"account.1.enable": True}


def test_config_and_history_survive_close_and_reopen(db_path: Path) -> None:
    with PhoneStorage(db_path) as store:
        store.set_config({"account.1.user_name": "2001", "phone.language": "Chinese"})
        store.add_call("dialled", "2002", "Bob", 1, 100.0, 12.5)
    with PhoneStorage(db_path) as store:
        assert store.config_overrides() == {"account.1.user_name": "2001", "phone.language": "Chinese"}
        assert store.calls() == [CallRecord(1, "dialled", "2002", "Bob", 1, 100.0, 12.5)]


def test_committed_data_survives_kill_9(db_path: Path) -> None:
    """A phone process killed with SIGKILL, without closing, loses nothing it saved."""
    script = textwrap.dedent(f"""
        import os, signal, sys
        sys.path.insert(0, {str(ROOT)!r})
        from reference_impl.storage import PhoneStorage
        store = PhoneStorage({str(db_path)!r})
        store.set_config({{"sip.t2": 8000}})
        store.add_call("missed", "2003", started_at=5.0)
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    result = subprocess.run([sys.executable, "-c", script], timeout=20, capture_output=True)
    assert result.returncode == -9, result.stderr.decode()
    with PhoneStorage(db_path) as store:
        assert store.config_overrides() == {"sip.t2": 8000}
        assert [c.number for c in store.calls("missed")] == ["2003"]


def test_set_config_is_all_or_nothing(storage: PhoneStorage) -> None:
    storage.set_config({"account.1.user_name": "1000"})
    with pytest.raises(ConfigValueError):
        storage.set_config({"account.1.user_name": "2001", "account.1.port": 70000})
    with pytest.raises(ConfigRulesError):
        storage.set_config({"account.1.user_name": "2001", "sip.t1": 5000})  # T2 stays 4000
    with pytest.raises(KeyError):
        storage.set_config({"account.1.user_name": "2001", "account.9.port": 5060})
    assert storage.config_overrides() == {"account.1.user_name": "1000"}
    storage.set_config({"sip.t1": 5000, "sip.t2": 6000})  # together they are fine
    assert storage.config()["sip.t1"] == 5000


def test_history_is_newest_first_per_kind(storage: PhoneStorage) -> None:
    storage.add_call("dialled", "1", started_at=10.0)
    storage.add_call("received", "2", account=2, started_at=20.0, duration=3.0)
    storage.add_call("dialled", "3", started_at=30.0)
    storage.add_call("missed", "4", started_at=5.0)
    assert [c.number for c in storage.calls()] == ["3", "2", "1", "4"]
    assert [c.number for c in storage.calls("dialled")] == ["3", "1"]
    assert storage.last_dialled().number == "3"
    assert storage.calls("received")[0].account == 2
    storage.clear_calls("dialled")
    assert [c.number for c in storage.calls()] == ["2", "4"]
    assert storage.last_dialled() is None
    storage.clear_calls()
    assert storage.calls() == []


def test_history_keeps_300_per_kind_dropping_the_oldest(storage: PhoneStorage) -> None:
    for i in range(305):
        storage.add_call("received", f"n{i}", started_at=1000.0 + i)
    storage.add_call("missed", "other", started_at=1.0)  # older than all, another kind
    received = storage.calls("received")
    assert len(received) == PhoneStorage.HISTORY_LIMIT == 300
    assert received[0].number == "n304" and received[-1].number == "n5"
    assert [c.number for c in storage.calls("missed")] == ["other"]


def test_bad_history_arguments_are_refused(storage: PhoneStorage) -> None:
    with pytest.raises(ValueError):
        storage.add_call("outgoing", "1")
    with pytest.raises(ValueError):
        storage.add_call("dialled", "1", account=3)
    with pytest.raises(ValueError):
        storage.calls("answered")


def test_reset_config_keeps_records_factory_reset_wipes_all(db_path: Path) -> None:
    with PhoneStorage(db_path) as store:
        store.set_config({"web.password": "secret"})
        store.add_call("dialled", "2002", started_at=1.0)
        store.reset_config()
        assert store.config_overrides() == {} and len(store.calls()) == 1
        store.set_config({"web.password": "secret"})
        store.factory_reset()
    with PhoneStorage(db_path) as store:  # and it stays wiped after a restart
        assert store.config() == defaults()
        assert store.calls() == []
        assert store.schema_version == len(MIGRATIONS)


def test_stale_rows_fall_back_to_defaults(storage: PhoneStorage, db_path: Path) -> None:
    """A row written by another firmware (unknown key, value now out of range) is ignored."""
    with sqlite3.connect(db_path) as raw:
        raw.execute("INSERT INTO config VALUES ('old.setting', 'x'), ('account.1.port', '99999')")
    assert storage.config_overrides() == {}


def test_text_message_folders_keep_the_newest_100(storage: PhoneStorage) -> None:
    """§6.2.1: a folder holds 100 messages; the 101st pushes the oldest out, without asking."""
    for i in range(101):
        storage.add_message("inbox", "2001", 1, f"message {i}", at=float(i), unread=True)
    inbox = storage.messages("inbox")
    assert len(inbox) == 100
    assert inbox[0].text == "message 100" and inbox[-1].text == "message 1"
    assert storage.unread_messages() == 100
    storage.mark_read(inbox[0].id)
    assert storage.unread_messages() == 99


def test_text_messages_move_delete_and_survive_a_restart(db_path: Path) -> None:
    with PhoneStorage(db_path) as store:
        mid = store.add_message("outbox", "2002", 2, "你好", at=1.0)
        store.add_message("drafts", "2002", 1, "later", at=2.0)
        store.move_message(mid, "sent")
        assert [m.text for m in store.messages("sent")] == ["你好"] and store.messages("outbox") == []
    with PhoneStorage(db_path) as store:
        assert store.messages("sent")[0].account == 2
        store.delete_folder("drafts")
        assert store.messages("drafts") == []
        store.delete_message(store.messages("sent")[0].id)
        assert store.messages("sent") == []
        with pytest.raises(ValueError, match="folder must be one of"):
            store.messages("trash")
