Feature: Language (manual §4.1.1)
  The phone starts in English and also speaks Chinese.  The phone and the web UI share one
  language setting: chosen on the phone (UP/DOWN, Save) it changes the LCD at once and the web UI
  at its next reload; chosen in the web drop-down it changes the web UI at once and the LCD after
  a restart.  Provisioning files write it as in the manual's chapter 6 example,
  language_setting.languages = 0 (Chinese) or 1 (English).

  Background:
    Given phone A is at factory defaults

  @REQ-LANG-01 @REQ-LANG-02
  Scenario: English at factory defaults, Chinese offered
    Then the LCD of A is English
    And the web page "/status" of A is English
    And the configuration of A has phone.language = English
    When A opens "Basic Settings > Language" from the menu
    Then the list of A reads "English", "中文" and nothing else

  @REQ-LANG-03 @REQ-LANG-04
  Scenario: Chosen on the phone: the LCD at once, the web UI at its next reload
    Given the web page "/status" of A is English
    When A opens "Basic Settings > Language" from the menu
    And A chooses "中文" and presses "Save"
    Then A shows "已保存"
    When A presses the on-hook key
    Then the LCD of A is Chinese
    And the web page "/status" of A is Chinese

  @REQ-LANG-03
  Scenario: Back to English on the phone, through the Chinese menus
    Given the LCD of A is switched to Chinese on the phone
    When A presses the "菜单" soft key
    And A selects "基本设置"
    And A selects "语言"
    And A chooses "English" and presses "保存"
    And A presses the on-hook key
    Then the LCD of A is English
    And the web page "/status" of A is English

  @REQ-LANG-05
  Scenario: Chosen in the web drop-down: the web UI at once, the LCD after a restart
    When the web language drop-down of A is set to Chinese
    Then the web page "/status" of A is Chinese
    And the LCD of A stays English
    When the web UI of A restarts the phone
    Then the LCD of A is Chinese

  @REQ-LANG-06
  Scenario: A provisioning file sets Chinese with language_setting.languages = 0
    When the CFG file "LanguageAndUp.cfg" is imported into A:
      """
      ### language ###
      language_setting.languages = 0
      """
    Then the configuration of A has phone.language = Chinese
    And the web page "/status" of A is Chinese
    When the web UI of A restarts the phone
    Then the LCD of A is Chinese

  @REQ-LANG-06
  Scenario: language_setting.languages = 1 is English
    Given the LCD of A is switched to Chinese on the phone
    When the CFG file "english.cfg" is imported into A:
      """
      language_setting.languages = 1
      """
    Then the configuration of A has phone.language = English
    When the web UI of A restarts the phone
    Then the LCD of A is English

  @REQ-LANG-06
  Scenario: A language code past 1 is refused with the reason
    When the CFG file "bad.cfg" is imported into A:
      """
      language_setting.languages = 2
      """
    Then the import is refused naming line 1 and key "language_setting.languages"
    And the refusal says what is allowed: "integer 0..1"
    And the configuration of A is unchanged

  @REQ-LANG-01
  Scenario: A language the phone does not have is refused by the web UI
    When the web page "settings" of A is submitted with phone.language = French
    Then the web UI refuses the page naming "phone.language"
    And the configuration of A is unchanged
