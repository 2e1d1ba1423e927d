Feature: Start-up and the standby screen (manual §3.3, §3.4)
  After power-on the phone greets the user while it starts, then settles on the
  standby screen: clock and date, the account's label, number and registration
  state, status icons, and the History / Menu soft keys.

  @REQ-INIT-02
  Scenario: The boot screen greets the user while the phone starts
    Given phone A is at factory defaults
    When the web UI of A is logged into as "admin" with password "admin"
    And the web UI of A restarts the phone
    Then A shows the boot screen reading "Welcome" and "Starting..."
    And A shows the standby screen

  @REQ-STBY-01 @REQ-STBY-05 @REQ-KEYS-22 @REQ-KEYS-21
  Scenario: The standby screen shows the time, the date and the History and Menu soft keys
    Given phone A is at factory defaults
    Then A shows the standby screen
    And A shows the time and date
    And the soft keys of A read "History" and "Menu"

  @REQ-STBY-03 @REQ-STBY-04 @REQ-ICON-01 @REQ-ICON-13
  Scenario: The standby screen shows the account label, number and its registration
    Given phone A is at factory defaults
    And A shows the unregistered icon
    When account 1 of A is set in the web UI to its bench account
    Then A shows the registered icon
    And A shows its account label and number
    And A shows the WiFi icon
    And A shows the battery icon
