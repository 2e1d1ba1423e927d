Feature: Keypad lock (manual §4.1.4)
  The keypad lock is set on the phone (Menu > Basic Settings > Keypad Lock,
  behind the unlock PIN, factory value admin, which must be changed on first
  use) and on the web (Features (U) / Keypad Lock (=)).  Once enabled it locks
  with a long press of # or by itself after the auto-lock time.  Locked, the
  idle screen says "Keypad locked", shows the keypad-lock icon and the soft
  keys Emergency and Unlock; the keys the lock type covers ask for the PIN;
  only emergency numbers can be called (Function keys and All keys types);
  incoming calls can still be answered or rejected.

  Background:
    Given phone A is registered with its bench account
    And C will let its phone ring
    And the SIP traffic of the bench is captured

  # --- settings --------------------------------------------------------------------------------------

  @REQ-KLOCK-08 @REQ-KLOCK-09 @REQ-KLOCK-10 @REQ-KLOCK-02 @REQ-MTX-09
  Scenario: The settings open with the factory PIN, which must be changed first
    When A opens "Basic Settings > Keypad Lock" from the menu
    Then A shows the keypad lock PIN screen
    And the soft keys of A read "OK" and "Back"
    When A enters the unlock PIN "admin"
    Then A shows the change PIN screen
    And A shows "Change the factory PIN"
    When A sets "Unlock PIN" to "1234"
    And A presses the OK key
    Then A shows "PIN changed"
    And A shows "Lock Type: All keys"
    When A switches "Keypad Lock" to "Enabled"
    And A moves to the "Lock Type" field
    And A presses the right key
    Then the field "Lock Type" of A reads "Menu key"
    When A switches "Lock Type" to "Function keys"
    And A presses the OK key
    Then A shows "Saved"
    And the configuration of A has keypad_lock.enable = 1
    And the configuration of A has keypad_lock.type = Function keys
    And the configuration of A has keypad_lock.pin = 1234

  @REQ-KLOCK-09
  Scenario: The factory PIN cannot be kept as the new PIN
    When A opens "Basic Settings > Keypad Lock" from the menu
    And A enters the unlock PIN "admin"
    And A presses the OK key
    Then A shows "Choose a PIN other than admin"
    And A shows the change PIN screen

  @REQ-KLOCK-08 @REQ-KLOCK-19
  Scenario: A wrong PIN does not open the settings
    When A opens "Basic Settings > Keypad Lock" from the menu
    And A enters the unlock PIN "abc"
    Then A shows "Wrong PIN"
    And A shows the keypad lock PIN screen

  @REQ-KLOCK-09
  Scenario: A changed PIN opens the settings at once and is also the unlock PIN
    Given the web UI of A sets keypad_lock.pin = 1234, keypad_lock.enable = 1
    When A opens "Basic Settings > Keypad Lock" from the menu
    And A enters the unlock PIN "1234"
    Then A shows "Keypad Lock: Enabled"
    When A presses the on-hook key
    And A locks its keypad with a long press of #
    And A presses the "Unlock" soft key
    And A enters the unlock PIN "admin"
    Then A shows "Wrong PIN"
    When A enters the unlock PIN "1234"
    Then A does not show the keypad lock icon

  @REQ-KLOCK-16 @REQ-KLOCK-02 @REQ-MTX-01
  Scenario: The web Keypad Lock page sets every field
    When the web page "keypad_lock" of A is submitted with keypad_lock.enable = 1, keypad_lock.type = Menu key, keypad_lock.pin = 4321, keypad_lock.auto_lock_time = 30
    And the web page "keypad_lock" of A is submitted with keypad_lock.emergency set to "2001,112"
    Then the configuration of A has keypad_lock.enable = 1
    And the configuration of A has keypad_lock.type = Menu key
    And the configuration of A has keypad_lock.pin = 4321
    And the configuration of A has keypad_lock.auto_lock_time = 30
    And the configuration of A has keypad_lock.emergency = 2001,112

  @REQ-KLOCK-02
  Scenario Outline: The web page takes the lock type <type>
    When the web page "keypad_lock" of A is submitted with keypad_lock.type = <type>
    Then the configuration of A has keypad_lock.type = <type>

    Examples:
      | type          |
      | Menu key      |
      | Function keys |
      | All keys      |

  @REQ-KLOCK-11
  Scenario Outline: The web page takes an auto-lock time of <secs> s: <verdict>
    When the web page "keypad_lock" of A is submitted with keypad_lock.auto_lock_time = <secs>
    Then <outcome>

    Examples:
      | secs | verdict  | outcome                                                         |
      | 0    | accepted | the configuration of A has keypad_lock.auto_lock_time = 0       |
      | 3600 | accepted | the configuration of A has keypad_lock.auto_lock_time = 3600    |
      | 3601 | refused  | the web page "keypad_lock" says "keypad_lock.auto_lock_time: '3601' is out of range (allowed: integer 0..3600 s)" |
      | -1   | refused  | the web page "keypad_lock" says "keypad_lock.auto_lock_time: '-1' is out of range (allowed: integer 0..3600 s)"   |

  @REQ-KLOCK-11
  Scenario: The phone refuses an auto-lock time past 3600 s and saves 3600
    Given the web UI of A sets keypad_lock.pin = 1234
    When A opens "Basic Settings > Keypad Lock" from the menu
    And A enters the unlock PIN "1234"
    And A sets "Auto Lock Time" to "3601"
    And A presses the OK key
    Then A shows "out of range (allowed: integer 0..3600 s)"
    When A sets "Auto Lock Time" to "3600"
    And A presses the OK key
    Then A shows "Saved"
    And the configuration of A has keypad_lock.auto_lock_time = 3600

  # --- locking and unlocking ---------------------------------------------------------------------------

  @REQ-KLOCK-12 @REQ-KLOCK-14 @REQ-KLOCK-22 @REQ-ICON-16
  Scenario: With an auto-lock time of 0 only a long press of # locks the keypad
    Given the web UI of A sets keypad_lock.enable = 1, keypad_lock.auto_lock_time = 0
    Then the keypad of A stays unlocked for 1.5 s
    When A locks its keypad with a long press of #
    Then A shows the keypad lock icon
    And A shows "Keypad locked"
    And the soft keys of A read "Emergency" and "Unlock"

  @REQ-KLOCK-12
  Scenario: A disabled keypad lock does not lock on a long press of #
    When A long-presses the # key
    Then the keypad of A stays unlocked for 1 s

  @REQ-KLOCK-13 @REQ-KLOCK-20 @REQ-KLOCK-18 @timing
  Scenario: With an auto-lock time of 2 s the keypad locks by itself, and again after an unlock
    Given the web UI of A sets keypad_lock.enable = 1, keypad_lock.auto_lock_time = 2
    When A presses the on-hook key and leaves the phone alone
    Then the keypad of A locks by itself about 2 s after the last key
    When A presses the "Unlock" soft key
    And A enters the unlock PIN "admin"
    And A presses the on-hook key and leaves the phone alone
    Then A does not show the keypad lock icon
    And the soft keys of A read "History" and "Menu"
    And the keypad of A locks by itself about 2 s after the last key

  @REQ-KLOCK-17 @REQ-KLOCK-18 @REQ-KLOCK-19
  Scenario: A wrong PIN leaves the keypad locked, the right one unlocks it
    Given the web UI of A sets keypad_lock.enable = 1
    And A locks its keypad with a long press of #
    When A presses the "Unlock" soft key
    Then A shows the unlock PIN screen
    When A enters the unlock PIN "abc"
    Then A shows "Wrong PIN"
    When A presses the "Back" soft key
    Then A shows the keypad lock icon
    And the soft keys of A read "Emergency" and "Unlock"
    When A presses the "Unlock" soft key
    And A enters the unlock PIN "admin"
    Then A does not show the keypad lock icon
    And the soft keys of A read "History" and "Menu"

  @REQ-KLOCK-21
  Scenario: A forgotten PIN is reset from the web UI
    Given the web UI of A sets keypad_lock.enable = 1, keypad_lock.pin = 9876
    And A locks its keypad with a long press of #
    When the web page "keypad_lock" of A is submitted with keypad_lock.pin = 5555
    And A presses the "Unlock" soft key
    And A enters the unlock PIN "5555"
    Then A does not show the keypad lock icon

  # --- what each lock type locks ---------------------------------------------------------------------------

  @REQ-KLOCK-03
  Scenario: The Menu key type locks only the menu; other keys and calls work
    Given the web UI of A sets keypad_lock.enable = 1, keypad_lock.type = Menu key
    And A locks its keypad with a long press of #
    When A presses the "Unlock" soft key
    Then A shows the unlock PIN screen
    When A presses the "Back" soft key
    And A presses the OK key
    Then A shows the status screen
    When A presses the on-hook key
    And A types the number of C
    And A presses the off-hook key
    Then C rings with a call from A
    And A shows the keypad lock icon

  @REQ-KLOCK-04 @REQ-KLOCK-17
  Scenario Outline: The Function keys type locks the <key> key
    Given the web UI of A sets keypad_lock.enable = 1, keypad_lock.type = Function keys
    And A locks its keypad with a long press of #
    When A presses the <key> key
    Then A shows the unlock PIN screen

    Examples:
      | key      |
      | OK       |
      | up       |
      | right    |
      | message  |
      | transfer |

  @REQ-KLOCK-04 @REQ-KLOCK-01
  Scenario: With the Function keys type the digits still work but only emergency numbers are called
    Given the web UI of A sets keypad_lock.enable = 1, keypad_lock.type = Function keys, keypad_lock.emergency = 112
    And A locks its keypad with a long press of #
    When A types the number of C
    Then A shows the dialing screen
    When A presses the off-hook key
    Then A shows the unlock PIN screen
    And A shows "Emergency numbers only"
    And A sent no INVITE for 1 s

  @REQ-KLOCK-05
  Scenario Outline: The All keys type locks the <key> key
    Given the web UI of A sets keypad_lock.enable = 1, keypad_lock.type = All keys
    And A locks its keypad with a long press of #
    When A presses the <key> key
    Then A shows the unlock PIN screen

    Examples:
      | key      |
      | off-hook |
      | OK       |
      | down     |
      | mute     |
      | pickup   |
      | transfer |

  @REQ-KLOCK-05
  Scenario: The All keys type leaves the digits, hands-free and volume keys working
    Given the web UI of A sets keypad_lock.enable = 1, keypad_lock.type = All keys
    And A locks its keypad with a long press of #
    When A presses the volume-up key
    Then A shows "Ring Volume"
    When A presses the hands-free key
    Then A shows the dialing screen
    When A types 2
    Then A shows the dialing screen reading "2" and "Send"

  @REQ-KLOCK-06 @REQ-KLOCK-01
  Scenario: With the All keys type a number that is not an emergency number sends no INVITE
    Given the web UI of A sets keypad_lock.enable = 1, keypad_lock.type = All keys, keypad_lock.emergency = 112
    And A locks its keypad with a long press of #
    When A types the number of C
    And A presses the hands-free key
    Then A shows the unlock PIN screen
    And A sent no INVITE for 1 s
    And C received no call for 0.5 s

  @REQ-KLOCK-06 @REQ-KLOCK-01
  Scenario: With the All keys type an emergency number typed and sent with # is called
    Given the web UI of A sets keypad_lock.enable = 1, keypad_lock.type = All keys
    And the web UI of A sets keypad_lock.emergency to "112,2001"
    And A locks its keypad with a long press of #
    When A types 2001#
    Then C rings with a call from A
    And the INVITE that C received was for the number 2001

  @REQ-KLOCK-15 @REQ-KLOCK-01
  Scenario: The Emergency soft key calls a configured emergency number
    Given the web UI of A sets keypad_lock.enable = 1, keypad_lock.emergency = 2001
    And A locks its keypad with a long press of #
    When A presses the "Emergency" soft key
    Then A shows the emergency screen
    And A shows "2001"
    When A presses the "Dial" soft key
    Then C rings with a call from A
    And the INVITE that C received was for the number 2001

  @REQ-KLOCK-07
  Scenario Outline: While locked with All keys, an incoming call is answered with the <key> key
    Given the web UI of A sets keypad_lock.enable = 1, keypad_lock.type = All keys
    And A locks its keypad with a long press of #
    When C calls A
    Then A rings with a call from C
    When A presses the <key> key
    Then C is in a call with A

    Examples:
      | key        |
      | off-hook   |
      | hands-free |

  @REQ-KLOCK-07
  Scenario: While locked with All keys, an incoming call is rejected with the Reject soft key
    Given the web UI of A sets keypad_lock.enable = 1, keypad_lock.type = All keys
    And A locks its keypad with a long press of #
    When C calls A
    Then A rings with a call from C
    When A presses the "Reject" soft key
    Then C's call ends with status 486
    And A shows the keypad lock icon
