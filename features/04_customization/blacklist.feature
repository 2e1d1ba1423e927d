Feature: Blacklist (manual §4.3.2)
  Up to 30 numbers can be blacklisted; a call from one of them is refused by
  the phone at once, without ringing.  Interpretations (the manual gives
  neither): the phone answers the INVITE with 603 Decline and no 180, so a
  blocked caller is told apart from a busy one (486); the blocked call is not
  kept in the call history and lights no missed-call icon, since the user
  never had the call.  On the phone: Menu > Directory > Blacklist ("Add", or
  Options > Add / Details / Delete / Delete all); on the web: the Local
  contact form with the group "BlackList", and "BlackList" in the contact
  list's drop-down to delete.

  @REQ-BL-02
  Scenario: A call from a blacklisted number is refused with 603 and never rings
    Given phone A is registered with its bench account
    And the SIP traffic of the bench is captured
    And the web UI of A adds "Carol" with the number of C to the blacklist
    When C calls A
    Then C's call ends with status 603
    And A answered the INVITE from C with 603 and no 180
    And A did not ring
    And A does not show the missed call icon
    And the call history of A is empty

  @REQ-BL-08
  Scenario: Once the number is off the blacklist, its calls ring again
    Given phone A is registered with its bench account
    And the web UI of A adds "Carol" with the number of C to the blacklist
    When the web UI of A chooses BlackList in the contact list and deletes the number of C
    Then the blacklist of A does not list the number of C
    When C calls A
    Then A rings with a call from C

  @REQ-BL-02
  Scenario: Other callers still ring while a number is blacklisted
    Given phone A is registered with its bench account
    And the web UI of A adds "Carol" with the number of C to the blacklist
    When D calls A
    Then A rings with a call from D

  @REQ-BL-03 @slow
  Scenario: A number is blacklisted on the phone
    When A opens "Directory > Blacklist" from the menu
    And A presses the "Add" soft key
    And A sets "Name" to "Spam"
    And A sets "Number" to "3999"
    And A presses the OK key
    Then A shows "Saved"
    And A shows "Spam 3999"
    And the blacklist of A lists "Spam" with the number 3999

  @REQ-BL-03
  Scenario: A blacklist entry is changed on the phone with Options > Details
    Given the web UI of A adds "Spam" with 3999 to the blacklist
    When A opens "Directory > Blacklist" from the menu
    And A chooses "Details" from the options
    And A sets "Number" to "3998"
    And A presses the OK key
    Then the blacklist of A lists "Spam" with the number 3998
    And the blacklist of A does not list 3999

  @REQ-BL-05
  Scenario: A number is blacklisted from the web contact form with the group BlackList
    When the web UI of A adds "Spam" with 3999 to the blacklist
    Then the web UI accepts it
    And the blacklist of A lists "Spam" with the number 3999
    And the web UI of A lists 0 contacts

  @REQ-BL-06 @slow
  Scenario: Blacklist entries are deleted on the phone, one and then all, after OK
    Given the web UI of A adds "Spam" with 3999 to the blacklist
    And the web UI of A adds "Junk" with 3998 to the blacklist
    And the web UI of A adds "Ads" with 3997 to the blacklist
    When A opens "Directory > Blacklist" from the menu
    And A chooses "Delete" from the options
    Then A shows "Delete 3999?"
    When A presses the "OK" soft key
    Then the blacklist of A does not list 3999
    And the blacklist of A has 2 entries
    When A chooses "Delete all" from the options
    And A presses the "OK" soft key
    Then the blacklist of A has 0 entries
    And A shows "(empty)"

  @REQ-BL-07
  Scenario: Blacklist entries are deleted on the web page, ticked and then all
    Given the web UI of A adds "Spam" with 3999 to the blacklist
    And the web UI of A adds "Junk" with 3998 to the blacklist
    And the web UI of A adds "Ads" with 3997 to the blacklist
    When the web UI of A chooses BlackList in the contact list and deletes 3998
    Then the blacklist of A has 2 entries
    And the blacklist of A does not list 3998
    When the web UI of A chooses BlackList in the contact list and deletes all entries
    Then the blacklist of A has 0 entries

  @REQ-BL-01
  Scenario: The thirtieth blacklist entry is accepted
    Given the blacklist of A holds 29 numbers
    When the web UI of A adds "Spam" with 3999 to the blacklist
    Then the blacklist of A has 30 entries
    And the blacklist of A lists 3999

  @REQ-BL-01
  Scenario: A 31st blacklist entry is refused on the web page and on the phone
    Given the blacklist of A holds 30 numbers
    When the web UI of A tries to add "Spam" with 3999 to the blacklist
    Then the web UI refuses it saying "it is full"
    When A opens "Directory > Blacklist" from the menu
    And A chooses "Add" from the options
    Then A shows "Blacklist full"
    And the blacklist of A has 30 entries
    And the blacklist of A does not list 3999
