Feature: Auto answer (manual §5.10)
  An account with auto answer on takes its calls by itself after the
  auto-answer wait (0 s by default here: the manual gives no value), hands-free.
  The idle screen shows the auto-answer icon.  A phone already in a call does
  not answer a new call by itself.

  Background:
    Given phone A is registered with its bench account

  @REQ-AA-01 @REQ-AA-03 @REQ-AA-04 @REQ-AA-02
  Scenario: Auto answer set from the phone menu answers the next call by itself
    When A opens "Features > Auto Answer" from the menu
    And A switches "Account 1" to "Enabled"
    And A presses the OK key
    Then A shows the auto answer icon
    When C calls A
    Then C is in a call with A
    And A is talking to C in hands-free mode
    And C hears audio from A

  @REQ-AA-02
  Scenario: The auto-answer wait delays the answer
    Given the web UI of A sets auto_answer.account1 = 1, auto_answer.delay = 2
    When C calls A
    Then A rings with a call from C
    And C's call is answered between 1.5 and 3.5 s after it rang

  @REQ-AA-05
  Scenario: A phone in a call does not answer a second call by itself
    Given the web UI of A sets auto_answer.account1 = 1
    And C calls A
    And C is in a call with A
    When D calls A
    Then D hears ringback from A
    And D's call is not answered for 2 s

  @REQ-AA-06
  Scenario: An account without auto answer rings normally
    Given account 2 of A is registered as 1003
    And the web UI of A sets auto_answer.account2 = 1
    When C calls A
    Then A rings with a call from C
    And C's call is not answered for 1 s
