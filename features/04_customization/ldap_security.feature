Feature: LDAP over TLS (manual §4.3.3.3, encryption mode; §6.7 trusted certificates)
  The phone reaches the LDAP server in plain LDAP, with StartTLS on the LDAP port, or
  with LDAPS on its own port.  Under TLS the phone's trusted certificates decide: with
  "Only accept trusted certificates" on, the server's certificate must chain to a CA
  loaded on the phone, otherwise the phone refuses the server and says so on the LCD.
  The bench's slapd has a throw-away CA made at its start.

  Background:
    Given the bench's LDAP server is running

  @REQ-LDAP-13 @REQ-LDAP-14 @REQ-LDAP-15
  Scenario: Plain LDAP on the LDAP port
    Given the web page LDAP of A points at the bench's LDAP server over LDAP
    When A opens "Directory > LDAP" from the menu
    And A types "Carla" with the input methods
    Then the LDAP results of A are, in this order: "Carla Lopez 2001"
    And the LDAP server was asked under "{base}" with the filter "(|(CallerIDName=Carla*)(AccountNumber=Carla*))"
    And the LDAP server saw A search over LDAP

  @REQ-LDAP-13 @REQ-CERT-01
  Scenario Outline: StartTLS and LDAPS with the server's CA among the trusted certificates
    Given the web UI of A imports the LDAP server's CA certificate
    And the trusted certificates page of A is submitted with cert.only_trusted = 1, cert.common_name_validation = 1, cert.ca_set = Custom
    And the web UI of A restarts the phone
    And A comes back at {A.ip}
    And the web page LDAP of A points at the bench's LDAP server over <mode>
    When A opens "Directory > LDAP" from the menu
    And A types "Carla" with the input methods
    Then the LDAP results of A are, in this order: "Carla Lopez 2001"
    And the LDAP server was asked under "{base}" with the filter "(|(CallerIDName=Carla*)(AccountNumber=Carla*))"
    And the LDAP server saw A search over <mode>

    Examples:
      | mode     |
      | StartTLS |
      | LDAPS    |

  @REQ-LDAP-13 @REQ-CERT-02
  Scenario Outline: A server whose CA is not trusted is refused, and the LCD says why
    Given the trusted certificates page of A is submitted with cert.only_trusted = 1, cert.common_name_validation = 1, cert.ca_set = Custom
    And the web UI of A restarts the phone
    And A comes back at {A.ip}
    And the web page LDAP of A points at the bench's LDAP server over <mode>
    When A opens "Directory > LDAP" from the menu
    And A types "Carla" with the input methods
    Then the LDAP screen of A says "Certificate not trusted" and "{ldap}:<port>"
    And the LDAP server received no search

    Examples:
      | mode     | port             |
      | StartTLS | {ldap.port}      |
      | LDAPS    | {ldap.tls_port}  |
