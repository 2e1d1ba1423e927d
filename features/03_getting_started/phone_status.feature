Feature: Checking the phone's status (manual §3.5)
  The status screen opens with the OK key or from Menu > Status; it lists the
  network, the accounts and, under More..., the device.  The web status page
  shows the same facts.

  Background:
    Given phone A is registered with its bench account

  @REQ-STAT-04 @REQ-STAT-02 @REQ-MTX-02
  Scenario: The OK key opens the status screen with network and account status
    When A presses the OK key
    Then A shows the status screen
    And the status screen of A lists "IP mode" as "IPv4"
    And the status screen of A lists "IPv4" as "{A.ip}"
    And the status screen of A lists "Account 1" as "1001 Registered"
    And the status screen of A lists "Account 2" as "- Unregistered"

  @REQ-STAT-04 @REQ-WEB-01
  Scenario: The status screen also opens from the menu
    When A opens "Status" from the menu
    Then A shows the status screen
    And the status screen of A shows its IP address, MAC address and firmware version

  @REQ-STAT-05 @REQ-STAT-01
  Scenario: More... shows the network details
    When A presses the OK key
    And A selects "More..."
    And A selects "Network"
    Then A shows "Type: DHCP"
    And A shows "IP: {A.ip}"
    And A shows "Mask: 255.0.0.0"

  @REQ-STAT-03 @REQ-STAT-07 @REQ-GEN-01
  Scenario: More... > Device shows the product, firmware, hardware, MAC and product ID
    When A presses the OK key
    And A selects "More..."
    And A selects "Device"
    Then A shows "Product: SIP-H680W"
    And A shows "MAC: {A.mac}"
    And A shows "Hardware: 1.0"
    And A shows "Product ID: H680-"
    And A shows "Firmware: "

  @REQ-STAT-06
  Scenario: The web status page shows what the LCD shows
    When A presses the OK key
    Then the web status page of A shows the same IP address, MAC address and firmware as its LCD
    And the web status page of A shows "Product name" as "SIP-H680W"
    And the web status page of A shows "Account 1" as "1001@{registrar.ip}: registered"
