Feature: Contact groups (manual §4.3.1.1 - §4.3.1.3)
  Local contacts are kept in groups: the default group, which can be neither
  renamed nor deleted, and up to nine more (ten in all).  On the phone the
  groups are under Menu > Directory > Local contacts, with Options > Add group,
  Details (rename), Delete and Delete all; on the web under Directory >
  Local contacts, in the group panel.  Deleting a group keeps its contacts:
  they move to the default group (interpretation, REQ-CONT-29).

  @REQ-CONT-05 @slow
  Scenario: A group is added on the phone
    When A opens "Directory > Local contacts" from the menu
    And A chooses "Add group" from the options
    And A sets "Group name" to "Sales"
    And A presses the OK key
    Then A shows "Saved"
    And A shows "Sales (0)"
    And the web UI of A lists the group "Sales"

  @REQ-CONT-06 @REQ-CONT-10
  Scenario: A group is added and renamed on the web page
    When the web UI of A adds the group "Sales"
    Then the web UI of A lists the group "Sales"
    When the web UI of A renames the group "Sales" to "Support"
    Then the web UI accepts it
    And the web UI of A lists the group "Support"
    And the web UI of A does not list the group "Sales"
    When A opens "Directory > Local contacts" from the menu
    Then A shows "Support (0)"

  @REQ-CONT-08 @slow
  Scenario: A group is renamed on the phone with Options > Details
    Given the web UI of A adds the group "Sales"
    When A opens "Directory > Local contacts" from the menu
    And A highlights "Sales"
    And A chooses "Details" from the options
    And A sets "Group name" to "Team"
    And A presses the OK key
    Then A shows "Team (0)"
    And the web UI of A lists the group "Team"
    And the web UI of A does not list the group "Sales"

  @REQ-CONT-07 @REQ-CONT-11
  Scenario: The default group can be neither renamed nor deleted on the phone
    When A opens "Directory > Local contacts" from the menu
    And A highlights "Default"
    And A chooses "Details" from the options
    Then A shows "Default group locked"
    When A presses the OK key
    And A chooses "Delete" from the options
    Then A shows "Default group locked"
    And the web UI of A lists the group "Default"

  @REQ-CONT-07 @REQ-CONT-11
  Scenario: The default group can be neither renamed nor deleted on the web page
    When the web UI of A renames the group "Default" to "Others"
    Then the web UI refuses it saying "the default group cannot be renamed"
    When the web UI of A deletes the group "Default"
    Then the web UI refuses it saying "the default group cannot be deleted"
    And the web UI of A lists the group "Default"

  @REQ-CONT-12 @REQ-CONT-29
  Scenario: Deleting a group on the phone after OK keeps its contacts in the default group
    Given the web UI of A adds the group "Sales"
    And the web UI of A adds the contact "Kim" with office 2001, group Sales
    When A opens "Directory > Local contacts" from the menu
    And A highlights "Sales"
    And A chooses "Delete" from the options
    Then A shows "Delete group Sales?"
    When A presses the "OK" soft key
    Then A shows "Deleted"
    And the web UI of A does not list the group "Sales"
    And the web UI of A shows the contact "Kim" with office 2001, group Default

  @REQ-CONT-12
  Scenario: Cancel on the confirmation keeps the group
    Given the web UI of A adds the group "Sales"
    When A opens "Directory > Local contacts" from the menu
    And A highlights "Sales"
    And A chooses "Delete" from the options
    And A presses the "Cancel" soft key
    Then A shows "Sales (0)"
    And the web UI of A lists the group "Sales"

  @REQ-CONT-13 @REQ-CONT-29
  Scenario: Delete all removes every group the user made and keeps the default group
    Given the web UI of A adds the group "Sales"
    And the web UI of A adds the group "Support"
    And the web UI of A adds the contact "Kim" with office 2001, group Support
    When A opens "Directory > Local contacts" from the menu
    And A chooses "Delete all" from the options
    And A presses the "OK" soft key
    Then the web UI of A has 1 groups
    And the web UI of A lists the group "Default"
    And the web UI of A shows the contact "Kim" with group Default

  @REQ-CONT-14
  Scenario: A group is deleted from the web page's group panel
    Given the web UI of A adds the group "Sales"
    When the web UI of A deletes the group "Sales"
    Then the web UI accepts it
    And the web UI of A does not list the group "Sales"

  @REQ-CONT-03
  Scenario: The tenth group (the default one counted) is accepted
    Given the web UI of A adds 8 groups
    When the web UI of A adds the group "Ninth"
    Then the web UI of A has 10 groups

  @REQ-CONT-03
  Scenario: An eleventh group is refused on the web page and on the phone
    Given the web UI of A adds 9 groups
    When the web UI of A tries to add the group "Eleventh"
    Then the web UI refuses it saying "at most 10 groups"
    When A opens "Directory > Local contacts" from the menu
    And A chooses "Add group" from the options
    Then A shows "Groups full"
    And the web UI of A has 10 groups
    And the web UI of A does not list the group "Eleventh"

  # REQ-CONT-09: the keypad's four input methods (123, 2aB, abc, ABC and the symbols of the * key,
  # §3.8) hold no non-Latin character, so nothing else can be typed on the phone.  What can be
  # exercised: every kind of character the keypad makes is accepted, and a name that came from the
  # web in Chinese cannot be saved from the phone until it is English again.  (The Chinese group is
  # reached from "Default" with the down key: a camera reading an English LCD cannot read Chinese.)
  @REQ-CONT-09 @slow
  Scenario: Letters of both cases, digits and keypad symbols make a group name on the phone
    When A opens "Directory > Local contacts" from the menu
    And A chooses "Add group" from the options
    And A sets "Group name" to "Team-2/B.x"
    And A presses the OK key
    Then A shows "Saved"
    And the web UI of A lists the group "Team-2/B.x"

  @REQ-CONT-09 @REQ-CONT-08 @slow
  Scenario: A group named in Chinese on the web is refused on the phone until renamed in English
    Given the web UI of A adds the group "销售"
    When A opens "Directory > Local contacts" from the menu
    And A highlights "Default"
    And A presses the down key
    And A chooses "Details" from the options
    And A presses the 2 key
    And A presses the OK key
    Then A shows "English only"
    And the web UI of A lists the group "销售"
    When A sets "Group name" to "Sales"
    And A presses the OK key
    Then A shows "Sales (0)"
    And the web UI of A lists the group "Sales"
    And the web UI of A does not list the group "销售"
