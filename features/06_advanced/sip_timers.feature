Feature: SIP transaction timers T1 and T2 (manual §6.5.1)
  T1 is the first retransmission interval of an unanswered request over UDP;
  INVITE retransmissions double each time (RFC 3261 Timer A), other requests
  double until they reach T2 and then stay at T2 (Timer E).  The timers are set
  in the web UI only.  Measured on the wire, each gap within 20 ms.

  Background:
    Given phone A is at factory defaults
    And a silent SIP server listens on {peers.ip}:5099
    And the SIP traffic of the bench is captured

  @timing @slow @REQ-SIP-01 @REQ-SIP-02 @REQ-SIP-03
  Scenario: INVITE to a silent peer with T1 = 250 ms doubles from T1
    Given the web UI of A sets sip.t1 = 250, sip.t2 = 4000
    And account 1 of A points at the silent server
    When A types 9999
    And A presses the off-hook key
    Then the INVITE retransmissions of A come after 0.25, 0.5, 1, 2, 4 s within 20 ms

  @timing @REQ-SIP-01 @REQ-SIP-02 @REQ-SIP-03
  Scenario: REGISTER to a silent registrar with T1 = 250 ms and T2 = 1 s is capped at T2
    Given the web UI of A sets sip.t1 = 250, sip.t2 = 1000
    When account 1 of A points at the silent server
    Then the REGISTER retransmissions of A come after 0.25, 0.5, 1, 1, 1 s within 20 ms

  @timing @slow @REQ-SIP-04 @REQ-SIP-05
  Scenario: The manual's example: T1 = 0.5 s and T2 = 4 s
    Given the web UI of A sets sip.t1 = 500, sip.t2 = 4000
    When account 1 of A points at the silent server
    Then the REGISTER retransmissions of A come after 0.5, 1, 2, 4, 4, 4 s within 20 ms
