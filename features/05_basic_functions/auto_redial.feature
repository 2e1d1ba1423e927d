Feature: Auto redial (manual §5.9)
  With auto redial on, a call that fails (busy, refused, not reachable) is
  tried again by itself after the interval, as many times as the count says,
  and the phone stops as soon as a call gets through.  The prompt on the LCD
  says when the next attempt goes out; Cancel stops it.  Interval and count
  are 1–300 (defaults 10 and 10), set from Menu > Features > Auto Redial or
  the web page Features > Basic information.

  Background:
    Given phone A is registered with its bench account
    And the SIP traffic of the bench is captured

  @REQ-AREDIAL-01 @REQ-AREDIAL-07
  Scenario: A busy callee is called again at the interval, as many times as the count
    Given the web UI of A sets auto_redial.enable = 1, auto_redial.interval = 2, auto_redial.count = 2
    And C refuses every call with 486
    When A types the number of C
    And A presses the off-hook key
    Then A shows the auto redial screen
    And A calls C 3 times, 2 s apart
    And A called C exactly 3 times in 3 s
    And A returns to the standby screen

  @REQ-AREDIAL-07
  Scenario: Auto redial stops once a call gets through
    Given the web UI of A sets auto_redial.enable = 1, auto_redial.interval = 1, auto_redial.count = 5
    And C refuses every call with 486
    When A types the number of C
    And A presses the off-hook key
    Then A shows the auto redial screen
    Given C answers every call
    Then C is in a call with A
    And A called C exactly 2 times in 2.5 s

  @REQ-AREDIAL-01
  Scenario: Cancel on the auto redial prompt stops the redialling
    Given the web UI of A sets auto_redial.enable = 1, auto_redial.interval = 2, auto_redial.count = 5
    And C refuses every call with 486
    When A types the number of C
    And A presses the off-hook key
    Then A shows the auto redial screen
    When A presses the "Cancel" soft key
    Then A returns to the standby screen
    And A called C exactly 1 time in 3 s

  @REQ-AREDIAL-08
  Scenario: With auto redial off a failed call is not tried again
    Given C refuses every call with 486
    When A types the number of C
    And A presses the off-hook key
    Then A shows "Busy"
    And A called C exactly 1 time in 2.5 s

  @REQ-AREDIAL-05 @REQ-AREDIAL-02 @REQ-AREDIAL-03
  Scenario: Auto redial is set from Menu > Features > Auto Redial
    When A opens "Features > Auto Redial" from the menu
    And A switches "Auto Redial" to "Enabled"
    And A moves to the "Redial Interval" field
    And A sets "Redial Interval" to "300"
    And A moves to the "Redial Times" field
    And A sets "Redial Times" to "1"
    And A presses the "Save" soft key
    Then A shows "Saved"
    And the configuration of A has auto_redial.interval = 300
    And the configuration of A has auto_redial.count = 1

  @REQ-AREDIAL-04
  Scenario Outline: The phone menu refuses an interval or count outside 1–300
    When A opens "Features > Auto Redial" from the menu
    And A sets "<field>" to "<value>"
    And A presses the "Save" soft key
    Then A shows "<key>"
    And the configuration of A has <key> = 10

    Examples:
      | field           | value | key                  |
      | Redial Interval | 0     | auto_redial.interval |
      | Redial Interval | 301   | auto_redial.interval |
      | Redial Times    | 0     | auto_redial.count    |
      | Redial Times    | 301   | auto_redial.count    |

  @REQ-AREDIAL-04 @REQ-AREDIAL-06
  Scenario Outline: The web page refuses an interval or count outside 1–300
    When the web page "features_basic" of A is submitted with <key> = <value>
    Then the web UI refuses the page naming "<key>"
    And the configuration of A is unchanged

    Examples:
      | key                  | value |
      | auto_redial.interval | 0     |
      | auto_redial.interval | 301   |
      | auto_redial.count    | 0     |
      | auto_redial.count    | 301   |
