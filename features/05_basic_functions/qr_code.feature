Feature: QR code of the web UI (manual §1.3.3, §5.13)
  The phone can show a QR code holding the address of its web UI, so that a
  smartphone on the same network opens the same login page as a computer.  The
  code is decoded from the picture of the LCD, as a smartphone camera does.

  @REQ-QR-01 @REQ-QR-02 @REQ-QR-04 @REQ-QRSCAN-01 @REQ-QRSCAN-02
  Scenario: The QR code on the LCD opens the phone's login page
    When A opens "Features > QR Code" from the menu
    Then A shows a QR code that opens its web UI

  @REQ-QR-01
  Scenario: Back leaves the QR code
    When A opens "Features > QR Code" from the menu
    And A shows the QR code screen
    And A presses the "Back" soft key
    Then A shows the menu screen
