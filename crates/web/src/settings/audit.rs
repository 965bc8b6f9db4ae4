//! `/quan-tri/nhat-ky`: the audit log for administrators, filtered by person,
//! action and days, fifty a page, newest first; and the same entries as CSV or
//! XLSX. A site's administrators see their site's entries; a super-administrator
//! sees every site's (and the command line's).

use crate::platform::back_office::{page, when};
use crate::platform::extract::{Need, SiteRole};
use crate::platform::layout::{AdminChrome, PagerView, SelectOption, percent_encode};
use crate::platform::site::CurrentSite;
use crate::{AppError, AppState, now};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::Role;
use domain::{AuditEntry, PageNumber, Pager, UserId};
use std::collections::HashMap;
use store::{AuditFilter, SessionInfo};

/// Who reads the audit log.
pub(crate) struct AuditReader;
impl Need for AuditReader {
    const ROLE: Role = Role::Admin;
    const REFUSAL: &'static str = "Chỉ quản trị viên của trang này mới xem được nhật ký hoạt động.";
}

/// Entries per page.
const PER_PAGE: u32 = 50;

/// Most entries one export carries; a wider range is narrowed with the filters.
const EXPORT_LIMIT: i64 = 100_000;

/// The filters as typed, and what they mean to the store.
struct Filters {
    user: String,
    action: String,
    from: String,
    to: String,
    notes: Vec<String>,
    store: AuditFilter,
}

impl Filters {
    fn read(q: &HashMap<String, String>, site: &CurrentSite, session: &SessionInfo) -> Filters {
        let get = |k: &str| q.get(k).map(|v| vntext::clean_line(v)).unwrap_or_default();
        let (user, action, from, to) = (
            get("nguoi-dung"),
            get("viec"),
            get("tu-ngay"),
            get("den-ngay"),
        );
        let mut notes = Vec::new();
        let mut day = |s: &str, end: bool| -> Option<i64> {
            if s.is_empty() {
                return None;
            }
            match vntext::parse_date_any(s).and_then(|d| vntext::day_bounds(&d)) {
                Some((start, stop)) => Some(if end { stop } else { start }),
                None => {
                    notes.push(format!(
                        "Ngày “{s}” không đọc được; hãy nhập theo dạng dd/mm/yyyy. Bộ lọc này được bỏ qua."
                    ));
                    None
                }
            }
        };
        let store = AuditFilter {
            site: scope(site, session),
            user: user.parse().ok().map(UserId),
            action: (!action.is_empty()).then(|| action.clone()),
            from: day(&from, false),
            to: day(&to, true),
        };
        Filters {
            user,
            action,
            from,
            to,
            notes,
            store,
        }
    }

    /// The filters as a query string (without `trang`).
    fn query(&self) -> String {
        [
            ("nguoi-dung", &self.user),
            ("viec", &self.action),
            ("tu-ngay", &self.from),
            ("den-ngay", &self.to),
        ]
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
    }
}

/// Whose entries the person may read: their site's, or every site's for a
/// super-administrator.
pub(crate) fn scope(site: &CurrentSite, session: &SessionInfo) -> Option<domain::SiteId> {
    (!session.user.is_super).then_some(site.site.id)
}

/// A line of the page.
pub(crate) struct AuditRow {
    pub when: String,
    pub username: String,
    pub full_name: String,
    pub site: String,
    pub action: String,
    pub detail: String,
    pub ip: String,
}

#[derive(Template)]
#[template(path = "settings/audit.html")]
pub(crate) struct AuditTemplate {
    pub chrome: AdminChrome,
    pub rows: Vec<AuditRow>,
    pub total: String,
    pub all_sites: bool,
    pub people: Vec<SelectOption>,
    pub actions: Vec<SelectOption>,
    pub from: String,
    pub to: String,
    pub notes: Vec<String>,
    pub pager: Option<PagerView>,
    pub csv_url: String,
    pub xlsx_url: String,
}

/// `GET /quan-tri/nhat-ky`
pub(crate) async fn list(
    State(state): State<AppState>,
    site: CurrentSite,
    SiteRole { session, .. }: SiteRole<AuditReader>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let f = Filters::read(&q, &site, &session);
    let page_no = PageNumber::parse(q.get("trang").map(String::as_str));
    let (entries, total) = state
        .store
        .audit_log(&f.store, i64::from(PER_PAGE), page_no.offset(PER_PAGE))
        .await?;
    let query = f.query();
    let with_query = |path: &str| {
        if query.is_empty() {
            path.to_owned()
        } else {
            format!("{path}?{query}")
        }
    };
    let pager = Pager::new(total, PER_PAGE, page_no)
        .and_then(|p| PagerView::new(&p, &with_query("/quan-tri/nhat-ky"), ""));
    let people = state
        .store
        .audit_people(f.store.site)
        .await?
        .into_iter()
        .map(|(id, username, full_name)| {
            SelectOption::new(
                id.0.to_string(),
                format!("{username} ({full_name})"),
                &f.user,
            )
        })
        .collect();
    let actions = state
        .store
        .audit_actions(f.store.site)
        .await?
        .into_iter()
        .map(|a| SelectOption::new(a.clone(), a, &f.action))
        .collect();
    page(
        StatusCode::OK,
        &AuditTemplate {
            chrome: AdminChrome::new("Nhật ký hoạt động", &site, &session),
            rows: entries.iter().map(row).collect(),
            total: vntext::format_number(total),
            all_sites: f.store.site.is_none(),
            people,
            actions,
            csv_url: with_query("/quan-tri/nhat-ky.csv"),
            xlsx_url: with_query("/quan-tri/nhat-ky.xlsx"),
            from: f.from,
            to: f.to,
            notes: f.notes,
            pager,
        },
    )
}

/// Who did it: the account, or "dòng lệnh" for the command line.
fn who(e: &AuditEntry) -> String {
    if e.username.is_empty() && e.ip == store::COMMAND_LINE {
        store::COMMAND_LINE.to_owned()
    } else {
        e.username.clone()
    }
}

fn row(e: &AuditEntry) -> AuditRow {
    AuditRow {
        when: when(e.at),
        username: who(e),
        full_name: e.full_name.clone(),
        site: e.site_name.clone(),
        action: e.action.clone(),
        detail: e.detail.clone(),
        ip: e.ip.clone(),
    }
}

/// The export's columns.
const HEADER: [&str; 7] = [
    "Thời gian",
    "Tên đăng nhập",
    "Họ và tên",
    "Trang",
    "Việc",
    "Chi tiết",
    "Địa chỉ IP",
];

fn cells(e: &AuditEntry) -> [String; 7] {
    [
        vntext::format_datetime(e.at),
        who(e),
        e.full_name.clone(),
        e.site_name.clone(),
        e.action.clone(),
        e.detail.clone(),
        e.ip.clone(),
    ]
}

/// The filtered entries for an export.
async fn export_entries(
    state: &AppState,
    site: &CurrentSite,
    session: &SessionInfo,
    q: &HashMap<String, String>,
) -> Result<Vec<AuditEntry>, AppError> {
    let f = Filters::read(q, site, session);
    Ok(state.store.audit_log(&f.store, EXPORT_LIMIT, 0).await?.0)
}

fn download(content_type: &'static str, extension: &str, body: Vec<u8>) -> Response {
    let name = format!("nhat-ky-{}.{extension}", vntext::local_iso_date(now()));
    crate::platform::back_office::download(&name, content_type, body)
}

/// `GET /quan-tri/nhat-ky.csv`: UTF-8 with a byte-order mark, which is what makes
/// Excel read Vietnamese right; comma-separated, CRLF, RFC 4180 quoting.
pub(crate) async fn export_csv(
    State(state): State<AppState>,
    site: CurrentSite,
    SiteRole { session, .. }: SiteRole<AuditReader>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let entries = export_entries(&state, &site, &session, &q).await?;
    let mut out = String::from("\u{feff}");
    push_csv_line(&mut out, HEADER.iter().copied());
    for e in &entries {
        let c = cells(e);
        push_csv_line(&mut out, c.iter().map(String::as_str));
    }
    Ok(download("text/csv; charset=utf-8", "csv", out.into_bytes()))
}

fn push_csv_line<'a>(out: &mut String, fields: impl Iterator<Item = &'a str>) {
    for (i, field) in fields.enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&csv_field(field));
    }
    out.push_str("\r\n");
}

/// One CSV field. A value that a spreadsheet would take for a formula (a detail
/// typed by someone, starting with `=`, `+`, `-` or `@`) is led by an apostrophe,
/// so opening the file runs nothing.
fn csv_field(value: &str) -> String {
    let guarded = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

/// `GET /quan-tri/nhat-ky.xlsx`: the same entries as a workbook, times as real
/// dates (Vietnamese time) so they sort and filter in Excel.
pub(crate) async fn export_xlsx(
    State(state): State<AppState>,
    site: CurrentSite,
    SiteRole { session, .. }: SiteRole<AuditReader>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let entries = export_entries(&state, &site, &session, &q).await?;
    let bytes = workbook(&entries).map_err(|e| AppError::Internal(format!("xlsx: {e}")))?;
    Ok(download(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
        bytes,
    ))
}

fn workbook(entries: &[AuditEntry]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Nhật ký")?;
    let bold = Format::new().set_bold();
    let time = Format::new().set_num_format("dd/mm/yyyy hh:mm");
    for (col, title) in HEADER.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *title, &bold)?;
    }
    for (i, e) in entries.iter().enumerate() {
        let r = i as u32 + 1;
        // Excel has no time zones: write the clock time in Vietnam.
        let offset = i64::from(vntext::local(e.at).offset().seconds());
        sheet.write_datetime_with_format(
            r,
            0,
            ExcelDateTime::from_timestamp(e.at + offset)?,
            &time,
        )?;
        for (col, value) in cells(e).iter().enumerate().skip(1) {
            sheet.write_string(r, col as u16, value)?;
        }
    }
    for (col, width) in [18, 16, 22, 30, 22, 50, 16].into_iter().enumerate() {
        sheet.set_column_width(col as u16, width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_and_formulas_defused() {
        assert_eq!(csv_field("đăng nhập"), "đăng nhập");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("nói \"không\""), "\"nói \"\"không\"\"\"");
        assert_eq!(csv_field("=1+1"), "'=1+1");
        assert_eq!(csv_field("-2,3"), "\"'-2,3\"");
    }
}
