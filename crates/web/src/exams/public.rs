//! "Tra cứu điểm thi": the lookup form and its result card, the same lookup as
//! JSON, and the score distribution ("phổ điểm") of a published session.
//!
//! Lookups are answered from memory ([`crate::exams::registry::Exams`]), never from the
//! database, and never from the page cache: each answer is one candidate's.

use crate::exams::registry::ExamEntry;
use crate::platform::extract::ClientIp;
use crate::platform::layout::Layout;
use crate::platform::origin::Origin;
use crate::platform::site::CurrentSite;
use crate::{AppError, AppState, now};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use domain::ExamSessionId;
use exam::{ExtraField, LookupOutcome, LookupRule};
use std::collections::HashMap;
use std::sync::Arc;

/// The lookup page's address (the page cache leaves it alone).
pub(crate) const LOOKUP_PATH: &str = "/tra-cuu-diem-thi";
/// The JSON lookup's address.
pub(crate) const LOOKUP_JSON_PATH: &str = "/tra-cuu-diem-thi.json";

/// The message when no session of the site has the id asked for.
const UNKNOWN_SESSION: &str =
    "Không tìm thấy kỳ thi đã chọn. Vui lòng chọn một kỳ thi trong danh sách.";
/// The message when no candidate number was typed.
const MISSING_SBD: &str = "Vui lòng nhập số báo danh.";

/// A subject's score on the card.
pub(crate) struct ScoreView {
    pub subject: String,
    pub key: String,
    pub text: String,
    pub absent: bool,
    pub points: Option<f64>,
}

/// The result card.
pub(crate) struct CardView {
    pub session_name: String,
    pub sbd: String,
    pub name: String,
    pub birth: String,
    /// Extra fields other than total and result, with a value: (label, value).
    pub details: Vec<(String, String)>,
    pub scores: Vec<ScoreView>,
    pub total: Option<String>,
    pub result: Option<String>,
}

/// An extra field's value as shown: numbers with a decimal comma ("25,5").
fn extra_text(v: &str) -> String {
    if v.contains(['.', ','])
        && v.chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
        && let Some(n) = vntext::parse_decimal(v)
    {
        return exam::format_decimal_vi(n, 2);
    }
    v.to_owned()
}

fn card(entry: &ExamEntry, c: &exam::CandidateRef<'_>) -> CardView {
    let spec = &entry.meta.spec;
    let mut details = Vec::new();
    let (mut total, mut result) = (None, None);
    for (i, e) in spec.extras.iter().enumerate() {
        let v = c.extra(i).trim();
        if v.is_empty() {
            continue;
        }
        match e.key.as_str() {
            ExtraField::TOTAL => total = Some(extra_text(v)),
            ExtraField::RESULT => result = Some(v.to_owned()),
            _ => details.push((e.name.clone(), extra_text(v))),
        }
    }
    CardView {
        session_name: entry.meta.name.clone(),
        sbd: c.sbd().to_owned(),
        name: c.name().to_owned(),
        birth: c.birth_date_vi(),
        details,
        scores: spec
            .subjects
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let score = c.score(i);
                ScoreView {
                    subject: s.name.clone(),
                    key: s.key.clone(),
                    text: score.map_or_else(|| "Vắng".to_owned(), |v| v.to_vi()),
                    absent: score.is_none(),
                    points: score.map(|v| v.points()),
                }
            })
            .collect(),
        total,
        result,
    }
}

/// What a lookup comes to.
enum Answer {
    /// Nothing typed yet: the form alone.
    Form,
    /// The candidate.
    Found(Box<CardView>),
    /// A calm message instead of a result, with its stable code and status.
    Message(&'static str, &'static str, StatusCode),
    /// Too many lookups from this address: seconds to wait.
    TooFast(u64),
}

fn param<'a>(q: &'a HashMap<String, String>, k: &str) -> &'a str {
    q.get(k).map_or("", |v| v.trim())
}

/// The session asked for (by `ky-thi`), if it belongs to this site.
fn chosen_session(
    state: &AppState,
    site: &CurrentSite,
    q: &HashMap<String, String>,
) -> Option<Arc<ExamEntry>> {
    let raw = param(q, "ky-thi");
    if raw.is_empty() {
        return state.exams().public_of(site.site.id).into_iter().next();
    }
    let id = ExamSessionId(raw.parse().ok()?);
    state
        .exams()
        .get(id)
        .filter(|e| e.meta.site_id == site.site.id)
}

fn look_up(
    state: &AppState,
    entry: Option<&Arc<ExamEntry>>,
    ip: &str,
    q: &HashMap<String, String>,
    json: bool,
) -> Answer {
    let sbd = param(q, "sbd");
    if sbd.is_empty() {
        return if json {
            Answer::Message("missing_sbd", MISSING_SBD, StatusCode::BAD_REQUEST)
        } else {
            Answer::Form
        };
    }
    if let Err(wait) = state.exam_lookups().check(ip, std::time::Instant::now()) {
        return Answer::TooFast(wait);
    }
    let Some(entry) = entry else {
        return Answer::Message(
            "exam_session_not_found",
            UNKNOWN_SESSION,
            StatusCode::NOT_FOUND,
        );
    };
    let not_published = Answer::Message(
        "exam_not_published",
        exam::messages::NOT_PUBLISHED,
        StatusCode::FORBIDDEN,
    );
    let Some(loaded) = &entry.loaded else {
        return not_published;
    };
    let birth = Some(param(q, "ngay-sinh")).filter(|b| !b.is_empty());
    let outcome = loaded.lookup_at(sbd, birth, now());
    match outcome {
        LookupOutcome::Found(c) => Answer::Found(Box::new(card(entry, &c))),
        LookupOutcome::NotPublished => not_published,
        LookupOutcome::NotFound => Answer::Message(
            "exam_candidate_not_found",
            outcome.message_vi(loaded.spec().lookup).unwrap_or_default(),
            StatusCode::NOT_FOUND,
        ),
    }
}

fn too_fast_text(wait: u64) -> String {
    format!("Bạn tra cứu quá nhanh; vui lòng thử lại sau {wait} giây.")
}

/// Marks a personal answer: never stored by a cache on the way.
fn personal(mut res: Response) -> Response {
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

fn retry_after(mut res: Response, wait: u64) -> Response {
    if let Ok(v) = HeaderValue::from_str(&wait.to_string()) {
        res.headers_mut().insert(header::RETRY_AFTER, v);
    }
    res
}

/// A session in the form's list.
pub(crate) struct SessionOption {
    pub id: i64,
    pub label: String,
    pub selected: bool,
    pub published: bool,
}

#[derive(Template)]
#[template(path = "exams/lookup.html")]
struct LookupTemplate {
    layout: Layout,
    sessions: Vec<SessionOption>,
    sbd: String,
    birth: String,
    needs_birth: bool,
    birth_hint: String,
    message: Option<String>,
    card: Option<CardView>,
    distribution_url: Option<String>,
}

/// `GET /tra-cuu-diem-thi[?ky-thi=ID&sbd=…&ngay-sinh=dd/mm/yyyy]`
pub(crate) async fn page(
    State(state): State<AppState>,
    site: CurrentSite,
    origin: Origin,
    ClientIp(ip): ClientIp,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let entry = chosen_session(&state, &site, &q);
    let answer = look_up(&state, entry.as_ref(), &ip, &q, false);
    let now = now();
    let listed = state.exams().public_of(site.site.id);
    let selected = entry.as_ref().map(|e| e.meta.id);
    let sessions = listed
        .iter()
        .map(|e| SessionOption {
            id: e.meta.id.0,
            label: if e.meta.school_year.is_empty() {
                e.meta.name.clone()
            } else {
                format!("{} ({})", e.meta.name, e.meta.school_year)
            },
            selected: Some(e.meta.id) == selected,
            published: e.meta.is_published(now),
        })
        .collect();
    let with_birth: Vec<&str> = listed
        .iter()
        .filter(|e| e.meta.spec.lookup == LookupRule::SbdAndBirthDate)
        .map(|e| e.meta.name.as_str())
        .collect();
    let needs_birth = !with_birth.is_empty();
    let birth_hint = if with_birth.len() == listed.len() {
        "Ngày/tháng/năm, ví dụ 05/09/2010, hoặc gõ liền 8 chữ số: 05092010.".to_owned()
    } else {
        format!(
            "Ngày/tháng/năm, ví dụ 05/09/2010, hoặc gõ liền 8 chữ số: 05092010; cần cho: {}.",
            with_birth.join("; ")
        )
    };
    let (status, message, card, wait) = match answer {
        Answer::Form => (StatusCode::OK, None, None, None),
        Answer::Found(c) => (StatusCode::OK, None, Some(*c), None),
        Answer::Message(_, text, _) => (StatusCode::OK, Some(text.to_owned()), None, None),
        Answer::TooFast(wait) => (
            StatusCode::TOO_MANY_REQUESTS,
            Some(too_fast_text(wait)),
            None,
            Some(wait),
        ),
    };
    let layout = Layout::new(&state, Some(&site), "Tra cứu điểm thi", None)
        .canonical(origin.url(LOOKUP_PATH));
    let page = LookupTemplate {
        layout,
        sessions,
        sbd: param(&q, "sbd").chars().take(40).collect(),
        birth: param(&q, "ngay-sinh").chars().take(20).collect(),
        needs_birth,
        birth_hint,
        message,
        card,
        distribution_url: entry
            .filter(|e| e.meta.is_published(now) && e.loaded.is_some())
            .map(|e| format!("/tra-cuu-diem-thi/{}/pho-diem", e.meta.id)),
    };
    let res = personal((status, Html(page.render()?)).into_response());
    Ok(match wait {
        Some(w) => retry_after(res, w),
        None => res,
    })
}

/// `GET /tra-cuu-diem-thi.json?ky-thi=ID&sbd=…&ngay-sinh=dd/mm/yyyy`: the same
/// rules as the page; see the README for the shape of the answers.
pub(crate) async fn json(
    State(state): State<AppState>,
    site: CurrentSite,
    ClientIp(ip): ClientIp,
    uri: axum::http::Uri,
) -> Response {
    json_answer(&state, &site, &ip, &uri)
}

/// The JSON lookup as the front door answers it (a fast path: memory only, on
/// the acceptor's own thread).
pub(crate) fn fast_json(
    state: &AppState,
    site: &CurrentSite,
    headers: &axum::http::HeaderMap,
    extensions: &axum::http::Extensions,
    uri: &axum::http::Uri,
) -> Response {
    let ip = ClientIp::of(headers, extensions, state.options.trust_forwarded_for);
    json_answer(state, site, &ip.0, uri)
}

/// The JSON lookup's answer, without waiting on anything: the front door calls
/// it directly (the route above is the same answer, for completeness).
pub(crate) fn json_answer(
    state: &AppState,
    site: &CurrentSite,
    ip: &str,
    uri: &axum::http::Uri,
) -> Response {
    let q: HashMap<String, String> = Query::try_from_uri(uri)
        .map(|Query(q)| q)
        .unwrap_or_default();
    let entry = chosen_session(state, site, &q);
    let answer = look_up(state, entry.as_ref(), ip, &q, true);
    let id = entry.as_ref().map(|e| e.meta.id.0);
    let (status, body, wait) = match &answer {
        Answer::Found(c) => {
            let body = JsonFound {
                ket_qua: "tim_thay",
                ky_thi: JsonSession {
                    id,
                    ten: &c.session_name,
                },
                thi_sinh: JsonCandidate {
                    diem: c
                        .scores
                        .iter()
                        .map(|s| JsonScore {
                            diem: s.points,
                            hien_thi: &s.text,
                            ma: &s.key,
                            mon: &s.subject,
                            vang: s.absent,
                        })
                        .collect(),
                    ho_ten: &c.name,
                    ngay_sinh: &c.birth,
                    sbd: &c.sbd,
                    thong_tin: c
                        .details
                        .iter()
                        .map(|(k, v)| JsonDetail { gia_tri: v, ten: k })
                        .collect(),
                    tong_diem: c.total.as_deref(),
                    xep_loai: c.result.as_deref(),
                },
            };
            (StatusCode::OK, serde_json::to_vec(&body), None)
        }
        Answer::Form => (StatusCode::BAD_REQUEST, Ok(b"{}".to_vec()), None),
        Answer::Message(code, text, status) => {
            let body = JsonError {
                loi: code,
                thong_bao: text,
                thu_lai_sau: None,
            };
            (*status, serde_json::to_vec(&body), None)
        }
        Answer::TooFast(wait) => {
            let body = JsonError {
                loi: "rate_limited",
                thong_bao: &too_fast_text(*wait),
                thu_lai_sau: Some(*wait),
            };
            (
                StatusCode::TOO_MANY_REQUESTS,
                serde_json::to_vec(&body),
                Some(*wait),
            )
        }
    };
    let Ok(body) = body else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let json = HeaderValue::from_static("application/json");
    let res = personal((status, [(header::CONTENT_TYPE, json)], body).into_response());
    match wait {
        Some(w) => retry_after(res, w),
        None => res,
    }
}

// The answers of the JSON lookup, written straight from the card (keys in
// alphabetical order, as documented).

#[derive(serde::Serialize)]
struct JsonFound<'a> {
    ket_qua: &'static str,
    ky_thi: JsonSession<'a>,
    thi_sinh: JsonCandidate<'a>,
}

#[derive(serde::Serialize)]
struct JsonSession<'a> {
    id: Option<i64>,
    ten: &'a str,
}

#[derive(serde::Serialize)]
struct JsonCandidate<'a> {
    diem: Vec<JsonScore<'a>>,
    ho_ten: &'a str,
    ngay_sinh: &'a str,
    sbd: &'a str,
    thong_tin: Vec<JsonDetail<'a>>,
    tong_diem: Option<&'a str>,
    xep_loai: Option<&'a str>,
}

#[derive(serde::Serialize)]
struct JsonScore<'a> {
    diem: Option<f64>,
    hien_thi: &'a str,
    ma: &'a str,
    mon: &'a str,
    vang: bool,
}

#[derive(serde::Serialize)]
struct JsonDetail<'a> {
    gia_tri: &'a str,
    ten: &'a str,
}

#[derive(serde::Serialize)]
struct JsonError<'a> {
    loi: &'a str,
    thong_bao: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    thu_lai_sau: Option<u64>,
}

/// One subject on the distribution page.
pub(crate) struct SubjectDistribution {
    pub key: String,
    pub name: String,
    pub sitting: String,
    pub absent: String,
    pub mean: String,
    pub median: String,
    pub svg: String,
    /// (score, count, share) per step.
    pub rows: Vec<(String, String, String)>,
}

#[derive(Template)]
#[template(path = "exams/distribution.html")]
struct DistributionTemplate {
    layout: Layout,
    name: String,
    id: i64,
    subjects: Vec<SubjectDistribution>,
}

/// `GET /tra-cuu-diem-thi/{id}/pho-diem`: per subject, the chart and the table;
/// only once the results are public. Cached like any public page (the import or
/// a change of publish time bumps the site's content version).
pub(crate) async fn distribution(
    State(state): State<AppState>,
    site: CurrentSite,
    origin: Origin,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = ExamSessionId(id.parse().map_err(|_| AppError::NotFound)?);
    let entry = state
        .exams()
        .get(id)
        .filter(|e| e.meta.site_id == site.site.id)
        .ok_or(AppError::NotFound)?;
    if !entry.meta.is_published(now()) || entry.loaded.is_none() {
        return Err(AppError::NotFound);
    }
    let keys: Vec<String> = entry
        .meta
        .spec
        .subjects
        .iter()
        .map(|s| s.key.clone())
        .collect();
    let subjects = entry
        .distributions()
        .iter()
        .zip(keys)
        .map(|(d, key)| SubjectDistribution {
            key,
            name: d.subject.clone(),
            sitting: vntext::format_number(d.sitting as i64),
            absent: vntext::format_number(d.absent as i64),
            mean: d.mean_vi(),
            median: d.median_vi(),
            svg: exam::svg_chart(d, &format!("Phổ điểm môn {}", d.subject)),
            rows: d
                .rows()
                .into_iter()
                .map(|r| {
                    (
                        r.label,
                        vntext::format_number(r.count as i64),
                        format!("{}%", exam::format_decimal_vi(r.percent, 2)),
                    )
                })
                .collect(),
        })
        .collect();
    let title = format!("Phổ điểm {}", entry.meta.name);
    let layout = Layout::new(&state, Some(&site), &title, None)
        .canonical(origin.url(&format!("/tra-cuu-diem-thi/{id}/pho-diem")));
    let page = DistributionTemplate {
        layout,
        name: entry.meta.name.clone(),
        id: id.0,
        subjects,
    };
    Ok(Html(page.render()?).into_response())
}
