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
