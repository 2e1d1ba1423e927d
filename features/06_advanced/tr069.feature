Feature: TR069 settings (manual §6 overview, §6.4.1)
  The manual names TR069 among the advanced features and among what a CFG
  file can carry, and defines nothing more.  The phone therefore has a TR069
  page with the ACS settings, and takes the same settings from a CFG file.
  (The reference phone stores them; it opens no session with an ACS.)

  @REQ-TR069-01
  Scenario: The TR069 page stores the ACS settings
    When the web page "tr069" of A is submitted with tr069.enable = 1, tr069.acs_url = http://acs.example.test:7547/, tr069.inform_interval = 600
    Then the configuration of A has tr069.acs_url = http://acs.example.test:7547/
    And the configuration of A has tr069.inform_interval = 600

  @REQ-TR069-01
  Scenario: An enabled TR069 without an ACS address is refused
    When the web page "tr069" of A is submitted with tr069.enable = 1
    Then the web UI refuses the page naming "tr069.acs_url"
    And the configuration of A is unchanged

  @REQ-TR069-02
  Scenario: The TR069 settings come in a CFG file
    When the CFG file "tr069.cfg" is imported into A:
      """
      tr069.enable = 1
      tr069.acs_url = https://acs.example.test/cwmp
      tr069.user = cpe
      """
    Then the configuration of A has tr069.enable = 1
    And the configuration of A has tr069.user = cpe
