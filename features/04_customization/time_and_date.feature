Feature: Time and date (manual §4.1.2)
  The idle screen shows the time and the date.  The phone takes them from a primary SNTP server,
  or from the secondary when the primary does not answer, asking again every synchronisation
  period; or the time is typed in by hand on the phone or the web Date & Time page.  Daylight
  saving time is automatic (a location) or manual (start and end by date or by week).  The clock
  shows 12- or 24-hour time and one of seven date formats, in the UI language.

  The bench's SNTP servers are real chronyd processes serving the host clock.  Manual DST edges:
  the start is given in standard time, the end in daylight time, offset 60 minutes (the manual
  gives no offset).  A manual time is typed with DST off, then DST is switched on: the clock
  shows the time the DST rule gives for that instant.

  Background:
    Given phone A is at factory defaults

  @REQ-TIME-01 @REQ-TIME-04 @REQ-TIME-05 @REQ-TIME-07
  Scenario: The idle screen shows the time; the web page uses SNTP by default
    Then A shows the time and date
    And the configuration of A has time.manual = 0
    And the Date & Time page of A shows "Manual Setting" as "Disabled"
    And the Date & Time page of A has the fields "Primary Server", "Secondary Server" and "Synchronisation Period"

  @REQ-TIME-02
  Scenario: Auto time takes the time from the SNTP server
    Given the bench runs an SNTP server S1 at {bench.block}.31:12300
    And the bench captures the SNTP traffic on port 12300
    And the Date & Time page of A sets the manual time 2020-04-07 10:00
    And A shows the time "10:00"
    And the Date & Time page of A is submitted with time.sntp.primary = {S1}, time.zone = 480
    When A opens "Basic Settings > Time & Date > Auto time" from the menu
    And A presses the "OK" soft key
    Then A shows "Saved"
    And A asks S1 for the time and S1 answers it
    When A presses the on-hook key
    Then A shows the time of the SNTP server in time zone UTC+08:00
    When A opens "Basic Settings > Time & Date > Auto time" from the menu
    Then A shows "Synced: {bench.block}.31:12300"

  @REQ-TIME-06
  Scenario: The secondary server is used when the primary does not answer
    Given the bench runs an SNTP server S2 at {bench.block}.32:12300
    And the bench captures the SNTP traffic on port 12300
    When the Date & Time page of A is submitted with time.sntp.primary = {bench.block}.33:12300, time.sntp.secondary = {S2}
    Then the page is accepted
    And A sends SNTP requests to {bench.block}.33
    And A asks S2 for the time and S2 answers it
    And A shows the time of the SNTP server in time zone UTC+00:00
    When A opens "Basic Settings > Time & Date > Auto time" from the menu
    Then A shows "Synced: {bench.block}.32:12300"

  @REQ-TIME-07
  Scenario: The phone asks again every synchronisation period
    Given the bench runs an SNTP server S1 at {bench.block}.31:12300
    And the bench captures the SNTP traffic on port 12300
    When the Date & Time page of A is submitted with time.sntp.primary = {S1}, time.sntp.period = 2
    Then the page is accepted
    And A asks S1 for the time every 2 s

  @REQ-TIME-07
  Scenario Outline: The synchronisation period is 1 to 86400 s
    When the Date & Time page of A is submitted with time.sntp.period = <period>
    Then the page is <verdict>

    Examples:
      | period | verdict                                                               |
      | 1      | accepted                                                              |
      | 0      | refused saying "time.sntp.period: '0' is out of range (allowed: integer 1..86400 s)"     |
      | 86400  | accepted                                                              |
      | 86401  | refused saying "time.sntp.period: '86401' is out of range (allowed: integer 1..86400 s)" |

  @REQ-TIME-05
  Scenario: An SNTP server that is no host[:port] is refused
    When the Date & Time page of A is submitted with time.sntp.primary = {bench.block}.31:65536
    Then the page is refused saying "has a port outside 1..65535"

  @REQ-TIME-03
  Scenario: Manual time typed on the phone
    When A sets the manual time on the phone to 20200407 1000
    Then A shows "Saved"
    When A presses the on-hook key
    Then A shows the time "10:00"
    And the configuration of A has time.manual = 1

  @REQ-TIME-03
  Scenario Outline: A manual time past a limit is refused on the phone with the reason
    When A sets the manual time on the phone to <date> <time>
    Then A shows "<message>"
    And the configuration of A has time.manual = 0

    Examples:
      | date     | time | message          |
      | 20201301 | 1000 | Date: month 1..12 |
      | 20210229 | 1000 | Date: day 1..28   |
      | 20200407 | 2400 | Time: hour 0..23  |
      | 20200407 | 1060 | Time: minute 0..59 |

  @REQ-TIME-03
  Scenario: The last minute of a leap year's February 29 is a manual time
    When A sets the manual time on the phone to 20240229 2359
    And A presses the on-hook key
    Then A shows the time "23:59"

  @REQ-TIME-08
  Scenario: Manual time set on the web page
    When the Date & Time page of A sets the manual time 2020-04-07 10:00
    Then A shows the time "10:00"
    And the configuration of A has time.manual = 1

  @REQ-TIME-08
  Scenario Outline: A manual time the web page cannot take is refused
    When the Date & Time page of A is submitted with time.manual = 1, date = <date>, time = <time>
    Then the page is refused saying "<message>"
    And the configuration of A is unchanged

    Examples:
      | date       | time  | message                     |
      | 2020-13-01 | 10:00 | is not a real date and time |
      | 2020-04-07 | 24:00 | is not a real date and time |
      | 07.04.2020 | 10:00 | is not YYYY-MM-DD           |
      | 1999-12-31 | 23:59 | year 1999 is outside 2000..2099 |

  @REQ-TIME-10 @REQ-TIME-11
  Scenario Outline: DST by date: the offset applies between start and end only
    Given the Date & Time page of A sets the manual time <date> <time>
    When the Date & Time page of A is submitted with time.dst.mode = Manual, time.dst.rule = By Date, time.dst.start.month = 3, time.dst.start.day = 10, time.dst.start.hour = 2, time.dst.end.month = 11, time.dst.end.day = 3, time.dst.end.hour = 2
    Then the page is accepted
    And A shows the time "<shown>"

    Examples: standard time typed; the start is 10 March 02:00 standard, the end 3 November 02:00 daylight
      | date       | time  | shown | where                    |
      | 2026-03-10 | 01:59 | 01:59 | a minute before the start |
      | 2026-03-10 | 02:00 | 03:00 | at the start             |
      | 2026-07-01 | 10:00 | 11:00 | inside                   |
      | 2026-11-03 | 00:59 | 01:59 | the last minute inside   |
      | 2026-11-03 | 01:00 | 01:00 | at the end               |
      | 2026-01-15 | 10:00 | 10:00 | outside                  |

  @REQ-TIME-10 @REQ-TIME-11
  Scenario Outline: DST by week: second Sunday of March to first Sunday of November
    Given the Date & Time page of A sets the manual time <date> <time>
    When the Date & Time page of A is submitted with time.dst.mode = Manual, time.dst.rule = By Week, time.dst.start.month = 3, time.dst.start.week = 2, time.dst.start.weekday = Sun, time.dst.start.hour = 2, time.dst.end.month = 11, time.dst.end.week = 1, time.dst.end.weekday = Sun, time.dst.end.hour = 2
    Then the page is accepted
    And A shows the time "<shown>"

    Examples: 2026: the second Sunday of March is the 8th, the first Sunday of November the 1st
      | date       | time  | shown |
      | 2026-03-08 | 01:59 | 01:59 |
      | 2026-03-08 | 02:00 | 03:00 |
      | 2026-11-01 | 00:59 | 01:59 |
      | 2026-11-01 | 01:00 | 01:00 |

  @REQ-TIME-10
  Scenario Outline: DST edges past their limits are refused with the reason
    When the Date & Time page of A is submitted with time.dst.mode = Manual, time.dst.rule = By Date, <field> = <value>
    Then the page is refused saying "<message>"

    Examples:
      | field                | value | message                                                        |
      | time.dst.start.day   | 32    | time.dst.start.day: '32' is out of range (allowed: integer 1..31) |
      | time.dst.end.month   | 13    | time.dst.end.month: '13' is out of range (allowed: integer 1..12) |
      | time.dst.start.hour  | 24    | time.dst.start.hour: '24' is out of range (allowed: integer 0..23) |
      | time.dst.end.week    | 6     | time.dst.end.week: '6' is out of range (allowed: integer 1..5)    |
      | time.dst.offset      | 181   | time.dst.offset: '181' is out of range (allowed: integer 1..180 min) |

  @REQ-TIME-10
  Scenario: A DST date that is no day of its month is refused
    When the Date & Time page of A is submitted with time.dst.mode = Manual, time.dst.rule = By Date, time.dst.start.month = 4, time.dst.start.day = 31
    Then the page is refused saying "time.dst.start.day: 31 is not a day of month 4 (allowed: 1..30)"

  @REQ-TIME-09
  Scenario Outline: Automatic DST follows the chosen location
    Given the Date & Time page of A sets the manual time <utc_date> <utc_time>
    When the Date & Time page of A is submitted with time.dst.mode = Automatic, time.dst.location = <location>
    Then the page is accepted
    And A shows the time "<shown>"

    Examples: the manual time is typed in UTC (time zone 0, DST off)
      | location              | utc_date   | utc_time | shown | season          |
      | United States-Eastern | 2026-07-01 | 16:00    | 12:00 | summer, UTC-4   |
      | United States-Eastern | 2026-01-15 | 17:00    | 12:00 | winter, UTC-5   |
      | Australia-Sydney      | 2026-01-15 | 01:00    | 12:00 | summer, UTC+11  |
      | Australia-Sydney      | 2026-07-01 | 02:00    | 12:00 | winter, UTC+10  |

  @REQ-TIME-12
  Scenario Outline: 12- or 24-hour time
    Given the Date & Time page of A sets the manual time 2020-08-12 <time>
    When the Date & Time page of A is submitted with phone.time_format = <format>
    Then A shows the time "<shown>"

    Examples:
      | time  | format | shown    |
      | 14:05 | 24     | 14:05    |
      | 14:05 | 12     | 2:05 PM  |
      | 00:30 | 12     | 12:30 AM |
      | 12:00 | 12     | 12:00 PM |

  @REQ-TIME-13 @REQ-TIME-19
  Scenario: Seven date formats, each told apart by its example
    Then the date format drop-down of A offers 7 distinct formats

  @REQ-TIME-13 @REQ-TIME-21
  Scenario Outline: Date formats in English (12 August 2020)
    Given the Date & Time page of A sets the manual time 2020-08-12 10:00
    When the Date & Time page of A is submitted with time.date_format = <index>
    Then A shows the date "<shown>"

    Examples:
      | index | shown       |
      | 0     | Wed,Aug 12  |
      | 1     | 12-Aug-20   |
      | 2     | 2020-Aug-12 |
      | 3     | 12/Aug/2020 |
      | 4     | 12/Aug/20   |
      | 5     | 12 Aug.2020 |
      | 6     | Wed 12,Aug  |

  @REQ-TIME-13 @REQ-TIME-14 @REQ-TIME-15 @REQ-TIME-16 @REQ-TIME-17 @REQ-TIME-18 @REQ-TIME-19 @REQ-TIME-20
  Scenario Outline: Date formats in Chinese (7 April 2020)
    Given the LCD of A is switched to Chinese on the phone
    And the Date & Time page of A sets the manual time 2020-04-07 10:00
    When the Date & Time page of A is submitted with time.date_format = <index>
    Then A shows the date "<shown>"

    Examples:
      | index | shown        |
      | 0     | 4月7日 星期二 |
      | 1     | 20-04-07     |
      | 2     | 2020-04-07   |
      | 3     | 2020/04/07   |
      | 4     | 20/04/07     |
      | 5     | 2020年4月7日  |
      | 6     | 4月7日 周二   |

  @REQ-TIME-13
  Scenario Outline: The date format index is 0 to 6
    When the Date & Time page of A is submitted with time.date_format = <index>
    Then the page is <verdict>

    Examples:
      | index | verdict                                                                        |
      | 6     | accepted                                                                       |
      | 7     | refused saying "time.date_format: '7' is out of range (allowed: integer 0..6)"  |
      | -1    | refused saying "time.date_format: '-1' is out of range (allowed: integer 0..6)" |

  @REQ-TIME-01
  Scenario Outline: The time zone moves the clock
    Given the Date & Time page of A sets the manual time 2020-08-12 10:00
    When the Date & Time page of A is submitted with time.zone = <minutes>
    Then A shows the time "<shown>"

    Examples: the manual time was typed at UTC (time zone 0)
      | minutes | shown |
      | 480     | 18:00 |
      | -300    | 05:00 |
      | 330     | 15:30 |

  @REQ-TIME-01
  Scenario Outline: The time zone is -720 to +840 minutes from UTC
    When the Date & Time page of A is submitted with time.zone = <minutes>
    Then the page is <verdict>

    Examples:
      | minutes | verdict                                                                           |
      | -720    | accepted                                                                          |
      | -721    | refused saying "time.zone: '-721' is out of range (allowed: integer -720..840 min)" |
      | 840     | accepted                                                                          |
      | 841     | refused saying "time.zone: '841' is out of range (allowed: integer -720..840 min)"  |

  @REQ-TIME-11
  Scenario Outline: The DST offset is 1 to 180 minutes
    Given the Date & Time page of A sets the manual time 2026-07-01 10:00
    When the Date & Time page of A is submitted with time.dst.mode = Manual, time.dst.rule = By Date, time.dst.offset = <offset>
    Then the page is <verdict>

    Examples:
      | offset | verdict                                                                             |
      | 1      | accepted                                                                            |
      | 0      | refused saying "time.dst.offset: '0' is out of range (allowed: integer 1..180 min)" |
      | 180    | accepted                                                                            |

  @REQ-TIME-11
  Scenario Outline: The DST offset is what the clock moves by
    Given the Date & Time page of A sets the manual time 2026-07-01 10:00
    When the Date & Time page of A is submitted with time.dst.mode = Manual, time.dst.rule = By Date, time.dst.offset = <offset>
    Then A shows the time "<shown>"

    Examples:
      | offset | shown |
      | 30     | 10:30 |
      | 180    | 13:00 |
