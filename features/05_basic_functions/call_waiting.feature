Feature: Call waiting (manual §5.8)
  With call waiting on (the factory setting here), a second call during a
  conversation rings (180) and is shown on the screen; Answer takes it and
  holds the first, the up/down keys switch between the two.  With call waiting
  off, the second caller gets 486 Busy Here.  The "play tone" option beeps in
  the conversation while a call waits (the reference phone reports the tone it
  plays and renders its speaker output, so these checks are reference-only).

  Background:
    Given phone A is registered with its bench account
    And the SIP traffic of the bench is captured
    And C calls A
    And A presses the off-hook key
    And C is in a call with A

  @REQ-CW-01
  Scenario: A second call is offered and taken while the first waits on hold
    When D calls A
    Then D hears ringback from A
    And A shows a waiting call from D
    And the soft keys of A read "Answer" and "Reject"
    When A presses the "Answer" soft key
    Then D is in a call with A
    And C is put on hold by A
    And A is talking to D in handset mode
    When A presses the down key
    Then C is taken off hold by A
    And D is put on hold by A
    And A is talking to C in handset mode

  @REQ-CW-03 @REQ-TONE-11 @reference_only
  Scenario: A waiting call beeps in the conversation while the tone option is on
    Given the web page "features_basic" of A is submitted with call_waiting.tone = 1
    When D calls A
    Then A shows a waiting call from D
    And A plays the call waiting tone "450/400,0/4000"
    And the speaker of A sounds at 450 Hz

  @REQ-CW-03 @reference_only
  Scenario: With the tone option off, a waiting call is shown but does not beep
    Given the web page "features_basic" of A is submitted with call_waiting.tone = 0
    When D calls A
    Then A shows a waiting call from D
    And A plays no call waiting tone for 1.5 s

  @REQ-CW-01
  Scenario: The waiting call is refused and the first call goes on
    When D calls A
    Then A shows a waiting call from D
    When A presses the "Reject" soft key
    Then D's call ends with status 486
    And A is talking to C in handset mode

  @REQ-CW-02 @REQ-CW-05
  Scenario: With call waiting off a second caller hears busy
    Given the web page "features_basic" of A is submitted with call_waiting.enable = 0
    When D calls A
    Then D's call ends with status 486
    And A answered the INVITE from D with 486 and no 180
    And A is talking to C in handset mode

  @REQ-CW-06
  Scenario: Call waiting feature codes go out from the default account
    Given the web UI of A sets call_waiting.on_code = *71, call_waiting.off_code = *70
    When the web UI of A sets call_waiting.enable = 0
    Then A sent an INVITE for *70
