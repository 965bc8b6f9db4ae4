//! `/quan-tri`: the first page after logging in: what waits for approval, what was
//! published lately, the last 30 days of visits, (for administrators) the latest
//! audit entries, and for someone who works on several sites, those sites.

use crate::accounts::views::SiteLink;
use crate::platform::back_office::{page, when};
use crate::platform::extract::SignedIn;
use crate::platform::layout::AdminChrome;
use crate::platform::site::CurrentSite;
use crate::settings::chart::{self, Chart};
use crate::{AppError, AppState, now};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use domain::{ArticleRow, ArticleStatus};
use store::{ArticleFilter, AuditFilter};

/// Lines of each list of articles.
const LIST_LENGTH: i64 = 10;

/// An article in one of the dashboard's lists.
pub(crate) struct ArticleLine {
    pub url: String,
    pub title: String,
    pub category: String,
    pub author: String,
    pub when: String,
}

impl From<&ArticleRow> for ArticleLine {
    fn from(r: &ArticleRow) -> ArticleLine {
        ArticleLine {
            url: format!("/quan-tri/bai-viet/{}", r.id),
            title: r.title.clone(),
            category: r.category_name.clone(),
            author: r.author_name.clone(),
            when: when(r.published_at),
        }
    }
}

/// Articles waiting for an editor, and how many there are in all.
pub(crate) struct Pending {
    pub lines: Vec<ArticleLine>,
    pub total: String,
    pub more: bool,
}

#[derive(Template)]
#[template(path = "settings/dashboard.html")]
pub(crate) struct DashboardTemplate {
    pub chrome: AdminChrome,
    pub full_name: String,
    pub role: String,
    /// For editors and administrators.
    pub pending: Option<Pending>,
    /// For anyone with a role on the site.
    pub recent: Option<Vec<ArticleLine>>,
    pub chart: Option<Chart>,
    /// For administrators: (time, login name, action, detail).
    pub audit: Vec<(String, String, String, String)>,
    /// "Trang bạn quản lý": shown when there are several.
    pub sites: Vec<SiteLink>,
    /// Questions: due soon, overdue, new; whether e-mail goes out.
    pub questions: Option<crate::questions::DashboardFigures>,
}

/// `GET /quan-tri`
pub(crate) async fn show(
    State(state): State<AppState>,
    site: CurrentSite,
    SignedIn(session): SignedIn,
) -> Result<Response, AppError> {
    let site_id = site.site.id;
    let role = session.user.role_on(site_id);
    let list = |status| ArticleFilter {
        status: Some(status),
        ..ArticleFilter::default()
    };
    let pending = if role.is_some_and(|r| r.can_publish()) {
        let (rows, total) = state
            .store
            .admin_articles(site_id, &list(ArticleStatus::Submitted), LIST_LENGTH, 0)
            .await?;
        Some(Pending {
            lines: rows.iter().map(ArticleLine::from).collect(),
            total: vntext::format_number(total),
            more: total > rows.len() as i64,
        })
    } else {
        None
    };
    let (recent, chart) = if role.is_some() {
        let (rows, _) = state
            .store
            .admin_articles(site_id, &list(ArticleStatus::Published), LIST_LENGTH, 0)
            .await?;
        let today = vntext::local_day(now());
        let history = state
            .store
            .daily_history(
                site_id,
                &vntext::iso_date_of_day(today - chart::DAYS + 1),
                &vntext::iso_date_of_day(today),
            )
            .await?;
        (
            Some(rows.iter().map(ArticleLine::from).collect()),
            Some(chart::build(&history, today)),
        )
    } else {
        (None, None)
    };
    let audit = if role.is_some_and(|r| r.can_administer()) {
        let filter = AuditFilter {
            site: crate::settings::audit::scope(&site, &session),
            ..AuditFilter::default()
        };
        state
            .store
            .audit_log(&filter, 20, 0)
            .await?
            .0
            .into_iter()
            .map(|e| (when(e.at), e.username, e.action, e.detail))
            .collect()
    } else {
        Vec::new()
    };
    page(
        StatusCode::OK,
        &DashboardTemplate {
            chrome: AdminChrome::new("Bảng điều khiển", &site, &session),
            full_name: session.user.full_name.clone(),
            role: role
                .map(|r| r.label())
                .unwrap_or("không có quyền trên trang này")
                .to_owned(),
            pending,
            recent,
            chart,
            audit,
            sites: crate::accounts::switch::my_sites(&state, &site, &session.user),
            questions: match role {
                Some(_) => Some(crate::questions::dashboard(&state, site_id).await?),
                None => None,
            },
        },
    )
}
