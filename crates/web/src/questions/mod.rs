//! Citizens' questions (hỏi đáp, issue 16). Readers send a question at
//! `/hoi-dap/gui-cau-hoi`, get a tracking code and follow it at
//! `/hoi-dap/tra-cuu` (code and e-mail); answered questions they allowed to be
//! published are listed at `/hoi-dap`. The office's inbox is `/quan-tri/hoi-dap`:
//! assign with a deadline in working days, answer in the rich editor, approve,
//! spam, forward to another site of the province. Background chores remind of
//! deadlines and delete old spam; e-mail goes through the mail queue. The
//! portal's satisfaction rating ("Đánh giá mức độ hài lòng") is in every footer.

pub(crate) mod admin;
pub(crate) mod public;
pub(crate) mod reports;

use crate::AppState;
use crate::platform::parts::{ChoreFuture, Parts, When};
use crate::platform::routes::{NO_QUERY, Routes};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use domain::calendar::Calendar;
use domain::{QuestionStatus, SiteId};

/// The deadline a question gets when it arrives, in working days (the Law on
/// Access to Information's longest); the editor sets another when assigning.
pub(crate) const DEFAULT_DUE_DAYS: u32 = 15;

/// The routes of the questions, public and back office.
pub(crate) fn routes(state: &AppState) -> Routes {
    // The form with its one file: the largest a document or an image may be.
    let limits = &state.options.media_limits;
    let form_limit = usize::try_from(limits.document_bytes.max(limits.image_bytes))
        .unwrap_or(usize::MAX)
        .saturating_add(1 << 20);
    Routes::new()
        .public(
            "/hoi-dap",
            &["linh-vuc", "tu-khoa", "trang"],
            get(public::list),
        )
        .personal(
            "/hoi-dap/gui-cau-hoi",
            get(public::form)
                .post(public::submit)
                .layer(axum::extract::DefaultBodyLimit::max(form_limit)),
        )
        .personal("/hoi-dap/da-gui", get(public::sent))
        .personal(
            "/hoi-dap/tra-cuu",
            get(public::lookup_form).post(public::lookup),
        )
        .public("/hoi-dap/{id}", NO_QUERY, get(public::show))
        .personal("/hoi-dap/{id}/huu-ich", post(public::vote))
        .personal("/danh-gia-hai-long", post(public::rate))
        .admin("/quan-tri/hoi-dap", get(admin::inbox))
        .admin("/quan-tri/hoi-dap/email-nhac-viec", post(admin::set_mail))
        .admin(
            "/quan-tri/hoi-dap/ngay-nghi",
            get(admin::holidays).post(admin::save_holiday),
        )
        .admin("/quan-tri/hoi-dap/bao-cao", get(reports::report))
        .admin("/quan-tri/hoi-dap/bao-cao.xlsx", get(reports::report_xlsx))
        .admin("/quan-tri/hoi-dap/danh-gia", get(reports::ratings))
        .admin(
            "/quan-tri/hoi-dap/danh-gia.xlsx",
            get(reports::ratings_xlsx),
        )
        .admin("/quan-tri/hoi-dap/{id}", get(admin::show))
        .admin("/quan-tri/hoi-dap/{id}/tep", get(admin::attachment))
        .admin(
            "/quan-tri/hoi-dap/{id}/dinh-kem-tra-loi",
            post(admin::attach_to_answer),
        )
        .admin("/quan-tri/hoi-dap/{id}/giao", post(admin::assign))
        .admin(
            "/quan-tri/hoi-dap/{id}/tra-loi",
            post(admin::answer).layer(axum::extract::DefaultBodyLimit::max(24 << 20)),
        )
        .admin("/quan-tri/hoi-dap/{id}/duyet", post(admin::approve))
        .admin("/quan-tri/hoi-dap/{id}/tra-lai", post(admin::send_back))
        .admin("/quan-tri/hoi-dap/{id}/thu-rac", post(admin::spam))
        .admin("/quan-tri/hoi-dap/{id}/chuyen", post(admin::forward))
}

/// The menu entry and the chores: reminders and spam pruning.
pub(crate) fn install(parts: &mut Parts) {
    parts.menu_page(crate::platform::menu::ModulePage {
        key: "hoi-dap",
        label: "Hỏi đáp",
        path: "/hoi-dap",
        in_default: true,
    });
    parts.chore("questions: reminders", When::Hourly, remind_chore);
    parts.chore("questions: prune spam", When::Hourly, prune_chore);
}

fn remind_chore(state: &AppState) -> ChoreFuture<'_> {
    Box::pin(async move {
        if let Err(e) = admin::send_reminders(state, crate::now()).await {
            tracing::warn!(error = %e, "question reminders not sent; tried again next hour");
        }
    })
}

fn prune_chore(state: &AppState) -> ChoreFuture<'_> {
    Box::pin(async move {
        match state.store.prune_spam_questions(crate::now()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(deleted = n, "old spam questions deleted"),
            Err(e) => {
                tracing::warn!(error = %e, "spam questions not pruned; tried again next hour")
            }
        }
    })
}

/// Deletes spam older than 30 days, as the hourly chore does; how many.
pub async fn prune_spam(state: &AppState, now: i64) -> Result<u64, store::Error> {
    state.store.prune_spam_questions(now).await
}

/// Sends the day's reminders, as the hourly chore does.
pub async fn remind(state: &AppState, now: i64) -> Result<(), store::Error> {
    admin::send_reminders(state, now).await
}

/// A fresh tracking code (a clash with a stored one is refused by the store as
/// `Conflict`: the caller draws again).
pub(crate) fn new_tracking_code() -> Result<String, crate::AppError> {
    let mut random = [0u8; 8];
    getrandom::getrandom(&mut random)
        .map_err(|e| crate::AppError::Internal(format!("random: {e}")))?;
    Ok(domain::tracking_code(random))
}

/// A site's working-day calendar: the shipped holidays with its edits.
pub(crate) async fn calendar(state: &AppState, site: SiteId) -> Result<Calendar, store::Error> {
    Ok(Calendar::with_edits(
        &state.store.holiday_edits(site).await?,
    ))
}

/// A deadline as the inbox shows it, and whether it is past or close.
pub(crate) struct Deadline {
    pub date: String,
    pub left: String,
    /// "qua-han", "sap-den-han" or "".
    pub class: &'static str,
}

impl Deadline {
    pub(crate) fn new(cal: &Calendar, today: i64, due: i64, status: QuestionStatus) -> Deadline {
        let date = domain::calendar::vi_date_of(due);
        if !status.is_open() {
            return Deadline {
                date,
                left: String::new(),
                class: "",
            };
        }
        let left = cal.working_days_between(today, due);
        let (text, class) = match left {
            l if l < 0 => (format!("quá hạn {} ngày làm việc", -l), "qua-han"),
            0 => ("hết hạn hôm nay".to_owned(), "sap-den-han"),
            1 => ("còn 1 ngày làm việc".to_owned(), "sap-den-han"),
            l => (format!("còn {l} ngày làm việc"), ""),
        };
        Deadline {
            date,
            left: text,
            class,
        }
    }
}

/// "Sắp đến hạn" (due within one working day) and "Quá hạn" counts of a site.
pub(crate) async fn deadline_counts(
    state: &AppState,
    site: SiteId,
    now: i64,
) -> Result<(i64, i64), store::Error> {
    let cal = calendar(state, site).await?;
    let today = vntext::local_day(now);
    let mut soon = 0;
    let mut late = 0;
    for (_, t) in state.store.question_timings(Some(site), now).await? {
        let (true, Some(due)) = (t.status.is_open(), t.due_day) else {
            continue;
        };
        match cal.working_days_between(today, due) {
            l if l < 0 => late += 1,
            0 | 1 => soon += 1,
            _ => {}
        }
    }
    Ok((soon, late))
}

/// What the dashboard shows of the questions.
pub(crate) struct DashboardFigures {
    pub soon: String,
    pub late: String,
    pub new: String,
    pub mail_off: bool,
    pub mail_waiting: String,
}

/// The dashboard's figures for a site.
pub(crate) async fn dashboard(
    state: &AppState,
    site: SiteId,
) -> Result<DashboardFigures, store::Error> {
    let now = crate::now();
    let (soon, late) = deadline_counts(state, site, now).await?;
    let new = state
        .store
        .question_status_counts(site)
        .await?
        .into_iter()
        .find(|(s, _)| *s == QuestionStatus::New)
        .map_or(0, |(_, n)| n);
    let mail = state.store.mail_queue_counts(now - 86_400).await?;
    Ok(DashboardFigures {
        soon: vntext::format_number(soon),
        late: vntext::format_number(late),
        new: vntext::format_number(new),
        mail_off: !state.mail_configured(),
        mail_waiting: vntext::format_number(mail.waiting),
    })
}

/// Whether a POST from a page anyone may have cached (a vote, a rating) comes
/// from this site's own pages: the browser's `Sec-Fetch-Site`, or else its
/// `Origin`, must say so. Those forms carry no per-person token (the page is the
/// same for everyone), so this is what stops another site from posting them.
pub(crate) fn same_origin(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return matches!(site, "same-origin" | "none");
    }
    match (
        headers.get("origin").and_then(|v| v.to_str().ok()),
        headers.get("host").and_then(|v| v.to_str().ok()),
    ) {
        (Some(origin), Some(host)) => origin
            .split_once("://")
            .is_some_and(|(_, rest)| rest.eq_ignore_ascii_case(host)),
        (Some(_), None) => false,
        // Browsers send Origin with every POST; a client without one is no
        // browser that another page could steer.
        (None, _) => true,
    }
}
