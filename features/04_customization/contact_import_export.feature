Feature: Batch import and export of local contacts (manual §4.3.1.4)
  The web page's batch panel exports the contacts (or, with none, the bare
  template) as CSV with "CSV export", and imports a filled-in .csv, .xls or
  .xlsx file with Browse and "CSV import"; any other file type is refused.
  After an import the page shows a result prompt: how many contacts were
  imported, updated and refused, and for each refused row its row number and
  why.  A row whose name is already a contact updates that contact, so an
  exported file can be edited and imported again (round trip).

  @REQ-CONT-19
  Scenario: With no contacts, CSV export gives the bare template
    When the web UI of A exports the contacts as CSV
    Then the exported CSV has the header "Name,Office Number,Mobile Number,Other Number,Ringtone,Account,Group" and 0 contact rows

  @REQ-CONT-19
  Scenario: CSV export lists the contacts in the template's layout
    Given the web UI of A adds the group "Sales"
    And the web UI of A adds the contact "Kim" with office 2001, mobile 13800138000, ringtone 3, group Sales
    When the web UI of A exports the contacts as CSV
    Then the exported CSV has the header "Name,Office Number,Mobile Number,Other Number,Ringtone,Account,Group" and 1 contact row
    And the exported CSV lists "Kim" with office 2001

  @REQ-CONT-20 @REQ-CONT-21 @REQ-CONT-15
  Scenario Outline: A <type> file is imported and the result prompt names the bad rows
    When the web UI of A imports the file "<file>":
      """
      Name,Office Number,Mobile Number,Ringtone,Group
      Kim,2001,13800138000,3,Sales
      Max,,,,
      Zoe,2003,,12,
      Ann,2004,,,
      """
    Then the import result says "2 imported, 0 updated, 2 refused"
    And the import result names row 3 as refused for "fill in at least one number"
    And the import result names row 4 as refused for "ringtone: 12 is out of range"
    And the web UI of A shows the contact "Kim" with office 2001, mobile 13800138000, ringtone 3, group Sales
    And the web UI of A lists the contact "Ann"
    And the web UI of A does not list the contact "Max"

    Examples:
      | type | file          |
      | CSV  | contacts.csv  |
      | XLSX | contacts.xlsx |
      | XLS  | contacts.xls  |

  @REQ-CONT-20
  Scenario: A .txt file is refused whole
    When the web UI of A imports the file "contacts.txt":
      """
      Name,Office Number
      Kim,2001
      """
    Then the web UI refuses it saying "only .xls, .csv and .xlsx files can be imported"
    And the web UI of A lists 0 contacts

  @REQ-CONT-22 @REQ-CONT-21
  Scenario: An exported file with Chinese names, edited and imported again, updates and adds contacts
    Given the web UI of A adds the contact "张伟" with office 2001, mobile 13800138000
    When the web UI of A exports the contacts as CSV
    Then the exported CSV lists "张伟" with office 2001
    When the exported CSV is edited: the mobile of "张伟" becomes 13900139000 and a row "李娜" with office 2002 is added
    And the edited CSV is imported into A as "通讯录.csv"
    Then the import result says "1 imported, 1 updated, 0 refused"
    And the web UI of A lists 2 contacts
    And the web UI of A shows the contact "张伟" with office 2001, mobile 13900139000
    And the web UI of A shows the contact "李娜" with office 2002, group Default

  @REQ-CONT-02 @REQ-CONT-21
  Scenario: An import past 1000 contacts refuses the rows that do not fit
    Given A holds 999 contacts imported from the web
    When the web UI of A imports the file "more.csv":
      """
      Name,Office Number
      Kim,2001
      Max,2002
      """
    Then the import result says "1 imported, 0 updated, 1 refused"
    And the import result names row 3 as refused for "the directory is full"
    And the web UI of A lists 1000 contacts
