//! The questions' report by month and field (received, answered on time, late,
//! average working days to answer) and the portal's satisfaction ratings by
//! month: each a table, a chart drawn as CSS bars and an XLSX export.

use crate::platform::back_office::page;
use crate::platform::extract::SiteRole;
use crate::platform::layout::AdminChrome;
use crate::platform::site::CurrentSite;
use crate::questions::admin::QuestionEditor;
use crate::questions::calendar;
use crate::{AppError, AppState, now};
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::QuestionStatus;
use std::collections::BTreeMap;

/// One line of the report: a month and a field.
pub(crate) struct ReportLine {
    pub month: String,
    pub field: &'static str,
    pub received: i64,
    pub on_time: i64,
    pub late: i64,
    /// Average working days from arrival to approval (answered ones).
    pub average: Option<f64>,
}

impl ReportLine {
    pub(crate) fn average_text(&self) -> String {
        self.average
            .map(|a| format!("{:.1}", a).replace('.', ","))
            .unwrap_or_else(|| "–".to_owned())
    }
}

/// A bar of a chart (CSS widths in percent).
pub(crate) struct Bar {
    pub label: String,
    pub value: String,
    pub percent: i64,
    pub second_percent: i64,
    pub second_value: String,
}

/// Received, on time, late, working days in all, answered.
type Tally = (i64, i64, i64, i64, i64);

/// The report's lines, newest month first, over the last twelve months.
async fn report_lines(state: &AppState, site: &CurrentSite) -> Result<Vec<ReportLine>, AppError> {
    let now = now();
    let since = now - 400 * 86_400;
    let cal = calendar(state, site.site.id).await?;
    let fields: BTreeMap<i64, String> = state
        .store
        .question_fields(site.site.id, since)
        .await?
        .into_iter()
        .map(|(id, f)| (id.0, f))
        .collect();
    let mut lines: BTreeMap<(String, String), Tally> = BTreeMap::new();
    for (_, t) in state
        .store
        .question_timings(Some(site.site.id), since)
        .await?
    {
        if t.created_at < since || t.status == QuestionStatus::Spam {
            continue;
        }
        let Some(field) = fields.get(&t.id.0) else {
            continue;
        };
        let month: String = vntext::local_iso_date(t.created_at)
            .chars()
            .take(7)
            .collect();
        let e = lines.entry((month, field.clone())).or_default();
        e.0 += 1;
        if let Some(published) = t.published_at {
            let answered = vntext::local_day(published);
            let took = cal.working_days_between(vntext::local_day(t.created_at), answered);
            e.3 += took.max(0);
            e.4 += 1;
            if t.due_day.is_some_and(|d| answered <= d) || t.due_day.is_none() {
                e.1 += 1;
            } else {
                e.2 += 1;
            }
        } else if t.status.is_open() && t.due_day.is_some_and(|d| d < vntext::local_day(now)) {
            e.2 += 1;
        }
    }
    Ok(lines
        .into_iter()
        .rev()
        .map(
            |((month, field), (received, on_time, late, days, answered))| ReportLine {
                month: month_label(&month),
                field: domain::question_field_label(&field),
                received,
                on_time,
                late,
                average: (answered > 0).then(|| days as f64 / answered as f64),
            },
        )
        .collect())
}

fn month_label(month: &str) -> String {
    match month.split_once('-') {
        Some((y, m)) => format!("{m}/{y}"),
        None => month.to_owned(),
    }
}

#[derive(Template)]
#[template(path = "questions/admin_report.html")]
pub(crate) struct ReportTemplate {
    pub chrome: AdminChrome,
    pub lines: Vec<ReportLine>,
    pub bars: Vec<Bar>,
}

/// `GET /quan-tri/hoi-dap/bao-cao`
pub(crate) async fn report(
    State(state): State<AppState>,
    site: CurrentSite,
    SiteRole { session, .. }: SiteRole<QuestionEditor>,
) -> Result<Response, AppError> {
    let lines = report_lines(&state, &site).await?;
    // The chart: per month, received and answered on time.
    let mut months: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    for l in &lines {
        let e = months.entry(sortable(&l.month)).or_default();
        e.0 += l.received;
        e.1 += l.on_time;
    }
    let top = months.values().map(|v| v.0).max().unwrap_or(0).max(1);
    let bars = months
        .iter()
        .map(|(m, (received, on_time))| Bar {
            label: month_label(m),
            value: format!("{} câu hỏi", vntext::format_number(*received)),
            percent: received * 100 / top,
            second_percent: on_time * 100 / top,
            second_value: format!("{} đúng hạn", vntext::format_number(*on_time)),
        })
        .collect();
    page(
        StatusCode::OK,
        &ReportTemplate {
            chrome: AdminChrome::new("Báo cáo hỏi đáp", &site, &session),
            lines,
            bars,
        },
    )
}

fn sortable(label: &str) -> String {
    match label.split_once('/') {
        Some((m, y)) => format!("{y}-{m}"),
        None => label.to_owned(),
    }
}

/// `GET /quan-tri/hoi-dap/bao-cao.xlsx`
pub(crate) async fn report_xlsx(
    State(state): State<AppState>,
    site: CurrentSite,
    SiteRole { .. }: SiteRole<QuestionEditor>,
) -> Result<Response, AppError> {
    let lines = report_lines(&state, &site).await?;
    let rows: Vec<Vec<Cell>> = lines
        .iter()
        .map(|l| {
            vec![
                Cell::Text(l.month.clone()),
                Cell::Text(l.field.to_owned()),
                Cell::Number(l.received as f64),
                Cell::Number(l.on_time as f64),
                Cell::Number(l.late as f64),
                l.average.map_or(Cell::Text(String::new()), Cell::Number),
            ]
        })
        .collect();
    xlsx(
        "bao-cao-hoi-dap",
        "Hỏi đáp",
        &[
            "Tháng",
            "Lĩnh vực",
            "Tiếp nhận",
            "Trả lời đúng hạn",
            "Trễ hạn",
            "Số ngày làm việc trung bình",
        ],
        &rows,
    )
}

/// A month of ratings as shown.
pub(crate) struct RatingLine {
    pub month: String,
    pub total: String,
    pub average: String,
    pub counts: Vec<String>,
}

#[derive(Template)]
#[template(path = "questions/admin_ratings.html")]
pub(crate) struct RatingsTemplate {
    pub chrome: AdminChrome,
    pub lines: Vec<RatingLine>,
    pub bars: Vec<Bar>,
    pub comments: Vec<(String, i64, String)>,
}

fn average(counts: &[i64; 5]) -> Option<f64> {
    let total: i64 = counts.iter().sum();
    (total > 0).then(|| {
        counts
            .iter()
            .enumerate()
            .map(|(i, n)| (i as i64 + 1) * n)
            .sum::<i64>() as f64
            / total as f64
    })
}

fn decimal(x: f64) -> String {
    format!("{x:.2}").replace('.', ",")
}

/// `GET /quan-tri/hoi-dap/danh-gia`
pub(crate) async fn ratings(
    State(state): State<AppState>,
    site: CurrentSite,
    SiteRole { session, .. }: SiteRole<QuestionEditor>,
) -> Result<Response, AppError> {
    let months = state.store.rating_months(site.site.id).await?;
    let lines = months
        .iter()
        .rev()
        .map(|m| RatingLine {
            month: month_label(&m.month),
            total: vntext::format_number(m.counts.iter().sum()),
            average: average(&m.counts).map_or_else(|| "–".to_owned(), decimal),
            counts: m.counts.iter().map(|n| vntext::format_number(*n)).collect(),
        })
        .collect();
    let bars = months
        .iter()
        .map(|m| {
            let avg = average(&m.counts).unwrap_or(0.0);
            Bar {
                label: month_label(&m.month),
                value: format!("{} điểm", decimal(avg)),
                percent: (avg * 20.0).round() as i64,
                second_percent: 0,
                second_value: format!("{} lượt", vntext::format_number(m.counts.iter().sum())),
            }
        })
        .collect();
    let comments = state
        .store
        .rating_comments(site.site.id, 50)
        .await?
        .into_iter()
        .map(|c| (month_label(&c.month), c.score, c.comment))
        .collect();
    page(
        StatusCode::OK,
        &RatingsTemplate {
            chrome: AdminChrome::new("Đánh giá mức độ hài lòng", &site, &session),
            lines,
            bars,
            comments,
        },
    )
}

/// `GET /quan-tri/hoi-dap/danh-gia.xlsx`
pub(crate) async fn ratings_xlsx(
    State(state): State<AppState>,
    site: CurrentSite,
    SiteRole { .. }: SiteRole<QuestionEditor>,
) -> Result<Response, AppError> {
    let months = state.store.rating_months(site.site.id).await?;
    let rows: Vec<Vec<Cell>> = months
        .iter()
        .map(|m| {
            let mut row = vec![
                Cell::Text(month_label(&m.month)),
                Cell::Number(m.counts.iter().sum::<i64>() as f64),
                average(&m.counts).map_or(Cell::Text(String::new()), Cell::Number),
            ];
            row.extend(m.counts.iter().map(|n| Cell::Number(*n as f64)));
            row
        })
        .collect();
    xlsx(
        "danh-gia-hai-long",
        "Đánh giá",
        &[
            "Tháng",
            "Số lượt",
            "Điểm trung bình",
            "1 điểm",
            "2 điểm",
            "3 điểm",
            "4 điểm",
            "5 điểm",
        ],
        &rows,
    )
}

/// A cell of an export.
pub(crate) enum Cell {
    Text(String),
    Number(f64),
}

fn xlsx(
    name: &str,
    sheet_name: &str,
    header: &[&str],
    rows: &[Vec<Cell>],
) -> Result<Response, AppError> {
    let bytes =
        workbook(sheet_name, header, rows).map_err(|e| AppError::Internal(format!("xlsx: {e}")))?;
    let mut res = (StatusCode::OK, bytes).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    let file = format!("{name}-{}.xlsx", vntext::local_iso_date(now()));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{file}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}

fn workbook(
    sheet_name: &str,
    header: &[&str],
    rows: &[Vec<Cell>],
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(sheet_name)?;
    let bold = Format::new().set_bold();
    for (col, title) in header.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *title, &bold)?;
        sheet.set_column_width(col as u16, if col < 2 { 26 } else { 16 })?;
    }
    for (i, row) in rows.iter().enumerate() {
        for (col, cell) in row.iter().enumerate() {
            match cell {
                Cell::Text(t) => sheet.write_string(i as u32 + 1, col as u16, t)?,
                Cell::Number(n) => sheet.write_number(i as u32 + 1, col as u16, *n)?,
            };
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    book.save_to_buffer()
}
