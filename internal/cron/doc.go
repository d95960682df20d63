// Package cron parses and evaluates the Quartz-style cron rules used for
// publish-job schedules (SPEC JOB-2), the syntax of the Scene7 / Dynamic
// Media Classic "Rule" box.
//
// # Syntax
//
// A rule has 6 or 7 fields separated by spaces:
//
//	seconds minutes hours day-of-month month day-of-week [year]
//
//	Field         Values                          Special characters
//	seconds       0-59                            , - * /
//	minutes       0-59                            , - * /
//	hours         0-23                            , - * /
//	day-of-month  1-31                            , - * / ? L W
//	month         1-12 or JAN-DEC                 , - * /
//	day-of-week   1-7 or SUN-SAT (1 = Sunday)     , - * / ? L #
//	year          1970-2099 (optional)            , - * /
//
// Names are case-insensitive and may be used in ranges (MON-FRI, JAN-MAR).
//
//   - "*" is every value; "?" (day-of-month and day-of-week only) is "no
//     specific value". Exactly one of day-of-month and day-of-week must be
//     "?"; the other may be anything, including "*".
//   - "a-b" is a range, "a,b,c" a list; lists may mix values and ranges.
//   - "a/n" is every nth value starting at a up to the field maximum; "*/n"
//     (also "/n") starts at the field minimum; "a-b/n" stays within a-b.
//   - Day-of-month "L" is the last day of the month, "L-3" three days before
//     it (offset 0-30), "LW" the last weekday (Monday-Friday) of the month and
//     "L-3W" the weekday nearest to L-3. An offset reaching before the 1st
//     ("L-30" in February) does not fire that month.
//   - Day-of-month "15W" is the weekday nearest to the 15th: Friday 14th if
//     the 15th is a Saturday, Monday 16th if it is a Sunday. The nearest
//     weekday never lies in another month: "1W" on Saturday the 1st is Monday
//     the 3rd, and a Sunday last day of the month moves back to Friday. A day
//     the month does not have ("31W" in April) does not fire that month.
//   - Day-of-week "L" alone is 7 (Saturday); "6L" is the last Friday of the
//     month.
//   - Day-of-week "6#3" is the third Friday of the month (n = 1-5); months
//     without a 5th such weekday do not fire for "#5".
//   - "L", "W" and "#" must be the whole field: they cannot be combined with
//     lists, ranges or increments. Quartz's "C" is not supported.
//
// A day-of-month such as 31 fires only in months that have it. Rules
// without a year field are evaluated up to the end of 2099.
//
// # Reversed ranges
//
// As in Quartz 2, a reversed range wraps around the end of the field in
// every field except year: hours "22-2" is 22,23,0,1,2; day-of-week
// "FRI-MON" is Friday, Saturday, Sunday, Monday; month "NOV-FEB" is
// November to February; day-of-month "28-3" is days 28-31 and 1-3 of each
// month (it does not carry into the next month). Increments apply along the
// wrapped range ("22-2/2" is 22,0,2). A reversed year range ("2028-2026") is
// an error.
//
// Beyond Quartz, increments are also accepted after names ("MON-FRI/2").
//
// # Time zones and daylight saving
//
// Rules are wall-clock rules: [Rule.Next] evaluates them in a given
// *time.Location (the company's time zone). When daylight-saving time
// changes the clocks:
//
//   - A wall-clock time that does not exist (the spring-forward gap) fires at
//     the next valid instant, the moment the clocks jump. In
//     America/New_York on 2026-03-08, 02:30 fires at 03:00 EDT; an hourly
//     "0 30 * * * ?" fires at 01:30 EST, 03:00 EDT, 03:30 EDT. Several
//     skipped times (02:00, 02:15, ...) fire only once, at 03:00.
//   - A wall-clock time that occurs twice (the fall-back repeat) fires once,
//     at its first occurrence. In America/New_York on 2026-11-01 a daily
//     01:30 fires at 01:30 EDT only; the hourly "0 30 * * * ?" fires at
//     00:30 EDT, 01:30 EDT and then 02:30 EST, with no run at 01:30 EST.
//
// Fire times are therefore strictly increasing and never duplicated.
package cron
