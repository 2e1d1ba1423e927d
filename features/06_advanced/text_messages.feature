Feature: Text messages (manual §6.2.1)
  The phone sends and receives text messages as SIP MESSAGE requests.  A new
  message shows "n new text messages" and its icon on the idle screen until it
  is read.  Messages are kept in Inbox, Sent, Outbox and Drafts, 100 in each,
  the oldest dropped first.  Messages are written on the phone (Menu >
  Messages > Text Message), or from the web page Features > SMS, from the
  account chosen as sender.

  Background:
    Given phone A is registered with its bench account

  @REQ-SMS-01 @REQ-SMS-03 @REQ-SMS-04 @REQ-SMS-05
  Scenario: A received message is announced on the idle screen and kept in the inbox
    When C sends the text message "Meeting at 10" to A
    Then A shows "1 new text message"
    And A shows the text message icon
    And the inbox of A holds "Meeting at 10"

  @REQ-SMS-08
  Scenario: Reading the message clears the announcement
    Given C sends the text message "Call me back" to A
    And A shows "1 new text message"
    When A opens "Messages > Text Message > Inbox" from the menu
    And A presses the OK key
    Then A shows "Call me back"
    And A does not show the text message icon
    When A presses the on-hook key
    Then A does not show "new text message"

  @REQ-SMS-01 @REQ-SMS-09 @REQ-SMS-10 @REQ-SMS-15
  Scenario: A message written on the phone reaches the far end and is kept in Sent
    When A opens "Messages > Text Message > New Message" from the menu
    And A types "hello c" with the input methods
    And A presses the "Send" soft key
    And A types the number of C
    And A presses the "Send" soft key
    Then C receives the text message "hello c" from A
    And the sent of A holds "hello c"
    And the outbox of A holds 0 messages

  @REQ-SMS-12
  Scenario: Reply to a message from the inbox
    Given C sends the text message "ping" to A
    When A opens "Messages > Text Message > Inbox" from the menu
    And A presses the "Options" soft key
    And A selects "Reply"
    And A types "pong" with the input methods
    And A presses the "Send" soft key
    And A presses the "Send" soft key
    Then C receives the text message "pong" from A

  @REQ-SMS-09 @REQ-SMS-10
  Scenario: The Switch soft key picks account 2 as the sender
    Given account 2 of A is registered as 1003
    When A opens "Messages > Text Message > New Message" from the menu
    And A types "from two" with the input methods
    And A presses the "Send" soft key
    And A types the number of C
    And A presses the up key
    And A presses the "Switch" soft key
    And A presses the down key
    And A presses the "Send" soft key
    Then C receives the text message "from two" from 1003

  @REQ-SMS-11
  Scenario: A message sent from the web page goes out from the chosen account
    When the web UI of A sends the text message "from the web" to C from account 1
    Then C receives the text message "from the web" from A
    And the sent of A holds "from the web"

  @REQ-SMS-06 @REQ-SMS-07
  Scenario: The 101st message pushes the oldest out of the inbox
    When C sends 101 numbered text messages to A
    Then the inbox of A holds 100 messages
    And the inbox of A does not hold "message 1"
    And the inbox of A holds "message 101"

  @REQ-SMS-13
  Scenario: Deleting a message asks first
    Given C sends the text message "delete me" to A
    When A opens "Messages > Text Message > Inbox" from the menu
    And A presses the "Options" soft key
    And A selects "Delete"
    Then A shows "Delete message?"
    When A presses the "OK" soft key
    Then the inbox of A holds 0 messages

  @REQ-SMS-14
  Scenario: Delete All empties the folder
    Given C sends the text message "one" to A
    And C sends the text message "two" to A
    When A opens "Messages > Text Message > Inbox" from the menu
    And A presses the "Options" soft key
    And A selects "Delete All"
    And A presses the "OK" soft key
    Then the inbox of A holds 0 messages

  @REQ-SMS-15
  Scenario: A message nobody can receive stays in the outbox
    When A opens "Messages > Text Message > New Message" from the menu
    And A types "lost" with the input methods
    And A presses the "Send" soft key
    And A types 9999
    And A presses the "Send" soft key
    Then the outbox of A holds "lost"
    And the sent of A holds 0 messages

  @REQ-SMS-15
  Scenario: Unsent text is kept as a draft
    When A opens "Messages > Text Message > New Message" from the menu
    And A types "later" with the input methods
    And A presses the on-hook key
    Then the drafts of A holds "later"
    And A shows the standby screen
