//! The dashboard's chart of a site's last days: visits and page views per day as
//! an inline SVG drawn on the server (no script), with the same figures as a table
//! for screen readers and for anyone who wants the numbers.

use store::DailyRow;

/// Days the chart covers, today included.
pub(crate) const DAYS: i64 = 30;

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 280.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 712.0;
const TOP: f64 = 34.0;
const BOTTOM: f64 = 250.0;

/// A bar, in the SVG's units.
pub(crate) struct Bar {
    pub x: String,
    pub y: String,
    pub width: String,
    pub height: String,
    /// What a pointer over it shows.
    pub title: String,
}

/// A line of the value axis.
pub(crate) struct Tick {
    pub y: String,
    pub label: String,
}

/// A day's label under the bars.
pub(crate) struct DayLabel {
    pub x: String,
    pub label: String,
}

/// A day's figures, for the table.
pub(crate) struct DayFigures {
    pub label: String,
    pub visits: String,
    pub page_views: String,
}

/// Everything the template draws.
pub(crate) struct Chart {
    pub view_box: String,
    pub left: String,
    pub right: String,
    pub bottom: String,
    pub title: String,
    pub desc: String,
    pub ticks: Vec<Tick>,
    pub visit_bars: Vec<Bar>,
    pub view_bars: Vec<Bar>,
    pub labels: Vec<DayLabel>,
    pub days: Vec<DayFigures>,
    pub total_visits: String,
    pub total_views: String,
}

fn n(v: f64) -> String {
    format!("{v:.1}")
}

/// A round top for the value axis: 1, 2 or 5 times a power of ten per step, four
/// steps, at least `max`.
fn axis_step(max: i64) -> i64 {
    let raw = (max.max(1) + 3) / 4;
    let mut magnitude = 1;
    while magnitude * 10 <= raw {
        magnitude *= 10;
    }
    [1, 2, 5, 10]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10 * magnitude)
}

/// The chart of the [`DAYS`] days ending with `today` (a day number from
/// `vntext::local_day`); days without a row count as zero.
pub(crate) fn build(rows: &[DailyRow], today: i64) -> Chart {
    let days: Vec<(String, i64, i64)> = (today - DAYS + 1..=today)
        .map(|d| {
            let iso = vntext::iso_date_of_day(d);
            let row = rows.iter().find(|r| r.day == iso);
            (
                iso,
                row.map_or(0, |r| r.visits),
                row.map_or(0, |r| r.page_views),
            )
        })
        .collect();
    let short = |iso: &str| {
        vntext::format_iso_date(iso)
            .map(|d| d[..5].to_owned())
            .unwrap_or_default()
    };
    let max = days.iter().map(|(_, v, p)| (*v).max(*p)).max().unwrap_or(0);
    let step = axis_step(max);
    let top_value = (step * 4) as f64;
    let y_of = |v: i64| BOTTOM - (v as f64 / top_value) * (BOTTOM - TOP);
    let slot = (RIGHT - LEFT) / days.len() as f64;
    let bar = |i: usize, shift: f64, v: i64, what: &str, day: &str| {
        let y = y_of(v);
        Bar {
            x: n(LEFT + slot * i as f64 + slot * shift),
            y: n(y),
            width: n(slot * 0.36),
            height: n(BOTTOM - y),
            title: format!("{day}: {} {what}", vntext::format_number(v)),
        }
    };
    let mut visit_bars = Vec::new();
    let mut view_bars = Vec::new();
    let mut labels = Vec::new();
    let mut figures = Vec::new();
    for (i, (iso, visits, views)) in days.iter().enumerate() {
        let day = short(iso);
        visit_bars.push(bar(i, 0.12, *visits, "lượt truy cập", &day));
        view_bars.push(bar(i, 0.52, *views, "lượt xem trang", &day));
        // Every fifth day is labelled, counting back from today.
        if (days.len() - 1 - i).is_multiple_of(5) {
            labels.push(DayLabel {
                x: n(LEFT + slot * (i as f64 + 0.5)),
                label: day.clone(),
            });
        }
        figures.push(DayFigures {
            label: day,
            visits: vntext::format_number(*visits),
            page_views: vntext::format_number(*views),
        });
    }
    let total_visits: i64 = days.iter().map(|d| d.1).sum();
    let total_views: i64 = days.iter().map(|d| d.2).sum();
    let first = days.first().map(|d| d.0.as_str()).unwrap_or("");
    let last = days.last().map(|d| d.0.as_str()).unwrap_or("");
    let busiest = days
        .iter()
        .filter(|d| d.1 > 0)
        // The latest of equally busy days.
        .max_by_key(|d| d.1)
        .map(|d| {
            format!(
                " Ngày nhiều lượt truy cập nhất: {} ({} lượt).",
                short(&d.0),
                vntext::format_number(d.1)
            )
        })
        .unwrap_or_default();
    Chart {
        view_box: format!("0 0 {WIDTH} {HEIGHT}"),
        left: n(LEFT),
        right: n(RIGHT),
        bottom: n(BOTTOM),
        title: format!("Lượt truy cập và lượt xem trang trong {DAYS} ngày qua"),
        desc: format!(
            "Biểu đồ cột theo ngày, từ {} đến {}: tổng {} lượt truy cập và {} lượt xem trang.{busiest}",
            vntext::format_iso_date(first).unwrap_or_default(),
            vntext::format_iso_date(last).unwrap_or_default(),
            vntext::format_number(total_visits),
            vntext::format_number(total_views),
        ),
        ticks: (0..=4)
            .map(|k| Tick {
                y: n(y_of(step * k)),
                label: vntext::format_number(step * k),
            })
            .collect(),
        visit_bars,
        view_bars,
        labels,
        days: figures,
        total_visits: vntext::format_number(total_visits),
        total_views: vntext::format_number(total_views),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_axis_is_round() {
        assert_eq!(axis_step(0), 1);
        assert_eq!(axis_step(4), 1);
        assert_eq!(axis_step(5), 2);
        assert_eq!(axis_step(37), 10);
        assert_eq!(axis_step(1_234_567), 500_000);
    }

    #[test]
    fn missing_days_are_zero_and_bars_scale() {
        let today = vntext::local_day(1_795_539_600); // 25/11/2026
        let rows = vec![DailyRow {
            day: "2026-11-24".into(),
            visits: 40,
            page_views: 80,
            bot_hits: 3,
        }];
        let c = build(&rows, today);
        assert_eq!(c.days.len(), 30);
        assert_eq!(c.days[0].label, "27/10");
        assert_eq!(c.days[28].visits, "40");
        assert_eq!(c.days[29].visits, "0");
        // 80 is the top of the axis (4 steps of 20): the page-view bar is full height.
        assert_eq!(c.ticks[4].label, "80");
        assert_eq!(c.view_bars[28].y, n(TOP));
        assert_eq!(c.visit_bars[28].height, n((BOTTOM - TOP) / 2.0));
        assert!(c.desc.contains("từ 27/10/2026 đến 25/11/2026"));
        assert!(c.desc.contains("24/11 (40 lượt)"));
    }
}
