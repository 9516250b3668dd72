//! Calendar arithmetic for timestamps, written out by hand so the crate needs no
//! date library: parsing the RFC 3339 timestamps the build server sends, and the
//! IMF-fixdate form of an HTTP `Retry-After` header.

use novita_template_json::text::{parse_i64, parse_u64};
const MS_PER_DAY: i64 = 86_400_000;

/// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = month as i64;
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + day as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// A tiny cursor over ASCII bytes for the parsers below.
struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Cursor<'_> {
    fn digits(&mut self, count: usize) -> Option<i64> {
        let end = self.pos.checked_add(count)?;
        let slice = self.bytes.get(self.pos..end)?;
        let mut value = 0i64;
        for &b in slice {
            if !b.is_ascii_digit() {
                return None;
            }
            value = value * 10 + i64::from(b - b'0');
        }
        self.pos = end;
        Some(value)
    }

    fn eat(&mut self, expected: u8) -> Option<()> {
        (self.bytes.get(self.pos) == Some(&expected)).then(|| self.pos += 1)
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn done(&self) -> bool {
        self.pos == self.bytes.len()
    }
}

/// Parses an RFC 3339 / ISO 8601 timestamp such as `2026-01-01T00:00:01Z`,
/// `2026-01-01T00:00:01.123456789+02:00` or `2026-01-01` into epoch
/// milliseconds. Fractional digits beyond milliseconds are truncated, as V8
/// does. A date-time without a zone is taken as UTC (a browser would use its
/// local zone; build servers always send a zone). Returns `None` for anything
/// that is not a valid timestamp.
pub fn parse_rfc3339_ms(text: &str) -> Option<f64> {
    let mut c = Cursor {
        bytes: text.trim().as_bytes(),
        pos: 0,
    };
    let year = c.digits(4)?;
    c.eat(b'-')?;
    let month = c.digits(2)? as u32;
    c.eat(b'-')?;
    let day = c.digits(2)? as u32;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let days = days_from_civil(year, month, day);
    if c.done() {
        return Some((days * MS_PER_DAY) as f64);
    }
    match c.peek()? {
        b'T' | b't' | b' ' => c.pos += 1,
        _ => return None,
    }
    let hour = c.digits(2)?;
    c.eat(b':')?;
    let minute = c.digits(2)?;
    let second = if c.eat(b':').is_some() {
        c.digits(2)?
    } else {
        0
    };
    let mut milli = 0i64;
    if c.eat(b'.').is_some() || c.eat(b',').is_some() {
        let mut count = 0;
        while let Some(b) = c.peek().filter(u8::is_ascii_digit) {
            if count < 3 {
                milli = milli * 10 + i64::from(b - b'0');
            }
            count += 1;
            c.pos += 1;
        }
        if count == 0 {
            return None;
        }
        for _ in count..3 {
            milli *= 10;
        }
    }
    let time_ok = minute < 60
        && second < 60
        && (hour < 24 || (hour == 24 && minute == 0 && second == 0 && milli == 0));
    if !time_ok {
        return None;
    }
    let offset_minutes = match c.peek() {
        None => 0,
        Some(b'Z' | b'z') => {
            c.pos += 1;
            0
        }
        Some(sign @ (b'+' | b'-')) => {
            c.pos += 1;
            let oh = c.digits(2)?;
            c.eat(b':');
            let om = c.digits(2)?;
            if oh > 23 || om > 59 {
                return None;
            }
            let total = oh * 60 + om;
            if sign == b'-' {
                -total
            } else {
                total
            }
        }
        Some(_) => return None,
    };
    if !c.done() {
        return None;
    }
    let ms =
        days * MS_PER_DAY + ((hour * 60 + minute - offset_minutes) * 60 + second) * 1000 + milli;
    Some(ms as f64)
}

/// Parses an HTTP-date in IMF-fixdate form (`Sun, 06 Nov 1994 08:49:37 GMT`)
/// into epoch milliseconds, for `Retry-After`.
pub fn parse_http_date_ms(text: &str) -> Option<f64> {
    let mut parts = text.split_whitespace();
    let (Some(_weekday), Some(day), Some(month), Some(year), Some(time), Some(zone), None) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return None;
    };
    if !zone.eq_ignore_ascii_case("GMT") {
        return None;
    }
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let month = MONTHS.iter().position(|m| m.eq_ignore_ascii_case(month))? as u32 + 1;
    let day = u32::try_from(parse_u64(day)?).ok()?;
    let year = parse_i64(year)?;
    if day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let mut hms = time.split(':');
    let (Some(h), Some(m), Some(s), None) = (hms.next(), hms.next(), hms.next(), hms.next()) else {
        return None;
    };
    let (h, m, s) = (parse_i64(h)?, parse_i64(m)?, parse_i64(s)?);
    if h > 23 || m > 59 || s > 60 {
        return None;
    }
    let days = days_from_civil(year, month, day);
    Some((days * MS_PER_DAY + (h * 3600 + m * 60 + s) * 1000) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The inverse of [`days_from_civil`]: `(year, month, day)`.
    fn civil_from_days(days: i64) -> (i64, u32, u32) {
        let z = days + 719_468;
        let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = yoe + era * 400 + i64::from(month <= 2);
        (year, month, day)
    }

    #[test]
    fn civil_round_trip_over_many_days() {
        for days in (-800_000..800_000).step_by(37) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
            assert!((1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m));
        }
    }

    #[test]
    fn parses_server_timestamps() {
        assert_eq!(
            parse_rfc3339_ms("2026-01-01T00:00:01.000Z"),
            Some(1_767_225_601_000.0)
        );
        assert_eq!(
            parse_rfc3339_ms("2026-01-01T00:00:01Z"),
            Some(1_767_225_601_000.0)
        );
        assert_eq!(
            parse_rfc3339_ms("2026-01-01T02:00:01.123456789+02:00"),
            Some(1_767_225_601_123.0)
        );
        assert_eq!(
            parse_rfc3339_ms("2025-12-31T23:00:01.5-01:00"),
            Some(1_767_225_601_500.0)
        );
        assert_eq!(parse_rfc3339_ms("2026-01-01"), Some(1_767_225_600_000.0));
        assert_eq!(
            parse_rfc3339_ms("2024-02-29T24:00:00Z"),
            Some(1_709_251_200_000.0)
        );
        for bad in [
            "",
            "2026-13-01T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "2026-01-01T25:00:00Z",
            "2026-01-01T00:60:00Z",
            "2026-01-01T00:00:00.Z",
            "2026-01-01T00:00:00Zjunk",
            "garbage",
            "٢٠٢٦-01-01",
        ] {
            assert_eq!(parse_rfc3339_ms(bad), None, "{bad}");
        }
    }

    #[test]
    fn parses_http_dates() {
        assert_eq!(
            parse_http_date_ms("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784_111_777_000.0)
        );
        assert_eq!(parse_http_date_ms("Sun, 06 Nov 1994 08:49:37 PST"), None);
        assert_eq!(parse_http_date_ms("120"), None);
    }
}
