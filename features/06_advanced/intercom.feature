Feature: Intercom (manual §1.3 matrix, §6.4.1)
  The manual lists intercom as a feature set on the phone and on the web, and
  one a provisioning file can set, without describing it.  The reference phone
  does what SIP desk phones commonly do: a call the far end marks for automatic
  answer (Alert-Info info=alert-autoanswer, Call-Info answer-after=0 or
  Answer-Mode: Auto) is answered at once, hands-free, while intercom is on (the
  factory setting).  Intercom mute answers it with the microphone off; intercom
  barge answers it even during another call, which goes on hold.  Settings: web
  Features > Intercom, phone Menu > Features > Intercom.

  Background:
    Given phone A is registered with its bench account

  @REQ-MTX-08 @REQ-PROV-11
  Scenario Outline: A call marked by <marker> is answered by itself, hands-free
    When C calls A as an intercom call marked by <marker>
    Then C is in a call with A
    And A is talking to C in hands-free mode
    And C hears audio from A

    Examples:
      | marker      |
      | Alert-Info  |
      | Call-Info   |
      | Answer-Mode |

  @REQ-MTX-08
  Scenario: A call without an intercom marker rings as usual
    When C calls A
    Then A rings with a call from C
    And C's call is not answered for 1 s

  @REQ-MTX-08
  Scenario: Intercom switched off on the phone menu: an intercom call rings
    When A opens "Features > Intercom" from the menu
    And A switches "Intercom" to "Disabled"
    And A presses the OK key
    Then the configuration of A has intercom.enable = 0
    When C calls A as an intercom call
    Then A rings with a call from C
    And C's call is not answered for 1 s

  @REQ-MTX-01 @REQ-PROV-11
  Scenario: The web page Features > Intercom holds the intercom switches
    Then the web page "intercom" of A has the fields "Intercom", "Intercom Mute" and "Intercom Barge"
    When the web page "intercom" of A is submitted with intercom.enable = 0
    Then the configuration of A has intercom.enable = 0
    When C calls A as an intercom call
    Then A rings with a call from C
    And C's call is not answered for 1 s

  @REQ-MTX-08 @bench_speaker
  Scenario: With intercom mute, the caller hears nothing until the Mute key is pressed
    Given A speaks with a 700 Hz tone
    And the web page "intercom" of A is submitted with intercom.mute = 1
    When C calls A as an intercom call
    Then C is in a call with A
    And A shows the mute icon
    And C does not hear A
    When A presses the mute key
    Then A does not show the mute icon
    And C hears A

  @REQ-MTX-08 @bench_speaker
  Scenario: Without intercom mute, the caller hears the phone at once
    Given A speaks with a 700 Hz tone
    When C calls A as an intercom call
    Then C is in a call with A
    And A does not show the mute icon
    And C hears A

  @REQ-MTX-08
  Scenario: With intercom barge, an intercom call during a call is answered and the first call held
    Given the web page "intercom" of A is submitted with intercom.barge = 1
    And the SIP traffic of the bench is captured
    And C calls A
    And A presses the off-hook key
    And C is in a call with A
    When D calls A as an intercom call
    Then D is in a call with A
    And C is put on hold by A
    And A is talking to D in handset mode

  @REQ-MTX-08 @REQ-CW-01
  Scenario: Without intercom barge, an intercom call during a call waits like any second call
    Given C calls A
    And A presses the off-hook key
    And C is in a call with A
    When D calls A as an intercom call
    Then D hears ringback from A
    And A shows a waiting call from D
    And D's call is not answered for 1 s

  @REQ-MTX-08
  Scenario: DND still refuses an intercom call
    Given the web UI of A sets dnd.enable = 1
    When C calls A as an intercom call
    Then C's call ends with status 486
