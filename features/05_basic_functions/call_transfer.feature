Feature: Call transfer (manual §5.7)
  During a call the Transfer key (or Options > Transfer) puts the far end
  on hold and asks for the target.  "BTra" hands the call over at once (REFER
  without Replaces); "Send" calls the target first and the Transfer soft key
  then hands the held party over to it (REFER with Replaces).  Resume cancels.
  "Dir" picks the target from the local contacts (group, contact, number) and
  hands the call over to that number at once.

  Background:
    Given phone A is registered with its bench account
    And the SIP traffic of the bench is captured
    And C calls A
    And A presses the off-hook key
    And C is in a call with A

  @REQ-XFER-01 @REQ-XFER-02 @REQ-XFER-05 @REQ-XFER-06
  Scenario: Blind transfer hands the caller over to the target
    Given D answers every call
    When A presses the "Options" soft key
    And A selects "Transfer"
    Then C is put on hold by A
    When A types the number of D
    Then the soft keys of A read "BTra" and "Send"
    When A presses the "BTra" soft key
    Then C was asked to call D without Replaces
    And A sent REFER to C
    And C is in a call with D
    And D is in a call with C
    And C hears audio from D
    And A sent BYE to C
    And A returns to the standby screen
    When D hangs up
    Then C's call ends

  @REQ-XFER-07 @REQ-XFER-06
  Scenario: Blind transfer to a number picked from the local contacts
    Given D answers every call
    And the web UI of A adds the contact "Dave" with office 1234, mobile the number of D
    When A presses the "Options" soft key
    And A selects "Transfer"
    Then C is put on hold by A
    And the soft keys of A read "Dir" and "Resume"
    When A presses the "Dir" soft key
    And A selects "Default"
    And A selects "Dave"
    And A selects "Mobile"
    Then C was asked to call D without Replaces
    And A sent REFER to C
    And C is in a call with D
    And D is in a call with C
    And A returns to the standby screen

  @REQ-XFER-04 @REQ-XFER-02
  Scenario: Resume cancels the transfer and takes the call back
    When A presses the transfer key
    Then C is put on hold by A
    And the soft keys of A read "Dir" and "Resume"
    When A presses the "Resume" soft key
    Then C is taken off hold by A
    And A is talking to C in handset mode
    And A sent no REFER

  @REQ-XFER-08 @REQ-XFER-09 @REQ-XFER-11
  Scenario: Attended transfer after talking to the target
    Given phone B is registered with its bench account
    When A presses the transfer key
    And A types the number of B
    Then the soft keys of A read "BTra" and "Send"
    When A presses the "Send" soft key
    Then B rings with a call from A
    When B presses the off-hook key
    Then A is talking to B in handset mode
    When A presses the "Transfer" soft key
    Then C was asked to call B with Replaces
    And C is in a call with B
    And B is talking to C in handset mode
    And C hears audio from B
    And A returns to the standby screen

  @REQ-XFER-10
  Scenario: The target refuses, and Resume returns to the held caller
    Given D will let its phone ring
    When A presses the transfer key
    And A types the number of D
    And A presses the "Send" soft key
    Then D rings with a call from A
    When D rejects the call with 486
    Then the soft keys of A read "" and "Resume"
    When A presses the "Resume" soft key
    Then C is taken off hold by A
    And A is talking to C in handset mode
    And A sent no REFER
