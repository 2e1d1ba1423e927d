"""Set-up steps of the local conference (manual §5.14), built from the keypad actions a person takes."""
from __future__ import annotations

from pytest_bdd import parsers, step

from steps.call_steps import peer_in_call
from steps.phone_steps import press_soft_key, select_item, type_number_of

PHONE = r"(?:phone )?(?P<name>[A-B])"


@step(parsers.re(rf"{PHONE} has joined (?P<first>[C-D]) and (?P<second>[C-D]) in a conference"))
def joined_in_conference(bench, name, first, second):
    """``name`` is already talking to ``first``: Options > Conference, call ``second``, Conf."""
    press_soft_key(bench, name, "Options")
    select_item(bench, name, "Conference")
    type_number_of(bench, name, second)
    press_soft_key(bench, name, "Send")
    peer_in_call(bench, second, name)
    press_soft_key(bench, name, "Conf")
    bench.dut(name).screen.wait_for_screen("conference", timeout=5)
