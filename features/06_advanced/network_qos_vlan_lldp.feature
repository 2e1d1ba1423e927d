Feature: QoS, VLAN, LLDP and CDP (manual §6.4.1 provisioning list, §1.3 advanced network settings)
  The manual lists QoS, VLAN, LLDP and CDP among the settings a provisioning file sets, and
  puts CDP (with SNMP) on the phone's advanced network menu.  It gives no ranges or defaults;
  this phone's: DSCP 0-63 for SIP (26) and RTP voice (46), taken at the next restart; a voice
  VLAN 1-4094 with priority 0-7; LLDP and CDP off, sent every 1-3600 s when on.
  VLAN, LLDP and QoS are on the web page Network / Advanced and in CFG files only; CDP is
  also on the phone (Menu -> Advanced Network).
  On the embedded bench everything is on loopback: no 802.1Q tag can be seen there, so the
  voice VLAN is checked in what the phone advertises (LLDP-MED network policy, CDP VoIP VLAN
  query).  Frames are picked out by the phone's address, since parallel benches share MACs.

  @REQ-PROV-10
  Scenario Outline: QoS from a CFG file marks the phone's SIP and RTP packets after a restart
    Given phone A is at factory defaults
    When the CFG file "qos.cfg" is imported into A:
      """
      network.qos.sip_dscp = <sip>
      network.qos.rtp_dscp = <rtp>
      """
    And the web UI of A restarts the phone
    Then A comes back at {A.ip}
    Given the IP packets A sends are captured
    And A is registered with its bench account
    When A is in a call with C
    And C hears audio from A
    Then every SIP packet A sent carries DSCP <sip> (TOS <sip_tos>)
    And every RTP packet A sent carries DSCP <rtp> (TOS <rtp_tos>)

    Examples:
      | sip | sip_tos | rtp | rtp_tos |
      | 24  | 0x60    | 46  | 0xb8    |
      | 63  | 0xfc    | 0   | 0x00    |

  @REQ-PROV-10
  Scenario: At factory defaults SIP carries DSCP 26 and RTP DSCP 46
    Given phone A is at factory defaults
    And the IP packets A sends are captured
    And A is registered with its bench account
    When A is in a call with C
    And C hears audio from A
    Then every SIP packet A sent carries DSCP 26 (TOS 0x68)
    And every RTP packet A sent carries DSCP 46 (TOS 0xb8)

  @REQ-PROV-10
  Scenario: SIP over TCP carries the DSCP too
    Given phone A is at factory defaults
    And the IP packets A sends are captured
    And A is registered with its bench account over TCP
    Then every SIP packet A sent over TCP carries DSCP 26 (TOS 0x68)

  @REQ-PROV-10
  Scenario Outline: A network value at its limit is taken, one past it is refused saying what is allowed
    Given phone A is at factory defaults
    When the web page "network_advanced" of A is submitted with <key> = <good>
    Then the configuration of A has <key> = <good>
    When the web page "network_advanced" of A is submitted with <key> = <bad>
    Then the web page "network_advanced" says "<key>: '<bad>' is out of range (allowed: <allowed>)"
    And the configuration of A is unchanged

    Examples:
      | key                   | good | bad  | allowed             |
      | network.qos.sip_dscp  | 0    | -1   | integer 0..63       |
      | network.qos.sip_dscp  | 63   | 64   | integer 0..63       |
      | network.qos.rtp_dscp  | 0    | -1   | integer 0..63       |
      | network.qos.rtp_dscp  | 63   | 64   | integer 0..63       |
      | network.vlan.id       | 1    | 0    | integer 1..4094     |
      | network.vlan.id       | 4094 | 4095 | integer 1..4094     |
      | network.vlan.priority | 0    | -1   | integer 0..7        |
      | network.vlan.priority | 7    | 8    | integer 0..7        |
      | network.lldp.interval | 1    | 0    | integer 1..3600 s   |
      | network.lldp.interval | 3600 | 3601 | integer 1..3600 s   |
      | network.cdp.interval  | 1    | 0    | integer 1..3600 s   |
      | network.cdp.interval  | 3600 | 3601 | integer 1..3600 s   |

  @REQ-PROV-10
  Scenario: A VLAN ID past the limit in a CFG file is refused naming the line
    Given phone A is at factory defaults
    When the CFG file "vlan.cfg" is imported into A:
      """
      network.vlan.enable = 1
      network.vlan.id = 4095
      """
    Then the import is refused naming line 2 and key "network.vlan.id"
    And the refusal says what is allowed: "integer 1..4094"
    And the configuration of A is unchanged

  @REQ-PROV-10
  Scenario: LLDP on the web sends frames that name the phone
    Given phone A is at factory defaults
    And the LLDP frames on the bench's loopback are captured
    When the web page "network_advanced" of A is submitted with network.lldp.enable = 1, network.lldp.interval = 1
    Then A sends an LLDP frame every 1 s
    And the LLDP frames of A give its MAC as chassis ID, its model as system name and {A.ip} as management address
    And the LLDP-MED voice policy of A says untagged, priority 0, DSCP 46
    And the LLDP-MED voice signalling policy of A says untagged, priority 0, DSCP 26

  @REQ-PROV-10
  Scenario: LLDP switched off sends nothing more
    Given phone A is at factory defaults
    And the LLDP frames on the bench's loopback are captured
    When the web page "network_advanced" of A is submitted with network.lldp.enable = 1, network.lldp.interval = 1
    Then A sends an LLDP frame every 1 s
    When the time is noted
    And the web page "network_advanced" of A is submitted with network.lldp.enable = 0
    Then A sends no LLDP frame for 2.5 s after the time noted

  @REQ-PROV-10
  Scenario: At factory defaults the phone sends neither LLDP nor CDP
    Given phone A is at factory defaults
    And the LLDP frames on the bench's loopback are captured
    And the CDP frames on the bench's loopback are captured
    Then A sends no LLDP frame for 2 s
    And A sends no CDP frame for 0.5 s

  @REQ-PROV-10
  Scenario: A voice VLAN from a CFG file is advertised by LLDP-MED and CDP
    Given phone A is at factory defaults
    And the LLDP frames on the bench's loopback are captured
    And the CDP frames on the bench's loopback are captured
    When the CFG file "vlan.cfg" is imported into A:
      """
      network.vlan.enable = 1
      network.vlan.id = 4094
      network.vlan.priority = 5
      network.qos.sip_dscp = 24
      network.lldp.enable = 1
      network.lldp.interval = 1
      network.cdp.enable = 1
      network.cdp.interval = 1
      """
    Then the LLDP-MED voice policy of A says VLAN 4094 tagged, priority 5, DSCP 46
    And the LLDP-MED voice signalling policy of A says VLAN 4094 tagged, priority 5, DSCP 24
    And the CDP frames of A ask for voice VLAN 4094

  @REQ-PROV-10
  Scenario: A new VLAN is advertised at once
    Given phone A is at factory defaults
    And the LLDP frames on the bench's loopback are captured
    When the web page "network_advanced" of A is submitted with network.vlan.enable = 1, network.vlan.id = 1, network.vlan.priority = 7, network.lldp.enable = 1, network.lldp.interval = 3600
    Then the LLDP-MED voice policy of A says VLAN 1 tagged, priority 7, DSCP 46
    When the time is noted
    And the web page "network_advanced" of A is submitted with network.vlan.id = 200
    Then the LLDP-MED voice policy of A says VLAN 200 tagged, priority 7, DSCP 46

  @REQ-MTX-06 @REQ-PROV-10
  Scenario: CDP set on the phone's advanced network menu sends frames that name the phone
    Given phone A is at factory defaults
    And the CDP frames on the bench's loopback are captured
    When A opens "Advanced Network" from the menu
    And A enters the admin password "admin"
    And A switches "CDP" to "Enabled"
    And A sets "CDP Interval" to "1"
    And A presses the OK key
    Then A shows "Saved"
    And the configuration of A has network.cdp.enable = 1
    And A sends a CDP frame every 1 s
    And the CDP frames of A give its device ID, {A.ip} as address and its model as platform
    And the CDP frames of A carry no voice VLAN

  @REQ-MTX-06
  Scenario: The phone's advanced network menu has CDP; VLAN, LLDP and QoS are set on the web or by file
    Given phone A is at factory defaults
    When A opens "Advanced Network" from the menu
    And A enters the admin password "admin"
    Then A shows "CDP: Disabled"
    And A shows "CDP Interval: 60"
    And A does not show "LLDP"
    And A does not show "VLAN"
    And A does not show "DSCP"

  @REQ-PROV-10
  Scenario: CDP switched off in a CFG file sends nothing more
    Given phone A is at factory defaults
    And the CDP frames on the bench's loopback are captured
    When the web page "network_advanced" of A is submitted with network.cdp.enable = 1, network.cdp.interval = 1
    Then A sends a CDP frame every 1 s
    When the time is noted
    And the CFG file "cdp.cfg" is imported into A:
      """
      network.cdp.enable = 0
      """
    Then A sends no CDP frame for 2.5 s after the time noted
