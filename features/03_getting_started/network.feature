Feature: Network settings (manual §3.6)
  The phone works in IPv4, IPv6 or dual-stack mode, takes its address by DHCP
  at first, and can be given a static address from the phone or the web UI.
  On the embedded bench the "DHCP lease" is the loopback address the bench
  gives the phone; a static address must be another 127.0.0.0/8 address.

  @REQ-INIT-03 @REQ-STAT-01
  Scenario: A phone at factory defaults uses DHCP
    Given phone A is at factory defaults
    Then the configuration of A has network.ipv4.type = DHCP
    And the web status page of A shows "IPv4 type" as "DHCP"

  @REQ-NET-01 @REQ-NET-02 @REQ-NET-03 @REQ-MTX-06
  Scenario: The phone UI offers the three IP modes and the mode priority
    Given phone A is at factory defaults
    When A opens "WIFI" from the menu
    And A enters the admin password "admin"
    And A switches "IP Mode" to "IPv6"
    And A switches "IP Mode" to "IPv4&IPv6"
    And A switches "Mode Priority" to "IPv6"
    And A presses the OK key
    Then A shows "Saved"
    And the configuration of A has network.ip_mode = IPv4&IPv6
    And the configuration of A has network.priority = IPv6

  @REQ-NET-05 @REQ-NET-01
  Scenario: The web UI offers the three IP modes
    Given phone A is at factory defaults
    When the web page "network" of A is submitted with network.ip_mode = IPv6
    Then the configuration of A has network.ip_mode = IPv6

  @REQ-NET-06 @REQ-NET-09
  Scenario: A static IPv4 set-up without its gateway and DNS is refused and changes nothing
    Given phone A is at factory defaults
    When the web page "network" of A is submitted with network.ipv4.type = Static, network.ipv4.address = {A.static_ip}, network.ipv4.netmask = 255.255.255.0
    Then the web UI refuses the page naming "network.ipv4.gateway"
    And the web UI refuses the page naming "network.ipv4.dns1"
    And the configuration of A is unchanged

  @REQ-NET-06 @REQ-NET-09 @REQ-NET-10 @REQ-ACCT-14
  Scenario: A static IPv4 address takes effect after the restart and the phone registers from it
    Given phone A is at factory defaults
    When the web page "network" of A is submitted with network.ipv4.type = Static, network.ipv4.address = {A.static_ip}, network.ipv4.netmask = 255.255.255.0, network.ipv4.gateway = {registrar.ip}, network.ipv4.dns1 = {registrar.ip}, network.ipv4.dns2 = {registrar.ip}
    And the web UI of A restarts the phone
    Then A comes back at {A.static_ip}
    And the web status page of A shows "IPv4 address" as "{A.static_ip}"
    And the web status page of A shows "Subnet mask" as "255.255.255.0"
    And the web status page of A shows "Gateway" as "{registrar.ip}"
    When account 1 of A is set in the web UI to its bench account
    Then the registrar shows A registered from {A.static_ip}
    When A presses the OK key
    Then the status screen of A lists "IPv4" as "{A.static_ip}"
