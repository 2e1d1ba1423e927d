Feature: Call forward (manual §5.6)
  A forwarded call is sent back to its caller with 302 Moved Temporarily whose
  Contact names the forward number on the account's server; the caller then
  calls that number itself.  A ringing call can be forwarded by hand (the
  Transfer key opens the forward screen: the ringing screen's two soft keys
  stay Answer / Reject); Always, Busy and No-answer forward work by themselves.

  The callers here are phone B (a desk phone follows the redirect, as the
  reference phone does) and the soft phone C (which does not: it only sees
  the 302); the forward target D shows what reached it.

  Background:
    Given phones A and B are registered with their bench accounts
    And the SIP traffic of the bench is captured

  @REQ-FWD-02 @REQ-FWD-03 @REQ-FWD-01
  Scenario: A ringing call is forwarded by hand to another number
    Given D will let its phone ring
    When B types the number of A
    And B presses the off-hook key
    Then A rings with a call from B
    When A presses the transfer key
    Then A shows "Forward"
    When A types the number of D
    And A presses the "Send" soft key
    Then A answered the INVITE from B with 302 pointing to D
    And D rings with a call from B
    And A returns to the standby screen
    When D answers
    Then D is in a call with B
    And D hears audio from B

  @REQ-FWD-04 @REQ-FWD-05 @REQ-FWD-17 @REQ-FWD-20
  Scenario: Always forward set on the phone sends every call on without ringing
    Given D answers every call
    When A opens "Features > Call Forward > Always forward" from the menu
    And A switches "Status" to "Enabled"
    And A sets "Number" to the number of D
    And A presses the OK key
    Then A shows the call forward icon
    When B types the number of A
    And B presses the off-hook key
    Then A answered the INVITE from B with 302 pointing to D
    And A did not ring
    And D is in a call with B

  @REQ-FWD-05
  Scenario: A caller that does not follow redirects still learns the forward target
    Given the web UI of A sets forward.always.enable = 1, forward.always.number = 2002
    When C calls A
    Then A answered the INVITE from C with 302 pointing to D
    And C's call ends
    And A did not ring

  @REQ-FWD-06 @REQ-FWD-18
  Scenario: Busy forward sends a second call on while the phone is in a call
    Given the web page "forward_dnd" of A is submitted with forward.busy.enable = 1, forward.busy.number = 2002
    And D answers every call
    And C calls A
    And A presses the off-hook key
    And C is in a call with A
    When B types the number of A
    And B presses the off-hook key
    Then A answered the INVITE from B with 302 pointing to D
    And D is in a call with B

  @REQ-FWD-07 @REQ-FWD-19
  Scenario: No-answer forward sends the call on after the no-answer time set on the phone
    Given D will let its phone ring
    When A opens "Features > Call Forward > No-answer forward" from the menu
    And A switches "Status" to "Enabled"
    And A sets "Number" to the number of D
    And A sets "No Answer Time" to "2"
    And A presses the OK key
    When B types the number of A
    And B presses the off-hook key
    Then A rings with a call from B
    And D rings with a call from B
    And A answered the INVITE from B with 302 pointing to D 2 s after its 180

  @REQ-FWD-08 @REQ-FWD-07 @slow
  Scenario: The no-answer time is 5 s from the factory
    Given the configuration of A has forward.no_answer.time = 5
    And the web UI of A sets forward.no_answer.enable = 1, forward.no_answer.number = 2002
    And D will let its phone ring
    When B types the number of A
    And B presses the off-hook key
    Then A rings with a call from B
    And D rings with a call from B
    And A answered the INVITE from B with 302 pointing to D 5 s after its 180

  @REQ-FWD-09 @REQ-FWD-10 @REQ-FWD-11
  Scenario: A call from an authorised number is never forwarded
    Given the web UI of A sets forward.authorised.numbers to "1004,2001"
    And the web page "forward_dnd" of A is submitted with forward.always.enable = 1, forward.always.number = 2002, forward.authorised.enable = 1
    When C calls A
    Then A rings with a call from C
    And A sent no 302

  @REQ-FWD-12
  Scenario: Custom forward mode forwards only the chosen account
    Given account 2 of A is registered as 1003
    And the web UI of A sets forward.mode = Custom, forward.account = 2, forward.always.enable = 1, forward.always.number = 2002
    And D will let its phone ring
    When C calls A
    Then A rings with a call from C
    And A sent no 302

  @REQ-FWD-14 @REQ-FWD-13
  Scenario: Forward feature codes are sent with the number appended
    Given the web UI of A sets forward.always.number = 1000, forward.always.on_code = *72, forward.always.off_code = *73
    When the web UI of A sets forward.always.enable = 1
    Then A sent an INVITE for *721000
    When the web UI of A sets forward.always.enable = 0
    Then A sent an INVITE for *731000

  @REQ-FWD-16
  Scenario: Without feature codes nothing is sent to the server
    When the web UI of A sets forward.always.enable = 1, forward.always.number = 2002
    Then A shows the call forward icon
    And A sent no INVITE

  @REQ-FWD-21 @REQ-FWD-20
  Scenario: The Transfer key on an idle phone switches call forward on and off
    Given the web UI of A sets forward.always.number = 2002
    When A presses the transfer key
    Then A shows the call forward icon
    And A shows "Forward on"
    And A returns to the standby screen
    When A presses the transfer key
    Then A does not show the call forward icon
