Feature: Do not disturb (manual §5.5)
  With DND on, the phone does not ring: the caller is told the line is busy
  (486 Busy Here, sent without a 180 first) and the call is kept as a missed
  call.  Phone mode (the factory mode) covers every account; custom mode
  covers the accounts chosen.  DND is set from the web page Features >
  Forward & DND or from Menu > Features > DND, and its icon shows meanwhile.

  Background:
    Given phone A is registered with its bench account
    And the SIP traffic of the bench is captured

  @REQ-DND-01 @REQ-DND-02 @REQ-DND-10 @REQ-DND-05
  Scenario: DND switched on from the phone menu shows its icon
    Given the configuration of A has dnd.mode = Phone
    And A does not show the DND icon
    When A opens "Features > DND" from the menu
    And A switches "DND" to "Enabled"
    And A presses the OK key
    Then A shows the DND icon
    And the configuration of A has dnd.enable = 1

  @REQ-DND-03 @REQ-DND-06 @REQ-DND-07 @REQ-DND-08 @REQ-ANS-06 @REQ-DND-09
  Scenario: A caller of a phone in DND hears busy and the call is a missed call
    Given the web page "forward_dnd" of A is submitted with dnd.mode = Phone, dnd.enable = 1
    And A shows the DND icon
    When C calls A
    Then C's call ends with status 486
    And A answered the INVITE from C with 486 and no 180
    And A did not ring
    And A shows the missed call icon
    And the missed calls of A list the number of C

  @REQ-DND-12
  Scenario: Turning DND off brings back the icon-free screen and ringing
    Given the web UI of A sets dnd.enable = 1
    And A shows the DND icon
    When the web UI of A sets dnd.enable = 0
    Then A does not show the DND icon
    When C calls A
    Then A rings with a call from C

  @REQ-DND-04 @REQ-DND-11
  Scenario: Custom DND set on the phone covers only the chosen account
    Given account 2 of A is registered as 1003
    And the web UI of A sets dnd.mode = Custom
    When A opens "Features > DND" from the menu
    And A moves to the "Account 2" field
    And A presses the right key
    And A presses the OK key
    Then A shows the DND icon
    When C calls 1003
    Then C's call ends with status 486
    When D calls A
    Then A rings with a call from D
