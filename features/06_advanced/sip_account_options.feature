@REQ-PROV-10
Feature: DTMF, User Agent, heartbeat and STUN / NAT (manual §6.4.1 list, §1.3 matrix, §6.5.2)
  Four settings of the manual's list of provisionable phone settings, each checked where the
  far end or the wire sees it: how keys pressed in a call reach the far end (RFC 2833 events,
  SIP INFO or inband tones), the User-Agent of the phone's requests, a heartbeat of SIP OPTIONS
  to the registrar server, and the NAT address in Via and Contact (static, or learnt from a real
  STUN server).  DTMF and NAT are web-only account settings and STUN a web-only network
  setting: the phone's own menus do not offer them.

  # --- CFG files ---------------------------------------------------------------------------------
  Scenario: DTMF, User Agent, heartbeat, NAT and STUN are set by importing a CFG file
    Given phone A is at factory defaults
    When the CFG file "sip-options.cfg" is imported into A:
      """
      account.1.dtmf_mode = Inband
      account.1.dtmf_payload = 96
      account.1.heartbeat = 1
      account.1.heartbeat_interval = 20
      sip.user_agent = Lab-H680/1.0
      sip.nat = STUN
      network.stun.server = stun.example.com
      """
    Then the configuration of A has account.1.dtmf_mode = Inband
    And the configuration of A has account.1.dtmf_payload = 96
    And the configuration of A has account.1.heartbeat = 1
    And the configuration of A has account.1.heartbeat_interval = 20
    And the configuration of A has sip.user_agent = Lab-H680/1.0
    And the configuration of A has sip.nat = STUN
    And the configuration of A has network.stun.server = stun.example.com

  Scenario: A CFG file with the RFC 2833 payload type 128 is refused whole, naming its line
    Given phone A is at factory defaults
    When the CFG file "dtmf.cfg" is imported into A:
      """
      account.1.dtmf_mode = RFC2833
      account.1.dtmf_payload = 128
      """
    Then the import is refused naming line 2 and key "account.1.dtmf_payload"
    And the refusal says what is allowed: "integer 96..127"
    And the configuration of A is unchanged

  # --- DTMF ---------------------------------------------------------------------------------------
  @REQ-MTX-05
  Scenario: By default a key pressed in a call reaches the far end as an RFC 2833 event with payload type 101
    Given phone A is registered with its bench account
    And the SIP traffic of the bench is captured
    And A is in a call with C
    When A presses the 5 key
    Then C receives the DTMF digit "5" by RFC2833
    And the INVITE of A offers telephone-event with payload type 101
    And the RTP of A carries the DTMF events with payload type 101
    And A sent no INFO

  @REQ-MTX-05
  Scenario: With DTMF mode SIP INFO a key pressed in a call reaches the far end in an INFO request
    Given phone A is registered with its bench account
    And the web UI of A sets account.1.dtmf_mode = SIP INFO
    And the SIP traffic of the bench is captured
    And A is in a call with C
    When A presses the 7 key
    Then C receives the DTMF digit "7" by SIP INFO
    And A sent an INFO carrying the DTMF digit "7"

  @REQ-MTX-05
  Scenario: With DTMF mode inband a key pressed in a call is heard as its two tones
    Given phone A is registered with its bench account
    And the web UI of A sets account.1.dtmf_mode = Inband
    And A is in a call with C
    When A presses the 5 key
    Then C hears the DTMF tones of "5"
    And C receives no DTMF event

  @REQ-MTX-05
  Scenario Outline: The RFC 2833 payload type <pt> at the limit is offered in the SDP and used
    Given phone A is registered with its bench account
    And the web page "account1" of A is submitted with account.1.dtmf_payload = <pt>
    And the SIP traffic of the bench is captured
    And A is in a call with C
    When A presses the 9 key
    Then C receives the DTMF digit "9" by RFC2833
    And the INVITE of A offers telephone-event with payload type <pt>
    And the RTP of A carries the DTMF events with payload type <pt>

    Examples:
      | pt  |
      | 96  |
      | 127 |

  @REQ-MTX-05
  Scenario Outline: The web UI refuses the RFC 2833 payload type <pt> past the limit
    Given phone A is at factory defaults
    When the web page "account1" of A is submitted with account.1.dtmf_payload = <pt>
    Then the web UI refuses the page naming "account.1.dtmf_payload"
    And the web UI's refusal reads "'<pt>' is out of range (allowed: integer 96..127)"
    And the configuration of A is unchanged

    Examples:
      | pt  |
      | 95  |
      | 128 |

  @REQ-MTX-05
  Scenario: The web UI refuses a DTMF mode that is not one of the three
    Given phone A is at factory defaults
    When the web page "account1" of A is submitted with account.1.dtmf_mode = Tones
    Then the web UI's refusal reads "'Tones' is not one of the choices (allowed: one of RFC2833, SIP INFO, Inband)"
    And the configuration of A is unchanged

  @REQ-MTX-05
  Scenario: The phone's account settings offer neither DTMF nor NAT
    Given phone A is at factory defaults
    When A opens "Account" from the menu
    And A enters the admin password "admin"
    And A selects "Account 1"
    Then the form on the screen of A offers no "DTMF"
    And the form on the screen of A offers no "NAT"

  # --- User Agent -------------------------------------------------------------------------------
  Scenario: By default the phone's requests carry its model and firmware as User-Agent
    Given the SIP traffic of the bench is captured
    And phone A is registered with its bench account
    And A is in a call with C
    Then the REGISTER of A carries its factory User-Agent (model and firmware)
    And the INVITE of A carries its factory User-Agent (model and firmware)

  Scenario: A configured User Agent is sent in REGISTER and INVITE once the phone has restarted
    Given phone A is registered with its bench account
    And the web page "sip" of A offers sip.user_agent saying "after a reboot"
    And the web UI of A sets sip.user_agent = Lab-H680/1.0 site7
    And the SIP traffic of the bench is captured
    When the web UI of A restarts the phone
    Then A comes back at {A.ip}
    And the REGISTER of A carries the User-Agent "Lab-H680/1.0 site7"
    When A is in a call with C
    Then the INVITE of A carries the User-Agent "Lab-H680/1.0 site7"

  Scenario Outline: The web UI takes a User Agent of 128 characters and refuses one of 129
    Given phone A is at factory defaults
    When the web page "sip" of A is submitted with sip.user_agent = <agent>
    Then <outcome>

    Examples:
      | agent                                                                                                                             | outcome                                                    |
      | UUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUU  | the configuration of A has sip.user_agent = UUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUU |
      | UUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUU | the web UI's refusal reads "is too long (129 characters) (allowed: text up to 128 characters" |

  # --- heartbeat ----------------------------------------------------------------------------------
  @timing
  Scenario: With the heartbeat on every second the phone sends OPTIONS to its registrar server every second
    Given phone A is registered with its bench account
    And the SIP traffic of the bench is captured
    When the web UI of A sets account.1.heartbeat_interval = 1, account.1.heartbeat = 1
    Then A sends OPTIONS to the registrar every 1 s within 150 ms
    And the registrar answers the OPTIONS with 200

  Scenario: With the heartbeat off the phone sends no OPTIONS
    Given phone A is registered with its bench account
    And the SIP traffic of the bench is captured
    When the web UI of A sets account.1.heartbeat_interval = 1, account.1.heartbeat = 0
    Then A sends no OPTIONS to the registrar for 2.5 s

  Scenario Outline: The web UI takes the heartbeat interval <secs> s at the limit
    Given phone A is at factory defaults
    When the web page "account1" of A is submitted with account.1.heartbeat_interval = <secs>
    Then the configuration of A has account.1.heartbeat_interval = <secs>

    Examples:
      | secs |
      | 1    |
      | 3600 |

  Scenario Outline: The web UI refuses the heartbeat interval <secs> s past the limit
    Given phone A is at factory defaults
    When the web page "account1" of A is submitted with account.1.heartbeat_interval = <secs>
    Then the web UI refuses the page naming "account.1.heartbeat_interval"
    And the web UI's refusal reads "'<secs>' is out of range (allowed: integer 1..3600 s)"
    And the configuration of A is unchanged

    Examples:
      | secs |
      | 0    |
      | 3601 |

  # --- NAT and STUN -------------------------------------------------------------------------------
  @REQ-SIP-12 @REQ-SIP-13
  Scenario: With a static NAT address the REGISTER names it in Via and Contact and still leaves from the local port
    Given phone A is registered with its bench account
    And the web page "sip" of A offers sip.nat saying "after a reboot"
    And the web UI of A sets sip.nat = Static, sip.nat_address = {bench.block}.201
    And the SIP traffic of the bench is captured
    When the web UI of A restarts the phone
    Then A comes back at {A.ip}
    And the REGISTER of A shows {bench.block}.201 in Via and Contact and leaves from its local SIP port

  @REQ-SIP-10
  Scenario: With NAT disabled the phone asks no STUN server and names its own address
    Given the bench runs a STUN server at {bench.block}.40:3478
    And phone A is registered with its bench account
    And the web UI of A sets network.stun.server = {bench.block}.40:3478
    And the SIP traffic of the bench is captured
    When the web UI of A restarts the phone
    Then A comes back at {A.ip}
    And the REGISTER of A shows {A.ip} in Via and Contact and leaves from its local SIP port
    And A sends no STUN Binding request

  @REQ-SIP-12 @REQ-SIP-13 @REQ-MTX-06
  Scenario: With STUN the phone asks the STUN server from its SIP port and names the mapped address
    Given the bench runs a STUN server at {bench.block}.40:3478
    And phone A is registered with its bench account
    And the web UI of A sets sip.nat = STUN, network.stun.server = {bench.block}.40:3478
    And the SIP traffic of the bench is captured
    When the web UI of A restarts the phone
    Then A comes back at {A.ip}
    And A asks the STUN server for its mapped address from its SIP port
    And the REGISTER of A shows the STUN mapped address in Via and Contact

  @REQ-SIP-12
  Scenario Outline: NAT <mode> is refused without its address
    Given phone A is at factory defaults
    When the web page "sip" of A is submitted with sip.nat = <mode>
    Then the web UI refuses the page naming "<key>"
    And the configuration of A is unchanged

    Examples:
      | mode   | key                 |
      | Static | sip.nat_address     |
      | STUN   | network.stun.server |

  @REQ-MTX-06
  Scenario: The phone's network settings do not offer STUN
    Given phone A is at factory defaults
    When A opens "WIFI" from the menu
    And A enters the admin password "admin"
    Then the form on the screen of A offers no "STUN"
