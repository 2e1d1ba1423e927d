Feature: Programmable keys (manual §1.3 matrix, §4.3.3.1, §6.4.1)
  The manual lists programmable keys as a web-only feature a provisioning file
  can set, and speaks of an LDAP programmable key.  On the H680 handset they are
  the two soft keys of the idle screen (factory: History and Menu).  The web page
  Features > Programmable keys (or a CFG file, programmable_key.N.type / .value /
  .label) gives each a type -- None, Speed Dial, DND, LDAP, Contacts, History,
  Menu, Redial, Voice Mail -- a value (the number of a speed dial) and a label of
  up to 10 characters shown above the key (empty: the type's own name).

  Background:
    Given phone A is registered with its bench account

  @REQ-KEYS-22 @REQ-MTX-01 @REQ-PROV-11
  Scenario: Left alone, the idle soft keys stay History and Menu; the web page offers the key types
    Then the soft keys of A read "History" and "Menu"
    And the web page "programmable_keys" of A has the fields "Type", "Value" and "Label"
    And the web page "programmable_keys" of A offers the types "None", "Speed Dial", "DND", "LDAP", "Contacts", "History", "Menu", "Redial" and "Voice Mail" for programmable_key.1.type

  @REQ-MTX-10
  Scenario: The programmable keys are not set on the phone
    Then the "Features" menu of A does not offer "Programmable keys"
    And the "Features" menu of A offers "Intercom"

  @REQ-PROV-11
  Scenario: A speed-dial key shows its label and calls its number
    Given C will let its phone ring
    When the web UI of A programs soft key 1 as "Speed Dial" to the number of C labelled "Call C"
    Then the soft keys of A read "Call C" and "Menu"
    When A presses the "Call C" soft key
    Then C rings with a call from A
    And A is calling C in handset mode

  @REQ-PROV-11
  Scenario: A DND key switches DND on and off
    When the web UI of A programs soft key 2 as "DND"
    Then the soft keys of A read "History" and "DND"
    When A presses the "DND" soft key
    Then A shows the DND icon
    And the configuration of A has dnd.enable = 1
    When C calls A
    Then C's call ends with status 486
    When A presses the "DND" soft key
    Then A does not show the DND icon
    And the configuration of A has dnd.enable = 0

  @REQ-PROV-11
  Scenario Outline: A key of type <type> opens the <title> screen
    When the web UI of A programs soft key 2 as "<type>"
    And A presses the "<type>" soft key
    Then A shows the "<title>" screen

    Examples:
      | type     | title          |
      | Contacts | Local contacts |
      | Menu     | Menu           |

  @REQ-LDAP-06 @REQ-PROV-11
  Scenario: An LDAP key opens the LDAP search screen, which searches the server
    Given the bench's LDAP server is running
    And the web page LDAP of A points at the bench's LDAP server
    When the web UI of A programs soft key 1 as "LDAP"
    Then the soft keys of A read "LDAP" and "Menu"
    When A presses the "LDAP" soft key
    Then A shows the LDAP search screen titled "Telephone Directory"
    When A types "Ja" with the input methods
    Then the LDAP results of A are 5 entries

  @REQ-PROV-11
  Scenario: An LDAP key while LDAP is off says so
    When the web UI of A programs soft key 1 as "LDAP"
    And A presses the "LDAP" soft key
    Then A shows "LDAP is disabled"
    And A returns to the standby screen

  @REQ-PROV-11
  Scenario: A Redial key calls the last number dialled again
    Given C will let its phone ring
    When A types the number of C
    And A presses the off-hook key
    Then C rings with a call from A
    When A presses the on-hook key
    And A returns to the standby screen
    And the web UI of A programs soft key 1 as "Redial"
    And A presses the "Redial" soft key
    Then C received exactly 2 calls

  @REQ-PROV-11
  Scenario: A Voice Mail key calls the account's voice-mail number
    Given D will let its phone ring
    And the web UI of A sets voicemail.account1 = 2002
    When the web UI of A programs soft key 1 as "Voice Mail"
    Then the soft keys of A read "Voicemail" and "Menu"
    When A presses the "Voicemail" soft key
    Then D rings with a call from A
    And the INVITE that D received was for the number 2002

  @REQ-PROV-11
  Scenario: A key of type None is blank and does nothing
    When the web UI of A programs soft key 1 as "None"
    Then the soft keys of A read "" and "Menu"
    When A presses the left soft key
    Then A stays on the standby screen for 1 s

  @REQ-PROV-11
  Scenario: A label of 10 characters is shown whole
    When the web UI of A programs soft key 1 as "History" labelled "Call log 1"
    Then the soft keys of A read "Call log 1" and "Menu"

  @REQ-PROV-11
  Scenario: A label of 11 characters is refused with what is allowed
    When the web page "programmable_keys" of A is submitted with programmable_key.1.label = Call log 12
    Then the web page says "programmable_key.1.label: 'Call log 12' is too long (11 characters)"
    And the web page says "up to 10 characters"
    And the configuration of A is unchanged
    And the soft keys of A read "History" and "Menu"

  @REQ-PROV-11
  Scenario: A speed dial without a number is refused
    When the web page "programmable_keys" of A is submitted with programmable_key.1.type = Speed Dial
    Then the web page says "programmable_key.1.value: Speed Dial needs a number"
    And the configuration of A is unchanged

  @REQ-PROV-11
  Scenario: A CFG file programs a key
    When the CFG file "keys.cfg" is imported into A:
      """
      programmable_key.2.type = DND
      programmable_key.2.label = Quiet
      """
    Then the soft keys of A read "History" and "Quiet"
    When A presses the "Quiet" soft key
    Then A shows the DND icon

  @REQ-KLOCK-03
  Scenario: A key programmed as Menu is locked with the Menu soft key
    Given the web page "keypad_lock" of A is submitted with keypad_lock.enable = 1, keypad_lock.type = Menu key
    And the web UI of A programs soft key 1 as "Menu"
    And the soft keys of A read "Menu" and "Menu"
    When A long-presses the # key
    Then A shows "Keypad locked"
    And the soft keys of A read "Emergency" and "Unlock"
    When A presses the left soft key
    Then A shows the "Emergency" screen
