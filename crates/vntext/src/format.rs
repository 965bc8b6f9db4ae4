//! Numbers, dates and times as Vietnamese readers write them.
//!
//! Times are stored as UTC seconds and shown in Asia/Ho_Chi_Minh, 24-hour,
//! dates as dd/mm/yyyy, numbers with dots between thousands.

use jiff::{Timestamp, Zoned, civil::DateTime, tz::TimeZone};
use std::sync::LazyLock;

static VN_TZ: LazyLock<TimeZone> = LazyLock::new(|| {
    // The bundled tz database always has this zone; fall back to the fixed offset
    // Vietnam has kept since 1975 rather than fail.
    TimeZone::get("Asia/Ho_Chi_Minh").unwrap_or_else(|_| TimeZone::fixed(jiff::tz::offset(7)))
});

/// A moment as seen on a clock in Vietnam.
pub type Local = Zoned;

/// The Vietnamese local time of a UTC timestamp in seconds.
pub fn local(unix_seconds: i64) -> Local {
    let ts = Timestamp::from_second(unix_seconds).unwrap_or(Timestamp::UNIX_EPOCH);
    ts.to_zoned(VN_TZ.clone())
}

/// `dd/mm/yyyy` in Vietnamese time.
pub fn format_date(unix_seconds: i64) -> String {
    local(unix_seconds).strftime("%d/%m/%Y").to_string()
}

/// `HH:MM` (24 h) in Vietnamese time.
pub fn format_time(unix_seconds: i64) -> String {
    local(unix_seconds).strftime("%H:%M").to_string()
}

/// `dd/mm/yyyy HH:MM` in Vietnamese time.
pub fn format_datetime(unix_seconds: i64) -> String {
    local(unix_seconds).strftime("%d/%m/%Y %H:%M").to_string()
}

/// The Vietnamese name of the weekday: "Thứ Hai" … "Chủ nhật".
pub fn weekday_name(unix_seconds: i64) -> &'static str {
    use jiff::civil::Weekday::*;
    match local(unix_seconds).weekday() {
        Monday => "Thứ Hai",
        Tuesday => "Thứ Ba",
        Wednesday => "Thứ Tư",
        Thursday => "Thứ Năm",
        Friday => "Thứ Sáu",
        Saturday => "Thứ Bảy",
        Sunday => "Chủ nhật",
    }
}

/// Parses a Vietnamese wall-clock time "YYYY-MM-DD HH:MM" into UTC seconds.
pub fn parse_local_datetime(s: &str) -> Option<i64> {
    let dt = DateTime::strptime("%Y-%m-%d %H:%M", s.trim()).ok()?;
    let zoned = dt.to_zoned(VN_TZ.clone()).ok()?;
    Some(zoned.timestamp().as_second())
}

/// A Vietnamese wall-clock time as people type it: "dd/mm/yyyy HH:MM" (also with
/// `-` or `.` in the date, or "HHhMM"), a date alone (midnight), or the ISO forms
/// "YYYY-MM-DD HH:MM" and "YYYY-MM-DDTHH:MM" that date pickers send. UTC seconds.
pub fn parse_local_datetime_any(s: &str) -> Option<i64> {
    let s = s.trim();
    let (date, time) = match s.split_once(['T', ' ']) {
        Some((d, t)) => (d.trim(), t.trim()),
        None => (s, "00:00"),
    };
    let iso = parse_date_any(date)?;
    let (h, m) = time.split_once([':', 'h', 'g'])?;
    let (h, m): (u8, u8) = (h.trim().parse().ok()?, m.trim().parse().ok()?);
    if h > 23 || m > 59 {
        return None;
    }
    parse_local_datetime(&format!("{iso} {h:02}:{m:02}"))
}

/// The Vietnamese calendar date of a moment, as `YYYY-MM-DD` (for URLs and date inputs).
pub fn local_iso_date(unix_seconds: i64) -> String {
    local(unix_seconds).strftime("%Y-%m-%d").to_string()
}

/// The Vietnamese calendar day of a moment, as days since 1 January 1970: cheap
/// enough for per-request bookkeeping (no formatting, no allocation).
pub fn local_day(unix_seconds: i64) -> i64 {
    let ts = Timestamp::from_second(unix_seconds).unwrap_or(Timestamp::UNIX_EPOCH);
    let offset = i64::from(VN_TZ.to_offset(ts).seconds());
    (unix_seconds + offset).div_euclid(86_400)
}

/// `YYYY-MM-DD` of a day number from [`local_day`].
pub fn iso_date_of_day(day: i64) -> String {
    let epoch = jiff::civil::date(1970, 1, 1);
    epoch
        .checked_add(jiff::Span::new().days(day))
        .map(|d| d.strftime("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// The first and one-past-last UTC second of a Vietnamese calendar day given as
/// `YYYY-MM-DD`; `None` when that is not a real date.
pub fn day_bounds(iso_date: &str) -> Option<(i64, i64)> {
    let date: jiff::civil::Date = iso_date.trim().parse().ok()?;
    if iso_date.trim().len() != 10 {
        return None;
    }
    let start = date.to_zoned(VN_TZ.clone()).ok()?;
    let end = date.tomorrow().ok()?.to_zoned(VN_TZ.clone()).ok()?;
    Some((start.timestamp().as_second(), end.timestamp().as_second()))
}

/// A date typed either as `YYYY-MM-DD` or the Vietnamese way, `d/m/yyyy`
/// (also with `-` or `.`), as `YYYY-MM-DD`; `None` when it is no real date.
pub fn parse_date_any(s: &str) -> Option<String> {
    parse_civil_date(s).map(|d| d.strftime("%Y-%m-%d").to_string())
}

/// A date as a person types it into a box, as `YYYY-MM-DD`: what [`parse_date_any`]
/// reads, and eight digits in a row as `ddmmyyyy` (a phone's number pad has no `/`);
/// `None` when it is no real date. For forms only: in imported files eight digits may
/// be `yyyymmdd`.
pub fn parse_typed_date(s: &str) -> Option<String> {
    let s = s.trim();
    if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        return civil_date(
            s[4..].parse().ok()?,
            s[2..4].parse().ok()?,
            s[..2].parse().ok()?,
        )
        .map(|d| d.strftime("%Y-%m-%d").to_string());
    }
    parse_date_any(s)
}

/// A date typed either as `YYYY-MM-DD` or the Vietnamese way, `d/m/yyyy` (also with
/// `-` or `.`); `None` when it is no real date. The year has four digits: "5/9/26"
/// could be 1926 or 2026. Nothing is allocated, so imports can call it a million times.
pub fn parse_civil_date(s: &str) -> Option<jiff::civil::Date> {
    let s = s.trim();
    let b = s.as_bytes();
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        let (y, m, d) = (
            s[..4].parse().ok()?,
            s[5..7].parse().ok()?,
            s[8..].parse().ok()?,
        );
        return civil_date(y, m, d);
    }
    let mut parts = s.split(['/', '-', '.']);
    let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || d.is_empty() || m.is_empty() {
        return None;
    }
    let digits = |p: &str| p.bytes().all(|c| c.is_ascii_digit());
    if !(digits(d) && digits(m) && digits(y)) {
        return None;
    }
    civil_date(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

fn civil_date(y: i16, m: i8, d: i8) -> Option<jiff::civil::Date> {
    if !(1000..=9999).contains(&y) {
        return None;
    }
    jiff::civil::Date::new(y, m, d).ok()
}

/// A calendar date in Vietnamese form: `YYYY-MM-DD` as "dd/mm/yyyy".
pub fn format_iso_date(iso_date: &str) -> Option<String> {
    let date: jiff::civil::Date = iso_date.trim().parse().ok()?;
    Some(date.strftime("%d/%m/%Y").to_string())
}

/// `1234567` as "1.234.567", `-1500` as "-1.500".
pub fn format_number(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(d);
    }
    out
}

/// Parses a decimal typed either way: "8,25" or "8.25". Thousands separators are
/// not accepted (scores and marks have none), so "1.234,5" is refused.
pub fn parse_decimal(s: &str) -> Option<f64> {
    let t = s.trim();
    if t.is_empty() || t.matches([',', '.']).count() > 1 {
        return None;
    }
    let v: f64 = t.replace(',', ".").parse().ok()?;
    v.is_finite().then_some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_typed_in_a_form() {
        for typed in [
            "05/09/2026",
            "5/9/2026",
            "05-09-2026",
            "05.09.2026",
            "05092026",
            " 2026-09-05 ",
        ] {
            assert_eq!(
                parse_typed_date(typed).as_deref(),
                Some("2026-09-05"),
                "{typed:?}"
            );
        }
        for typed in [
            "",
            "31/02/2026",
            "09/2026",
            "5/9/26",
            "2026095",
            "hôm qua",
            "20260905",
            "31022026",
        ] {
            assert_eq!(parse_typed_date(typed), None, "{typed:?}");
        }
    }

    #[test]
    fn numbers_use_dots() {
        assert_eq!(format_number(0), "0");
        assert_eq!(format_number(999), "999");
        assert_eq!(format_number(1000), "1.000");
        assert_eq!(format_number(1234567), "1.234.567");
        assert_eq!(format_number(-212557048), "-212.557.048");
    }

    #[test]
    fn dates_are_in_vietnam_time() {
        // 2026-09-04 17:30 UTC is 00:30 on 5 September in Vietnam (a Saturday).
        let ts = 1_788_543_000;
        assert_eq!(format_datetime(ts), "05/09/2026 00:30");
        assert_eq!(format_date(ts), "05/09/2026");
        assert_eq!(weekday_name(ts), "Thứ Bảy");
        assert_eq!(parse_local_datetime("2026-09-05 00:30"), Some(ts));
        assert_eq!(parse_local_datetime("05/09/2026"), None);
    }

    #[test]
    fn days_are_vietnamese_days() {
        // 00:00 on 5 September 2026 in Vietnam is 17:00 UTC the day before.
        assert_eq!(
            day_bounds("2026-09-05"),
            Some((1_788_541_200, 1_788_627_600))
        );
        assert_eq!(day_bounds("2026-02-30"), None);
        assert_eq!(day_bounds("5/9/2026"), None);
        assert_eq!(day_bounds("2026-9-5"), None);
        assert_eq!(local_iso_date(1_788_541_200), "2026-09-05");
        assert_eq!(local_iso_date(1_788_541_199), "2026-09-04");
        assert_eq!(format_iso_date("2026-09-05").as_deref(), Some("05/09/2026"));
        assert_eq!(parse_date_any("5/9/2026").as_deref(), Some("2026-09-05"));
        assert_eq!(parse_date_any("05.09.2026").as_deref(), Some("2026-09-05"));
        assert_eq!(parse_date_any("2026-09-05").as_deref(), Some("2026-09-05"));
        assert_eq!(parse_date_any("31/02/2026"), None);
        assert_eq!(parse_date_any("9/2026"), None);
        assert_eq!(parse_date_any("2026-9-5"), None);
        assert_eq!(parse_date_any("5/9/26"), None);
        assert_eq!(parse_date_any("+5/9/2026"), None);
        assert_eq!(
            parse_civil_date(" 29/02/2008 "),
            Some(jiff::civil::date(2008, 2, 29))
        );
        assert_eq!(parse_civil_date("29/02/2007"), None);
        for t in [
            1_788_541_199,
            1_788_541_200,
            1_788_627_599,
            0,
            1_795_539_600,
        ] {
            assert_eq!(iso_date_of_day(local_day(t)), local_iso_date(t), "{t}");
        }
    }

    #[test]
    fn typed_times_the_vietnamese_way() {
        let want = parse_local_datetime("2026-12-01 08:30").unwrap();
        for typed in [
            "01/12/2026 08:30",
            "1/12/2026 8:30",
            "01-12-2026 08h30",
            "2026-12-01T08:30",
            " 2026-12-01 08:30 ",
        ] {
            assert_eq!(parse_local_datetime_any(typed), Some(want), "{typed}");
        }
        assert_eq!(
            parse_local_datetime_any("01/12/2026"),
            parse_local_datetime("2026-12-01 00:00")
        );
        for bad in ["", "31/02/2026 08:00", "01/12/2026 25:00", "hôm qua"] {
            assert_eq!(parse_local_datetime_any(bad), None, "{bad}");
        }
        assert_eq!(format_datetime(want), "01/12/2026 08:30");
    }

    #[test]
    fn decimals_with_comma_or_dot() {
        assert_eq!(parse_decimal("8,25"), Some(8.25));
        assert_eq!(parse_decimal(" 8.25 "), Some(8.25));
        assert_eq!(parse_decimal("10"), Some(10.0));
        assert_eq!(parse_decimal("1.234,5"), None);
        assert_eq!(parse_decimal("V"), None);
        assert_eq!(parse_decimal(""), None);
    }
}
