@bench_speaker
Feature: Local three-way conference (manual §5.14)
  The phone hosts a three-way call itself: during a call, Options >
  Conference holds the far end and asks for a third party; once that one
  answers, "Conf" joins all three, and the phone mixes the audio so that each
  party hears the other two.  During the conference the host can split it,
  hold it, manage the members (remove or hold one), mute itself, or hang up.
  Who hears whom is checked on the real audio: each party speaks a tone of
  its own, and the far ends' received audio is analysed.

  Background:
    Given phone A is registered with its bench account
    And the SIP traffic of the bench is captured
    And A speaks with a 700 Hz tone
    And C speaks with a 1100 Hz tone
    And D speaks with a 1700 Hz tone
    And C answers every call
    And D answers every call
    When A types the number of C
    And A presses the off-hook key
    Then C is in a call with A

  @REQ-CONF-01 @REQ-CONF-02 @REQ-CONF-03 @REQ-CONF-04
  Scenario: Conference, dial the third party, Conf: each party hears the other two
    When A presses the "Options" soft key
    And A selects "Conference"
    Then C is put on hold by A
    When A types the number of D
    And A presses the "Send" soft key
    Then D is in a call with A
    And the soft keys of A read "Conf" and "Hang Up"
    When A presses the "Conf" soft key
    Then A shows the conference screen
    And C is taken off hold by A
    And C hears A and D
    And D hears A and C

  @REQ-CONF-13
  Scenario: Muting the host leaves the other two talking to each other
    Given A has joined C and D in a conference
    When A presses the mute key
    Then A shows the mute icon
    And C hears D
    And C does not hear A
    And D hears C
    And D does not hear A

  @REQ-CONF-07
  Scenario: Split leaves two separate calls, one of them on hold
    Given A has joined C and D in a conference
    When A presses the "Options" soft key
    And A selects "Split"
    Then A shows the talking screen
    And D is put on hold by A
    And C hears A
    And C does not hear D

  @REQ-CONF-08
  Scenario: Hold puts both members on hold and Resume brings the conference back
    Given A has joined C and D in a conference
    When A presses the "Options" soft key
    And A selects "Hold"
    Then C is put on hold by A
    And D is put on hold by A
    And the soft keys of A read "Resume" and "Hang Up"
    When A presses the "Resume" soft key
    Then C is taken off hold by A
    And D is taken off hold by A
    And C hears A and D

  @REQ-CONF-09 @REQ-CONF-10 @REQ-CONF-12
  Scenario: Manage > Delete drops one member; the other stays with the host
    Given A has joined C and D in a conference
    When A presses the "Options" soft key
    And A selects "Manage"
    Then A shows "2001"
    And A shows "2002"
    When A presses the "Options" soft key
    And A selects "Delete"
    Then A sent BYE to C
    And C's call ends
    And A is talking to D in handset mode
    And D hears A

  @REQ-CONF-11
  Scenario: Manage > Hold holds only the chosen member
    Given A has joined C and D in a conference
    When A presses the "Options" soft key
    And A selects "Manage"
    And A presses the "Options" soft key
    And A selects "Hold"
    Then C is put on hold by A
    And D hears A

  @REQ-CONF-14
  Scenario: Hang Up ends the conference with a BYE to both
    Given A has joined C and D in a conference
    When A presses the "Hang Up" soft key
    Then A sent BYE to C
    And A sent BYE to D
    And A returns to the standby screen

  @REQ-CONF-05 @REQ-CONF-06
  Scenario: A held call on the other account joins the conference from the conference screen
    Given account 2 of A is registered as 1003
    When D calls 1003
    Then A shows a waiting call from D
    When A presses the "Answer" soft key
    Then C is put on hold by A
    And D hears A
    When A presses the "Options" soft key
    And A selects "Conference"
    Then D is put on hold by A
    And A shows "Join 2001"
    When A presses the "Send" soft key
    Then A shows the conference screen
    And C is taken off hold by A
    And D is taken off hold by A
    And C hears A and D
    And D hears A and C
