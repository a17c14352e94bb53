//! Exercise time: relative offsets such as `D+2 H+6`, and their turns.

use super::Clock;

/// A relative time from the start of the exercise (or from another inject).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Offset {
    /// Whole days.
    pub days: u32,
    /// Hours beyond the days.
    pub hours: u32,
}

impl Offset {
    /// Total hours.
    pub fn total_hours(self) -> u64 {
        u64::from(self.days) * 24 + u64::from(self.hours)
    }

    /// Turns this offset spans at the clock's turn length (whole turns, rounding down).
    pub fn turns(self, clock: &Clock) -> u64 {
        self.total_hours() / u64::from(clock.turn_hours.max(1))
    }
}

/// How a duration written as a number of turns (the format before story time) is refused.
pub const TURN_COUNT_REFUSED: &str = "durations are written in story time now";

/// A duration in the story's time (`"D+30"`, `"H+6"`), as every duration in the data files is
/// written: a lead time means the same days whatever a scenario's turn length. Read from a
/// string; a bare number (the old format, which counted turns) is refused with a message, never
/// reinterpreted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct StoryTime {
    /// Whole hours.
    pub hours: u32,
}

impl StoryTime {
    /// A duration of whole days.
    pub const fn days(days: u32) -> Self {
        Self { hours: days * 24 }
    }

    /// Turns it spans at a turn length, to the nearest turn (half a turn rounds up): a scenario
    /// with 24-hour turns and one with 7-day turns then tell the same story within one turn.
    pub fn turns(self, turn_hours: u32) -> u32 {
        let turn_hours = turn_hours.max(1);
        self.hours.saturating_add(turn_hours / 2) / turn_hours
    }
}

impl std::fmt::Display for StoryTime {
    /// `D+30`, `H+6`, `D+1 H+12`, as facilitators write it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.hours / 24, self.hours % 24) {
            (0, h) => write!(f, "H+{h}"),
            (d, 0) => write!(f, "D+{d}"),
            (d, h) => write!(f, "D+{d} H+{h}"),
        }
    }
}

impl serde::Serialize for StoryTime {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for StoryTime {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = StoryTime;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a duration in story time, such as \"D+30\" or \"H+6\"")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<StoryTime, E> {
                let offset = parse_offset(text).map_err(E::custom)?;
                u32::try_from(offset.total_hours())
                    .map(|hours| StoryTime { hours })
                    .map_err(|_| E::custom(format!("\"{text}\" is too long a duration")))
            }
            fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<StoryTime, E> {
                Err(E::custom(format!(
                    "{TURN_COUNT_REFUSED}, such as \"D+{n}\" or \"H+6\", \
                     not in turns: {n} would mean something else at every turn length"
                )))
            }
            fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<StoryTime, E> {
                self.visit_u64(n.unsigned_abs())
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date (or the date part of `YYYY-MM-DDTHH:MM`), if it
/// reads as a real calendar date.
pub fn date_days(text: &str) -> Option<i64> {
    let num = |r: std::ops::Range<usize>| text.get(r).and_then(|t| t.parse::<i64>().ok());
    if text.len() < 10 || text.as_bytes()[4] != b'-' || text.as_bytes()[7] != b'-' {
        return None;
    }
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if !(1..=12).contains(&m) || d < 1 {
        return None;
    }
    let days = days_from_civil(y, m as u32, d as u32);
    // 31 February reads as 3 March: refuse dates that do not come back the same.
    (civil_from_days(days) == (y, m as u32, d as u32)).then_some(days)
}

/// The first `MM-DD` strictly after a day (days since 1970-01-01): the next 18 May after a
/// listing takes effect. `None` when `month_day` does not read.
pub fn next_anniversary(day: i64, month_day: &str) -> Option<i64> {
    let (y, _, _) = civil_from_days(day);
    (y..=y + 1)
        .filter_map(|year| date_days(&format!("{year:04}-{month_day}")))
        .find(|d| *d > day)
}

/// `17 May 2019`: a date as diplomats write it, from days since 1970-01-01.
pub fn long_date(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    format!("{d} {} {y}", NAMES[(m - 1) as usize])
}

/// Parses `D+2 H+6`, `D+2`, `H+30`, `D+1H+2`; spaces are optional, `D+0` is the start.
pub fn parse_offset(text: &str) -> Result<Offset, String> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.is_empty() {
        return Err("an empty time; write it as \"D+2 H+6\"".to_owned());
    }
    let mut days = None;
    let mut hours = None;
    let mut rest = compact.as_str();
    while let Some(unit) = rest.chars().next() {
        let after = &rest[unit.len_utf8()..];
        let slot = match unit {
            'D' | 'd' => &mut days,
            'H' | 'h' => &mut hours,
            _ => return Err(format!("\"{text}\" is not a relative time; write it as \"D+2 H+6\"")),
        };
        let Some(after) = after.strip_prefix('+') else {
            return Err(format!("\"{text}\": expected '+' after {unit}"));
        };
        let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
        if digits.is_empty() {
            return Err(format!("\"{text}\": expected a number after {unit}+"));
        }
        if slot.is_some() {
            return Err(format!("\"{text}\": {unit} is given twice"));
        }
        *slot = Some(
            digits
                .parse::<u32>()
                .map_err(|_| format!("\"{text}\": {digits} is too large"))?,
        );
        rest = &after[digits.len()..];
    }
    Ok(Offset {
        days: days.unwrap_or(0),
        hours: hours.unwrap_or(0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_read_as_facilitators_write_them() {
        assert_eq!(parse_offset("D+2 H+6"), Ok(Offset { days: 2, hours: 6 }));
        assert_eq!(parse_offset("H+30"), Ok(Offset { days: 0, hours: 30 }));
        assert_eq!(parse_offset("d+1h+2"), Ok(Offset { days: 1, hours: 2 }));
        assert!(parse_offset("tomorrow").is_err());
        assert!(parse_offset("D+").is_err());
        assert!(parse_offset("D+1 D+2").is_err());
        assert!(parse_offset("D+99999999999").is_err());
        assert!(
            parse_offset("D+1 – H+6").is_err(),
            "a dash pasted from a word processor"
        );
        assert!(parse_offset("Д+1").is_err());
    }

    #[test]
    fn offsets_become_turns_at_the_clock_rate() {
        let daily = Clock {
            turn_hours: 24,
            ..Clock::default()
        };
        assert_eq!(parse_offset("D+2 H+6").unwrap().turns(&daily), 2);
        let six_hourly = Clock {
            turn_hours: 6,
            ..Clock::default()
        };
        assert_eq!(parse_offset("D+1 H+6").unwrap().turns(&six_hourly), 5);
    }
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm, proleptic Gregorian).
pub(crate) fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day count since 1970-01-01: (year, month, day).
pub(crate) fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { yoe + era * 400 + 1 } else { yoe + era * 400 }, m, d)
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];

/// Formats minutes since 1970-01-01 00:00 as `Tue 27 Jun 2017 09:00`.
fn format_minutes(minutes: i64) -> String {
    let days = minutes.div_euclid(1440);
    let of_day = minutes.rem_euclid(1440);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{} {d} {} {y} {:02}:{:02}",
        WEEKDAYS[days.rem_euclid(7) as usize],
        MONTHS[(m - 1) as usize],
        of_day / 60,
        of_day % 60
    )
}

/// Minutes since 1970-01-01 00:00 of a `YYYY-MM-DDTHH:MM` start, if it reads.
fn start_minutes(start: &str) -> Option<i64> {
    let num = |r: std::ops::Range<usize>| start.get(r).and_then(|t| t.parse::<i64>().ok());
    if start.len() != 16 {
        return None;
    }
    let (y, mo, d, h, mi) = (num(0..4)?, num(5..7)?, num(8..10)?, num(11..13)?, num(14..16)?);
    Some(days_from_civil(y, mo as u32, d as u32) * 1440 + h * 60 + mi)
}

/// The exercise clock at the start of a turn (1-based) of a scenario without gaps, relative
/// (`D+2 H+6`) and as a real date (`Thu 29 Jun 2017 15:00`); [`Calendar::time`] with gaps.
pub fn turn_time(clock: &Clock, turn: u32) -> (String, String) {
    Calendar::new(clock).time(turn)
}

/// The story's calendar of a scenario: when each turn starts, in story hours from D+0 H+0, with
/// the gaps that phases jump over (`gap` on a phase: a 2015 intrusion and a 2020 listing in one
/// exercise without hundreds of turns). Lead times, offsets and dates all read it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Calendar {
    /// Story hours in one turn.
    pub turn_hours: u32,
    /// D+0 H+0, in minutes since 1970-01-01 (`None` when the start does not read).
    start: Option<i64>,
    /// (first turn after the gap, story hours skipped before it), in turn order.
    gaps: Vec<(u32, u64)>,
}

impl Calendar {
    /// The calendar of a clock with no gaps.
    pub fn new(clock: &Clock) -> Self {
        Self {
            turn_hours: clock.turn_hours.max(1),
            start: start_minutes(&clock.start),
            gaps: Vec::new(),
        }
    }

    /// The calendar of a scenario: its clock and its phases' gaps.
    pub fn of(scenario: &super::Scenario) -> Self {
        let mut gaps: Vec<(u32, u64)> = scenario
            .phases
            .iter()
            .filter_map(|p| p.gap.map(|g| (p.from, u64::from(g.hours))))
            // A gap opens before a phase's first turn, so never before turn 2 (the checker
            // refuses a phase from turn 0, or a gap on the first phase, with its place).
            .filter(|(from, hours)| *from >= 2 && *hours > 0)
            .collect();
        gaps.sort_unstable();
        Self {
            turn_hours: scenario.clock.turn_hours.max(1),
            start: start_minutes(&scenario.clock.start),
            gaps,
        }
    }

    /// Story hours from D+0 H+0 at the start of a turn (1-based).
    pub fn hours_at(&self, turn: u32) -> u64 {
        let skipped: u64 = self.gaps.iter().filter(|(from, _)| *from <= turn).map(|(_, h)| h).sum();
        u64::from(turn.saturating_sub(1)) * u64::from(self.turn_hours) + skipped
    }

    /// The turn during which a story hour falls (1-based); an hour inside a gap falls in the
    /// first turn after it.
    pub fn turn_at(&self, hours: u64) -> u64 {
        if self.gaps.is_empty() {
            return 1 + hours / u64::from(self.turn_hours);
        }
        let mut turn: u64 = 1;
        for &(from, skipped) in &self.gaps {
            let gap_starts = self.hours_at(from).saturating_sub(skipped);
            if hours < gap_starts {
                break;
            }
            if hours < gap_starts + skipped {
                return u64::from(from);
            }
            turn = u64::from(from);
        }
        turn + hours.saturating_sub(self.hours_at(u32::try_from(turn).unwrap_or(u32::MAX))) / u64::from(self.turn_hours)
    }

    /// The turn at which something decided at `turn` with a lead time `lead` takes effect: the
    /// first turn whose start is past the lead time, less half a turn (so a lead time rounds to
    /// the nearest turn, half a turn up). Across a gap, it is the first turn after the gap.
    pub fn due(&self, turn: u32, lead: StoryTime) -> u32 {
        if self.gaps.is_empty() {
            return turn.saturating_add(lead.turns(self.turn_hours));
        }
        let from = self.hours_at(turn);
        let half = u64::from(self.turn_hours / 2);
        let mut due = turn;
        while self.hours_at(due) - from + half <= u64::from(lead.hours) && lead.hours > 0 {
            due = due.saturating_add(1);
            if due == u32::MAX {
                break;
            }
        }
        due
    }

    /// Story days in one turn: every rate of the model is written per day and scaled by it, so
    /// that 24-hour and 7-day turns tell the same story at different resolutions.
    pub fn days_per_turn(&self) -> f64 {
        f64::from(self.turn_hours.max(1)) / 24.0
    }

    /// A share closed each day (of a gap, of a distance) as the share closed in one turn:
    /// `1 - (1 - k)^d`.
    pub fn share_per_turn(&self, per_day: f64) -> f64 {
        if self.days_per_turn() == 1.0 {
            return per_day;
        }
        1.0 - self.retained_per_turn(1.0 - per_day)
    }

    /// A share kept each day (of awareness, of a channel's strength) as the share kept in one
    /// turn: `r^d`.
    pub fn retained_per_turn(&self, per_day: f64) -> f64 {
        let d = self.days_per_turn();
        if d == 1.0 {
            per_day
        } else {
            libm::pow(per_day.max(0.0), d)
        }
    }

    /// The mean over a turn of a quantity kept at `per_day` each day, from 1 at the turn's start:
    /// `(1 - r^d) / (d (1 - r))`, 1 for a turn of a day or less.
    pub fn mean_retained(&self, per_day: f64) -> f64 {
        let d = self.days_per_turn();
        if d <= 1.0 || per_day >= 1.0 {
            return 1.0;
        }
        let steps = libm::round(d).max(1.0);
        (1.0 - libm::pow(per_day, steps)) / (steps * (1.0 - per_day))
    }

    /// The first turn after an incident's technical phase of `days` that began at `turn`: at
    /// least the next turn, however long turns are.
    pub fn after(&self, turn: u32, days: u32) -> u32 {
        self.due(turn, StoryTime::days(days)).max(turn + 1)
    }

    /// The turn during which a story date (days since 1970-01-01) falls, at noon (a working
    /// day, whatever hour turns start at); `None` without a start date, or for a date before
    /// the start.
    pub fn turn_on(&self, day: i64) -> Option<u32> {
        let start = self.start?;
        let hours = u64::try_from((day * 1440 + 12 * 60 - start).div_euclid(60)).ok()?;
        u32::try_from(self.turn_at(hours)).ok()
    }

    /// Whether a story date (days since 1970-01-01) falls in a gap the story jumps over: the turn
    /// it would fall in starts after it.
    pub fn jumps_over(&self, day: i64) -> bool {
        self.turn_on(day)
            .and_then(|t| self.day_of(t))
            .is_some_and(|start| start > day)
    }

    /// The story's date at the middle of a turn, in days since 1970-01-01: the day that stands
    /// for the turn (whose Presidency chairs it).
    pub fn midday_of(&self, turn: u32) -> Option<i64> {
        let hours = i64::try_from(self.hours_at(turn) + u64::from(self.turn_hours / 2)).ok()?;
        self.start.map(|m| (m + hours * 60).div_euclid(1440))
    }

    /// The story's date at the start of a turn, in days since 1970-01-01.
    pub fn day_of(&self, turn: u32) -> Option<i64> {
        let hours = i64::try_from(self.hours_at(turn)).ok()?;
        self.start.map(|m| (m + hours * 60).div_euclid(1440))
    }

    /// The clock at the start of a turn, relative (`D+2 H+6`) and as a real date (`Thu 29 Jun
    /// 2017 15:00`), which is what players are told on the board.
    pub fn time(&self, turn: u32) -> (String, String) {
        self.time_at(self.hours_at(turn))
    }

    /// A story hour (from D+0 H+0), relative and as a real date: an inject due at `D+2 H+6`
    /// within its turn is dated then, not at the turn's start.
    pub fn time_at(&self, hours: u64) -> (String, String) {
        let relative = format!("D+{} H+{}", hours / 24, hours % 24);
        let date = self
            .start
            .and_then(|m| Some(format_minutes(m + i64::try_from(hours).ok()? * 60)))
            .unwrap_or_default();
        (relative, date)
    }
}

/// The wall-clock time now, as [`utc_stamp`] writes it: for what people did and when files were
/// made, never for the simulation (which runs on the story's clock).
pub fn utc_now() -> String {
    utc_stamp(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
    )
}

/// A wall-clock instant (seconds since the Unix epoch) as `2026-11-23 05:13 UTC`: for the
/// facilitator's journal, which records when something was said, not exercise time.
pub fn utc_stamp(unix_seconds: u64) -> String {
    let days = (unix_seconds / 86_400) as i64;
    let of_day = unix_seconds % 86_400;
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} UTC",
        of_day / 3600,
        of_day % 3600 / 60
    )
}

#[cfg(test)]
mod calendar_tests {
    use super::*;

    #[test]
    fn a_phase_gap_jumps_the_clock_and_lead_times_cross_it() {
        let scenario = crate::scenario::parse_scenario(
            "gap",
            r#"Scenario(id: "gap", title: "Bundestag", turns: 8,
                clock: (turn_hours: 24, start: "2015-05-04T09:00"), adversaries: ["borealia"],
                phases: [
                    Phase(name: "The intrusion", module: Technical, from: 1, to: 4),
                    Phase(name: "The warrant and the request", module: Strategic, from: 5, to: 8, gap: Some("D+1824")),
                ],
                injects: [Inject(id: "a", at: Turn(1), title: "A")])"#,
            &crate::actors::ActorsData::embedded(),
        )
        .unwrap();
        let calendar = Calendar::of(&scenario);
        assert_eq!(calendar.time(4).1, "Thu 7 May 2015 09:00");
        assert_eq!(
            calendar.time(5).1,
            "Tue 5 May 2020 09:00",
            "the arrest warrant for Badin, five years on"
        );
        assert_eq!(calendar.time(6).0, "D+1829 H+0");
        assert_eq!(calendar.turn_at(24 * 3), 4);
        assert_eq!(calendar.turn_at(24 * 100), 5, "inside the gap: the first turn after it");
        assert_eq!(calendar.turn_at(24 * 1829), 6);
        // A listing begun in 2015 takes effect when the story resumes; one begun after, 145 days on.
        assert_eq!(calendar.due(2, StoryTime::days(145)), 5);
        assert_eq!(calendar.due(5, StoryTime::days(2)), 7);
        assert_eq!(calendar.due(5, StoryTime { hours: 6 }), 5);
        assert_eq!(calendar.day_of(5), date_days("2020-05-05"));
    }

    #[test]
    fn story_time_reads_as_facilitators_write_it_and_refuses_turn_counts() {
        let read = |text: &str| crate::scenario::ron_options().from_str::<StoryTime>(text);
        assert_eq!(read("\"D+30\"").unwrap(), StoryTime::days(30));
        assert_eq!(read("\"H+6\"").unwrap().hours, 6);
        assert_eq!(read("\"D+1 H+12\"").unwrap().to_string(), "D+1 H+12");
        let old = read("3").unwrap_err().to_string();
        assert!(old.contains("story time") && old.contains("D+3"), "{old}");
        assert!(read("\"soon\"").is_err());
    }

    #[test]
    fn a_duration_spans_the_same_days_at_any_turn_length() {
        let listing = StoryTime::days(145);
        assert_eq!(listing.turns(24), 145);
        assert_eq!(listing.turns(168), 21, "21 weeks = 147 days, within one turn of 145");
        assert_eq!(StoryTime { hours: 6 }.turns(24), 0, "within the day");
        assert_eq!(StoryTime { hours: 12 }.turns(24), 1, "half a turn rounds up");
    }

    #[test]
    fn dates_read_only_when_they_exist() {
        assert_eq!(date_days("2019-05-17").map(long_date).as_deref(), Some("17 May 2019"));
        assert_eq!(date_days("2017-06-27T09:00"), date_days("2017-06-27"));
        assert_eq!(date_days("2019-02-31"), None);
        assert_eq!(date_days("17/05/2019"), None);
    }

    #[test]
    fn the_board_clock_counts_turns_from_the_start_date() {
        let clock = Clock {
            turn_hours: 30,
            start: "2017-06-27T09:00".into(),
        };
        assert_eq!(turn_time(&clock, 1), ("D+0 H+0".into(), "Tue 27 Jun 2017 09:00".into()));
        assert_eq!(turn_time(&clock, 2), ("D+1 H+6".into(), "Wed 28 Jun 2017 15:00".into()));
        // Across a leap day and a year end.
        let clock = Clock {
            turn_hours: 24,
            start: "2024-02-28T23:30".into(),
        };
        assert_eq!(turn_time(&clock, 2).1, "Thu 29 Feb 2024 23:30");
        assert_eq!(turn_time(&clock, 3).1, "Fri 1 Mar 2024 23:30");
        assert_eq!(utc_stamp(1_795_410_000 + 13 * 60), "2026-11-23 05:13 UTC");
    }
}
