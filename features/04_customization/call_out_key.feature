Feature: Call-out (send) key (manual §4.1.3)
  The call-out key is #, * or Disabled (factory value #: the manual gives
  none).  With digits typed, the chosen key places the call at once and is not
  part of the number; Disabled makes * and # ordinary characters that go out in
  the INVITE.  OK and the Send soft key always place the call.  The setting is
  on the phone (Menu > Features > Call-out Key) and on the web (Settings (E) /
  Basic), as the §1.3 matrix says.

  Background:
    Given phone A is registered with its bench account
    And C will let its phone ring
    And the SIP traffic of the bench is captured

  @REQ-SEND-01 @REQ-SEND-06 @REQ-MTX-09
  Scenario: Menu > Features > Call-out Key offers #, * and Disabled with Switch, and saves
    When A opens "Features > Call-out Key" from the menu
    Then the field "Call-out Key" of A reads "#"
    And the soft keys of A read "Switch" and "Back"
    When A presses the "Switch" soft key
    Then the field "Call-out Key" of A reads "*"
    When A presses the "Switch" soft key
    Then the field "Call-out Key" of A reads "Disabled"
    When A presses the "Switch" soft key
    Then the field "Call-out Key" of A reads "#"
    When A switches "Call-out Key" to "*"
    And A presses the OK key
    Then A shows "Saved"
    And the configuration of A has phone.call_out_key = *

  @REQ-SEND-06
  Scenario: The web UI sets the call-out key and refuses any other value
    When the web page "settings" of A is submitted with phone.call_out_key = Disabled
    Then the configuration of A has phone.call_out_key = Disabled
    When the web page "settings" of A is submitted with phone.call_out_key = 5
    Then the web UI refuses the page naming "phone.call_out_key"
    And the web page "settings" says "allowed: one of #, *, Disabled"
    And the configuration of A has phone.call_out_key = Disabled

  @REQ-SEND-02
  Scenario: With #, pressing # after the digits sends the call at once without the #
    When A presses the off-hook key
    And A types 2001#
    Then C rings with a call from A
    And the INVITE that C received was for the number 2001
    And A sent no INVITE for the number "2001#"

  @REQ-SEND-02 @REQ-SEND-04
  Scenario: With #, a * in the number is an ordinary character
    When A types 12*34#
    Then A sent an INVITE whose Request-URI user part is "12*34"

  @REQ-SEND-03
  Scenario: With *, pressing * after the digits sends the call at once without the *
    Given the web UI of A sets phone.call_out_key = *
    When A presses the hands-free key
    And A types 2001*
    Then C rings with a call from A
    And the INVITE that C received was for the number 2001
    And A sent no INVITE for the number "2001*"

  @REQ-SEND-04
  Scenario: With the call-out key Disabled, * and # go out in the INVITE
    Given the web UI of A sets phone.call_out_key = Disabled
    When A types 12*34#
    Then A shows the dialing screen
    And A sent no INVITE for 1 s
    When A presses the "Send" soft key
    Then A sent an INVITE whose Request-URI user part is "12*34#"

  @REQ-SEND-05
  Scenario Outline: With the call-out key <setting>, <how> places the call
    Given the web UI of A sets phone.call_out_key = <setting>
    When A types the number of C
    And A presses <how>
    Then C rings with a call from A
    And the INVITE that C received was for the number 2001

    Examples:
      | setting  | how                   |
      | #        | the OK key            |
      | #        | the "Send" soft key   |
      | *        | the OK key            |
      | *        | the "Send" soft key   |
      | Disabled | the OK key            |
      | Disabled | the "Send" soft key   |
