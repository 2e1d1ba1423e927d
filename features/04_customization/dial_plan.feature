Feature: Dial plan (manual §4.7)
  The web UI keeps four kinds of dial-plan rules: replace rules, dial-now rules
  with their delay, an area code and block-out numbers.  What the phone then
  dials is checked on the wire: the user part of the INVITE's Request-URI in
  the bench capture, or the INVITE the far end received.  A blocked number
  sends no INVITE and the LCD says "Forbidden number".
  Interpretations (see reference_impl/dial_plan.py): a pattern matches the
  whole dialled number; "." also matches no digit at all; the area code is
  not added to a number a replace rule produced.

  Background:
    Given phone A is registered with its bench account
    And C will let its phone ring
    And the SIP traffic of the bench is captured

  # --- pages and storage -------------------------------------------------------------------------

  @REQ-DIAL-07 @REQ-MTX-10
  Scenario: The dial plan has four web pages, empty at factory defaults, and no phone menu
    Then the "Replace rule" page of A lists 0 rules
    And the "Dial now" page of A lists 0 rules
    And the "Block out" page of A lists 0 rules
    And the Area code page of A shows "No area code"
    When A opens "Features" from the menu
    Then A does not show "Dial plan"

  @REQ-DIAL-09 @REQ-DIAL-07
  Scenario: The dial plan survives a restart and goes through CFG export and import
    When the web UI of A adds to the "Replace rule" page: prefix = 1, replace = 2001, account = all
    And the web UI of A restarts the phone
    Then A shows the standby screen
    And the "Replace rule" page of A shows row 1 as "1 | 2001 | all"
    When the web UI of A exports its whole configuration as CFG
    Then the exported CFG holds dialplan.* settings
    When the web UI of A resets it to factory defaults
    Then the "Replace rule" page of A lists 0 rules
    When the exported CFG is imported into A
    Then the "Replace rule" page of A shows row 1 as "1 | 2001 | all"

  # --- pattern syntax (§4.7.1), checked through block out --------------------------------------------

  @REQ-DIAL-01 @REQ-DIAL-02 @REQ-DIAL-03 @REQ-DIAL-04 @REQ-DIAL-05 @REQ-DIAL-06 @REQ-DIAL-32
  Scenario Outline: The pattern <pattern> and the number <number>
    When the web UI of A adds to the "Block out" page: number = <pattern>
    And A types <number>
    And A presses the "Send" soft key
    Then the call of A to "<number>" is <outcome>

    Examples:
      | pattern      | number  | outcome           |
      | 78.          | 786     | blocked           |
      | 78.          | 7857713 | blocked           |
      | 78.          | 78      | blocked           |
      | 78.          | 79      | sent as "79"      |
      | 78x          | 781     | blocked           |
      | 78x          | 780     | blocked           |
      | 78x          | 7812    | sent as "7812"    |
      | 78x          | 78      | sent as "78"      |
      | [7-9]        | 8       | blocked           |
      | [7-9]        | 6       | sent as "6"       |
      | 12[7-9]45    | 12945   | blocked           |
      | 12[7-9]45    | 12645   | sent as "12645"   |
      | ([1-2][7-8]) | 28      | blocked           |
      | ([1-2][7-8]) | 17      | blocked           |
      | ([1-2][7-8]) | 38      | sent as "38"      |

  # --- replace rules (§4.7.2.1) --------------------------------------------------------------------

  @REQ-DIAL-10 @REQ-DIAL-09
  Scenario: The manual's replace rule 1 -> 10086, sent with the Send soft key
    When the web UI of A adds to the "Replace rule" page: prefix = 1, replace = 10086, account = all
    Then the "Replace rule" page of A accepts it
    And the "Replace rule" page of A shows row 1 as "1 | 10086 | all"
    When A types 1
    And A presses the "Send" soft key
    Then A sent an INVITE whose Request-URI user part is "10086"
    And A sent no INVITE for the number "1"

  @REQ-DIAL-10 @REQ-SEND-02
  Scenario: A replace rule reaches the far end when the number is sent with #
    When the web UI of A adds to the "Replace rule" page: prefix = 1, replace = 2001, account = all
    And A presses the off-hook key
    And A types 1#
    Then C rings with a call from A
    And the INVITE that C received was for the number 2001

  @REQ-DIAL-11
  Scenario: A replace rule to an IP address makes a direct IP call
    Given phones A and B are registered with their bench accounts
    When the web UI of A adds to the "Replace rule" page: prefix = 7, replace = {B.ip}, account = all
    And A types 7
    And A presses the "Send" soft key
    Then A sent an INVITE straight to B
    And B rings with a call from A

  @REQ-DIAL-12
  Scenario: A replace rule of account 2 leaves calls from account 1 alone
    When the web UI of A adds to the "Replace rule" page: prefix = 1, replace = 2001, account = 2
    And A types 1
    And A presses the "Send" soft key
    Then A sent an INVITE whose Request-URI user part is "1"
    And C received no call for 1 s

  @REQ-DIAL-13
  Scenario: Ticking a replace rule and clicking Edit changes it
    Given the web UI of A adds to the "Replace rule" page: prefix = 1, replace = 2002, account = 2
    When the web UI of A edits row 1 of the "Replace rule" page: prefix = 1, replace = 2001, account = all
    Then the "Replace rule" page of A accepts it
    And the "Replace rule" page of A shows row 1 as "1 | 2001 | all"
    When A types 1
    And A presses the "Send" soft key
    Then C rings with a call from A
    And the INVITE that C received was for the number 2001

  @REQ-DIAL-14
  Scenario: Ticking replace rules and clicking Delete removes them
    Given the web UI of A adds to the "Replace rule" page: prefix = 1, replace = 2001, account = all
    And the web UI of A adds to the "Replace rule" page: prefix = 3, replace = 2001, account = all
    When the web UI of A deletes rows 1 and 2 of the "Replace rule" page
    Then the "Replace rule" page of A accepts it
    And the "Replace rule" page of A lists 0 rules
    When A types 1
    And A presses the "Send" soft key
    Then A sent an INVITE whose Request-URI user part is "1"

  @REQ-DIAL-13 @REQ-DIAL-14
  Scenario: Edit and Delete with no row ticked are refused with a clear message
    Given the web UI of A adds to the "Replace rule" page: prefix = 1, replace = 2001, account = all
    When the web UI of A submits the "Replace rule" page with action = edit, prefix = 2, replace = 2002
    Then the "Replace rule" page of A refuses it saying "tick exactly one row to edit (0 ticked)"
    When the web UI of A submits the "Replace rule" page with action = delete
    Then the "Replace rule" page of A refuses it saying "tick at least one row to delete (none ticked)"
    And the "Replace rule" page of A shows row 1 as "1 | 2001 | all"

  @REQ-DIAL-08
  Scenario: The 100th replace rule is accepted and a 101st is refused
    Given the web UI of A fills the "Replace rule" page with 99 rules
    When the web UI of A adds to the "Replace rule" page: prefix = 1, replace = 2001, account = all
    Then the "Replace rule" page of A accepts it
    And the "Replace rule" page of A lists 100 rules
    When the web UI of A adds to the "Replace rule" page: prefix = 2, replace = 2002, account = all
    Then the "Replace rule" page of A refuses it saying "replace rules: there are already 100; a 101st is refused (allowed: at most 100)"
    And the "Replace rule" page of A lists 100 rules
    When A types 1
    And A presses the "Send" soft key
    Then the INVITE that C received was for the number 2001

  @REQ-DIAL-09
  Scenario: A malformed prefix is refused with its position
    When the web UI of A adds to the "Replace rule" page: prefix = 12[9-7]45, replace = 2001, account = all
    Then the "Replace rule" page of A refuses it saying "reversed range 9-7 at position 4"
    And the "Replace rule" page of A lists 0 rules

  # --- dial now (§4.7.2.2) -----------------------------------------------------------------------------

  @REQ-DIAL-16 @REQ-DIAL-17 @REQ-DIAL-21 @REQ-DIAL-23 @timing
  Scenario: The manual's dial-now rule xxxxx dials 10086 by itself after the default 2 s
    When the web UI of A adds to the "Dial now" page: rule = xxxxx
    Then the "Dial now" page of A shows row 1 as "xxxxx | all"
    When A presses the off-hook key
    And A types 10086 and presses nothing more
    Then A sent an INVITE for 10086 about 2 s after the last key

  @REQ-DIAL-23 @timing
  Scenario Outline: A dial-now delay of <delay> s
    Given the web UI of A adds to the "Dial now" page: rule = 2001
    And the web UI of A submits the "Dial now" page with delay = <delay>
    When A presses the hands-free key
    And A types 2001 and presses nothing more
    Then A sent an INVITE for 2001 about <delay> s after the last key
    And C rings with a call from A

    Examples:
      | delay |
      | 0     |
      | 1     |

  @REQ-DIAL-16
  Scenario: The timer starts again with every key, so a longer rule still gets its chance
    Given the web UI of A adds to the "Dial now" page: rule = xxx
    And the web UI of A adds to the "Dial now" page: rule = xxxxx
    When A presses the off-hook key
    And A types 10086 and presses nothing more
    Then A sent an INVITE for 10086 about 2 s after the last key
    And A sent no INVITE for the number "100"

  # The account key of the Chinese manual: on the reference phone the left/right keys of the idle
  # screen choose the account (REQ-KEYS-26, make_call.feature); the digits typed next dial from it.
  @REQ-DIAL-16 @REQ-DIAL-18 @REQ-ACCT-03 @timing
  Scenario: After the account key, a number matching that account's dial-now rule goes out by itself
    Given the web UI of A sets account.2.enable = 1, account.2.user_name = 1003, account.2.register_name = 1003, account.2.password = pw1003, account.2.server1 = {registrar.ip}, account.2.label = Second
    And the web status page of A shows account 2 as "registered"
    And the web UI of A adds to the "Dial now" page: rule = xxxx, account = 2
    When A presses the right key
    Then A shows "Second 1003"
    When A types 2001 and presses nothing more
    Then A sent an INVITE for 2001 about 2 s after the last key
    And C rings with a call from 1003

  @REQ-DIAL-16 @REQ-DIAL-18
  Scenario: Back on account 1 with the account key, account 2's dial-now rule waits for Send
    Given the web UI of A sets account.2.enable = 1, account.2.user_name = 1003, account.2.register_name = 1003, account.2.password = pw1003, account.2.server1 = {registrar.ip}, account.2.label = Second
    And the web status page of A shows account 2 as "registered"
    And the web UI of A adds to the "Dial now" page: rule = xxxx, account = 2
    When A presses the right key
    And A presses the left key
    Then A does not show "Second 1003"
    When A types 2001
    Then A sent no INVITE for 3 s

  @REQ-DIAL-16
  Scenario: Digits that match no dial-now rule wait for the Send key
    Given the web UI of A adds to the "Dial now" page: rule = xxxxx
    When A presses the off-hook key
    And A types 1008
    Then A sent no INVITE for 3 s

  @REQ-DIAL-18
  Scenario: A dial-now rule of account 2 does not dial calls from account 1 by itself
    Given the web UI of A adds to the "Dial now" page: rule = xxxxx, account = 2
    Then the "Dial now" page of A shows row 1 as "xxxxx | 2"
    When A presses the off-hook key
    And A types 10086
    Then A sent no INVITE for 3 s

  @REQ-DIAL-19 @slow
  Scenario: After editing xxxxx into 1xxxx, 10086 still dials by itself and 20086 does not
    Given the web UI of A adds to the "Dial now" page: rule = xxxxx
    When the web UI of A edits row 1 of the "Dial now" page: rule = 1xxxx
    Then the "Dial now" page of A shows row 1 as "1xxxx | all"
    When A presses the off-hook key
    And A types 20086
    Then A sent no INVITE for 3 s
    When A presses the on-hook key
    And A presses the off-hook key
    And A types 10086 and presses nothing more
    Then A sent an INVITE for 10086 about 2 s after the last key

  @REQ-DIAL-20
  Scenario: After Delete, matching digits no longer dial by themselves
    Given the web UI of A adds to the "Dial now" page: rule = xxxxx
    When the web UI of A deletes row 1 of the "Dial now" page
    Then the "Dial now" page of A lists 0 rules
    When A presses the off-hook key
    And A types 10086
    Then A sent no INVITE for 3 s

  @REQ-DIAL-15
  Scenario: The 100th dial-now rule is accepted and a 101st is refused
    Given the web UI of A fills the "Dial now" page with 99 rules
    When the web UI of A adds to the "Dial now" page: rule = 2001
    Then the "Dial now" page of A accepts it
    And the "Dial now" page of A lists 100 rules
    When the web UI of A adds to the "Dial now" page: rule = 2002
    Then the "Dial now" page of A refuses it saying "dial-now rules: there are already 100; a 101st is refused (allowed: at most 100)"
    And the "Dial now" page of A lists 100 rules

  @REQ-DIAL-21 @REQ-DIAL-22
  Scenario Outline: The dial-now delay <delay> is <verdict>
    When the web UI of A submits the "Dial now" page with delay = <delay>
    Then the "Dial now" page of A <outcome>

    Examples:
      | delay | verdict  | outcome                                                                   |
      | 0     | accepted | accepts it                                                                |
      | 14    | accepted | accepts it                                                                |
      | 15    | refused  | refuses it saying "dial-now delay: 15 is out of range (allowed: 0-14 s)"  |
      | -1    | refused  | refuses it saying "dial-now delay: -1 is out of range (allowed: 0-14 s)"  |
      | 2.5   | refused  | refuses it saying "is not a whole number (allowed: 0-14 s)"               |

  # --- area code (§4.7.2.3) --------------------------------------------------------------------------

  @REQ-DIAL-25
  Scenario: The manual's area code 0757 turns 12345 into 075712345
    When the web UI of A submits the "Area code" page with code = 0757
    Then the "Area code" page of A accepts it
    When A types 12345
    And A presses the "Send" soft key
    Then A sent an INVITE whose Request-URI user part is "075712345"

  @REQ-DIAL-25
  Scenario: An area code reaches the far end
    When the web UI of A submits the "Area code" page with code = 20
    And A types 01
    And A presses the "Send" soft key
    Then C rings with a call from A
    And the INVITE that C received was for the number 2001

  @REQ-DIAL-26
  Scenario: A dialled number longer than 15 digits gets no area code
    Given the web UI of A submits the "Area code" page with code = 0757
    When A types 1234567890123456
    And A presses the "Send" soft key
    Then A sent an INVITE whose Request-URI user part is "1234567890123456"

  @REQ-DIAL-27
  Scenario: An area code of account 2 is not added to calls from account 1
    Given the web UI of A submits the "Area code" page with code = 0757, account = 2
    Then the Area code page of A shows "account 2"
    When A types 12345
    And A presses the "Send" soft key
    Then A sent an INVITE whose Request-URI user part is "12345"

  @REQ-DIAL-24
  Scenario Outline: The area code "<code>" is <verdict>
    When the web UI of A submits the "Area code" page with code = <code>
    Then the "Area code" page of A <outcome>

    Examples:
      | code             | verdict  | outcome                                                                    |
      | 1                | accepted | accepts it                                                                 |
      | 123456789012345  | accepted | accepts it                                                                 |
      | 1234567890123456 | refused  | refuses it saying "has 16 digits (allowed: 1-15 digits 0-9)"               |
      | 07a7             | refused  | refuses it saying "'07a7' is not all digits (allowed: 1-15 digits 0-9)"    |

  # --- block out (§4.7.2.4) -------------------------------------------------------------------------

  @REQ-DIAL-29 @REQ-DIAL-30
  Scenario: A blocked number is not called and the LCD says so
    When the web UI of A adds to the "Block out" page: number = 2001
    Then the "Block out" page of A shows row 1 as "2001 | all"
    When A types the number of C
    And A presses the "Send" soft key
    Then A shows "Forbidden number"
    And A sent no INVITE for 1 s
    And C received no call for 0.5 s

  @REQ-DIAL-31
  Scenario: A block-out entry of account 2 does not block calls from account 1
    When the web UI of A adds to the "Block out" page: number = 2001, account = 2
    And A types the number of C
    And A presses the "Send" soft key
    Then C rings with a call from A

  @REQ-DIAL-32
  Scenario: Editing a block-out pattern 2xxx into 1xxx lets 2001 through
    Given the web UI of A adds to the "Block out" page: number = 2xxx
    When the web UI of A edits row 1 of the "Block out" page: number = 1xxx
    Then the "Block out" page of A shows row 1 as "1xxx | all"
    When A types the number of C
    And A presses the "Send" soft key
    Then C rings with a call from A

  @REQ-DIAL-33
  Scenario: After Delete the number can be called again
    Given the web UI of A adds to the "Block out" page: number = 2001
    When the web UI of A deletes row 1 of the "Block out" page
    Then the "Block out" page of A lists 0 rules
    When A types the number of C
    And A presses the "Send" soft key
    Then C rings with a call from A

  @REQ-DIAL-28
  Scenario: The 10th block-out number is accepted and an 11th is refused
    Given the web UI of A fills the "Block out" page with 9 rules
    When the web UI of A adds to the "Block out" page: number = 2001
    Then the "Block out" page of A accepts it
    And the "Block out" page of A lists 10 rules
    When the web UI of A adds to the "Block out" page: number = 2002
    Then the "Block out" page of A refuses it saying "block-out numbers: there are already 10; an 11th is refused (allowed: at most 10)"
    And the "Block out" page of A lists 10 rules
