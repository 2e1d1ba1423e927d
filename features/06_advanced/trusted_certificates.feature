Feature: Trusted certificates (manual §6.7)
  CA certificates are loaded onto the phone from the web page Security >
  Trusted certificates: .pem, .crt, .cer or .der files holding certificates.
  Three settings decide what TLS servers the phone accepts; a change to them
  takes effect after a reboot, which the page offers at once.

  @REQ-CERT-01 @REQ-CERT-04
  Scenario: A CA certificate file is imported and listed
    When the web UI of A imports the certificate file "lab-ca.crt"
    Then the certificate import is accepted
    And the trusted certificates page of A lists "lab-ca.pem"

  @REQ-CERT-05
  Scenario Outline: Files that are no certificates are refused
    When the web UI of A imports the certificate file "<file>" that holds no certificate
    Then the certificate import is refused saying "<reason>"

    Examples:
      | file      | reason                        |
      | notes.txt | only .pem, .crt, .cer, .der   |
      | fake.pem  | holds no valid certificate    |

  @REQ-CERT-02 @REQ-CERT-03
  Scenario: Changing the certificate settings offers the reboot they need
    When the trusted certificates page of A is submitted with cert.only_trusted = 1, cert.common_name_validation = 1, cert.ca_set = Custom
    Then the web UI says the change takes effect after a reboot
    And the configuration of A has cert.only_trusted = 1
    And the configuration of A has cert.ca_set = Custom
    When the web UI of A restarts the phone
    Then A comes back at {A.ip}
