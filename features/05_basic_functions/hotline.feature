Feature: Hotline (manual §5.12)
  A hotline number with a delay: going off-hook (or hands-free) starts the delay,
  and when it has passed the phone dials the hotline number by itself.  A delay
  of 0 dials at once; with no hotline number the dialing screen stays as usual.

  Background:
    Given phone A is registered with its bench account
    And C will let its phone ring

  @REQ-HOT-01 @REQ-HOT-03 @REQ-HOT-06
  Scenario: With the default delay of 0 the hotline is dialled as soon as the phone goes off-hook
    Given the configuration of A has hotline.delay = 0
    And the web UI of A sets hotline.number = 2001
    When A presses the off-hook key
    Then C rings with a call from A
    And the INVITE that C received was for the number 2001

  @REQ-HOT-02 @REQ-HOT-04
  Scenario: With a delay of 2 s the hands-free key dials the hotline after the delay
    Given the web UI of A sets hotline.number = 2001, hotline.delay = 2
    When A presses the hands-free key
    Then A shows the dialing screen
    And C received no call for 1.5 s
    And C rings with a call from A
    And A is calling C in hands-free mode

  @REQ-HOT-07
  Scenario: Without a hotline number, going off-hook only opens the dialing screen
    When A presses the off-hook key
    Then A shows the dialing screen
    And C received no call for 1.5 s

  @REQ-HOT-05
  Scenario: The hotline is set from Menu > Features > Hotline
    When A opens "Features > Hotline" from the menu
    And A sets "Hotline Number" to "2001"
    And A presses the OK key
    Then A shows "Saved"
    And the configuration of A has hotline.number = 2001
