Feature: Upload ringtone (manual §5, Chinese list; §4.2.2)
  A WAV file uploaded from the web UI becomes a ringtone choice, "Custom",
  next to the ten built-in ringtones.  The phone plays 16-bit PCM mono WAV at
  8 or 16 kHz, up to 30 s; any other file is refused with its reason and
  nothing changes.

  @REQ-RINGUP-01 @REQ-RING-01
  Scenario: An uploaded ringtone can be chosen on the phone
    When the web UI of A uploads the ringtone "office.wav", 3 s of mono sound at 8000 Hz
    Then the ringtone upload is accepted
    And the configuration of A has sounds.custom_ringtone = office.wav
    When A opens "Basic Settings > Ring Tones" from the menu
    And A switches "Ring Tone" to "Custom"
    And A presses the OK key
    Then A shows "Saved"
    And the configuration of A has sounds.ringtone = Custom

  @REQ-RINGUP-01
  Scenario Outline: A file the phone cannot play is refused with the reason
    When the web UI of A uploads the ringtone "<file>", <seconds> s of <channels> sound at <rate> Hz
    Then the ringtone upload is refused saying "<reason>"
    And the configuration of A is unchanged

    Examples:
      | file        | seconds | channels | rate  | reason                    |
      | stereo.wav  | 2       | stereo   | 8000  | must be mono              |
      | hifi.wav    | 2       | mono     | 44100 | allowed: 8000 or 16000 Hz |
      | long.wav    | 31      | mono     | 8000  | at most 30 s              |

  @REQ-RINGUP-01
  Scenario: A file that is no WAV is refused
    When the web UI of A uploads the file "tune.mp3" as a ringtone
    Then the ringtone upload is refused saying "not a WAV file"
    And the configuration of A is unchanged

  @REQ-RINGUP-01
  Scenario: "Custom" cannot be chosen before a ringtone is uploaded
    When the web page "settings" of A is submitted with sounds.ringtone = Custom
    Then the web UI refuses the page naming "sounds.ringtone"
    And the configuration of A is unchanged
