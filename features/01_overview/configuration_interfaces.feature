Feature: The ways to configure the phone (manual §1.3)
  The phone is configured from its own menus (basic settings open freely,
  advanced ones ask for the administrator password) and from the web UI, whose
  login is admin / admin at first.

  @REQ-UICFG-02 @REQ-UICFG-01
  Scenario: Basic settings open from the menu without a password
    Given phone A is at factory defaults
    When A presses the "Menu" soft key
    Then A shows the menu screen
    When A selects "Basic Settings"
    Then A shows "Language"
    And A does not show "Admin password"

  @REQ-UICFG-03 @REQ-UICFG-04
  Scenario: Advanced settings ask for the administrator password, admin by default
    Given phone A is at factory defaults
    When A opens "Account" from the menu
    Then A shows the password screen
    When A enters the admin password "admin"
    Then A shows "Account 1"
    And A shows "Account 2"

  @REQ-UICFG-05
  Scenario: A wrong administrator password keeps advanced settings closed
    Given phone A is at factory defaults
    When A opens "Account" from the menu
    And A enters the admin password "guest"
    Then A shows "Wrong password"
    And A shows the password screen

  @REQ-WEB-04 @REQ-WEB-02
  Scenario: The web UI lets admin / admin in
    Given phone A is at factory defaults
    When the web UI of A is logged into as "admin" with password "admin"
    Then the web login is accepted

  @REQ-WEB-05
  Scenario Outline: The web UI refuses wrong credentials, upper case included
    Given phone A is at factory defaults
    When the web UI of A is logged into as "<user>" with password "<password>"
    Then the web login is refused

    Examples:
      | user  | password |
      | ADMIN | ADMIN    |
      | admin | ADMIN    |
      | admin | secret   |
      | guest | admin    |

  @REQ-WEB-04
  Scenario Outline: Every page but the login needs a web session
    Given phone A is at factory defaults
    Then without a session, the web page "<page>" of A sends the browser to the login page

    Examples:
      | page              |
      | /status           |
      | /page/account1    |
      | /page/sip         |
      | /history          |
      | /api/status       |
      | /api/config       |

  @REQ-WEB-01 @REQ-KEYS-20
  Scenario: The OK key shows the phone's address for the browser
    Given phone A is at factory defaults
    When A presses the OK key
    Then A shows the status screen
    And the status screen of A shows its IP address, MAC address and firmware version

  @REQ-SIP-01 @REQ-MTX-10
  Scenario: SIP timers are set in the web UI only, not in the phone menus
    Given phone A is at factory defaults
    When A opens "Basic Settings" from the menu
    Then A does not show "T1"
    When the CFG file "timers.cfg" is imported into A:
      """
      sip.t1 = 400
      """
    Then the configuration of A has sip.t1 = 400
