Feature: VPN and its Action URL event "VPN IP" (manual §6.6.1)
  The manual's Action URL table has an event for the moment the phone's VPN gets
  (or changes) its address; it carries the Basic variables.  The phone joins an
  OpenVPN server with the files the web page Network > VPN uploads: the CA
  certificate, the phone's client certificate and its key.  The bench runs a
  real OpenVPN server on its own loopback block; its connection list is the far
  end's view of who joined, from where and with which VPN address.  All outer
  traffic of the tunnel stays on loopback, between the two OpenVPN processes.

  @REQ-AURL-50 @REQ-AURL-51 @REQ-AURL-52 @REQ-AURL-53 @REQ-AURL-54
  Scenario: The phone joins the VPN and sends the VPN IP URL with its MAC, IP, model and firmware
    Given the bench runs a VPN server at {bench.block}.50:1194
    And the Action URL of "vpn_ip" on A reports $mac $ip $model $firmware
    And the web page VPN of A uploads the bench VPN server's CA certificate, a client certificate for A and its key
    When the web page "vpn" of A is submitted with vpn.server = {bench.block}.50, vpn.port = 1194, vpn.enable = 1
    Then the web page is accepted
    And A joins the bench's VPN
    And A sends the Action URL "vpn_ip"
    And the Action URL "vpn_ip" carries the MAC, IP, model and firmware of A
    And the web status page of A shows the VPN as "Connected"
    And the web status page of A shows the VPN IP the bench's VPN server gave it
    When A presses the OK key
    And A selects "More..."
    And A selects "Network"
    Then A shows its VPN IP

  @REQ-AURL-50
  Scenario: A new VPN address sends the VPN IP URL again
    Given the bench runs a VPN server at {bench.block}.50:1194
    And the Action URL of "vpn_ip" on A reports $mac $ip
    And the web page VPN of A uploads the bench VPN server's CA certificate, a client certificate for A and its key
    And the web page "vpn" of A is submitted with vpn.server = {bench.block}.50, vpn.port = 1194, vpn.enable = 1
    And A joins the bench's VPN
    And A sends the Action URL "vpn_ip"
    When the bench's VPN server restarts with another address pool
    Then A joins the bench's VPN with a new address
    And A sends the Action URL "vpn_ip" a second time
    And the web status page of A shows the VPN IP the bench's VPN server gave it

  @REQ-AURL-50
  Scenario: After a restart the phone joins the VPN again with the settings and files it kept
    Given the bench runs a VPN server at {bench.block}.50:1194
    And the Action URL of "vpn_ip" on A reports $mac
    And the web page VPN of A uploads the bench VPN server's CA certificate, a client certificate for A and its key
    And the web page "vpn" of A is submitted with vpn.server = {bench.block}.50, vpn.port = 1194, vpn.enable = 1
    And A sends the Action URL "vpn_ip"
    When the web UI of A restarts the phone
    Then A sends the Action URL "vpn_ip" a second time
    And A joins the bench's VPN
    And the web status page of A shows the VPN as "Connected"
    And the web page VPN of A lists the client key as "uploaded"

  @REQ-AURL-50
  Scenario: With the VPN disabled there is no tunnel and no VPN IP URL
    Given the bench runs a VPN server at {bench.block}.50:1194
    And the Action URL of "vpn_ip" on A reports $mac
    And the web page VPN of A uploads the bench VPN server's CA certificate, a client certificate for A and its key
    When the web page "vpn" of A is submitted with vpn.server = {bench.block}.50, vpn.port = 1194, vpn.enable = 0
    Then the web page is accepted
    And the bench's VPN server has no connection from A for 2 s
    And A sends no Action URL "vpn_ip" for 0.5 s
    And the web status page of A shows the VPN as "Disabled"
    And the web status page of A shows "VPN IP" as "-"

  @REQ-AURL-50
  Scenario: With a CA that did not sign the server's certificate the phone stays off the VPN and says why
    Given the bench runs a VPN server at {bench.block}.50:1194
    And the Action URL of "vpn_ip" on A reports $mac
    And the web page VPN of A uploads another CA's CA certificate, a client certificate for A and its key
    When the web page "vpn" of A is submitted with vpn.server = {bench.block}.50, vpn.port = 1194, vpn.enable = 1
    Then the web status page of A shows the VPN as "Not connected: the server's certificate was not accepted (check the CA certificate)"
    And the web status page of A shows "VPN IP" as "-"
    And the bench's VPN server has no connection from A for 2 s
    And A sends no Action URL "vpn_ip" for 0.5 s

 
  Scenario Outline: A VPN file the phone cannot use is refused, saying why: <case>
    Given the bench runs a VPN server at {bench.block}.50:1194
    And the web page VPN of A uploads the bench VPN server's CA certificate, a client certificate for A and its key
    When the web page VPN of A uploads <what> as the <slot>
    Then the VPN upload is refused saying "<message>"
    And the web page VPN of A lists the <slot> as "uploaded"

    Examples:
      | case                      | what                                | slot               | message                                                        |
      | a key as the CA           | the client key                      | CA certificate     | CA certificate: not a PEM certificate                          |
      | a certificate as the key  | the CA certificate                  | client key         | client key: not a PEM private key                              |
      | another certificate's key | a client key of another certificate | client key         | client key: it does not belong to the uploaded client certificate |
      | no file                   | an empty file                       | client certificate | client certificate: no file was chosen                         |

 
  Scenario Outline: VPN settings at and past their limits: <case>
    When the web page "vpn" of A is submitted with <values>
    Then <outcome>

    Examples:
      | case                      | values                                                           | outcome                                                                          |
      | highest port              | vpn.server = {bench.block}.50, vpn.port = 65535                  | the web page is accepted                                                         |
      | port past the highest     | vpn.server = {bench.block}.50, vpn.port = 65536                  | the web page says "vpn.port: '65536' is out of range (allowed: integer 1..65535)" |
      | lowest port               | vpn.server = {bench.block}.50, vpn.port = 1                      | the web page is accepted                                                         |
      | port below the lowest     | vpn.server = {bench.block}.50, vpn.port = 0                      | the web page says "vpn.port: '0' is out of range (allowed: integer 1..65535)"     |
      | enabled without a server  | vpn.enable = 1                                                   | the web page says "vpn.enable: an enabled VPN needs the server address (vpn.server)" |
      | a port in the address     | vpn.server = {bench.block}.50:1194                               | the web page says "holds a port; give the address only and the port in vpn.port" |
