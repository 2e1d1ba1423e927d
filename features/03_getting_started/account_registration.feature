Feature: Registering accounts (manual §3.7, §4.6.1)
  Up to two SIP accounts, set from the phone menus (behind the admin password)
  or from the web Register page.  The register name and password are the
  digest credentials; the user name is the registered address.

  @REQ-ACCT-10 @REQ-ACCT-06 @REQ-ACCT-08 @REQ-MTX-03 @REQ-MTX-04 @REQ-ACCT-01
  Scenario: An account set up from the phone menus registers
    Given phone A is at factory defaults
    And the SIP traffic of the bench is captured
    When A opens "Account" from the menu
    And A enters the admin password "admin"
    And A selects "Account 1"
    And A sets "User Name" to "1001"
    And A sets "Register Name" to "1001"
    And A sets "Password" to "pw1001"
    And A sets "SIP Server 1" to "{registrar.ip}"
    And A switches "Account Status" to "Enabled"
    And A presses the OK key
    Then A shows "Saved"
    And A shows the registered icon
    And the registrar shows 1001 registered
    And the REGISTER of A authenticates as "1001" for the address "sip:1001@{registrar.ip}"

  @REQ-ACCT-07
  Scenario: Disabling the account from the phone unregisters it
    Given phone A is registered with its bench account
    And the SIP traffic of the bench is captured
    When A opens "Account" from the menu
    And A enters the admin password "admin"
    And A selects "Account 1"
    And A switches "Account Status" to "Disabled"
    And A presses the OK key
    Then A sent a REGISTER with Expires 0
    And the registrar shows 1001 unregistered
    And A shows the unregistered icon

  @REQ-ACCT-09
  Scenario: The transport switched to TCP on the phone carries the registration
    Given phone A is registered with its bench account
    And the SIP traffic of the bench is captured
    When A opens "Account" from the menu
    And A enters the admin password "admin"
    And A selects "Account 1"
    And A switches "Transport" to "TCP"
    And A presses the OK key
    Then A registers over TCP
    And the registrar shows 1001 registered

  @REQ-ACCT-10 @REQ-ACCT-12 @REQ-ACCT-14
  Scenario: An account set in the web Register page registers with its credentials
    Given phone A is at factory defaults
    And the SIP traffic of the bench is captured
    When account 1 of A is set in the web UI to its bench account
    Then A shows the registered icon
    And the web status page of A shows account 1 as "registered"
    And the REGISTER of A authenticates as "1001" for the address "sip:1001@{registrar.ip}"

  @REQ-ACCT-11
  Scenario Outline: The web Register page refuses an account without a required field
    Given phone A is at factory defaults
    When account 1 of A is submitted in the web UI with "<field>" left empty
    Then the web UI refuses the page naming "account.1.<field>"
    And A shows the unregistered icon

    Examples:
      | field         |
      | user_name     |
      | register_name |
      | password      |
      | server1       |

  @REQ-ACCT-02 @REQ-ACCT-05
  Scenario: Two accounts are registered at the same time
    Given phone A is registered with its bench account
    When the web UI of A sets account.2.enable = 1, account.2.user_name = 1003, account.2.register_name = 1003, account.2.password = pw1003, account.2.server1 = {registrar.ip}
    Then the registrar shows 1001 and 1003 registered
    And the web status page of A shows account 2 as "registered"
