Feature: Answering and rejecting a call (manual §5.2)
  A ringing call is answered with the off-hook key (handset, or headset when one
  is plugged in), with the Answer soft key or the hands-free key (hands-free),
  or refused with the Reject soft key.

  Background:
    Given phone A is registered with its bench account

  @REQ-ANS-07 @REQ-ANS-02 @REQ-KEYS-05 @REQ-ANS-01
  Scenario: The off-hook key answers a ringing call on the handset
    When C calls A
    Then A rings with a call from C
    And the soft keys of A read "Answer" and "Reject"
    When A presses the off-hook key
    Then A is talking to C in handset mode
    And C is in a call with A
    And C hears audio from A

  @REQ-ANS-03
  Scenario: The Answer soft key answers hands-free
    When C calls A
    Then A rings with a call from C
    When A presses the "Answer" soft key
    Then A is talking to C in hands-free mode
    And C is in a call with A

  @REQ-ANS-03
  Scenario: The hands-free key answers hands-free
    When C calls A
    Then A rings with a call from C
    When A presses the hands-free key
    Then A is talking to C in hands-free mode

  @REQ-KEYS-19
  Scenario: The OK key answers a ringing call
    When C calls A
    Then A rings with a call from C
    When A presses the OK key
    Then C is in a call with A

  @REQ-ANS-04 @REQ-ICON-10
  Scenario: With a headset plugged in, the off-hook key answers on the headset
    Given a headset is plugged into A
    When C calls A
    Then A rings with a call from C
    When A presses the off-hook key
    Then A is talking to C in headset mode

  @REQ-ANS-05
  Scenario: The Reject soft key refuses the call and the caller hears busy
    Given the SIP traffic of the bench is captured
    When C calls A
    Then A rings with a call from C
    When A presses the "Reject" soft key
    Then C's call ends with status 486
    And A returns to the standby screen
    And A sent no BYE

  @REQ-ANS-05 @REQ-ANS-07
  Scenario: A reference phone rejecting another reference phone
    Given phone B is registered with its bench account
    When B types the number of A
    And B presses the off-hook key
    Then A rings with a call from B
    When A presses the "Reject" soft key
    Then B shows "Busy"
    And B returns to the standby screen
    And A returns to the standby screen

  @REQ-ICON-04 @REQ-HIST-01
  Scenario: A call the caller gives up on is a missed call
    When C calls A
    Then A rings with a call from C
    When C hangs up
    Then A returns to the standby screen
    And A shows the missed call icon
    And the missed calls of A list the number of C
