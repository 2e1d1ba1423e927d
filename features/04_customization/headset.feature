Feature: Headset (manual §4.5.1)
  Plugging a headset in puts the phone in headset mode with no menu action: the headset icon
  shows, a call answered with the Answer soft key or dialled with Send uses the headset.
  Unplugging it ends headset mode.  (Answering with the off-hook key on a plugged headset, and
  dialling off-hook, are covered in chapter 5: answer_and_reject, make_call.)

  Background:
    Given phone A is registered with its bench account

  @REQ-HDST-01 @REQ-HDST-02
  Scenario: Plugging a headset in shows the headset icon at once
    Then A does not show the headset icon
    When a headset is plugged into A
    Then A shows the headset icon
    And A shows the standby screen
    And A shows the registered icon

  @REQ-HDST-03
  Scenario: In headset mode the Answer soft key answers on the headset
    Given a headset is plugged into A
    When C calls A
    Then A rings with a call from C
    When A presses the "Answer" soft key
    Then A is talking to C in headset mode
    And C is in a call with A
    And C hears audio from A

  @REQ-HDST-04
  Scenario: In headset mode a number dialled with Send is a headset call
    Given a headset is plugged into A
    And C will let its phone ring
    When A types the number of C
    And A presses the "Send" soft key
    Then C rings with a call from A
    When C answers
    Then A is talking to C in headset mode

  @REQ-HDST-05
  Scenario: Unplugging the headset ends headset mode
    Given a headset is plugged into A
    And A shows the headset icon
    When the headset is unplugged from A
    Then A does not show the headset icon
    And A shows the registered icon
    When C calls A
    Then A rings with a call from C
    When A presses the "Answer" soft key
    Then A is talking to C in hands-free mode

  @REQ-HDST-05
  Scenario: Unplugged during a headset call, the call goes on the handset
    Given a headset is plugged into A
    When C calls A
    Then A rings with a call from C
    When A presses the "Answer" soft key
    Then A is talking to C in headset mode
    When the headset is unplugged from A
    Then A is talking to C in handset mode
    And A does not show the headset icon
