//! What readers see of drafts for comment: the list, a draft's page with its
//! period ("Đang lấy ý kiến", "Chưa đến thời hạn", "Hết hạn lấy ý kiến"), its
//! articles, files, published comments with their answers and, after the period,
//! the summary report; and the comment form, guarded against spam and taken only
//! while the period is open (the server checks, whatever the page showed).

use crate::notices::public::FileLink;
use crate::platform::antispam::PublicForm;
use crate::platform::back_office::see_other;
use crate::platform::extract::ClientIp;
use crate::platform::layout::Layout;
use crate::platform::origin::Origin;
use crate::platform::site::CurrentSite;
use crate::{AppError, AppState, now};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use domain::{Draft, DraftArticle, NewComment, Period};
use serde::Deserialize;
use std::collections::HashMap;

/// A draft as lists show it.
pub(crate) struct DraftLine {
    pub title: String,
    pub number: String,
    pub url: String,
    pub period: String,
    pub period_key: &'static str,
    pub dates: String,
}

impl DraftLine {
    pub(crate) fn new(d: &Draft, now: i64) -> DraftLine {
        let p = d.period(now);
        DraftLine {
            title: d.title.clone(),
            number: d.number.clone(),
            url: d.path(),
            period: p.label(),
            period_key: p.key(),
            dates: dates(d),
        }
    }
}

/// "Từ 01/12/2026 08:00 đến 31/12/2026 17:00".
fn dates(d: &Draft) -> String {
    format!(
        "Từ {} đến {}",
        vntext::format_datetime(d.opens_at),
        vntext::format_datetime(d.closes_at)
    )
}

#[derive(Template)]
#[template(path = "drafts/list.html")]
struct ListTemplate {
    layout: Layout,
    lines: Vec<DraftLine>,
}

/// `GET /du-thao`
pub(crate) async fn list(
    State(state): State<AppState>,
    site: CurrentSite,
    origin: Origin,
) -> Result<Response, AppError> {
    let now = now();
    let lines = state
        .store
        .drafts_of_site(site.site.id)
        .await?
        .iter()
        .filter(|d| d.published)
        .map(|d| DraftLine::new(d, now))
        .collect();
    let layout = Layout::new(&state, Some(&site), "Lấy ý kiến dự thảo", Some("/du-thao"))
        .canonical(origin.url("/du-thao"));
    Ok(Html(ListTemplate { layout, lines }.render()?).into_response())
}

/// A published comment as the page shows it.
struct CommentView {
    name: String,
    organisation: String,
    target: String,
    date: String,
    body: String,
    answer: String,
}

#[derive(Template)]
#[template(path = "drafts/draft.html")]
struct DraftTemplate {
    layout: Layout,
    line: DraftLine,
    open: bool,
    summary: String,
    body: String,
    articles: Vec<DraftArticle>,
    files: Vec<FileLink>,
    comments: Vec<CommentView>,
    report: String,
    report_files: Vec<FileLink>,
}

fn target(article: Option<i64>) -> String {
    match article {
        Some(n) => format!("Điều {n}"),
        None => "Toàn bộ dự thảo".to_owned(),
    }
}

async fn load(state: &AppState, site: &CurrentSite, slug: &str) -> Result<Draft, AppError> {
    state
        .store
        .public_draft(site.site.id, slug)
        .await?
        .ok_or(AppError::NotFound)
}

/// `GET /du-thao/{slug}`
pub(crate) async fn show(
    State(state): State<AppState>,
    site: CurrentSite,
    origin: Origin,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let now = now();
    let d = load(&state, &site, &slug).await?;
    let files = state
        .store
        .draft_files(d.id, "dinh-kem")
        .await?
        .iter()
        .map(FileLink::new)
        .collect();
    let report_files = state
        .store
        .draft_files(d.id, "bao-cao")
        .await?
        .iter()
        .map(FileLink::new)
        .collect();
    let comments = state
        .store
        .published_comments(d.id)
        .await?
        .into_iter()
        .map(|c| CommentView {
            name: c.name,
            organisation: c.organisation,
            target: target(c.article),
            date: vntext::format_datetime(c.created_at),
            body: c.body,
            answer: c.answer,
        })
        .collect();
    let url = d.path();
    let layout =
        Layout::new(&state, Some(&site), &d.title, Some("/du-thao")).canonical(origin.url(&url));
    let view = DraftTemplate {
        layout,
        line: DraftLine::new(&d, now),
        open: matches!(d.period(now), Period::Open { .. }),
        summary: d.summary.clone(),
        body: domain::anchored(&d.body),
        articles: d.articles(),
        files,
        comments,
        report: d.report.as_str().to_owned(),
        report_files,
    };
    Ok(Html(view.render()?).into_response())
}

/// What the comment form sends (the anti-spam fields are read by `PublicForm`).
#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct CommentForm {
    name: String,
    email: String,
    organisation: String,
    article: String,
    body: String,
}

/// An article as the form's choice shows it.
struct ArticleChoice {
    value: String,
    label: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "drafts/comment.html")]
struct CommentTemplate {
    layout: Layout,
    title: String,
    url: String,
    form_url: String,
    period: String,
    open: bool,
    sent: bool,
    values: CommentForm,
    choices: Vec<ArticleChoice>,
    errors: Vec<String>,
    challenge: String,
}

fn no_store(mut res: Response) -> Response {
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

fn render_form(
    state: &AppState,
    site: &CurrentSite,
    d: &Draft,
    values: CommentForm,
    errors: Vec<String>,
    sent: bool,
    status: StatusCode,
) -> Result<Response, AppError> {
    let now = now();
    let period = d.period(now);
    let choices = std::iter::once(ArticleChoice {
        value: String::new(),
        label: "Toàn bộ dự thảo".to_owned(),
        selected: values.article.is_empty(),
    })
    .chain(d.articles().into_iter().map(|a| ArticleChoice {
        selected: values.article == a.number.to_string(),
        value: a.number.to_string(),
        label: a.heading,
    }))
    .collect();
    let view = CommentTemplate {
        layout: Layout::new(
            state,
            Some(site),
            &format!("Góp ý: {}", d.title),
            Some("/du-thao"),
        ),
        title: d.title.clone(),
        url: d.path(),
        form_url: format!("{}/gop-y", d.path()),
        period: period.label(),
        open: matches!(period, Period::Open { .. }),
        sent,
        values,
        choices,
        errors,
        challenge: state.antispam().challenge().html(),
    };
    Ok(no_store((status, Html(view.render()?)).into_response()))
}

/// `GET /du-thao/{slug}/gop-y` (`?dieu=N` chooses an article; `?da-gui=1` after
/// a comment was taken).
pub(crate) async fn comment_form(
    State(state): State<AppState>,
    site: CurrentSite,
    Path(slug): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let d = load(&state, &site, &slug).await?;
    let values = CommentForm {
        article: q.get("dieu").cloned().unwrap_or_default(),
        ..CommentForm::default()
    };
    render_form(
        &state,
        &site,
        &d,
        values,
        Vec::new(),
        q.contains_key("da-gui"),
        StatusCode::OK,
    )
}

/// `POST /du-thao/{slug}/gop-y`: the guard (limit, honeypot, challenge), then the
/// comment's own checks, then the period, checked again by the store's INSERT.
pub(crate) async fn comment(
    State(state): State<AppState>,
    site: CurrentSite,
    ClientIp(ip): ClientIp,
    Path(slug): Path<String>,
    PublicForm { form, verdict, .. }: PublicForm<CommentForm>,
) -> Result<Response, AppError> {
    let d = load(&state, &site, &slug).await?;
    if let Err(refused) = verdict {
        return render_form(
            &state,
            &site,
            &d,
            form,
            vec![refused.message.to_owned()],
            false,
            refused.status,
        );
    }
    let article = form.article.trim();
    let comment = NewComment {
        name: vntext::clean_line(&form.name),
        email: vntext::clean_line(&form.email).to_lowercase(),
        organisation: vntext::clean_line(&form.organisation),
        body: vntext::nfc(form.body.trim()).replace("\r\n", "\n"),
        article: if article.is_empty() {
            None
        } else {
            Some(article.parse().unwrap_or(-1))
        },
    };
    let problems = comment.problems(&d.articles());
    if !problems.is_empty() {
        return render_form(
            &state,
            &site,
            &d,
            form,
            problems,
            false,
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    match state.store.add_comment(d.id, &comment, &ip, now()).await? {
        Ok(_) => Ok(see_other(&format!("{}/gop-y?da-gui=1", d.path()))),
        Err(store::CommentRefused::NotOpen) => {
            let why = match d.period(now()) {
                Period::NotYet => "Dự thảo chưa đến thời hạn lấy ý kiến; góp ý chưa được nhận.",
                _ => "Dự thảo đã hết hạn lấy ý kiến; góp ý không còn được nhận.",
            };
            render_form(
                &state,
                &site,
                &d,
                form,
                vec![why.to_owned()],
                false,
                StatusCode::CONFLICT,
            )
        }
    }
}
