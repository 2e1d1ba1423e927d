Feature: Action URL (manual §6.6)
  For each event of the manual's table the web page Features > Action URL
  holds a URL; when the event happens the phone sends an HTTP GET to it, with
  every $variable replaced by its value.  An event without a URL sends
  nothing.  A listener on the bench receives the requests.

  Background:
    Given phone A is registered with its bench account
    And the SIP traffic of the bench is captured

  @REQ-AURL-01 @REQ-AURL-02 @REQ-AURL-03 @REQ-AURL-04 @REQ-AURL-51 @REQ-AURL-52 @REQ-AURL-53 @REQ-AURL-54 @REQ-AURL-12
  Scenario: An event's URL is sent with the phone's MAC, IP, model and firmware
    Given the Action URL of "off_hook" on A reports $mac $ip $model $firmware
    When A presses the off-hook key
    Then A sends the Action URL "off_hook"
    And the Action URL "off_hook" carries the MAC, IP, model and firmware of A

  @REQ-AURL-14 @REQ-AURL-55 @REQ-AURL-56 @REQ-AURL-57 @REQ-AURL-58 @REQ-AURL-59 @REQ-AURL-60 @REQ-AURL-61 @REQ-AURL-62 @REQ-AURL-63 @REQ-AURL-64
  Scenario: An outgoing call's URL carries the call variables
    Given the Action URL of "outgoing_call" on A reports $active_url $active_user $active_host $local $remote $display_local $display_remote $call_id $callerID $calledNumber
    And C will let its phone ring
    When A calls C
    Then A sends the Action URL "outgoing_call"
    And the Action URL "outgoing_call" carries active_user = "1001"
    And the Action URL "outgoing_call" carries active_host = "{registrar.ip}"
    And the Action URL "outgoing_call" carries active_url = "sip:1001@{registrar.ip}"
    And the Action URL "outgoing_call" carries local = "sip:1001@{registrar.ip}"
    And the Action URL "outgoing_call" carries remote = "sip:2001@{registrar.ip}"
    And the Action URL "outgoing_call" carries display_local = "Alice"
    And the Action URL "outgoing_call" carries callerID = "Alice"
    And the Action URL "outgoing_call" carries calledNumber = "2001"
    And the Action URL "outgoing_call" carries the Call-ID of the INVITE A sent

  @REQ-AURL-06
  Scenario: An event without a URL sends nothing, and call variables are empty outside a call
    Given the Action URL of "on_hook" on A reports $remote $call_id
    When A presses the off-hook key
    Then A sends no Action URL "off_hook" for 1 s
    When A presses the on-hook key
    Then A sends the Action URL "on_hook"
    And the Action URL "on_hook" carries remote = ""
    And the Action URL "on_hook" carries call_id = ""

  @REQ-AURL-08 @REQ-AURL-09 @REQ-AURL-10
  Scenario Outline: Registration events: <event>
    Given the web UI of A resets it to factory defaults
    And the Action URL of "<event>" on A reports $mac
    When <action>
    Then A sends the Action URL "<event>"

    Examples:
      | event           | action                                                                          |
      | registered      | account 1 of A is set in the web UI to its bench account                        |
      | register_failed | account 1 of A is set in the web UI to its bench account with the password "no" |

  @REQ-AURL-09
  Scenario: Unregistered fires when the account is switched off
    Given the Action URL of "unregistered" on A reports $mac
    When the web UI of A sets account.1.enable = 0
    Then A sends the Action URL "unregistered"

  @REQ-AURL-07 @REQ-AURL-11 @REQ-AURL-17 @REQ-AURL-18 @REQ-AURL-19 @REQ-AURL-20 @REQ-AURL-21 @REQ-AURL-22 @REQ-AURL-23 @REQ-AURL-24 @REQ-AURL-42 @REQ-AURL-43 @REQ-AURL-49 @REQ-DND-13 @REQ-FWD-22 @REQ-CW-09
  Scenario Outline: Events of the idle phone: <event>
    Given <setup>
    And the Action URL of "<event>" on A reports $mac
    When <action>
    Then A sends the Action URL "<event>"

    Examples:
      | event                  | setup                                                                         | action                                                                             |
      | setup_completed        | nothing else happens                                                          | the web UI of A restarts the phone                                                 |
      | on_hook                | A presses the off-hook key                                                    | A presses the on-hook key                                                          |
      | dnd_on                 | nothing else happens                                                          | the web UI of A sets dnd.enable = 1                                                |
      | dnd_off                | the web UI of A sets dnd.enable = 1                                           | the web UI of A sets dnd.enable = 0                                                |
      | always_fwd_on          | the web UI of A sets forward.always.number = 2002                             | the web UI of A sets forward.always.enable = 1                                     |
      | always_fwd_off         | the web UI of A sets forward.always.number = 2002, forward.always.enable = 1  | the web UI of A sets forward.always.enable = 0                                     |
      | busy_fwd_on            | the web UI of A sets forward.busy.number = 2002                               | the web UI of A sets forward.busy.enable = 1                                       |
      | busy_fwd_off           | the web UI of A sets forward.busy.number = 2002, forward.busy.enable = 1      | the web UI of A sets forward.busy.enable = 0                                       |
      | no_answer_fwd_on       | the web UI of A sets forward.no_answer.number = 2002                          | the web UI of A sets forward.no_answer.enable = 1                                  |
      | no_answer_fwd_off      | the web UI of A sets forward.no_answer.number = 2002, forward.no_answer.enable = 1 | the web UI of A sets forward.no_answer.enable = 0                             |
      | call_waiting_off       | nothing else happens                                                          | the web UI of A sets call_waiting.enable = 0                                       |
      | call_waiting_on        | the web UI of A sets call_waiting.enable = 0                                  | the web UI of A sets call_waiting.enable = 1                                       |
      | peripheral_information | nothing else happens                                                          | a headset is plugged into A                                                        |

  @REQ-AURL-13 @REQ-AURL-15 @REQ-AURL-16 @REQ-AURL-25 @REQ-AURL-26 @REQ-AURL-27 @REQ-AURL-28 @REQ-AURL-29 @REQ-AURL-30 @REQ-AURL-31 @REQ-AURL-32 @REQ-AURL-34 @REQ-AURL-35 @REQ-AURL-36 @REQ-AURL-37 @REQ-AURL-38 @REQ-AURL-39 @REQ-AURL-40 @REQ-AURL-44 @REQ-AURL-45 @REQ-AURL-46 @REQ-AURL-47 @REQ-AURL-48 @REQ-XFER-12
  Scenario Outline: Events of calls: <event>
    Given the Action URL of "<event>" on A reports $remote $call_id
    And <setup>
    When <action>
    Then A sends the Action URL "<event>"

    Examples:
      | event                    | setup                                                  | action                                       |
      | incoming_call            | C will let its phone ring                              | C calls A                                    |
      | call_established         | C answers every call                                   | A calls C                                    |
      | call_terminated          | A is in a call with C                                  | C hangs up                                   |
      | idle_to_busy             | C will let its phone ring                              | A calls C                                    |
      | busy_to_idle             | A is in a call with C                                  | A presses the on-hook key                    |
      | hold                     | A is in a call with C                                  | A presses the transfer key                   |
      | unhold                   | A has put C on hold                                    | A presses the "Resume" soft key              |
      | mute                     | A is in a call with C                                  | A presses the mute key                       |
      | unmute                   | A has muted its call with C                            | A presses the mute key                       |
      | missed_call              | nothing else happens                                   | C calls A and gives up                       |
      | call_remote_canceled     | nothing else happens                                   | C calls A and gives up                       |
      | reject_incoming_call     | A is ringing with a call from C                        | A presses the "Reject" soft key              |
      | answer_new_incoming_call | A is ringing with a call from C                        | A presses the "Answer" soft key              |
      | cancel_callout           | A is calling C and it rings                            | A presses the on-hook key                    |
      | remote_busy              | C refuses every call with 486                          | A calls C                                    |
      | call_forwarded           | the web UI of A sets forward.always.number = 2002, forward.always.enable = 1 | C calls A              |
      | forward_incoming_call    | A is ringing with a call from C                        | A forwards the ringing call to D             |
      | blind_transfer           | A is in a call with C                                  | A transfers the call blind to D              |
      | transfer_finished        | D answers every call                                   | A is in a call with C and transfers it blind to D |
      | transfer_failed          | D refuses every call with 486                          | A is in a call with C and transfers it blind to D |
      | handfree_in_use          | C will let its phone ring                              | A calls C hands-free                         |
      | headset_in_use           | a headset is plugged into A                            | A calls C                                    |

  @REQ-AURL-27
  Scenario: Attended transfer
    Given phone B is registered with its bench account
    And the Action URL of "attended_transfer" on A reports $remote $call_id
    And A is in a call with C
    When A transfers the call to B after talking to B
    Then A sends the Action URL "attended_transfer"

  @REQ-AURL-33 @REQ-AURL-52
  Scenario: IP change fires with the new address once the phone is back on it
    Given the Action URL of "ip_changed" on A reports $ip
    When the web page "network" of A is submitted with network.ipv4.type = Static, network.ipv4.address = {A.static_ip}, network.ipv4.netmask = 255.255.255.0, network.ipv4.gateway = {registrar.ip}, network.ipv4.dns1 = {registrar.ip}, network.ipv4.dns2 = {registrar.ip}
    And the web UI of A restarts the phone
    Then A comes back at {A.static_ip}
    And A sends the Action URL "ip_changed"
    And the Action URL "ip_changed" carries ip = "{A.static_ip}"
