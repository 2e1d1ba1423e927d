Feature: Firmware upgrade from the web UI (manual §5.15)
  An image chosen on the web page Settings > Upgrade is checked before
  anything changes; a good one is installed while the phone shows that it
  must not lose power, then the phone restarts and reports the new version.
  An image for another model, a damaged image or a file that is no image is
  refused with its reason, and the phone runs on unchanged.

  Background:
    Given phone A is registered with its bench account

  @REQ-UPG-01 @REQ-UPG-02 @REQ-UPG-03
  Scenario: A vendor image is installed and the new version shows after the restart
    When the web UI of A upgrades it with a firmware image of version 2.0.5.1
    Then the upgrade is accepted
    And A shows the upgrading screen
    And A shows "Do not power off"
    And A comes back at {A.ip}
    And the web status page of A shows "Firmware version" as "2.0.5.1"
    And A shows the registered icon
    When A presses the OK key
    Then the status screen of A shows its IP address, MAC address and firmware version
    And the bench puts A back on its original firmware

  @REQ-UPG-01
  Scenario: An image made for the other model is refused
    When the web UI of A upgrades it with a firmware image of version 2.0.5.1 made for the SIP-H680L only
    Then the upgrade is refused saying "this phone is a SIP-H680W"
    And A still runs the firmware it had

  @REQ-UPG-01
  Scenario: A damaged image is refused
    When the web UI of A upgrades it with a damaged firmware image
    Then the upgrade is refused saying "checksum does not match"
    And A still runs the firmware it had

  @REQ-UPG-01
  Scenario: A file that is not a firmware image is refused
    When the web UI of A upgrades it with the file "release-notes.txt"
    Then the upgrade is refused saying "not an H680 firmware image"
    And A still runs the firmware it had
