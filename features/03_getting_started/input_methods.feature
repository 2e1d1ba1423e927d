Feature: Input methods (manual §3.8)
  Text fields take 123, 2aB, abc and ABC input, switched with the # key.  A key
  pressed repeatedly steps through its characters; the character shown is
  committed after one second without a key press.

  Background:
    Given phone A is at factory defaults
    And A opens "Account" from the menu
    And A enters the admin password "admin"
    And A selects "Account 1"
    And A moves to the "Label" field

  @REQ-INPUT-01 @REQ-INPUT-02
  Scenario: The # key cycles the four input methods and the LCD shows the active one
    When A presses the # key
    Then the input method of A is abc
    When A presses the # key
    Then the input method of A is ABC
    When A presses the # key
    Then the input method of A is 123
    When A presses the # key
    Then the input method of A is 2aB

  @slow @REQ-INPUT-12 @REQ-INPUT-04 @REQ-INPUT-11
  Scenario: "Switch" typed in 2aB by multi-tap, with a pause between letters
    When A presses the 7 key 9 times
    And A lets the character commit
    And A presses the 9 key 2 times
    And A lets the character commit
    And A presses the 4 key 4 times
    And A lets the character commit
    And A presses the 8 key 2 times
    And A lets the character commit
    And A presses the 2 key 4 times
    And A lets the character commit
    And A presses the 4 key 3 times
    And A lets the character commit
    Then the field "Label" of A reads "Switch"

  @REQ-INPUT-11
  Scenario: A press within one second steps to the next character, after a pause it starts a new one
    When A presses the 2 key 2 times
    Then the field "Label" of A reads "<a>"
    When A presses the 2 key
    Then the field "Label" of A reads "<b>"
    When A lets the character commit
    And A presses the 2 key
    Then the field "Label" of A reads "b<2>"

  @REQ-INPUT-05 @REQ-INPUT-06 @REQ-INPUT-07
  Scenario: abc and ABC put the letters first, the digit last, and 0 is a space
    When A presses the # key
    And A presses the 6 key 4 times
    And A lets the character commit
    And A presses the 0 key
    And A lets the character commit
    And A presses the # key
    And A presses the 6 key 1 times
    And A lets the character commit
    Then the field "Label" of A reads "6 M"

  @REQ-INPUT-13 @REQ-INPUT-09 @REQ-INPUT-03
  Scenario: An IP address typed in 123 with the * key giving the dot
    When A types "192.168.0.1" with the input methods
    Then the field "Label" of A reads "192.168.0.1"

  @REQ-INPUT-10
  Scenario: Pressing past the last character wraps round to the first
    When A presses the 2 key 8 times
    Then the field "Label" of A reads "<2>"
