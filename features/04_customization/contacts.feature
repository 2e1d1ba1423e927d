Feature: Local contacts (manual §4.3.1, §4.3.1.4 - §4.3.1.7, §4.2.2)
  A contact holds a name, office, mobile and other numbers, a ringtone, an
  account and a group.  The phone keeps up to 1000 of them.  On the phone:
  Menu > Directory > Local contacts, a group (or All contacts), then "Add"
  (an empty group) or Options > Add / Details / Delete / Delete all; the
  "Call" soft key lists the contact's numbers and "Send" calls the chosen one
  from the contact's account.  On the web: Directory > Local contacts.
  A call from a contact's number shows the contact's name and rings with the
  contact's ringtone (the phone's own when the contact has none).  Scenarios
  tagged @slow type names on the keypad (multi-tap, 1 s per repeated key).

  @REQ-CONT-17 @REQ-CONT-01 @REQ-CONT-04 @REQ-CONT-15 @slow
  Scenario: A contact is added on the phone inside a group
    Given the web UI of A adds the group "Sales"
    When A opens "Directory > Local contacts" from the menu
    And A selects "Sales"
    And A presses the "Add" soft key
    And A sets "Name" to "Kim"
    And A sets "Office" to "2001"
    And A sets "Mobile" to "13800138000"
    And A switches "Ring" to "Ring 3"
    And A switches "Account" to "Account 2"
    And A presses the OK key
    Then A shows "Saved"
    And the first line of A reads "Kim"
    And the web UI of A shows the contact "Kim" with office 2001, mobile 13800138000, ringtone 3, account 2, group Sales

  @REQ-CONT-04 @slow
  Scenario: A contact is moved to another group on the phone
    Given the web UI of A adds the group "Sales"
    And the web UI of A adds the contact "Kim" with office 2001
    When A opens "Directory > Local contacts" from the menu
    And A selects "All contacts"
    And A chooses "Details" from the options
    And A switches "Group" to "Sales"
    And A presses the OK key
    Then the web UI of A shows the contact "Kim" with group Sales

  @REQ-CONT-18 @REQ-RING-03 @REQ-CONT-15
  Scenario: A contact is added with the web form, its ringtone and account chosen
    When the web UI of A adds the contact "Kim" with office 2001, mobile 13800138000, other 88, ringtone 5, account 1
    Then the web UI of A shows the contact "Kim" with office 2001, mobile 13800138000, other 88, ringtone 5, account 1, group Default
    When A opens "Directory > Local contacts" from the menu
    And A selects "All contacts"
    Then the first line of A reads "Kim"

  @REQ-CONT-23 @slow
  Scenario: A contact is edited on the phone with Options > Details
    Given the web UI of A adds the contact "Kim" with office 2001
    When A opens "Directory > Local contacts" from the menu
    And A selects "All contacts"
    And A chooses "Details" from the options
    Then the field "Office" of A reads "2001"
    When A sets "Mobile" to "13900139000"
    And A presses the OK key
    Then A shows "Saved"
    And the web UI of A shows the contact "Kim" with office 2001, mobile 13900139000

  @REQ-CONT-24 @REQ-RING-03
  Scenario: Clicking a contact on the web fills the form, and Edit saves a new ringtone
    Given the web UI of A adds the contact "Kim" with office 2001, mobile 13800138000
    When the web UI of A clicks the contact "Kim" in the list
    Then the contact form is filled with "Kim" and "13800138000"
    When the web UI of A edits the contact "Kim" setting ringtone 7, other 99
    Then the web UI of A shows the contact "Kim" with office 2001, other 99, ringtone 7

  @REQ-CONT-25 @slow
  Scenario: Contacts are deleted on the phone, one and then all, each after OK
    Given the web UI of A adds the contact "Kim" with office 2001
    And the web UI of A adds the contact "Max" with office 2002
    And the web UI of A adds the contact "Zoe" with office 2003
    When A opens "Directory > Local contacts" from the menu
    And A selects "All contacts"
    And A chooses "Delete" from the options
    Then A shows "Delete Kim?"
    When A presses the "OK" soft key
    Then A shows "Deleted"
    And the web UI of A does not list the contact "Kim"
    And the web UI of A lists 2 contacts
    When A chooses "Delete all" from the options
    And A presses the "OK" soft key
    Then the web UI of A lists 0 contacts
    And A shows "(empty)"

  @REQ-CONT-26
  Scenario: Contacts are deleted on the web page, the ticked ones and then all
    Given the web UI of A adds the contact "Kim" with office 2001
    And the web UI of A adds the contact "Max" with office 2002
    And the web UI of A adds the contact "Zoe" with office 2003
    When the web UI of A deletes the contacts "Kim" and "Max"
    Then the web UI of A lists 1 contact
    And the web UI of A lists the contact "Zoe"
    When the web UI of A deletes all contacts
    Then the web UI of A lists 0 contacts

  @REQ-CONT-27
  Scenario: The Call soft key lists the contact's numbers and Send calls the chosen one
    Given phone A is registered with its bench account
    And the web UI of A adds the contact "Kim" with office the number of C, mobile the number of D
    When A opens "Directory > Local contacts" from the menu
    And A selects "All contacts"
    And A presses the "Call" soft key
    Then A shows "Office: " with the number of C
    And A shows "Mobile: " with the number of D
    When A highlights "Mobile"
    And A presses the "Send" soft key
    Then D rings with a call from A
    And A is calling D in handset mode

  @REQ-CONT-28
  Scenario: A contact tied to account 2 is called from account 2
    Given phone A is registered with its bench account
    And account 2 of A is registered as 1003
    And the web UI of A adds the contact "Kim" with office the number of C, account 2
    When A opens "Directory > Local contacts" from the menu
    And A selects "All contacts"
    And A presses the "Call" soft key
    And A presses the "Send" soft key
    Then C rings with a call from 1003

  @REQ-RING-04
  Scenario: A call from a contact shows the contact's name and rings with the contact's ringtone
    Given phone A is registered with its bench account
    And the web UI of A adds the contact "Kim" with office the number of C, ringtone 7
    When C calls A
    Then A shows the incoming call screen reading "Kim" and "2001"
    And A rings with the ringtone "Ring 7"

  @REQ-RING-04
  Scenario: A caller who is no contact rings with the phone's ringtone
    Given phone A is registered with its bench account
    And the web UI of A sets sounds.ringtone = Ring 4
    And the web UI of A adds the contact "Kim" with office the number of C, ringtone 7
    When D calls A
    Then A rings with a call from D
    And A rings with the ringtone "Ring 4"

  @REQ-CONT-02
  Scenario: The thousandth contact is accepted
    Given A holds 999 contacts imported from the web
    When the web UI of A adds the contact "Kim" with office 2001
    Then the web UI of A lists 1000 contacts
    And the web UI of A lists the contact "Kim"

  @REQ-CONT-02
  Scenario: A 1001st contact is refused on the web page and on the phone, and none is lost
    Given A holds 1000 contacts imported from the web
    When the web UI of A tries to add the contact "Kim" with office 2001
    Then the web UI refuses it saying "the directory is full"
    When A opens "Directory > Local contacts" from the menu
    And A selects "All contacts"
    And A chooses "Add" from the options
    Then A shows "Contacts full"
    And the web UI of A lists 1000 contacts
    And the web UI of A does not list the contact "Kim"
