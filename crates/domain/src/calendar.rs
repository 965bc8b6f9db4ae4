//! Working days (ngày làm việc): Monday to Friday, less the public holidays. The
//! program ships the holidays of the Labour Code (art. 112) for 2025–2035, Tết
//! Nguyên đán and Giỗ Tổ Hùng Vương by their solar dates, with the next working day
//! off for one that falls on a weekend; a site may add days off or work a shipped
//! one ([`Calendar::with_edits`]). Days are counted as days since 1 January 1970 on
//! the Vietnamese calendar (`vntext::local_day`).

use std::collections::{BTreeMap, BTreeSet};

/// The first and last years whose holidays are shipped.
pub const SHIPPED_YEARS: (i32, i32) = (2025, 2035);

/// A solar (month, day).
type MonthDay = (u32, u32);

/// Tết (mùng 1 tháng Giêng) and Giỗ Tổ (10 tháng 3 âm lịch) by solar date, on the
/// Vietnamese lunar calendar (UTC+7), checked by the computation in the tests.
/// Tết 2030 is 2 February in Vietnam (the new moon falls at 23:07 Vietnamese
/// time), a day before China's.
const LUNAR: [(i32, MonthDay, MonthDay); 11] = [
    (2025, (1, 29), (4, 7)),
    (2026, (2, 17), (4, 26)),
    (2027, (2, 6), (4, 16)),
    (2028, (1, 26), (4, 4)),
    (2029, (2, 13), (4, 23)),
    (2030, (2, 2), (4, 12)),
    (2031, (1, 23), (4, 1)),
    (2032, (2, 11), (4, 19)),
    (2033, (1, 31), (4, 9)),
    (2034, (2, 19), (4, 28)),
    (2035, (2, 8), (4, 17)),
];

/// The day number of a calendar date (days since 1970-01-01).
pub fn day_of(year: i32, month: u32, day: u32) -> i64 {
    // Howard Hinnant's days_from_civil.
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The calendar date of a day number.
pub fn date_of(day: i64) -> (i32, u32, u32) {
    let z = day + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y as i32, m, d)
}

/// `YYYY-MM-DD` of a day number.
pub fn iso_of(day: i64) -> String {
    let (y, m, d) = date_of(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// `dd/mm/yyyy` of a day number.
pub fn vi_date_of(day: i64) -> String {
    let (y, m, d) = date_of(day);
    format!("{d:02}/{m:02}/{y:04}")
}

/// The day number of `YYYY-MM-DD`; `None` when that is no real date.
pub fn parse_iso_day(s: &str) -> Option<i64> {
    let s = s.trim();
    let mut parts = s.splitn(3, '-');
    let y: i32 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let d: u32 = parts.next()?.parse().ok()?;
    let day = day_of(y, m, d);
    (date_of(day) == (y, m, d)).then_some(day)
}

/// Saturday or Sunday.
pub fn is_weekend(day: i64) -> bool {
    // 1970-01-01 was a Thursday: (day + 3) mod 7 is 0 on Mondays.
    (day + 3).rem_euclid(7) >= 5
}

/// The shipped public holidays, by day, with their names.
pub fn shipped_holidays() -> BTreeMap<i64, String> {
    let mut out = BTreeMap::new();
    let mut add = |day: i64, name: &str| {
        out.entry(day).or_insert_with(|| name.to_owned());
    };
    for (year, tet, hung) in LUNAR {
        add(day_of(year, 1, 1), "Tết Dương lịch");
        let tet = day_of(year, tet.0, tet.1);
        add(tet - 1, "Tết Nguyên đán (30 Tết)");
        for i in 0..4 {
            add(tet + i, &format!("Tết Nguyên đán (mùng {})", i + 1));
        }
        add(
            day_of(year, hung.0, hung.1),
            "Giỗ Tổ Hùng Vương (10/3 âm lịch)",
        );
        add(day_of(year, 4, 30), "Ngày Chiến thắng (30/4)");
        add(day_of(year, 5, 1), "Ngày Quốc tế Lao động (1/5)");
        add(day_of(year, 9, 1), "Quốc khánh (1/9)");
        add(day_of(year, 9, 2), "Quốc khánh (2/9)");
    }
    // A holiday on a weekend gives the next working day off (nghỉ bù).
    let on_weekend: Vec<(i64, String)> = out
        .iter()
        .filter(|(d, _)| is_weekend(**d))
        .map(|(d, n)| (*d, n.clone()))
        .collect();
    for (day, name) in on_weekend {
        let mut next = day + 1;
        while is_weekend(next) || out.contains_key(&next) {
            next += 1;
        }
        out.insert(next, format!("Nghỉ bù {name}"));
    }
    out
}

/// A site's days off: the shipped holidays with its edits.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    off: BTreeSet<i64>,
}

/// A site's change to the shipped holidays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HolidayEdit {
    /// The day.
    pub day: i64,
    /// Its name (a day off added).
    pub name: String,
    /// True: a day off added; false: a shipped holiday worked.
    pub off: bool,
}

impl Calendar {
    /// The shipped holidays alone.
    pub fn shipped() -> Calendar {
        Calendar {
            off: shipped_holidays().into_keys().collect(),
        }
    }

    /// The shipped holidays with a site's edits.
    pub fn with_edits(edits: &[HolidayEdit]) -> Calendar {
        let mut c = Calendar::shipped();
        for e in edits {
            if e.off {
                c.off.insert(e.day);
            } else {
                c.off.remove(&e.day);
            }
        }
        c
    }

    /// Every holiday (weekdays or not).
    pub fn holidays(&self) -> impl Iterator<Item = i64> + '_ {
        self.off.iter().copied()
    }

    /// A working day: a weekday that is not a holiday.
    pub fn is_working(&self, day: i64) -> bool {
        !is_weekend(day) && !self.off.contains(&day)
    }

    /// The `n`th working day after `from` (not counting `from`).
    pub fn add_working_days(&self, from: i64, n: u32) -> i64 {
        let mut day = from;
        let mut left = n;
        while left > 0 {
            day += 1;
            if self.is_working(day) {
                left -= 1;
            }
        }
        day
    }

    /// Working days from `from` (not counted) to `to` (counted): how many are left
    /// until a deadline. Negative when `to` is before `from`: how many the deadline
    /// is past, counting `from` itself when it is a working day.
    pub fn working_days_between(&self, from: i64, to: i64) -> i64 {
        if to >= from {
            ((from + 1)..=to).filter(|d| self.is_working(*d)).count() as i64
        } else {
            -(((to + 1)..=from).filter(|d| self.is_working(*d)).count() as i64)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip() {
        for day in -1000..30_000 {
            let (y, m, d) = date_of(day);
            assert_eq!(day_of(y, m, d), day);
        }
        assert_eq!(day_of(1970, 1, 1), 0);
        assert_eq!(iso_of(day_of(2026, 2, 17)), "2026-02-17");
        assert_eq!(vi_date_of(day_of(2026, 2, 17)), "17/02/2026");
        assert_eq!(parse_iso_day("2026-02-30"), None);
        assert_eq!(parse_iso_day("2026-02-17"), Some(day_of(2026, 2, 17)));
    }

    #[test]
    fn weekends() {
        // 6 December 2026 is a Sunday, 7 December a Monday.
        assert!(is_weekend(day_of(2026, 12, 6)));
        assert!(is_weekend(day_of(2026, 12, 5)));
        assert!(!is_weekend(day_of(2026, 12, 7)));
        assert!(!is_weekend(day_of(2026, 12, 4)));
    }

    #[test]
    fn tet_2026_is_not_worked() {
        let c = Calendar::shipped();
        // Tết Bính Ngọ: mùng 1 is Tuesday 17/02/2026; 30 Tết Monday 16/02.
        for d in 16..=20 {
            assert!(!c.is_working(day_of(2026, 2, d)), "{d}/02/2026 is Tết");
        }
        // Friday 13/02 is worked; three working days from it skip the whole of Tết.
        let friday = day_of(2026, 2, 13);
        assert!(c.is_working(friday));
        assert_eq!(c.add_working_days(friday, 1), day_of(2026, 2, 23));
        assert_eq!(c.add_working_days(friday, 3), day_of(2026, 2, 25));
        // Five working days from Wednesday 11/02: 12, 13, 23, 24, 25.
        assert_eq!(
            c.add_working_days(day_of(2026, 2, 11), 5),
            day_of(2026, 2, 25)
        );
        // Fifteen: to Wednesday 11/03.
        assert_eq!(
            c.add_working_days(day_of(2026, 2, 11), 15),
            day_of(2026, 3, 11)
        );
        assert_eq!(
            c.working_days_between(day_of(2026, 2, 13), day_of(2026, 2, 25)),
            3
        );
        assert_eq!(
            c.working_days_between(day_of(2026, 2, 25), day_of(2026, 2, 13)),
            -3
        );
    }

    #[test]
    fn every_shipped_year_has_tet() {
        let h = shipped_holidays();
        for (year, tet, _) in LUNAR {
            let first = day_of(year, tet.0, tet.1);
            assert!(h[&first].contains("mùng 1"), "{year}");
            assert!(h[&(first - 1)].contains("30 Tết"), "{year}");
        }
        // Giỗ Tổ 2026 falls on Sunday 26/04: Monday 27/04 is off instead.
        assert_eq!(h[&day_of(2026, 4, 26)], "Giỗ Tổ Hùng Vương (10/3 âm lịch)");
        assert!(h[&day_of(2026, 4, 27)].starts_with("Nghỉ bù"));
    }

    /// The Vietnamese lunar calendar (UTC+7) by Hồ Ngọc Đức's algorithm, the one
    /// the published Vietnamese calendars follow: new moons by Meeus' series, the
    /// 11th month holds the winter solstice, a leap month is the first without a
    /// major solar term. Test-only: it checks the shipped dates of Tết and Giỗ Tổ.
    mod lunar {
        use std::f64::consts::PI;

        const ZONE: f64 = 7.0;

        fn jd_from_date(d: i64, m: i64, y: i64) -> i64 {
            let a = (14 - m) / 12;
            let y = y + 4800 - a;
            let m = m + 12 * a - 3;
            d + (153 * m + 2) / 5 + 365 * y + y / 4 - y / 100 + y / 400 - 32045
        }

        fn new_moon_day(k: i64) -> i64 {
            let k = k as f64;
            let t = k / 1236.85;
            let (t2, t3) = (t * t, t * t * t);
            let dr = PI / 180.0;
            let mut jd1 =
                2_415_020.759_33 + 29.530_588_68 * k + 0.000_117_8 * t2 - 0.000_000_155 * t3;
            jd1 += 0.000_33 * ((166.56 + 132.87 * t - 0.009_173 * t2) * dr).sin();
            let m = 359.2242 + 29.105_356_08 * k - 0.000_033_3 * t2 - 0.000_003_47 * t3;
            let mpr = 306.0253 + 385.816_918_06 * k + 0.010_730_6 * t2 + 0.000_012_36 * t3;
            let f = 21.2964 + 390.670_506_46 * k - 0.001_652_8 * t2 - 0.000_002_39 * t3;
            let mut c1 = (0.1734 - 0.000_393 * t) * (m * dr).sin() + 0.0021 * (2.0 * dr * m).sin();
            c1 = c1 - 0.4068 * (mpr * dr).sin() + 0.0161 * (dr * 2.0 * mpr).sin();
            c1 -= 0.0004 * (dr * 3.0 * mpr).sin();
            c1 = c1 + 0.0104 * (dr * 2.0 * f).sin() - 0.0051 * (dr * (m + mpr)).sin();
            c1 = c1 - 0.0074 * (dr * (m - mpr)).sin() + 0.0004 * (dr * (2.0 * f + m)).sin();
            c1 = c1 - 0.0004 * (dr * (2.0 * f - m)).sin() - 0.0006 * (dr * (2.0 * f + mpr)).sin();
            c1 = c1 + 0.0010 * (dr * (2.0 * f - mpr)).sin() + 0.0005 * (dr * (2.0 * mpr + m)).sin();
            let delta_t = if t < -11.0 {
                0.001 + 0.000_839 * t + 0.000_226_1 * t2
                    - 0.000_008_45 * t3
                    - 0.000_000_081 * t * t3
            } else {
                -0.000_278 + 0.000_265 * t + 0.000_262 * t2
            };
            (jd1 + c1 - delta_t + 0.5 + ZONE / 24.0).floor() as i64
        }

        /// The sun's longitude at the start of day `jdn`, in twelfths of a turn.
        fn sun_longitude(jdn: i64) -> i64 {
            let t = (jdn as f64 - 2_451_545.5 - ZONE / 24.0) / 36525.0;
            let t2 = t * t;
            let dr = PI / 180.0;
            let m = 357.529_10 + 35_999.050_30 * t - 0.000_155_9 * t2 - 0.000_000_48 * t * t2;
            let l0 = 280.466_45 + 36_000.769_83 * t + 0.000_303_2 * t2;
            let mut dl = (1.914_600 - 0.004_817 * t - 0.000_014 * t2) * (dr * m).sin();
            dl += (0.019_993 - 0.000_101 * t) * (dr * 2.0 * m).sin()
                + 0.000_290 * (dr * 3.0 * m).sin();
            let mut l = (l0 + dl) * dr;
            l -= PI * 2.0 * (l / (PI * 2.0)).floor();
            (l / PI * 6.0).floor() as i64
        }

        fn lunar_month_11(year: i64) -> i64 {
            let off = jd_from_date(31, 12, year) - 2_415_021;
            let k = (off as f64 / 29.530_588_853).floor() as i64;
            let nm = new_moon_day(k);
            if sun_longitude(nm) >= 9 {
                new_moon_day(k - 1)
            } else {
                nm
            }
        }

        fn leap_month_offset(a11: i64) -> i64 {
            let k = ((a11 as f64 - 2_415_021.076_998_695) / 29.530_588_853 + 0.5).floor() as i64;
            let mut i = 1;
            let mut arc = sun_longitude(new_moon_day(k + i));
            loop {
                let last = arc;
                i += 1;
                arc = sun_longitude(new_moon_day(k + i));
                if arc == last || i >= 14 {
                    break;
                }
            }
            i - 1
        }

        /// The day number (days since 1970-01-01) of a day of a non-leap lunar
        /// month of `year`.
        pub(super) fn solar_day(day: i64, month: i64, year: i64) -> i64 {
            let (a11, b11) = if month < 11 {
                (lunar_month_11(year - 1), lunar_month_11(year))
            } else {
                (lunar_month_11(year), lunar_month_11(year + 1))
            };
            let k = (0.5 + (a11 as f64 - 2_415_021.076_998_695) / 29.530_588_853).floor() as i64;
            let mut off = (month - 11).rem_euclid(12);
            if b11 - a11 > 365 && off >= leap_month_offset(a11) {
                off += 1;
            }
            let jd = new_moon_day(k + off) + day - 1;
            // Julian day 2440588 is 1 January 1970.
            jd - 2_440_588
        }
    }

    #[test]
    fn the_lunar_computation_knows_past_tet_and_gio_to() {
        // Dates printed on past calendars, including years with a leap month
        // (2020: 4 nhuận, 2023: 2 nhuận) before the month counted.
        assert_eq!(lunar::solar_day(1, 1, 2020), day_of(2020, 1, 25));
        assert_eq!(lunar::solar_day(10, 3, 2020), day_of(2020, 4, 2));
        assert_eq!(lunar::solar_day(1, 1, 2023), day_of(2023, 1, 22));
        assert_eq!(lunar::solar_day(10, 3, 2023), day_of(2023, 4, 29));
        assert_eq!(lunar::solar_day(1, 1, 2024), day_of(2024, 2, 10));
        assert_eq!(lunar::solar_day(10, 3, 2024), day_of(2024, 4, 18));
    }

    #[test]
    fn shipped_tet_and_gio_to_are_the_lunar_dates() {
        for (year, tet, hung) in LUNAR {
            let y = i64::from(year);
            assert_eq!(
                iso_of(day_of(year, tet.0, tet.1)),
                iso_of(lunar::solar_day(1, 1, y)),
                "Tết {year}"
            );
            assert_eq!(
                iso_of(day_of(year, hung.0, hung.1)),
                iso_of(lunar::solar_day(10, 3, y)),
                "Giỗ Tổ {year}"
            );
        }
        assert_eq!(LUNAR.len() as i32, SHIPPED_YEARS.1 - SHIPPED_YEARS.0 + 1);
    }

    #[test]
    fn a_site_edits_its_calendar() {
        let worked = HolidayEdit {
            day: day_of(2026, 2, 20),
            name: String::new(),
            off: false,
        };
        let added = HolidayEdit {
            day: day_of(2026, 2, 23),
            name: "Nghỉ thêm".into(),
            off: true,
        };
        let c = Calendar::with_edits(&[worked, added]);
        assert!(c.is_working(day_of(2026, 2, 20)));
        assert!(!c.is_working(day_of(2026, 2, 23)));
        assert_eq!(
            c.add_working_days(day_of(2026, 2, 13), 2),
            day_of(2026, 2, 24)
        );
    }
}
