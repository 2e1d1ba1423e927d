Feature: Auto provisioning (manual §6.4)
  A phone set up with a provisioning server (web Settings > Auto provision) fetches
  its configuration from it: the boot file common.boot first, then the CFG files the
  boot file names; with no boot file, common.cfg for every phone and then the file
  named after its own MAC.  HTTP, HTTPS, FTP and TFTP servers all serve.  With
  Power on enabled this happens at every start.  A server that does not answer, a
  listed file that is missing or a bad line stops the run with a status on the web
  page that says why, and nothing of the run is applied.  The bench runs the servers
  itself on loopback; their request logs show what the phone asked for.

  Background:
    Given phone A is registered with its bench account

  @REQ-PROV-05 @REQ-PROV-06 @REQ-PROV-09 @REQ-PROV-15 @REQ-PROV-16 @REQ-PROV-17 @REQ-PROV-18 @REQ-PROV-01
  Scenario Outline: Over <protocol>, the boot file comes first and the files it names follow in order
    Given the bench serves provisioning files over <protocol>
    And the provisioning server holds "common.boot" listing "common.cfg" and "account.cfg"
    And the provisioning server holds "common.cfg":
      """
      ### features for every phone ###
      hotline.number = 1000
      auto_redial.interval = 30
      """
    And the provisioning server holds "account.cfg":
      """
      account.1.label = Lab desk
      """
    When the Auto provision page of A points at the server
    And A is told to provision itself now from its web page
    Then the Auto provision page of A reports the run done
    And the provisioning server was asked by A for "common.boot" then "common.cfg" then "account.cfg" and nothing else
    And the configuration of A has hotline.number = 1000
    And the configuration of A has auto_redial.interval = 30
    And the configuration of A has account.1.label = Lab desk

    Examples:
      | protocol |
      | HTTP     |
      | HTTPS    |
      | FTP      |
      | TFTP     |

  @REQ-PROV-07 @REQ-PROV-08
  Scenario: Without a boot file, common.cfg and then the phone's own MAC file, which wins
    Given the bench serves provisioning files over HTTP
    And the provisioning server holds "common.cfg":
      """
      hotline.number = 1000
      auto_redial.interval = 30
      """
    And the provisioning server holds "{A.mac_file}":
      """
      hotline.number = 2002
      """
    When the Auto provision page of A points at the server
    And A is told to provision itself now from its web page
    Then the Auto provision page of A reports the run done
    And the provisioning server was asked by A for "common.boot" then "common.cfg" then "{A.mac_file}"
    And the configuration of A has hotline.number = 2002
    And the configuration of A has auto_redial.interval = 30

  @REQ-PROV-19 @REQ-PROV-17
  Scenario: With Power on, the phone provisions itself when it starts
    Given the bench serves provisioning files over HTTP
    And the provisioning server holds "common.boot" listing "common.cfg"
    And the provisioning server holds "common.cfg":
      """
      hotline.number = 1000
      """
    When the Auto provision page of A points at the server with Power on
    And the web UI of A restarts the phone
    And A comes back at {A.ip}
    Then the provisioning server was asked by A for "common.boot" then "common.cfg"
    And the Auto provision page of A reports the run done
    And the configuration of A has hotline.number = 1000

  @REQ-PROV-19
  Scenario: Without Power on, a restart fetches nothing
    Given the bench serves provisioning files over HTTP
    And the provisioning server holds "common.boot" listing "common.cfg"
    And the provisioning server holds "common.cfg":
      """
      hotline.number = 1000
      """
    When the Auto provision page of A points at the server
    And the web UI of A restarts the phone
    And A comes back at {A.ip}
    Then the provisioning server is asked nothing by A once it is back on standby
    And the configuration of A is unchanged

  @REQ-PROV-14 @REQ-PROV-12
  Scenario: A provisioning file that names a firmware image upgrades the phone
    Given the bench serves provisioning files over FTP
    And the provisioning server holds a firmware image of version 2.0.6.1 as "h680-2.0.6.1.bin"
    And the provisioning server holds "common.boot" listing "upgrade.cfg"
    And the provisioning server holds "upgrade.cfg":
      """
      ### upgrade ###
      static.firmware.url = {server}/h680-2.0.6.1.bin
      """
    When the Auto provision page of A points at the server
    And A is told to provision itself now from its web page
    Then the provisioning server was asked by A for "common.boot" then "upgrade.cfg" then "h680-2.0.6.1.bin"
    And A comes back at {A.ip}
    And the web status page of A shows "Firmware version" as "2.0.6.1"
    And the bench puts A back on its original firmware

  @REQ-PROV-16
  Scenario: A server that does not answer is reported and changes nothing
    Given the bench serves provisioning files over TFTP
    And the provisioning server holds "common.boot" listing "common.cfg"
    When the Auto provision page of A points at the server
    And the provisioning server is stopped
    And A is told to provision itself now from its web page
    Then the Auto provision page of A reports the run failed with "server_unreachable" naming "no answer"
    And the configuration of A is unchanged

  @REQ-PROV-06
  Scenario: A listed file that is missing stops the run before anything is applied
    Given the bench serves provisioning files over HTTP
    And the provisioning server holds "common.boot" listing "common.cfg" and "account.cfg"
    And the provisioning server holds "common.cfg":
      """
      hotline.number = 1000
      """
    When the Auto provision page of A points at the server
    And A is told to provision itself now from its web page
    Then the Auto provision page of A reports the run failed with "file_missing" naming "account.cfg"
    And the configuration of A is unchanged

  @REQ-PROV-15
  Scenario: A bad line is reported with its file, line and key, and nothing is applied
    Given the bench serves provisioning files over HTTP
    And the provisioning server holds "common.boot" listing "common.cfg" and "account.cfg"
    And the provisioning server holds "common.cfg":
      """
      hotline.number = 1000
      """
    And the provisioning server holds "account.cfg":
      """
      # account label, then a redial interval out of range
      account.1.label = Lab desk
      auto_redial.interval = 900
      """
    When the Auto provision page of A points at the server
    And A is told to provision itself now from its web page
    Then the Auto provision page of A reports the run failed with "bad_file" naming "account.cfg" and "line 3: auto_redial.interval"
    And the configuration of A is unchanged

  @REQ-PROV-17 @REQ-CERT-06 @REQ-CERT-01
  Scenario: HTTPS from a server whose certificate the phone does not trust is refused
    Given the bench serves provisioning files over HTTPS
    And the provisioning server holds "common.boot" listing "common.cfg"
    And the provisioning server holds "common.cfg":
      """
      hotline.number = 1000
      """
    And the trusted certificates page of A is submitted with cert.only_trusted = 1
    And the web UI of A restarts the phone
    And A comes back at {A.ip}
    When the Auto provision page of A points at the server
    And A is told to provision itself now from its web page
    Then the Auto provision page of A reports the run failed with "certificate_refused" naming "not trusted"
    And the configuration of A is unchanged
    When A trusts the provisioning server's certificate authority
    And the web UI of A restarts the phone
    And A comes back at {A.ip}
    And A is told to provision itself now from its web page
    Then the Auto provision page of A reports the run done
    And the configuration of A has hotline.number = 1000

  @REQ-PROV-20 @REQ-AURL-41
  Scenario: The end of a provisioning run fires the "Auto update finished" Action URL
    Given the bench serves provisioning files over HTTP
    And the provisioning server holds "common.cfg":
      """
      hotline.number = 1000
      """
    And the Action URL of "autop_finish" on A reports $mac $ip $model $firmware
    When the Auto provision page of A points at the server
    And A is told to provision itself now from its web page
    Then the Auto provision page of A reports the run done
    And A sends the Action URL "autop_finish"
    And the Action URL "autop_finish" carries the MAC, IP, model and firmware of A

  @REQ-PROV-17
  Scenario: A server URL of another kind is refused on the web page
    When the Auto provision page of A is submitted with the server URL "gopher://127.0.0.1/"
    Then the web UI refuses the page naming "autop.url"

  @REQ-PROV-10 @REQ-PROV-11 @REQ-PROV-12
  Scenario Outline: The manual's provisionable item "<item>" is set by a provisioning file
    Given the bench serves provisioning files over HTTP
    And the provisioning server holds "common.cfg":
      """
      <key> = <value>
      """
    When the Auto provision page of A points at the server
    And A is told to provision itself now from its web page
    Then the Auto provision page of A reports the run done
    And the configuration of A has <key> = <value>

    Examples:
      | item                | key                          | value                       |
      | network             | network.priority             | IPv6                        |
      | sound               | volume.ring                  | 12                          |
      | call forward        | forward.busy.number          | 2003                        |
      | anonymous call      | anonymous.1.call             | 1                           |
      | TR069               | tr069.inform_interval        | 600                         |
      | DND                 | dnd.mode                     | Custom                      |
      | hotline             | hotline.delay                | 3                           |
      | voicemail           | voicemail.account1           | *97                         |
      | Action URL          | action_url.off_hook          | http://127.0.0.1:8099/hook  |
      | auto update         | autop.power_on               | 1                           |
      | pager configuration | paging.list.1.address        | 239.51.0.1:25100            |
      | QoS                 | network.qos.rtp_dscp         | 34                          |
      | VLAN                | network.vlan.id              | 4094                        |
      | LLDP                | network.lldp.enable          | 1                           |
      | CDP                 | network.cdp.interval         | 30                          |
      | DTMF                | account.1.dtmf_mode          | SIP INFO                    |
      | User Agent          | sip.user_agent               | Lab-H680/1.0                |
      | heartbeat service   | account.1.heartbeat_interval | 15                          |
      | STUN                | network.stun.server          | stun.example.com:3478       |
      | intercom            | intercom.barge               | 1                           |
      | programmable keys   | programmable_key.1.type      | DND                         |
      | time                | time.zone                    | 480                         |
      | signal tone         | tones.country                | United Kingdom              |
      | keypad lock         | keypad_lock.auto_lock_time   | 60                          |

  @REQ-PROV-10
  Scenario: An account set by a provisioning file registers
    Given the bench serves provisioning files over TFTP
    And the provisioning server holds "account.cfg":
      """
      account.2.enable = 1
      account.2.label = Provisioned
      account.2.user_name = 1003
      account.2.register_name = 1003
      account.2.password = pw1003
      account.2.server1 = {registrar.ip}
      """
    And the provisioning server holds "common.boot" listing "account.cfg"
    When the Auto provision page of A points at the server
    And A is told to provision itself now from its web page
    Then the Auto provision page of A reports the run done
    And the registrar shows user 1003 registered from {A.ip}

  @REQ-PROV-13 @REQ-PROV-14 @REQ-LANG-06
  Scenario: The manual's LanguageAndUp.cfg sets Chinese and upgrades the firmware in one run
    Given the bench serves provisioning files over FTP
    And the provisioning server holds a firmware image of version 2.0.6.2 as "h680-2.0.6.2.bin"
    And the provisioning server holds "common.boot" listing "LanguageAndUp.cfg"
    And the provisioning server holds "LanguageAndUp.cfg":
      """
      ### language ###
      language_setting.languages = 0
      ### upgrade ###
      static.firmware.url = {server}/h680-2.0.6.2.bin
      """
    When the Auto provision page of A points at the server
    And A is told to provision itself now from its web page
    Then the provisioning server was asked by A for "common.boot" then "LanguageAndUp.cfg" then "h680-2.0.6.2.bin"
    And A comes back at {A.ip}
    And the web status page of A shows "Firmware version" as "2.0.6.2"
    And the LCD of A is Chinese
    And the bench puts A back on its original firmware
