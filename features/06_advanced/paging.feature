@host_multicast
Feature: Multicast paging (manual §6.1)
  A phone pages a group by sending RTP to the group's multicast address, with
  no SIP at all; phones listening to that address play it and show its label.
  Up to 31 listening addresses, each with a priority (its row: 1 highest).
  During a call only pages at or above the barge level are played (the call
  is held meanwhile); with DND on only pages at or above the DND penetration
  level; with paging priority on, a page at or above the playing one's
  priority takes over.  Every stream is checked on the wire, and no page may
  leave loopback.

  Background:
    Given phones A and B are registered with their bench accounts
    And the SIP traffic of the bench is captured
    And the multicast traffic of the bench is captured

  @REQ-PAGE-01 @REQ-PAGE-02 @REQ-PAGE-06 @REQ-PAGE-10 @REQ-PAGE-25 @REQ-PAGE-30 @REQ-PAGE-31 @timing @bench_speaker
  Scenario: A page from the paging list reaches a listener, as RTP only, and is shown with its label
    Given the other network interfaces of the machine are watched for multicast
    And the web UI of A sets paging group 1 to "239.5.6.20:10008" labelled "Warehouse"
    And B listens to "239.5.6.20:10008" as address 1 labelled "All staff"
    And A speaks with a 700 Hz tone
    When A pages group 1 from the paging list
    Then B plays the page labelled "All staff"
    And an RTP stream goes to "239.5.6.20:10008": G.711 µ-law, 20 ms packets, TTL 1
    And the RTP stream to "239.5.6.20:10008" comes from A
    And B sends no RTP
    And A sent no SIP while paging
    And no paging packet appeared on any other interface

  @REQ-PAGE-29 @timing
  Scenario: Hold, resume and end on the sender stop and restart the stream; listeners follow
    Given the web UI of A sets paging group 2 to "239.5.6.21:10010" labelled "Floor 2"
    And B listens to "239.5.6.21:10010" as address 1 labelled "Floor 2"
    When A pages group 2 from the paging list
    Then B plays the page labelled "Floor 2"
    When A holds the page
    Then the RTP stream to "239.5.6.21:10010" stops within 250 ms
    And B stops playing the page
    When A resumes the page
    Then the RTP stream to "239.5.6.21:10010" starts again with the marker bit
    And B plays the page labelled "Floor 2"
    When A ends the page
    Then the RTP stream to "239.5.6.21:10010" stops within 250 ms
    And B stops playing the page

  @REQ-PAGE-33
  Scenario: Paging leaves no call history on either phone
    Given the web UI of A sets paging group 1 to "239.5.6.22:10012" labelled "Lobby"
    And B listens to "239.5.6.22:10012" as address 1
    When A pages group 1 from the paging list
    Then B plays the page of priority 1
    When A ends the page
    Then B stops playing the page
    And the call history of A is empty
    And the call history of B is empty

  @REQ-PAGE-16 @REQ-PAGE-18
  Scenario: With barge 1, a priority-1 page holds the call and is played, then the call comes back
    Given C answers every call
    And the web page "multicast" of B is submitted with paging.barge = 1
    And B listens to "239.5.6.23:10014" as address 1 labelled "Urgent"
    When B types the number of C
    And B presses the off-hook key
    Then C is in a call with B
    When the bench pages "239.5.6.23:10014"
    Then B plays the page labelled "Urgent"
    And C is put on hold by B
    When the bench stops paging "239.5.6.23:10014"
    Then B stops playing the page
    And C is taken off hold by B

  @REQ-PAGE-16 @REQ-PAGE-17
  Scenario Outline: During a call a page below the barge level is ignored
    Given C answers every call
    And the web page "multicast" of B is submitted with paging.barge = <barge>
    And B listens to "239.5.6.24:10016" as address 2
    When B types the number of C
    And B presses the off-hook key
    Then C is in a call with B
    When the bench pages "239.5.6.24:10016"
    Then B plays no page for 1.5 s
    And B is talking to C in handset mode

    Examples:
      | barge    |
      | 1        |
      | Disabled |

  @REQ-PAGE-19 @REQ-PAGE-20
  Scenario: With DND on and penetration 3, a priority-3 page plays and a priority-4 page does not
    Given the web page "forward_dnd" of B is submitted with dnd.mode = Phone, dnd.enable = 1
    And the web page "multicast" of B is submitted with paging.dnd_penetration = 3
    And B listens to "239.5.6.25:10018" as address 3 labelled "Three"
    And B listens to "239.5.6.26:10020" as address 4 labelled "Four"
    When the bench pages "239.5.6.26:10020"
    Then B plays no page for 1.5 s
    When the bench pages "239.5.6.25:10018"
    Then B plays the page labelled "Three"

  @REQ-PAGE-21 @REQ-PAGE-22
  Scenario: With paging priority on, a priority-3 page takes over a priority-5 page
    Given the web page "multicast" of B is submitted with paging.priority = 1
    And B listens to "239.5.6.27:10022" as address 5 labelled "Five"
    And B listens to "239.5.6.28:10024" as address 3 labelled "Three"
    When the bench pages "239.5.6.27:10022"
    Then B plays the page labelled "Five"
    When the bench pages "239.5.6.28:10024"
    Then B plays the page labelled "Three"

  @REQ-PAGE-23
  Scenario: With paging priority off, a new page does not interrupt the playing one
    Given B listens to "239.5.6.27:10022" as address 5 labelled "Five"
    And B listens to "239.5.6.28:10024" as address 3 labelled "Three"
    When the bench pages "239.5.6.27:10022"
    Then B plays the page labelled "Five"
    When the bench pages "239.5.6.28:10024"
    Then B plays the page labelled "Five"
    And B plays no page of priority 3 for 1 s

  @REQ-PAGE-32
  Scenario: Paging during a call puts the call on hold
    Given C answers every call
    And the web UI of A sets paging group 1 to "239.5.6.29:10026" labelled "Hall"
    When A types the number of C
    And A presses the off-hook key
    Then C is in a call with A
    When A pages group 1 from the paging list
    Then C is put on hold by A
    And an RTP stream goes to "239.5.6.29:10026": G.711 µ-law, 20 ms packets, TTL 1

  @REQ-PAGE-03 @REQ-PAGE-06 @REQ-PAGE-08
  Scenario Outline: The web page refuses a listening address or channel the phone cannot use
    When the web page "multicast" of B is submitted with <key> = <value>
    Then the web UI refuses the page naming "<key>"
    And the configuration of B is unchanged

    Examples:
      | key                         | value             |
      | paging.listen.31.address    | 192.168.1.20:10008 |
      | paging.listen.1.address     | 239.5.6.20        |
      | paging.listen.1.channel     | 31                |
      | paging.list.1.channel       | -1                |

  @REQ-PAGE-03
  Scenario: There is no 32nd listening address
    When the CFG file "paging.cfg" is imported into B:
      """
      paging.listen.31.address = 239.5.6.31:10030
      paging.listen.32.address = 239.5.6.32:10032
      """
    Then the import is refused naming line 2 and key "paging.listen.32.address"
    And the configuration of B is unchanged

  @REQ-PAGE-03 @REQ-PAGE-26
  Scenario: The 31st listening address is accepted, with channel 0 by default
    When the web page "multicast" of B is submitted with paging.listen.31.address = 239.5.6.31:10030
    Then the configuration of B has paging.listen.31.address = 239.5.6.31:10030
    And the configuration of B has paging.listen.31.channel = 0

  @REQ-PAGE-04 @REQ-PAGE-05 @REQ-PAGE-09 @REQ-PAGE-11
  Scenario: A group is edited and deleted from Menu > Features > Paging List
    When A opens "Features > Paging List" from the menu
    Then A shows "1. (empty)"
    When A presses the "Options" soft key
    And A selects "Edit"
    And A sets "Address" to "239.5.6.30:10028"
    And A moves to the "Label" field
    And A sets "Label" to "Dock"
    And A presses the "Save" soft key
    Then the configuration of A has paging.list.1.address = 239.5.6.30:10028
    And A shows "1. Dock"
    When A presses the "Options" soft key
    And A selects "Delete"
    Then A shows "Delete group?"
    When A presses the "OK" soft key
    Then the configuration of A has paging.list.1.address empty
