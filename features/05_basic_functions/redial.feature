Feature: Redial (manual §5.4)
  Pressing off-hook twice (or hands-free then off-hook) calls the last dialled
  number again; an older call is redialled from the call history.

  Background:
    Given phone A is registered with its bench account
    And C answers every call
    And D answers every call

  @REQ-REDIAL-01 @REQ-REDIAL-04
  Scenario: Off-hook twice redials the last number on the handset
    Given A types the number of C
    And A presses the off-hook key
    And A is talking to C in handset mode
    And A presses the "Hang Up" soft key
    And A shows the standby screen
    When A presses the off-hook key
    And A presses the off-hook key
    Then A is talking to C in handset mode
    And C received exactly 2 calls

  @REQ-REDIAL-02
  Scenario: Hands-free then off-hook redials in hands-free mode
    Given A types the number of C
    And A presses the off-hook key
    And A is talking to C in handset mode
    And A presses the "Hang Up" soft key
    And A shows the standby screen
    When A presses the hands-free key
    And A presses the off-hook key
    Then A is talking to C in hands-free mode

  @REQ-REDIAL-03
  Scenario: With a headset, off-hook twice redials on the headset
    Given a headset is plugged into A
    And A types the number of C
    And A presses the off-hook key
    And A is talking to C in headset mode
    And A presses the "Hang Up" soft key
    And A shows the standby screen
    When A presses the off-hook key
    And A presses the off-hook key
    Then A is talking to C in headset mode

  @REQ-REDIAL-05 @REQ-HIST-04 @REQ-HIST-07
  Scenario: An older call is redialled from the call history
    Given A types the number of C
    And A presses the off-hook key
    And A is talking to C in handset mode
    And A presses the "Hang Up" soft key
    And A shows the standby screen
    And A types the number of D
    And A presses the off-hook key
    And A is talking to D in handset mode
    And A presses the "Hang Up" soft key
    And A shows the standby screen
    When A presses the "History" soft key
    Then A shows the history screen
    When A presses the down key
    And A presses the off-hook key
    Then A is talking to C in handset mode
    And C received exactly 2 calls
