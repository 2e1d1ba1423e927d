Feature: Display icons (manual §1.2)
  The status bar shows the account's registration state and, during a call,
  the audio device in use and the mute state.

  @REQ-ICON-01
  Scenario: The account icon follows registration, from unregistered to registered
    Given phone A is at factory defaults
    Then A shows the unregistered icon
    When account 1 of A is set in the web UI to its bench account
    Then A shows the registered icon
    When the web UI of A sets account.1.enable = 0
    Then A shows the unregistered icon

  @REQ-ICON-01
  Scenario: A registration that fails leaves the unregistered icon
    Given phone A is at factory defaults
    When account 1 of A is set in the web UI to its bench account with the password "wrong"
    Then the web status page of A shows account 1 as "failed"
    And A shows the unregistered icon

  @REQ-ICON-07 @REQ-KEYS-08
  Scenario: The mute key shows the mute icon during a call
    Given phone A is registered with its bench account
    And C answers every call
    When A types the number of C
    And A presses the off-hook key
    Then A is talking to C in handset mode
    When A presses the mute key
    Then A shows the mute icon
    When A presses the mute key
    Then A does not show the mute icon
