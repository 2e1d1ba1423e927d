Feature: Volume, Message and Pickup keys (manual §1.1, §4.2.1)
  The side volume keys change the ring volume when the phone is idle or
  ringing, and the volume of the audio device in use during a call; each
  volume runs from 1 to 15, stops at its ends and is kept apart from the
  others.  The Message key calls the voice-mail number the administrator set
  for the account; the Pickup key sends the server's call-pickup code.

  Background:
    Given phone A is registered with its bench account
    And the SIP traffic of the bench is captured

  @REQ-KEYS-01 @REQ-VOL-01 @REQ-VOL-02
  Scenario: Volume up on an idle phone raises the ring volume
    Given the configuration of A has volume.ring = 8
    When A presses the volume-up key
    Then A shows "Ring Volume"
    And A shows "Volume: 9"
    And the configuration of A has volume.ring = 9

  @REQ-KEYS-02 @REQ-VOL-02 @REQ-KEYS-19
  Scenario: Volume down while ringing lowers the ring volume and the call can still be answered
    Given C will let its phone ring
    When C calls A
    Then A rings with a call from C
    When A presses the volume-down key
    Then A shows "Ring Volume"
    And the configuration of A has volume.ring = 7
    When A presses the OK key
    Then C is in a call with A

  @REQ-VOL-03 @REQ-VOL-05
  Scenario: During a hands-free call the volume keys change the speaker volume only
    Given C answers every call
    When A types the number of C
    And A presses the hands-free key
    Then A is talking to C in hands-free mode
    When A presses the volume-up key
    Then A shows "Speaker Volume"
    And the configuration of A has volume.speaker = 9
    And the configuration of A has volume.handset = 8
    And the configuration of A has volume.ring = 8

  @REQ-VOL-04
  Scenario Outline: The volume stops at its ends
    Given the web UI of A sets volume.ring = <level>
    When A presses the <key> key
    Then A shows "Volume: <level>"
    And the configuration of A has volume.ring = <level>

    Examples:
      | level | key         |
      | 15    | volume-up   |
      | 1     | volume-down |

  @REQ-VOL-01
  Scenario Outline: The web UI refuses a volume outside 1–15
    When the web page "settings" of A is submitted with volume.handset = <level>
    Then the web UI refuses the page naming "volume.handset"
    And the configuration of A is unchanged

    Examples:
      | level |
      | 0     |
      | 16    |

  @REQ-KEYS-16
  Scenario: The Message key calls the account's voice-mail number
    Given D will let its phone ring
    And the web UI of A sets voicemail.account1 = 2002
    When A presses the message key
    Then D rings with a call from A
    And the INVITE that D received was for the number 2002

  @REQ-KEYS-16
  Scenario: Without a voice-mail number the Message key says so
    When A presses the message key
    Then A shows "No voice mail number"
    And A sent no INVITE

  @REQ-KEYS-07
  Scenario: The Pickup key sends the server's call-pickup code
    Given the web UI of A sets pickup.code = *8
    When A presses the pickup key
    Then A sent an INVITE for *8

  @REQ-KEYS-08 @REQ-KEYS-09 @bench_speaker
  Scenario: The Mute key stops the microphone reaching the far end, and brings it back
    Given A speaks with a 700 Hz tone
    And C answers every call
    When A types the number of C
    And A presses the off-hook key
    Then C hears A
    When A presses the mute key
    Then A shows the mute icon
    And C does not hear A
    When A presses the mute key
    Then A does not show the mute icon
    And C hears A
