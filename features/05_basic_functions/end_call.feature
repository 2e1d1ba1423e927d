Feature: Ending a call (manual §5.3)
  The Hang Up soft key ends a call; in hands-free mode the hands-free key ends
  it too.  An answered call ends with BYE, an unanswered outgoing one with CANCEL.

  Background:
    Given phone A is registered with its bench account
    And the SIP traffic of the bench is captured

  @REQ-END-01 @REQ-END-03
  Scenario: The Hang Up soft key ends a handset call with BYE
    Given C answers every call
    When A types the number of C
    And A presses the off-hook key
    Then A is talking to C in handset mode
    When A presses the "Hang Up" soft key
    Then C's call ends
    And A sent BYE to C
    And A returns to the standby screen

  @REQ-END-02 @REQ-END-03
  Scenario: The hands-free key ends a hands-free call
    Given C answers every call
    When A presses the hands-free key
    And A types the number of C
    And A presses the "Send" soft key
    Then A is talking to C in hands-free mode
    When A presses the hands-free key
    Then C's call ends
    And A sent BYE to C
    And A returns to the standby screen

  @REQ-END-03 @REQ-KEYS-15
  Scenario: Hanging up before the far end answers cancels the call
    Given C will let its phone ring
    When A types the number of C
    And A presses the off-hook key
    Then C rings with a call from A
    When A presses the on-hook key
    Then C's call ends with status 487
    And A sent CANCEL to C
    And A sent no BYE
    And A returns to the standby screen

  @REQ-END-03
  Scenario: The far end hanging up returns the phone to standby
    When C calls A
    Then A rings with a call from C
    When A presses the off-hook key
    Then C is in a call with A
    When C hangs up
    Then A returns to the standby screen
    And the received calls of A list the number of C
