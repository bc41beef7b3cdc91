//! Points in time for the incident assessment: the `Date` header of a sent message
//! (RFC 5322 §3.3, obsolete forms of §4.3 included) and the moment the company noticed
//! the mistake (ISO 8601, as a user types it), both as seconds since 1970 in UTC.
//!
//! The core has no clock: "now" is whatever the front end passes in.

/// Days from 1970-01-01 to the civil date `year-month-day` (proleptic Gregorian).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The civil date of a day count since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Seconds since 1970 for a validated civil time and its offset from UTC in minutes.
fn timestamp(fields: [i64; 6], offset_minutes: i64) -> Option<i64> {
    let [year, month, day, hour, minute, second] = fields;
    let valid = (1..=9999).contains(&year)
        && (1..=12).contains(&month)
        && (1..=days_in_month(year, month)).contains(&day)
        && (0..=23).contains(&hour)
        && (0..=59).contains(&minute)
        // 60: a leap second, as RFC 5322 allows.
        && (0..=60).contains(&second);
    valid.then(|| {
        days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second
            - offset_minutes * 60
    })
}

/// `2026-12-01T09:00:00Z`: the form every output of the assessment uses.
pub(crate) fn format_utc(seconds: i64) -> String {
    let (year, month, day) = civil_from_days(seconds.div_euclid(86_400));
    let rest = seconds.rem_euclid(86_400);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// Reads a `Date` header value: `Tue, 1 Dec 2026 08:15:00 +0100`, with or without the
/// day of the week and the seconds, two- or three-digit years (RFC 5322 §4.3) and the
/// obsolete zone names (`GMT`, `UT`, `EST`, …). A zone that is missing or unknown
/// (military letters) counts as UTC, as §4.3 says. `None` when it is not a date.
pub(crate) fn parse_rfc5322(value: &str) -> Option<i64> {
    // Comments such as `(CET)` carry nothing we need.
    let mut text = String::with_capacity(value.len());
    let mut depth = 0usize;
    for c in value.chars() {
        match c {
            '(' => depth += 1,
            ')' if depth > 0 => depth -= 1,
            _ if depth == 0 => text.push(c),
            _ => {}
        }
    }
    let text = match text.split_once(',') {
        Some((_, rest)) => rest.to_string(),
        None => text,
    };
    let mut words = text.split_whitespace();
    let day: i64 = words.next()?.parse().ok()?;
    let month_word = words.next()?.to_ascii_lowercase();
    let month = MONTHS
        .iter()
        .position(|name| month_word.starts_with(name))? as i64
        + 1;
    let year_word = words.next()?;
    let mut year: i64 = year_word.parse().ok()?;
    if year_word.len() <= 3 {
        // RFC 5322 §4.3: 00–49 are 2000–2049, 50–999 are 1900 + year.
        year += if year < 50 { 2000 } else { 1900 };
    }
    let time = words.next()?;
    let mut parts = time.split(':');
    let hour: i64 = parts.next()?.parse().ok()?;
    let minute: i64 = parts.next()?.parse().ok()?;
    let second: i64 = match parts.next() {
        Some(second) => second.parse().ok()?,
        None => 0,
    };
    if parts.next().is_some() {
        return None;
    }
    let offset = match words.next() {
        None => 0,
        Some(zone) => zone_offset(zone)?,
    };
    timestamp([year, month, day, hour, minute, second], offset)
}

/// A zone as minutes east of UTC: `+0100`, `-0830`, or an obsolete name.
fn zone_offset(zone: &str) -> Option<i64> {
    if let Some(digits) = zone.strip_prefix(['+', '-'])
        && digits.len() == 4
        && digits.bytes().all(|b| b.is_ascii_digit())
    {
        let hours: i64 = digits[..2].parse().ok()?;
        let minutes: i64 = digits[2..].parse().ok()?;
        if minutes > 59 {
            return None;
        }
        let sign = if zone.starts_with('-') { -1 } else { 1 };
        return Some(sign * (hours * 60 + minutes));
    }
    let named = match zone.to_ascii_uppercase().as_str() {
        "UT" | "GMT" | "Z" => 0,
        "EDT" => -4 * 60,
        "EST" | "CDT" => -5 * 60,
        "CST" | "MDT" => -6 * 60,
        "MST" | "PDT" => -7 * 60,
        "PST" => -8 * 60,
        // Military zones were used with the wrong sign; §4.3 says read them as UTC.
        other if other.len() == 1 && other.bytes().all(|b| b.is_ascii_alphabetic()) => 0,
        _ => return None,
    };
    Some(named)
}

/// Reads the moment a user says the company noticed the mistake:
/// `2026-12-01T09:00`, `2026-12-01 09:00:30`, with an optional `Z` or `+01:00`; without
/// a zone it is UTC. The error says what was expected and at which character.
///
/// ```
/// # use sendguard_core::parse_noticed;
/// assert_eq!(parse_noticed("1970-01-01T01:00+01:00"), Ok(0));
/// assert!(parse_noticed("2026-13-01T09:00").unwrap_err().contains("character 6"));
/// ```
pub fn parse_noticed(text: &str) -> Result<i64, String> {
    let expected = "expected YYYY-MM-DDTHH:MM[:SS] with an optional Z or ±HH:MM";
    let bytes = text.trim().as_bytes();
    let mut position = 0usize;
    let fail = |position: usize, what: &str| {
        Err(format!(
            "`{}` is not a time: {what} at character {} ({expected})",
            text.trim(),
            position + 1
        ))
    };
    let number = |position: &mut usize, digits: usize| -> Option<i64> {
        let piece = bytes.get(*position..*position + digits)?;
        if !piece.iter().all(u8::is_ascii_digit) {
            return None;
        }
        *position += digits;
        std::str::from_utf8(piece).ok()?.parse().ok()
    };
    let mut fields = [0i64; 6];
    let layout: [(usize, &[u8]); 6] = [
        (4, b"-"),
        (2, b"-"),
        (2, b"Tt "),
        (2, b":"),
        (2, b""),
        (2, b""),
    ];
    for (index, (digits, separators)) in layout.iter().enumerate() {
        if index == 5 {
            if bytes.get(position) != Some(&b':') {
                break;
            }
            position += 1;
        }
        let Some(value) = number(&mut position, *digits) else {
            return fail(position, &format!("{digits} digits expected"));
        };
        fields[index] = value;
        if !separators.is_empty() {
            match bytes.get(position) {
                Some(b) if separators.contains(b) => position += 1,
                _ => return fail(position, "a separator is missing"),
            }
        }
    }
    let field_start = [0usize, 5, 8, 11, 14, 17];
    let limits = [
        (1, 9999),
        (1, 12),
        (1, days_in_month(fields[0], fields[1].clamp(1, 12))),
        (0, 23),
        (0, 59),
        (0, 59),
    ];
    for (index, (low, high)) in limits.iter().enumerate() {
        if !(*low..=*high).contains(&fields[index]) {
            return fail(field_start[index], "a value out of range");
        }
    }
    let offset = match bytes.get(position) {
        None => 0,
        Some(b'Z' | b'z') if position + 1 == bytes.len() => 0,
        Some(&sign @ (b'+' | b'-')) => {
            let start = position;
            position += 1;
            let hours = number(&mut position, 2);
            if bytes.get(position) == Some(&b':') {
                position += 1;
            }
            let minutes = number(&mut position, 2);
            match (hours, minutes) {
                (Some(hours), Some(minutes))
                    if position == bytes.len() && hours <= 23 && minutes <= 59 =>
                {
                    let minutes = hours * 60 + minutes;
                    if sign == b'-' { -minutes } else { minutes }
                }
                _ => return fail(start, "an offset like +01:00 expected"),
            }
        }
        Some(_) => return fail(position, "unexpected text"),
    };
    timestamp(fields, offset).map_or_else(|| fail(0, "not a time"), Ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates_round_trip_over_four_centuries() {
        for days in (-200_000..200_000).step_by(97) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(format_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_utc(951_782_400), "2000-02-29T00:00:00Z");
    }

    #[test]
    fn rfc5322_dates() {
        let expected = parse_noticed("2026-12-01T07:15:00Z").unwrap();
        for header in [
            "Tue, 1 Dec 2026 08:15:00 +0100",
            "1 Dec 2026 08:15 +0100",
            "Tue, 01 Dec 2026 07:15:00 GMT",
            "Tue, 1 Dec 26 07:15:00 +0000 (UTC)",
            "Tue,  1 Dec 2026 02:15:00 EST",
            " Tue, 1 December 2026 07:15:00 Z",
        ] {
            assert_eq!(parse_rfc5322(header), Some(expected), "{header}");
        }
        // Without a zone: UTC.
        assert_eq!(parse_rfc5322("1 Dec 2026 07:15:00"), Some(expected));
        for bad in [
            "",
            "yesterday",
            "32 Dec 2026 07:15:00 +0000",
            "29 Feb 2026 07:15:00 +0000",
            "1 Dec 2026 25:15:00 +0000",
            "1 Dec 2026 07:15:00 +01",
            "1 Foo 2026 07:15:00 +0000",
            "1 Dec 2026 07:15:00:01 +0000",
        ] {
            assert_eq!(parse_rfc5322(bad), None, "{bad}");
        }
    }

    #[test]
    fn noticed_times_and_their_errors() {
        let base = parse_noticed("2026-12-01T09:00").unwrap();
        assert_eq!(format_utc(base), "2026-12-01T09:00:00Z");
        assert_eq!(parse_noticed("2026-12-01 09:00:00Z"), Ok(base));
        assert_eq!(parse_noticed("2026-12-01T10:00+01:00"), Ok(base));
        assert_eq!(parse_noticed("2026-12-01T08:30-0030"), Ok(base));
        for (bad, at) in [
            ("2026-12-1T09:00", "character 9"),
            ("2026-12-01", "character 11"),
            ("2026-02-30T09:00", "character 9"),
            ("2026-12-01T24:00", "character 12"),
            ("2026-12-01T09:00 CET", "character 17"),
            ("2026-12-01T09:00+1", "character 17"),
            ("", "character 1"),
        ] {
            let error = parse_noticed(bad).unwrap_err();
            assert!(error.contains(at), "{bad}: {error}");
        }
    }
}
