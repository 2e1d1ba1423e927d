Feature: LDAP directory (manual §4.3.3)
  The phone searches a company directory on an LDAP server: from Menu > Directory >
  LDAP, while a number is typed on the dial screen, and for the caller of an incoming
  call.  The administrator sets it up on the web page Directory > LDAP.  The bench's
  server is a real OpenLDAP slapd holding a test phone book; its log shows what the
  phone asked (base, filter, attributes) and how many entries it answered.

  Background:
    Given the bench's LDAP server is running
    And A is registered with its bench account
    And the web page LDAP of A points at the bench's LDAP server

  @REQ-LDAP-06 @REQ-LDAP-07 @REQ-LDAP-09 @REQ-LDAP-10 @REQ-LDAP-19 @REQ-LDAP-25 @REQ-LDAP-01 @REQ-LDAP-02
  Scenario: A name typed on the LDAP search screen lists the people the server returns, sorted
    When A opens "Directory > LDAP" from the menu
    Then A shows the LDAP search screen titled "Telephone Directory"
    When A types "Ja" with the input methods
    Then the LDAP results of A are, in this order: "Jack Wilson 1005", "James Smith 1001", "Jane Doe 1002", "Janet Walker 1003", "Jason Brown 1004"
    And the LDAP server was asked under "{base}" with the filter "(|(CallerIDName=Ja*)(AccountNumber=Ja*))"
    And the LDAP server asked for the attributes CallerIDName Email Department FirstName LastName AccountNumber MobileNumber HomeNumber Fax
    And the LDAP server answered 5 entries

  @REQ-LDAP-25
  Scenario: With sorting off the results keep the server's order
    Given the web UI of A sets ldap.sort_results = 0
    When A opens "Directory > LDAP" from the menu
    And A types "Ja" with the input methods
    Then the LDAP results of A are, in this order: "James Smith 1001", "Jane Doe 1002", "Janet Walker 1003", "Jason Brown 1004", "Jack Wilson 1005"

  @REQ-LDAP-11 @REQ-LDAP-20
  Scenario: A number typed on the LDAP search screen finds the people whose number starts with it
    When A opens "Directory > LDAP" from the menu
    And A types "100" with the input methods
    Then the LDAP results of A are 9 entries
    And the LDAP server was asked under "{base}" with the filter "(|(CallerIDName=100*)(AccountNumber=100*))"

  @REQ-LDAP-12
  Scenario: A star in the name filter matches any characters before the typed text
    Given the web UI of A sets ldap.name_filter = (CallerIDName=*%)
    When A opens "Directory > LDAP" from the menu
    And A types "son" with the input methods
    Then the LDAP results of A are, in this order: "Henry Nelson 1022", "Jack Wilson 1005", "Jason Brown 1004", "Mark Johnson 1013"
    And the LDAP server was asked under "{base}" with the filter "(|(CallerIDName=*son*)(AccountNumber=son*))"

  @REQ-LDAP-16
  Scenario: A phone book node as Base searches only that phone book
    Given the LDAP page of A is saved with ldap.base set to "ou=Engineering,dc=h680,dc=test"
    When A opens "Directory > LDAP" from the menu
    And A types "Ja" with the input methods
    Then the LDAP results of A are, in this order: "Janet Walker 1003", "Jason Brown 1004"
    And the LDAP server was asked under "ou=Engineering,dc=h680,dc=test" with the filter "(|(CallerIDName=Ja*)(AccountNumber=Ja*))"

  @REQ-LDAP-27 @REQ-LDAP-03
  Scenario: A result is called with the Send soft key
    When A opens "Directory > LDAP" from the menu
    And A types "Carla" with the input methods
    Then the LDAP results of A are, in this order: "Carla Lopez 2001"
    When A presses the "Send" soft key
    Then C rings with a call from A
    And the INVITE that C received was for the number 2001

  @REQ-LDAP-04
  Scenario: A result is copied into the local contacts
    When A opens "Directory > LDAP" from the menu
    And A types "Carla" with the input methods
    And A presses the "Option" soft key
    And A selects "Add to Contacts"
    Then A shows "Added to Contacts"
    When A presses the "Option" soft key
    And A selects "Add to Contacts"
    Then A shows "a contact named 'Carla Lopez' already exists"

  @REQ-LDAP-04 @REQ-BL-09
  Scenario: A result is put on the blacklist
    When A opens "Directory > LDAP" from the menu
    And A types "Carla" with the input methods
    And A presses the "Option" soft key
    And A selects "Add to Blacklist"
    Then A shows "Added to Blacklist"
    When A presses the "Option" soft key
    And A selects "Add to Blacklist"
    Then A shows "2001 is already on the blacklist"

  @REQ-LDAP-05 @REQ-LDAP-24
  Scenario: Digits typed on the dial screen list LDAP matches, and a match is called
    When A types 2001
    Then the dialing screen of A lists "Carla Lopez 2001"
    And the LDAP server was asked under "{base}" with the filter "(|(CallerIDName=2001*)(AccountNumber=2001*))"
    When A highlights "Carla Lopez"
    And A presses the "Send" soft key
    Then C rings with a call from A
    And the INVITE that C received was for the number 2001

  @REQ-LDAP-24
  Scenario: With the call-out lookup off, dialing asks the server nothing
    Given the web UI of A sets ldap.search_while_dialing = 0
    When A types 2001
    Then the dialing screen of A lists no LDAP match
    And the LDAP server received no search

  @REQ-LDAP-23
  Scenario: An incoming caller found in LDAP is shown by the LDAP name
    When C calls A
    Then A shows the incoming call screen reading "Carla Lopez" and "2001"
    And the LDAP server was asked under "{base}" with the filter "(AccountNumber=2001*)"

  @REQ-LDAP-23
  Scenario: With the incoming lookup off, the caller's own name is shown
    Given the web UI of A sets ldap.match_incoming = 0
    When C calls A
    Then A shows the incoming call screen reading "Carol" and "2001"
    And the LDAP server received no search
    And A does not show "Carla Lopez"

  @REQ-LDAP-08 @REQ-LDAP-26
  Scenario: LDAP disabled: no LDAP entry in the Directory menu and no query at all
    Then the Directory menu of A offers LDAP
    When the web UI of A sets ldap.enable = 0
    Then the Directory menu of A does not offer LDAP
    When A presses the on-hook key
    And A types 2001
    Then the dialing screen of A lists no LDAP match
    When C calls A
    Then A shows the incoming call screen reading "Carol" and "2001"
    And the LDAP server received no search

  @REQ-LDAP-17
  Scenario: A wrong LDAP password is refused by the server and said on the LCD
    Given the web UI of A sets ldap.password = not-the-password
    When A opens "Directory > LDAP" from the menu
    And A types "Ja" with the input methods
    Then the LDAP screen of A says "Login refused" and "{ldap}:{ldap.port}"
    And the LDAP server received no search

  @REQ-LDAP-22
  Scenario: Protocol version 2 works as well
    Given the web UI of A sets ldap.version = 2
    When A opens "Directory > LDAP" from the menu
    And A types "Carla" with the input methods
    Then the LDAP results of A are, in this order: "Carla Lopez 2001"

  @REQ-LDAP-18
  Scenario Outline: Max hits at its limits: accepted, and the server stops there
    When the web page "ldap" of A is submitted with ldap.max_hits = <hits>
    Then the web page is accepted
    And the configuration of A has ldap.max_hits = <hits>
    When A opens "Directory > LDAP" from the menu
    And A types "<typed>" with the input methods
    Then the LDAP results of A are <hits> entries
    And the LDAP server was asked under "{base}" with the filter "<filter>"
    And the LDAP server answered <hits> entries and stopped at the size limit

    Examples:
      | hits | typed | filter                                       |
      | 1    | Ja    | (\|(CallerIDName=Ja*)(AccountNumber=Ja*))     |

    # Counted on the LCD, 1000 results are 1000 presses of DOWN through a camera: minutes on a handset.
    @slow
    Examples:
      | hits | typed | filter                                       |
      | 1000 | Bulk  | (\|(CallerIDName=Bulk*)(AccountNumber=Bulk*)) |

  @REQ-LDAP-18
  Scenario Outline: Max hits past its limits is refused with what is allowed
    When the web page "ldap" of A is submitted with ldap.max_hits = <hits>
    Then the web page says "ldap.max_hits: <hits> is not allowed (allowed: a whole number from 1 to 1000)"
    And the configuration of A has ldap.max_hits = 50

    Examples:
      | hits |
      | 0    |
      | 1001 |

  @REQ-LDAP-21 @REQ-LDAP-10
  Scenario Outline: Settings the manual's table does not allow are refused with what is allowed
    When the web page "ldap" of A is submitted with <key> = <value>
    Then the web page says "<key>: '<value>' is not allowed (allowed: <allowed>"

    Examples:
      | key                | value          | allowed                             |
      | ldap.display_name  | FirstName      | text starting with %<attribute>     |
      | ldap.name_filter   | (CallerIDName) | an LDAP filter in parentheses       |
