Feature: Anonymous call and anonymous call rejection (manual §5.11)
  Each account can hide its caller identity on the calls it makes (local
  anonymous) and refuse calls whose caller is hidden (anonymous call
  rejection).  A hidden caller is one whose From is anonymous or whose INVITE
  asks for privacy; the phone refuses such a call with 433 Anonymity
  Disallowed before it rings.  Both are set per account from Menu > Features >
  Anonymous Call or the web page Account > Advanced, where the server's on and
  off codes can also be given.

  Background:
    Given phone A is registered with its bench account
    And the SIP traffic of the bench is captured

  @REQ-ANON-01 @REQ-ANON-05
  Scenario: Anonymous call rejection set on the phone refuses a hidden caller without ringing
    When A opens "Features > Anonymous Call > Account 1" from the menu
    And A switches "Anonymous Reject" to "Enabled"
    And A presses the OK key
    Then the configuration of A has anonymous.1.rejection = 1
    When C calls A anonymously
    Then C's call ends with status 433
    And A answered the anonymous INVITE with 433 and no 180
    And A did not ring

  @REQ-ANON-01
  Scenario: With rejection on, a caller who shows its number still rings the phone
    Given the web page "account_advanced" of A is submitted with anonymous.1.rejection = 1
    When C calls A
    Then A rings with a call from C

  @REQ-ANON-01
  Scenario: With rejection off, a hidden caller rings the phone
    When C calls A anonymously
    Then A shows the ringing screen

  @REQ-ANON-03 @REQ-ANON-06
  Scenario: Local anonymous set on the phone hides the caller from the far end
    Given C will let its phone ring
    When A opens "Features > Anonymous Call > Account 1" from the menu
    And A moves to the "Local Anonymous" field
    And A presses the right key
    And A presses the OK key
    Then the configuration of A has anonymous.1.call = 1
    When A presses the on-hook key
    And A types the number of C
    And A presses the off-hook key
    Then C receives a call from A that hides its caller

  @REQ-ANON-03
  Scenario: Without local anonymous the far end sees the caller's number
    Given C will let its phone ring
    When A types the number of C
    And A presses the off-hook key
    Then C receives a call from A that shows its number

  @REQ-ANON-04
  Scenario: A far end that refuses anonymous calls ends the call with a clear prompt
    Given the web page "account_advanced" of A is submitted with anonymous.1.call = 1
    And C refuses every call with 433
    When A types the number of C
    And A presses the off-hook key
    Then A shows "Anonymous rejected"
    And A returns to the standby screen

  @REQ-ANON-07 @REQ-ANON-08
  Scenario: Switching rejection on and off from the web sends the server's codes from that account
    Given the web page "account_advanced" of A is submitted with anonymous.1.rejection_on_code = *77, anonymous.1.rejection_off_code = *78
    When the web UI of A sets anonymous.1.rejection = 1
    Then A sent an INVITE for *77
    When the web UI of A sets anonymous.1.rejection = 0
    Then A sent an INVITE for *78

  @REQ-ANON-07
  Scenario: Rejection set for account 2 leaves account 1 open to hidden callers
    Given account 2 of A is registered as 1003
    And the web page "account_advanced" of A is submitted with anonymous.2.rejection = 1
    When C calls 1003 anonymously
    Then C's call ends with status 433
    When D calls A anonymously
    Then A shows the ringing screen
