//! One reading: fetched from the provider (blocking, with a timeout; run off the
//! async threads), read from Open-Meteo's JSON and checked, kept as our own JSON,
//! and told in Vietnamese (WMO weather codes).

use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Largest answer read, in bytes (Open-Meteo's is about 1 KB).
const MAX_ANSWER: u64 = 256 * 1024;

/// A reading as kept in the store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Reading {
    /// °C.
    pub temperature: f64,
    /// WMO weather code.
    pub code: i64,
    /// Relative humidity, %.
    pub humidity: i64,
    /// Wind speed at 10 m, km/h.
    pub wind: f64,
    /// The days of the forecast, today first.
    pub days: Vec<Day>,
}

/// A day of the forecast.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Day {
    /// `YYYY-MM-DD`, in Vietnamese time.
    pub date: String,
    pub code: i64,
    pub low: f64,
    pub high: f64,
}

#[derive(Deserialize)]
struct Answer {
    current: Current,
    daily: Daily,
}

#[derive(Deserialize)]
struct Current {
    temperature_2m: f64,
    relative_humidity_2m: f64,
    weather_code: f64,
    wind_speed_10m: f64,
}

#[derive(Deserialize)]
struct Daily {
    time: Vec<String>,
    weather_code: Vec<Option<f64>>,
    temperature_2m_max: Vec<Option<f64>>,
    temperature_2m_min: Vec<Option<f64>>,
}

/// The provider's URL for a place.
pub(crate) fn url_for(template: &str, lat_e6: i64, lon_e6: i64) -> String {
    template
        .replace("{lat}", &micro_degrees(lat_e6))
        .replace("{lon}", &micro_degrees(lon_e6))
}

/// Millionths of a degree as decimal degrees ("21.028511").
pub(crate) fn micro_degrees(v: i64) -> String {
    let sign = if v < 0 { "-" } else { "" };
    let v = v.unsigned_abs();
    format!("{sign}{}.{:06}", v / 1_000_000, v % 1_000_000)
}

/// Fetches and reads one answer; the error says why, for the log.
pub(crate) fn fetch(url: &str, timeout: Duration) -> Result<Reading, String> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .user_agent("eduportal (thoi-tiet)")
        .build()
        .into();
    let mut answer = agent.get(url).call().map_err(|e| e.to_string())?;
    let text = answer
        .body_mut()
        .with_config()
        .limit(MAX_ANSWER)
        .read_to_string()
        .map_err(|e| e.to_string())?;
    parse(&text)
}

/// Reads and checks an answer in Open-Meteo's format.
pub(crate) fn parse(text: &str) -> Result<Reading, String> {
    let a: Answer = serde_json::from_str(text).map_err(|e| format!("malformed answer: {e}"))?;
    let c = &a.current;
    let plausible = (-60.0..=60.0).contains(&c.temperature_2m)
        && (0.0..=100.0).contains(&c.relative_humidity_2m)
        && (0.0..=500.0).contains(&c.wind_speed_10m)
        && (0.0..=99.0).contains(&c.weather_code);
    if !plausible {
        return Err("implausible current values".to_owned());
    }
    let d = &a.daily;
    let n = d.time.len();
    if d.weather_code.len() != n
        || d.temperature_2m_max.len() != n
        || d.temperature_2m_min.len() != n
    {
        return Err("daily lists of different lengths".to_owned());
    }
    let mut days = Vec::new();
    for i in 0..n {
        let (Some(code), Some(high), Some(low)) = (
            d.weather_code[i],
            d.temperature_2m_max[i],
            d.temperature_2m_min[i],
        ) else {
            continue;
        };
        if vntext::parse_civil_date(&d.time[i]).is_none() {
            return Err(format!("not a date: {:?}", d.time[i]));
        }
        days.push(Day {
            date: d.time[i].clone(),
            code: code as i64,
            low,
            high,
        });
    }
    Ok(Reading {
        temperature: c.temperature_2m,
        code: c.weather_code as i64,
        humidity: c.relative_humidity_2m.round() as i64,
        wind: c.wind_speed_10m,
        days,
    })
}

/// A temperature or speed rounded to a whole number, as people read it ("-2", "31").
pub(crate) fn degrees(v: f64) -> String {
    let r = v.round();
    // No "-0".
    if r == 0.0 {
        "0".to_owned()
    } else {
        format!("{r:.0}")
    }
}

/// The conditions of a WMO weather code (as Open-Meteo gives them), in Vietnamese.
pub(crate) fn conditions(code: i64) -> Option<&'static str> {
    Some(match code {
        0 => "Trời quang",
        1 => "Ít mây",
        2 => "Có mây",
        3 => "Nhiều mây",
        45 => "Sương mù",
        48 => "Sương mù đóng băng",
        51 => "Mưa phùn nhẹ",
        53 => "Mưa phùn",
        55 => "Mưa phùn dày",
        56 | 57 => "Mưa phùn lạnh buốt",
        61 => "Mưa nhẹ",
        63 => "Mưa vừa",
        65 => "Mưa to",
        66 | 67 => "Mưa lạnh buốt",
        71 => "Tuyết rơi nhẹ",
        73 => "Tuyết rơi",
        75 => "Tuyết rơi dày",
        77 => "Mưa tuyết hạt",
        80 => "Mưa rào nhẹ",
        81 => "Mưa rào",
        82 => "Mưa rào rất to",
        85 | 86 => "Mưa tuyết",
        95 => "Dông",
        96 => "Dông kèm mưa đá nhỏ",
        99 => "Dông kèm mưa đá",
        _ => return None,
    })
}

/// The name of a day of the forecast: "Thứ Hai 07/12".
pub(crate) fn day_name(iso: &str) -> String {
    match vntext::day_bounds(iso) {
        Some((start, _)) => {
            let date = vntext::format_date(start);
            format!("{} {}", vntext::weekday_name(start), &date[..5])
        }
        None => iso.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_is_read_and_told_in_vietnamese() {
        let r = parse(
            r#"{"current":{"time":"2026-12-06T07:45","temperature_2m":24.6,
            "relative_humidity_2m":81,"weather_code":80,"wind_speed_10m":11.4},
            "daily":{"time":["2026-12-06","2026-12-07"],"weather_code":[80,3],
            "temperature_2m_max":[27.1,28.0],"temperature_2m_min":[21.2,-0.3]}}"#,
        )
        .unwrap();
        assert_eq!(conditions(r.code), Some("Mưa rào nhẹ"));
        assert_eq!(degrees(r.temperature), "25");
        assert_eq!(r.humidity, 81);
        assert_eq!(degrees(r.days[1].low), "0");
        assert_eq!(r.days.len(), 2);
        assert!(parse("<html>").is_err());
        assert!(parse(r#"{"current":{}}"#).is_err());
    }

    #[test]
    fn coordinates_are_written_in_decimal_degrees() {
        assert_eq!(micro_degrees(21_028_511), "21.028511");
        assert_eq!(micro_degrees(-5_000_001), "-5.000001");
        assert_eq!(
            url_for("http://x/?a={lat}&b={lon}", 10_762_622, 106_660_172),
            "http://x/?a=10.762622&b=106.660172"
        );
    }
}
