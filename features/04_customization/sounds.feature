Feature: Sounds: ringtone, key tone, signal tones (manual §4.2.2, §4.2.3, §4.2.4)
  Ten built-in ringtones, chosen on the phone with UP/DOWN and the Save soft key; later calls
  ring with it.  The key tone sounds at every key press while it is on, and not at all while it
  is off.  The web Tones page picks a country's standard signal tones, or Custom with values the
  user types (frequency/ms cadences; a lower frequency is a lower tone).

  The reference phone has no speaker the bench can record: it reports what it plays (the
  ringtone while a call rings, each key tone, the signal tones sounding now with their
  definitions) through its control API.  On a real handset these checks need a microphone at
  the speaker, hence @reference_only.

  The manual's table gives each remaining tone one line of purpose; the triggers read from it
  (reference_impl/signal_tones.py): second dial on the transfer/conference number screen,
  congestion on 5xx (and 480), special information on 404/410/484/604, dial recall while auto
  redial waits, voicemail prompt (stutter) off-hook while a NOTIFY message-summary says a message
  waits, voicemail call-back while the voice-mail number rings, message prompt once per text
  message, auto answer once when auto answer takes a call.  One-shot tones are also reported with
  the time they started, so a half-second beep is not missed between two looks.  Tones of a
  failed call (busy, congestion, special information) sound while its end screen shows (1 s), so
  they are checked first, right after the answer that brings them.

  Background:
    Given phone A is at factory defaults

  @REQ-RING-01
  Scenario: Ten built-in ringtones on the phone
    When A opens "Basic Settings > Sounds > Ringtone" from the menu
    Then the list of A reads "Ring 1", "Ring 2", "Ring 3", "Ring 4", "Ring 5", "Ring 6", "Ring 7", "Ring 8", "Ring 9", "Ring 10" and nothing else

  @REQ-RING-02 @reference_only
  Scenario: The ringtone saved on the phone rings the next call
    Given A is registered with its bench account
    When A opens "Basic Settings > Sounds > Ringtone" from the menu
    And A chooses "Ring 7" and presses "Save"
    Then A shows "Saved"
    And the configuration of A has sounds.ringtone = Ring 7
    When C calls A
    Then A rings with a call from C
    And A plays the ringtone "Ring 7"

  @REQ-RING-02 @reference_only
  Scenario: Back leaves the ringtone as it was
    Given A is registered with its bench account
    When A opens "Basic Settings > Sounds > Ringtone" from the menu
    And A moves to the "Ring 4" field
    And A presses the "Back" soft key
    Then the configuration of A has sounds.ringtone = Ring 1
    When C calls A
    Then A rings with a call from C
    And A plays the ringtone "Ring 1"

  @REQ-RING-01
  Scenario Outline: Ringtones 1 and 10 exist, 0 and 11 do not
    When the web page "settings" of A is submitted with sounds.ringtone = <ringtone>
    Then <verdict>

    Examples:
      | ringtone | verdict                                                   |
      | Ring 10  | the configuration of A has sounds.ringtone = Ring 10      |
      | Ring 1   | the configuration of A has sounds.ringtone = Ring 1       |
      | Ring 11  | the web UI refuses the page naming "sounds.ringtone"      |
      | Ring 0   | the web UI refuses the page naming "sounds.ringtone"      |

  @REQ-KTONE-01 @reference_only
  Scenario: Key tone on: a tone for every key press
    Given the bench listens to the speaker of A
    When A presses the 1 key
    And A presses the 2 key
    And A presses the down key
    Then A played 3 key tones

  @REQ-KTONE-02 @REQ-KTONE-03 @reference_only
  Scenario: Key tone switched off on the phone: no tone at all
    When A opens "Basic Settings > Sounds > Key Tone" from the menu
    Then A shows "Key Tone: Enabled"
    When A presses the "Switch" soft key
    Then A shows "Key Tone: Disabled"
    When A presses the "Save" soft key
    Then A shows "Saved"
    And the configuration of A has sounds.key_tone = 0
    When A presses the on-hook key
    And the bench listens to the speaker of A
    And A presses the 5 key
    And A presses the 6 key
    Then A played 0 key tones

  @REQ-KTONE-02 @REQ-KTONE-01 @reference_only
  Scenario: Key tone switched back on
    Given the web UI of A sets sounds.key_tone = 0
    When A opens "Basic Settings > Sounds > Key Tone" from the menu
    And A presses the "Switch" soft key
    And A presses the "Save" soft key
    And A presses the on-hook key
    And the bench listens to the speaker of A
    And A presses the 9 key
    Then A played 1 key tone

  @REQ-TONE-01 @REQ-TONE-04
  Scenario: The Tones page: Country, and the 12 tone types read-only for a country's standard set
    Then the configuration of A has tones.country = China
    And the Tones page of A shows 12 tone types, read-only
    And the Tones page of A shows "Dial Tone" as "450"
    And the Tones page of A shows "Busy Tone" as "450/350,0/350"

  @REQ-TONE-01
  Scenario: Choosing a country loads its standard tones
    When the Tones page of A is submitted with tones.country = United States
    Then the page is accepted
    And the Tones page of A shows "Dial Tone" as "350+440"
    And the Tones page of A shows "Ring Back Tone" as "440+480/2000,0/4000"
    And the Tones page of A shows 12 tone types, read-only

  @REQ-TONE-02
  Scenario: Custom makes the tone values editable
    When the Tones page of A is submitted with tones.country = Custom
    Then the page is accepted
    And the Tones page of A shows 12 tone types, editable

  @REQ-TONE-05 @REQ-TONE-06 @reference_only
  Scenario: The dial tone of the Chinese standard set (450 Hz) sounds off-hook
    When A presses the off-hook key
    Then A plays the dial tone "450"

  @REQ-TONE-01 @REQ-TONE-06 @reference_only
  Scenario: Another country's dial tone once that country is chosen
    Given the Tones page of A is submitted with tones.country = Germany
    When A presses the off-hook key
    Then A plays the dial tone "425"

  @REQ-TONE-02 @REQ-TONE-03 @reference_only
  Scenario Outline: Custom values are the tones the phone plays
    Given the Tones page of A is submitted with tones.country = Custom, tones.dial = <dial>
    Then the page is accepted
    When A presses the off-hook key
    Then A plays the dial tone "<dial>"

    Examples: a lower value is a lower tone
      | dial       |
      | 300        |
      | 600        |
      | 350+440    |

  @REQ-TONE-02
  Scenario Outline: Custom tone values at and past their limits
    When the Tones page of A is submitted with tones.country = Custom, tones.busy = <value>
    Then the page is <verdict>

    Examples:
      | value        | verdict                                                                 |
      | 200/350,0/350   | accepted                                                             |
      | 4000/350,0/350  | accepted                                                             |
      | 199/350,0/350   | refused saying "frequency 199 Hz is outside 200..4000 Hz (0 = silence)" |
      | 4001/350,0/350  | refused saying "frequency 4001 Hz is outside 200..4000 Hz (0 = silence)" |
      | 450/10,0/60000  | accepted                                                             |
      | 450/9,0/350     | refused saying "duration 9 ms is outside 10..60000 ms"               |
      | 450/350,0/60001 | refused saying "duration 60001 ms is outside 10..60000 ms"           |
      | 450/x           | refused saying "element '450/x' is not freq/ms"                      |

  @REQ-TONE-08 @reference_only
  Scenario: Ring-back tone while the called party rings
    Given A is registered with its bench account
    And C will let its phone ring
    When A types the number of C
    And A presses the off-hook key
    Then C rings with a call from A
    And A plays the ring-back tone "450/1000,0/4000"

  @REQ-TONE-09 @reference_only
  Scenario: Busy tone when the called party is busy
    Given A is registered with its bench account
    And C will let its phone ring
    When A types the number of C
    And A presses the off-hook key
    And C rejects the call with 486
    Then A plays the busy tone "450/350,0/350"

  @REQ-TONE-11 @reference_only
  Scenario: Call-waiting tone when a second call arrives during a call
    Given A is registered with its bench account
    And C answers every call
    When A types the number of C
    And A presses the off-hook key
    Then A is talking to C in handset mode
    When D calls A
    Then A plays the call waiting tone "450/400,0/4000"

  @REQ-CW-04 @reference_only
  Scenario: A second call while the phone is still ringing brings no call-waiting beep
    Given A is registered with its bench account
    When C calls A
    Then A rings with a call from C
    When D calls A
    Then A plays no call waiting tone for 1.5 s

  @REQ-TONE-05 @reference_only
  Scenario: The standard dial tone sounds at 450 Hz from the speaker
    When A presses the off-hook key
    Then the speaker of A sounds at 450 Hz
    And the speaker of A does not sound at 900 Hz

  @REQ-TONE-01 @reference_only
  Scenario: The United States dial tone mixes 350 and 440 Hz
    Given the Tones page of A is submitted with tones.country = United States
    When A presses the off-hook key
    Then the speaker of A sounds at 350 Hz
    And the speaker of A sounds at 440 Hz
    And the speaker of A does not sound at 600 Hz

  @REQ-TONE-03 @reference_only
  Scenario: A lower custom value is a lower tone
    Given the Tones page of A is submitted with tones.country = Custom, tones.dial = 600
    When A presses the off-hook key
    Then the speaker of A sounds at 600 Hz
    When A presses the on-hook key
    And the Tones page of A is submitted with tones.dial = 300
    And A presses the off-hook key
    Then the speaker of A sounds at 300 Hz
    And the speaker of A does not sound at 600 Hz

  @REQ-TONE-09 @reference_only
  Scenario: A custom busy tone is the one played when the called party is busy
    Given the Tones page of A is submitted with tones.country = Custom, tones.busy = 800/350,0/350
    And A is registered with its bench account
    And C will let its phone ring
    When A types the number of C
    And A presses the off-hook key
    And C rejects the call with 486
    Then A plays the busy tone "800/350,0/350"

  # --- the other signal tones of §4.2.4 (triggers: see reference_impl/signal_tones.py) -----------------

  @REQ-TONE-10 @reference_only
  Scenario Outline: Congestion tone when the network answers the call with <code>
    Given A is registered with its bench account
    And the SIP traffic of the bench is captured
    And C will let its phone ring
    When A types the number of C
    And A presses the off-hook key
    And C rejects the call with <code>
    Then A plays the congestion tone "450/700,0/700"
    And A shows "Network busy"
    And the INVITE of A was answered with <on the wire>
    And A plays no busy tone for 1 s
    And A plays no special information tone for 0.5 s

    # The registrar, a proxy, passes a downstream 503 on as 500 (RFC 3261 §16.7): the phone sees 500.
    Examples:
      | code | on the wire |
      | 503  | 500         |
      | 504  | 504         |

  @REQ-TONE-10 @reference_only
  Scenario: No congestion tone when the called party is merely busy
    Given A is registered with its bench account
    And C will let its phone ring
    When A types the number of C
    And A presses the off-hook key
    And C rejects the call with 486
    Then A plays the busy tone "450/350,0/350"
    And A plays no congestion tone for 1 s

  @REQ-TONE-10 @REQ-TONE-01 @reference_only
  Scenario: The congestion tone is the chosen country's
    Given the Tones page of A is submitted with tones.country = Germany
    And A is registered with its bench account
    And C will let its phone ring
    When A types the number of C
    And A presses the off-hook key
    And C rejects the call with 503
    Then A plays the congestion tone "425/240,0/240"

  @REQ-TONE-13 @reference_only
  Scenario: Special information tone when the registrar knows no such number
    Given A is registered with its bench account
    And the SIP traffic of the bench is captured
    When A types 1999
    And A presses the off-hook key
    Then A plays the special information tone "450/100,0/100,450/100,0/100,450/100,0/400"
    And A shows "Not found"
    And the INVITE of A was answered with 404
    And A plays no congestion tone for 1 s
    And A plays no busy tone for 0.5 s

  @REQ-TONE-14 @reference_only
  Scenario Outline: Voicemail prompt (stutter) tone off-hook while a voice message waits (<country>)
    Given the Tones page of A is submitted with tones.country = <country>
    And A is registered with its bench account
    When the voice mail server notifies A that a voice message is waiting
    Then A shows the voice mail icon
    When A presses the off-hook key
    Then A plays the voicemail prompt tone "<stutter>"
    And A plays no dial tone for 1 s

    Examples:
      | country | stutter      |
      | China   | 450/400,0/40 |
      | Germany | 425/100,0/40 |

  @REQ-TONE-14 @REQ-TONE-06 @reference_only
  Scenario: No voicemail prompt tone once the server says no message is waiting
    Given A is registered with its bench account
    And the voice mail server notifies A that a voice message is waiting
    When the voice mail server notifies A that no voice message is waiting
    Then A does not show the voice mail icon
    When A presses the off-hook key
    Then A plays the dial tone "450"
    And A plays no voicemail prompt tone for 1 s

  @REQ-TONE-15 @reference_only
  Scenario Outline: Message prompt tone when a text message arrives (<country>)
    Given the Tones page of A is submitted with tones.country = <country>
    And A is registered with its bench account
    Then A plays no message prompt tone for 1 s
    When C sends the text message "Call me" to A
    Then the inbox of A holds "Call me"
    And A plays the message prompt tone "<tone>"

    Examples:
      | country | tone                         |
      | China   | 450/200,0/200,450/200,0/2000 |
      | Germany | 425/200,0/200,425/200,0/2000 |

  @REQ-TONE-16 @reference_only
  Scenario: Auto answer tone when auto answer takes the call
    Given A is registered with its bench account
    And the web UI of A sets auto_answer.account1 = 1
    When C calls A
    Then C is in a call with A
    And A plays the auto answer tone "450/500,0/60000"

  @REQ-TONE-16 @reference_only
  Scenario: No auto answer tone when the user answers the call
    Given A is registered with its bench account
    When C calls A
    Then A rings with a call from C
    When A presses the off-hook key
    Then A is talking to C in handset mode
    And A plays no auto answer tone for 1 s

  @REQ-TONE-12 @REQ-AREDIAL-01 @reference_only
  Scenario: Dial recall tone while auto redial waits to call again
    Given A is registered with its bench account
    And the web UI of A sets auto_redial.enable = 1, auto_redial.interval = 5, auto_redial.count = 1
    And C refuses every call with 486
    When A types the number of C
    And A presses the off-hook key
    Then A shows the auto redial screen
    And A plays the dial recall tone "450/400,0/40"
    And A plays no busy tone for 0.5 s

  @REQ-TONE-12 @reference_only
  Scenario: No dial recall tone after a failed call without auto redial
    Given A is registered with its bench account
    And C will let its phone ring
    When A types the number of C
    And A presses the off-hook key
    And C rejects the call with 486
    Then A plays the busy tone "450/350,0/350"
    And A plays no dial recall tone for 1 s

  @REQ-TONE-07 @reference_only
  Scenario: Second dial tone while the phone asks for the transfer target
    Given A is registered with its bench account
    And C calls A
    And A presses the off-hook key
    And C is in a call with A
    Then A plays no second dial tone for 0.5 s
    When A presses the "Options" soft key
    And A selects "Transfer"
    Then C is put on hold by A
    And A plays the second dial tone "450/400,0/40"
    And A plays no dial tone for 0.5 s
    When A presses the 2 key
    Then A plays no second dial tone for 0.5 s

  @REQ-TONE-17 @reference_only
  Scenario: Voicemail call-back tone while the voice mail is called back with the Message key
    Given A is registered with its bench account
    And C will let its phone ring
    And the web UI of A sets voicemail.account1 = 2001
    When A presses the message key
    Then C rings with a call from A
    And A plays the voicemail call back tone "450/400,0/40"
    And A plays no ring-back tone for 1 s

  @REQ-TONE-17 @REQ-TONE-08 @reference_only
  Scenario: An ordinary call rings back without the voicemail call-back tone
    Given A is registered with its bench account
    And C will let its phone ring
    And the web UI of A sets voicemail.account1 = 2002
    When A types the number of C
    And A presses the off-hook key
    Then C rings with a call from A
    And A plays the ring-back tone "450/1000,0/4000"
    And A plays no voicemail call back tone for 1 s
