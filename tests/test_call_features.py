"""The call-feature rules of the reference phone (DND, forward, call waiting, auto answer) on their own."""
from reference_impl import call_features as f
from reference_impl.schema import defaults


def config(**values):
    c = defaults()
    c.update({k.replace("__", "."): v for k, v in values.items()})
    return c


def test_factory_phone_rings_and_waits():
    c = config()
    assert f.decide(c, 1, "2001", busy=False).action == "ring"
    assert f.decide(c, 1, "2001", busy=True).action == "waiting"
    assert not (f.dnd_icon(c) or f.forward_icon(c) or f.auto_answer_icon(c))
    assert c["forward.no_answer.time"] == 5 and c["dnd.mode"] == "Phone"


def test_dnd_phone_mode_covers_every_account_custom_only_the_chosen():
    phone = config(dnd__enable=True)
    assert [f.decide(phone, n, "2001", False).code for n in (1, 2)] == [486, 486]
    custom = config(dnd__mode="Custom", dnd__enable=True, dnd__account2=True)
    assert f.decide(custom, 1, "2001", False).action == "ring"
    assert f.decide(custom, 2, "2001", False) == f.Decision("reject", code=486, reason="dnd")


def test_always_forward_wins_and_authorised_numbers_bypass_it():
    c = config(forward__always__enable=True, forward__always__number="2002", dnd__enable=True)
    assert f.decide(c, 1, "2001", False) == f.Decision("forward", target="2002", reason="always")
    c.update({"forward.authorised.enable": True, "forward.authorised.numbers": "1004, 2001"})
    assert f.decide(c, 1, "2001", False).reason == "dnd"


def test_busy_forward_then_call_waiting_then_busy():
    c = config(forward__busy__enable=True, forward__busy__number="2002")
    assert f.decide(c, 1, "2001", True).target == "2002"
    c.update({"forward.busy.enable": False, "call_waiting.enable": False})
    assert f.decide(c, 1, "2001", True) == f.Decision("reject", code=486, reason="busy_no_waiting")


def test_custom_forward_covers_the_chosen_account_only():
    c = config(forward__mode="Custom", forward__account="2", forward__always__enable=True,
               forward__always__number="2002")
    assert f.decide(c, 1, "2001", False).action == "ring"
    assert f.decide(c, 2, "2001", False).action == "forward"


def test_feature_codes_carry_the_forward_number():
    old = config(forward__always__number="1000", forward__always__on_code="*72", forward__always__off_code="*73")
    on = {**old, "forward.always.enable": True}
    assert f.feature_codes(old, on) == [(1, "*721000")]
    assert f.feature_codes(on, old) == [(1, "*731000")]
    assert f.feature_codes(config(), config(forward__always__enable=True)) == []
    cw = config(call_waiting__off_code="*70")
    assert f.feature_codes(cw, {**cw, "call_waiting.enable": False}) == [(1, "*70")]
