Feature: Local SIP port (manual §6.5.2)
  The local SIP port is set in the web UI under Settings > SIP configuration.
  Once the phone has restarted with it, it listens there, sends its requests
  from there, and names that port in the Via and Contact of what it sends
  (without NAT).

  Background:
    Given phone A is registered with its bench account

  @REQ-SIP-09 @REQ-SIP-10
  Scenario: After a restart with local SIP port 5070 the phone registers and is reached on it
    Given the web UI of A sets sip.local_port = 5070
    And the SIP traffic of the bench is captured
    When the web UI of A restarts the phone
    Then A comes back at {A.ip}
    And the REGISTER of A leaves from port 5070 and shows it in Via and Contact
    When C calls A
    Then A rings with a call from C

  @REQ-SIP-10
  Scenario: With the factory port the phone uses 5060 in Via and Contact
    Given the SIP traffic of the bench is captured
    When the web UI of A restarts the phone
    Then A comes back at {A.ip}
    And the REGISTER of A leaves from port 5060 and shows it in Via and Contact

  @REQ-SIP-09
  Scenario Outline: The web UI refuses a local SIP port outside 1–65535
    When the web page "sip" of A is submitted with sip.local_port = <port>
    Then the web UI refuses the page naming "sip.local_port"
    And the configuration of A is unchanged

    Examples:
      | port  |
      | 0     |
      | 65536 |
