Feature: Configuration management (manual §6.3)
  The configuration can be exported as a CFG text file (all of it, or only
  the network part and/or the SIP part), edited and imported again; or saved
  whole as a BIN file and restored from it.  A file that cannot be taken is
  refused with its reason and changes nothing.

  Background:
    Given phone A is registered with its bench account

  @REQ-CFG-04
  Scenario: Exporting only the SIP configuration leaves the network part out
    When the web UI of A exports its SIP configuration as CFG
    Then the exported CFG holds account.1.* settings
    And the exported CFG holds sip.* settings
    And the exported CFG has no network.* settings
    And the exported CFG sets account.1.user_name = 1001

  @REQ-CFG-04
  Scenario: Exporting only the network configuration leaves the accounts out
    When the web UI of A exports its network configuration as CFG
    Then the exported CFG holds network.* settings
    And the exported CFG has no account.* settings

  @REQ-CFG-01 @REQ-CFG-05
  Scenario: An exported CFG, edited and imported again, changes what was edited
    When the web UI of A exports its SIP configuration as CFG
    And the exported CFG is edited to set account.1.label = Reception
    And the edited CFG is imported into A
    Then the configuration of A has account.1.label = Reception
    And A shows "Reception"

  @REQ-CFG-06
  Scenario: Exporting and importing the same CFG changes nothing
    When the web UI of A exports its whole configuration as CFG
    And the exported CFG is imported into A
    Then the configuration of A is unchanged

  @REQ-CFG-02 @REQ-CFG-03
  Scenario: A BIN backup brings the whole configuration back after a factory reset
    Given the web UI of A sets account.1.label = Desk, hotline.number = 2001
    When the web UI of A exports its configuration as BIN
    And the web UI of A resets it to factory defaults
    And the exported BIN file is imported into A
    Then the configuration of A has account.1.label = Desk
    And the configuration of A has hotline.number = 2001
    And A shows the registered icon

  @REQ-CFG-03
  Scenario: A damaged BIN file is refused and changes nothing
    When the web UI of A exports its configuration as BIN
    And the damaged BIN file is imported into A
    Then the BIN import is refused saying "checksum does not match"
    And the configuration of A is unchanged
