//! Score distribution of one subject ("phổ điểm"): counts per step, mean, median, and
//! the chart the public page shows next to the table.

use crate::model::{Candidate, Score, Subject, format_decimal_vi, format_hundredths};
use std::fmt::Write;

/// How the candidates of one subject scored.
#[derive(Debug, Clone, PartialEq)]
pub struct Distribution {
    /// The subject's name.
    pub subject: String,
    /// The step of the scale, in hundredths.
    pub step: u32,
    /// Candidates per score, from 0 to the maximum in steps: `counts[k]` is the number
    /// who scored `k × step`.
    pub counts: Vec<u64>,
    /// Candidates with a score.
    pub sitting: u64,
    /// Candidates marked absent.
    pub absent: u64,
    /// The mean score of those sitting.
    pub mean: Option<f64>,
    /// The median score of those sitting (the mean of the two middle ones when their
    /// number is even).
    pub median: Option<f64>,
}

/// One line of the distribution table.
#[derive(Debug, Clone, PartialEq)]
pub struct DistributionRow {
    /// The score.
    pub score: Score,
    /// The score written the Vietnamese way ("6,75").
    pub label: String,
    /// Candidates with that score.
    pub count: u64,
    /// Their share of those sitting, in percent.
    pub percent: f64,
}

impl Distribution {
    /// Counts the scores of one subject (`None` is absent).
    pub fn of(subject: &Subject, scores: impl Iterator<Item = Option<Score>>) -> Self {
        let step = subject.step_hundredths();
        let buckets = (subject.max_hundredths() / step) as usize + 1;
        let mut counts = vec![0u64; buckets];
        let (mut sitting, mut absent, mut sum) = (0u64, 0u64, 0u64);
        for s in scores {
            match s {
                None => absent += 1,
                Some(Score(h)) => {
                    let k = (u32::from(h) / step) as usize;
                    counts[k.min(buckets - 1)] += 1;
                    sitting += 1;
                    sum += u64::from(h);
                }
            }
        }
        let mean = (sitting > 0).then(|| sum as f64 / sitting as f64 / 100.0);
        let median = (sitting > 0).then(|| {
            let at = |rank: u64| -> f64 {
                let mut seen = 0;
                for (k, &c) in counts.iter().enumerate() {
                    seen += c;
                    if seen > rank {
                        return (k as u32 * step) as f64 / 100.0;
                    }
                }
                0.0
            };
            if sitting % 2 == 1 {
                at(sitting / 2)
            } else {
                (at(sitting / 2 - 1) + at(sitting / 2)) / 2.0
            }
        });
        Distribution {
            subject: subject.name.clone(),
            step,
            counts,
            sitting,
            absent,
            mean,
            median,
        }
    }

    /// The distribution of subject `i` over imported candidates (the admin's preview,
    /// before anything is saved).
    pub fn of_candidates(subject: &Subject, i: usize, candidates: &[Candidate]) -> Self {
        Distribution::of(
            subject,
            candidates
                .iter()
                .map(|c| c.scores.get(i).copied().flatten()),
        )
    }

    /// The table: one row per score step.
    pub fn rows(&self) -> Vec<DistributionRow> {
        self.counts
            .iter()
            .enumerate()
            .map(|(k, &count)| {
                let h = k as u32 * self.step;
                DistributionRow {
                    score: Score(h as u16),
                    label: format_hundredths(h),
                    count,
                    percent: if self.sitting == 0 {
                        0.0
                    } else {
                        count as f64 * 100.0 / self.sitting as f64
                    },
                }
            })
            .collect()
    }

    /// The mean as "6,75" ("—" when nobody sat).
    pub fn mean_vi(&self) -> String {
        self.mean
            .map_or_else(|| "—".to_owned(), |m| format_decimal_vi(m, 2))
    }

    /// The median as "7" or "6,875" ("—" when nobody sat).
    pub fn median_vi(&self) -> String {
        self.median
            .map_or_else(|| "—".to_owned(), |m| format_decimal_vi(m, 3))
    }

    /// One sentence saying what the chart shows, for screen readers.
    pub fn summary_vi(&self) -> String {
        let mut s = format!(
            "Phổ điểm môn {}: {} thí sinh dự thi, {} vắng thi",
            self.subject,
            vntext::format_number(self.sitting as i64),
            vntext::format_number(self.absent as i64)
        );
        if self.sitting > 0 {
            let (k, &top) = self
                .counts
                .iter()
                .enumerate()
                .max_by_key(|&(k, &c)| (c, std::cmp::Reverse(k)))
                .unwrap_or((0, &0));
            let _ = write!(
                s,
                "; điểm trung bình {}, trung vị {}; nhiều thí sinh nhất ở mức {} điểm ({} thí sinh)",
                self.mean_vi(),
                self.median_vi(),
                format_hundredths(k as u32 * self.step),
                vntext::format_number(top as i64)
            );
        }
        s.push('.');
        s
    }
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A round top for the count axis: 1, 2 or 5 times a power of ten, at least `max`.
fn nice_ceiling(max: u64) -> u64 {
    let mut unit = 1u64;
    loop {
        for m in [1, 2, 5] {
            if m * unit >= max {
                return m * unit;
            }
        }
        unit = unit.saturating_mul(10);
    }
}

/// The distribution as an SVG bar chart, server-rendered and accessible: `role="img"`,
/// a `<title>` and a `<desc>` that says in words what the bars show, a tooltip per bar;
/// numbers the Vietnamese way (1.234, 6,75). Meant to sit beside the table of
/// [`Distribution::rows`], which is the same data for those who cannot see it.
pub fn svg_chart(d: &Distribution, title: &str) -> String {
    const W: f64 = 800.0;
    const H: f64 = 360.0;
    const LEFT: f64 = 64.0;
    const RIGHT: f64 = 16.0;
    const TOP: f64 = 20.0;
    const BOTTOM: f64 = 52.0;
    let plot_w = W - LEFT - RIGHT;
    let plot_h = H - TOP - BOTTOM;
    let top = nice_ceiling(d.counts.iter().copied().max().unwrap_or(0).max(1));
    let n = d.counts.len().max(1);
    let slot = plot_w / n as f64;
    let id = {
        let slug = vntext::slugify(title);
        if slug.is_empty() {
            "pho-diem".to_owned()
        } else {
            format!("pho-diem-{slug}")
        }
    };
    let mut s = String::with_capacity(8 * 1024);
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" role="img" aria-labelledby="{id}-t {id}-d" class="pho-diem" font-family="sans-serif" font-size="12"><title id="{id}-t">{}</title><desc id="{id}-d">{}</desc>"#,
        escape(title),
        escape(&d.summary_vi())
    );
    // Grid lines and count labels: five bands.
    for i in 0..=5u64 {
        let value = top * i / 5;
        let y = TOP + plot_h - plot_h * i as f64 / 5.0;
        let _ = write!(
            s,
            r##"<line x1="{LEFT}" x2="{}" y1="{y:.1}" y2="{y:.1}" stroke="#d0d7de" stroke-width="1"/><text x="{}" y="{:.1}" text-anchor="end" fill="#333">{}</text>"##,
            W - RIGHT,
            LEFT - 6.0,
            y + 4.0,
            vntext::format_number(value as i64)
        );
    }
    s.push_str(r##"<g class="pho-diem-cot" fill="#1f5fa8">"##);
    for row in d.rows() {
        let k = (u32::from(row.score.0) / d.step) as f64;
        let h = plot_h * row.count as f64 / top as f64;
        let x = LEFT + k * slot + slot * 0.1;
        let _ = write!(
            s,
            r#"<rect x="{x:.1}" y="{:.1}" width="{:.1}" height="{h:.1}"><title>{} điểm: {} thí sinh</title></rect>"#,
            TOP + plot_h - h,
            slot * 0.8,
            row.label,
            vntext::format_number(row.count as i64)
        );
    }
    s.push_str("</g>");
    // Score labels on whole points only, so that 41 steps stay readable.
    for row in d.rows() {
        if row.score.0 % 100 != 0 {
            continue;
        }
        let k = (u32::from(row.score.0) / d.step) as f64;
        let _ = write!(
            s,
            r##"<text x="{:.1}" y="{}" text-anchor="middle" fill="#333">{}</text>"##,
            LEFT + (k + 0.5) * slot,
            TOP + plot_h + 16.0,
            row.label
        );
    }
    if let Some(mean) = d.mean {
        let x = LEFT + (mean * 100.0 / f64::from(d.step) + 0.5) * slot;
        let _ = write!(
            s,
            r##"<line x1="{x:.1}" x2="{x:.1}" y1="{TOP}" y2="{}" stroke="#c0392b" stroke-width="1.5" stroke-dasharray="4 3"/><text x="{:.1}" y="{}" text-anchor="start" fill="#c0392b">Trung bình {}</text>"##,
            TOP + plot_h,
            x + 4.0,
            TOP + 12.0,
            d.mean_vi()
        );
    }
    let _ = write!(
        s,
        r##"<text x="{}" y="{}" text-anchor="middle" fill="#333">Điểm</text><text x="14" y="{}" text-anchor="middle" fill="#333" transform="rotate(-90 14 {})">Số thí sinh</text></svg>"##,
        LEFT + plot_w / 2.0,
        H - 4.0,
        TOP + plot_h / 2.0,
        TOP + plot_h / 2.0
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_tops() {
        assert_eq!(nice_ceiling(1), 1);
        assert_eq!(nice_ceiling(3), 5);
        assert_eq!(nice_ceiling(7), 10);
        assert_eq!(nice_ceiling(11), 20);
        assert_eq!(nice_ceiling(48_213), 50_000);
    }
}
