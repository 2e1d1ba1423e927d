Feature: Making a call (manual §5.1)
  A call can be placed with the handset, the hands-free speaker or a headset:
  off-hook first then the number, or the number first (pre-dial) then a key
  that sends it.  Each dial action sends one INVITE for the typed number.

  Background:
    Given phone A is registered with its bench account
    And C will let its phone ring

  @REQ-CALL-03 @REQ-CALL-09 @REQ-ICON-09 @REQ-ACCT-13
  Scenario: Off-hook, then the number, then off-hook again places a handset call
    When A presses the off-hook key
    Then A shows the dialing screen
    When A types the number of C
    And A presses the off-hook key
    Then C rings with a call from A
    And the INVITE that C received was for the number 2001
    And C sees the caller name "Alice"
    And A is calling C in handset mode
    When C answers
    Then A is talking to C in handset mode
    And C hears audio from A
    And C received exactly 1 call

  @REQ-CALL-04 @REQ-CALL-01
  Scenario: Digits typed on the standby screen pre-dial the number
    When A types the number of C
    Then A shows the dialing screen
    When A presses the off-hook key
    Then C rings with a call from A
    And A is calling C in handset mode

  @REQ-CALL-07 @REQ-ICON-08
  Scenario: The hands-free key opens the dialing screen and the call is hands-free
    When A presses the hands-free key
    Then A shows the dialing screen
    When A types the number of C
    And A presses the "Send" soft key
    Then C rings with a call from A
    When C answers
    Then A is talking to C in hands-free mode

  @REQ-CALL-08 @REQ-KEYS-18 @REQ-SEND-05
  Scenario: A pre-dialled number sent with the OK key goes out hands-free
    When A types the number of C
    And A presses the OK key
    Then C rings with a call from A
    And A is calling C in hands-free mode

  @REQ-CALL-05 @REQ-ICON-10 @REQ-CALL-02
  Scenario: With a headset plugged in, the call uses the headset
    Given a headset is plugged into A
    When A presses the off-hook key
    And A types the number of C
    And A presses the off-hook key
    Then C rings with a call from A
    When C answers
    Then A is talking to C in headset mode

  @REQ-CALL-03 @REQ-CALL-09 @REQ-GEN-03
  Scenario: One reference phone calls another through the registrar
    Given phone B is registered with its bench account
    When A presses the off-hook key
    And A types the number of B
    And A presses the off-hook key
    Then B rings with a call from A
    When B presses the off-hook key
    Then A is talking to B in handset mode
    And B is talking to A in handset mode

  @REQ-ACCT-03 @REQ-ACCT-02 @REQ-ACCT-05
  Scenario: The account key chooses the account of the next call
    Given the web UI of A sets account.2.enable = 1, account.2.user_name = 1003, account.2.register_name = 1003, account.2.password = pw1003, account.2.server1 = {registrar.ip}, account.2.label = Second
    And the web status page of A shows account 2 as "registered"
    When A presses the right key
    Then A shows "Second 1003"
    When A types the number of C
    And A presses the off-hook key
    Then C rings with a call from 1003
