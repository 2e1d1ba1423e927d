"""The two ways a scenario can go wrong, kept apart in every report.

* ``PhoneFailure`` -- the device under test did the wrong thing (a test failure).
  It subclasses ``AssertionError`` so pytest reports it as a plain failure.
* ``LabError`` -- the bench broke (registrar down, serial port gone, camera dark,
  a peer that could not register).  It is *not* an AssertionError, so pytest
  reports it as an error, and the report builder files it under "lab".
"""


class PhoneFailure(AssertionError):
    """The phone under test did not behave as the manual says."""


class LabError(RuntimeError):
    """The bench, not the phone, is at fault.  Always say which part of the lab."""

    def __init__(self, part: str, message: str):
        self.part, self.message = part, message
        super().__init__(f"[lab: {part}] {message}")
