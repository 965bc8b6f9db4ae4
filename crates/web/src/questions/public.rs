//! What readers see: the form "Gửi câu hỏi", the page after sending with the
//! tracking code, the status page (code and e-mail), the list of answered
//! questions with its filters, each question's page with its vote, and the
//! footer's satisfaction rating.

use crate::accounts::auth::{
    LOGIN_CSRF_COOKIE, cookie, is_https, random_token, same_token, set_cookie, token_hash,
};
use crate::platform::antispam::PublicForm;
use crate::platform::layout::{Layout, PagerView};
use crate::platform::site::CurrentSite;
use crate::questions::{DEFAULT_DUE_DAYS, calendar, same_origin};
use crate::{AppError, AppState, now};
use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use domain::{
    PageNumber, Pager, QUESTION_FIELDS, QuestionDraft, QuestionId, QuestionStatus, SALUTATIONS,
};
use serde::Deserialize;
use std::collections::HashMap;

/// Questions per page of the public list.
const PER_PAGE: u32 = 10;

/// A `<select>` option.
pub(crate) struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub(crate) fn field_choices(selected: &str) -> Vec<Choice> {
    QUESTION_FIELDS
        .iter()
        .map(|(k, l)| Choice {
            value: (*k).to_owned(),
            label: (*l).to_owned(),
            selected: *k == selected,
        })
        .collect()
}

/// The form's fields as typed.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub(crate) struct QuestionForm {
    csrf: String,
    danh_xung: String,
    ho_ten: String,
    email: String,
    dien_thoai: String,
    dia_chi: String,
    tieu_de: String,
    noi_dung: String,
    linh_vuc: String,
    cong_khai: String,
}

impl QuestionForm {
    fn draft(&self) -> QuestionDraft {
        QuestionDraft {
            salutation: vntext::clean_line(&self.danh_xung),
            name: vntext::clean_line(&self.ho_ten),
            email: vntext::clean_line(&self.email).to_lowercase(),
            phone: vntext::clean_line(&self.dien_thoai),
            address: vntext::clean_line(&self.dia_chi),
            title: vntext::clean_line(&self.tieu_de),
            body: vntext::nfc(self.noi_dung.trim()),
            field: self.linh_vuc.trim().to_owned(),
            may_publish: !self.cong_khai.is_empty(),
        }
    }
}

#[derive(Template)]
#[template(path = "questions/form.html")]
pub(crate) struct FormTemplate {
    pub layout: Layout,
    pub csrf: String,
    /// The anti-spam fields (platform::antispam), fresh for each render.
    pub challenge_html: String,
    pub values: QuestionDraft,
    pub salutations: Vec<Choice>,
    pub fields: Vec<Choice>,
    pub errors: Vec<String>,
    /// The attached file's size limits, as the hint says them.
    pub file_limit: String,
}

fn form_page(
    state: &AppState,
    site: &CurrentSite,
    csrf: &str,
    values: QuestionDraft,
    errors: Vec<String>,
) -> FormTemplate {
    FormTemplate {
        layout: Layout::new(state, Some(site), "Gửi câu hỏi", Some("/hoi-dap")),
        csrf: csrf.to_owned(),
        challenge_html: state.antispam().challenge().html(),
        salutations: SALUTATIONS
            .iter()
            .map(|s| Choice {
                value: (*s).to_owned(),
                label: (*s).to_owned(),
                selected: *s == values.salutation,
            })
            .collect(),
        fields: field_choices(&values.field),
        values,
        errors,
        file_limit: {
            let limits = &state.options.media_limits;
            let mb = |b: u64| vntext::format_number((b / (1 << 20)) as i64);
            format!(
                "{} MB (ảnh {} MB)",
                mb(limits.document_bytes),
                mb(limits.image_bytes)
            )
        },
    }
}

/// The browser's form token (the login form's double-submit cookie), or a new one.
fn form_token(headers: &HeaderMap) -> (String, bool) {
    match cookie(headers, LOGIN_CSRF_COOKIE) {
        Some(t) if t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()) => {
            (t.to_owned(), false)
        }
        _ => (random_token(), true),
    }
}

fn with_token(mut res: Response, headers: &HeaderMap, token: &str, fresh: bool) -> Response {
    if fresh {
        res.headers_mut().insert(
            header::SET_COOKIE,
            set_cookie(LOGIN_CSRF_COOKIE, token, 3600, is_https(headers)),
        );
    }
    res
}

/// `GET /hoi-dap/gui-cau-hoi`
pub(crate) async fn form(
    State(state): State<AppState>,
    site: CurrentSite,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let (token, fresh) = form_token(&headers);
    let values = QuestionDraft {
        may_publish: true,
        ..QuestionDraft::default()
    };
    let page = form_page(&state, &site, &token, values, Vec::new());
    Ok(with_token(
        Html(page.render()?).into_response(),
        &headers,
        &token,
        fresh,
    ))
}

/// `POST /hoi-dap/gui-cau-hoi`
pub(crate) async fn submit(
    State(state): State<AppState>,
    site: CurrentSite,
    headers: HeaderMap,
    PublicForm {
        form: f,
        files,
        verdict,
    }: PublicForm<QuestionForm>,
) -> Result<Response, AppError> {
    let draft = f.draft();
    // The one attached file, checked by its content like every upload. A browser
    // cannot give a file back to the form, so any refusal asks for it again.
    let mut file_problem = None;
    let mut file = None;
    let chosen: Vec<_> = files.into_iter().filter(|p| p.field == "tep").collect();
    if chosen.len() > 1 {
        file_problem = Some("Chỉ đính kèm được một tệp. Vui lòng chọn lại một tệp.".to_owned());
    } else if let Some(posted) = chosen.into_iter().next() {
        let name = vntext::clean_line(&posted.name);
        let name = if name.is_empty() {
            "tệp".to_owned()
        } else {
            name
        };
        match crate::media::uploads::check_attachment(&state.options.media_limits, &posted.bytes) {
            Ok(sniffed) => {
                file = Some(store::QuestionFile {
                    name,
                    mime: sniffed.mime.to_owned(),
                    extension: sniffed.extension.to_owned(),
                    data: posted.bytes,
                })
            }
            Err(why) => {
                file_problem = Some(format!(
                    "Tệp “{name}” không được nhận: {why} Vui lòng chọn lại tệp (PDF, Word, Excel hoặc ảnh) hoặc gửi câu hỏi không kèm tệp."
                ))
            }
        }
    }
    // Said with any refusal: the file is not kept until the question is.
    let file_note = file_problem.clone().or_else(|| {
        file.as_ref().map(|f| {
            format!(
                "Tệp “{}” chưa được lưu vì câu hỏi chưa gửi được: vui lòng chọn lại tệp trước khi gửi.",
                f.name
            )
        })
    });
    let (token, fresh) = form_token(&headers);
    let refuse = |status: StatusCode, mut errors: Vec<String>| -> Result<Response, AppError> {
        errors.extend(file_note.clone());
        let page = form_page(&state, &site, &token, draft.clone(), errors);
        Ok(with_token(
            (status, Html(page.render()?)).into_response(),
            &headers,
            &token,
            fresh,
        ))
    };
    if fresh || !same_token(&token, &f.csrf) {
        return refuse(
            StatusCode::FORBIDDEN,
            vec![
                "Biểu mẫu đã hết hạn. Câu hỏi của bạn vẫn còn dưới đây: vui lòng bấm “Gửi câu hỏi” lần nữa."
                    .into(),
            ],
        );
    }
    // The limit per address, the honeypot and the challenge (platform::antispam).
    if let Err(refusal) = verdict {
        return refuse(refusal.status, vec![refusal.message.to_owned()]);
    }
    let problems = draft.problems();
    if !problems.is_empty() || file_problem.is_some() {
        return refuse(StatusCode::UNPROCESSABLE_ENTITY, problems);
    }
    let now = now();
    let cal = calendar(&state, site.site.id).await?;
    let due = cal.add_working_days(vntext::local_day(now), DEFAULT_DUE_DAYS);
    let mut tries = 0;
    let code = loop {
        let code = crate::questions::new_tracking_code()?;
        match state
            .store
            .create_question(site.site.id, &draft, file.as_ref(), &code, due, now)
            .await
        {
            Ok(_) => break code,
            Err(store::Error::Conflict(_)) if tries < 5 => tries += 1,
            Err(e) => return Err(e.into()),
        }
    };
    Ok((
        StatusCode::SEE_OTHER,
        [(header::LOCATION, format!("/hoi-dap/da-gui?ma={code}"))],
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "questions/sent.html")]
pub(crate) struct SentTemplate {
    pub layout: Layout,
    pub code: String,
    pub lookup_url: String,
}

/// `GET /hoi-dap/da-gui?ma=…`: the tracking code, to note down.
pub(crate) async fn sent(
    State(state): State<AppState>,
    site: CurrentSite,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let code = domain::normalize_tracking_code(q.get("ma").map_or("", String::as_str));
    if code.len() != 12 {
        return Err(AppError::NotFound);
    }
    let page = SentTemplate {
        layout: Layout::new(&state, Some(&site), "Đã gửi câu hỏi", Some("/hoi-dap")),
        lookup_url: format!("/hoi-dap/tra-cuu?ma={code}"),
        code,
    };
    Ok(Html(page.render()?).into_response())
}

/// The status of a question as its asker sees it.
pub(crate) struct StatusView {
    pub code: String,
    pub title: String,
    pub received: String,
    pub status: &'static str,
    pub forwarded_to: Option<String>,
    pub answer: Option<String>,
    pub answered_by: String,
    pub answered_on: String,
    pub public_url: Option<String>,
    pub steps: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "questions/lookup.html")]
pub(crate) struct LookupTemplate {
    pub layout: Layout,
    pub csrf: String,
    pub code: String,
    pub email: String,
    pub message: Option<String>,
    pub result: Option<StatusView>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct LookupForm {
    csrf: String,
    ma: String,
    email: String,
}

/// `GET /hoi-dap/tra-cuu[?ma=…]`
pub(crate) async fn lookup_form(
    State(state): State<AppState>,
    site: CurrentSite,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let (token, fresh) = form_token(&headers);
    let page = LookupTemplate {
        layout: Layout::new(&state, Some(&site), "Tra cứu câu hỏi", Some("/hoi-dap")),
        csrf: token.clone(),
        code: domain::normalize_tracking_code(q.get("ma").map_or("", String::as_str)),
        email: String::new(),
        message: None,
        result: None,
    };
    Ok(with_token(
        Html(page.render()?).into_response(),
        &headers,
        &token,
        fresh,
    ))
}

/// `POST /hoi-dap/tra-cuu`: the question of this code, if the e-mail is its
/// asker's; otherwise the same "not found" as for a wrong code.
pub(crate) async fn lookup(
    State(state): State<AppState>,
    site: CurrentSite,
    headers: HeaderMap,
    Form(f): Form<LookupForm>,
) -> Result<Response, AppError> {
    let (token, fresh) = form_token(&headers);
    let code = domain::normalize_tracking_code(&f.ma);
    let email = vntext::clean_line(&f.email).to_lowercase();
    let mut page = LookupTemplate {
        layout: Layout::new(&state, Some(&site), "Tra cứu câu hỏi", Some("/hoi-dap")),
        csrf: token.clone(),
        code: code.clone(),
        email: email.clone(),
        message: None,
        result: None,
    };
    let status = if fresh || !same_token(&token, &f.csrf) {
        page.message = Some("Biểu mẫu đã hết hạn. Vui lòng bấm “Tra cứu” lần nữa.".into());
        StatusCode::FORBIDDEN
    } else if code.is_empty() || email.is_empty() {
        page.message = Some("Vui lòng nhập mã tra cứu và e-mail đã dùng khi gửi câu hỏi.".into());
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        match state
            .store
            .question_by_code(site.site.id, &code, &email)
            .await?
        {
            Some(q) => {
                page.result = Some(status_view(&state, &q).await?);
                StatusCode::OK
            }
            None => {
                page.message = Some(
                    "Không tìm thấy câu hỏi nào có mã tra cứu và e-mail này. Vui lòng kiểm tra lại mã (ví dụ HD-7K3M-9QXA) và e-mail."
                        .into(),
                );
                StatusCode::NOT_FOUND
            }
        }
    };
    Ok(with_token(
        (status, Html(page.render()?)).into_response(),
        &headers,
        &token,
        fresh,
    ))
}

async fn status_view(state: &AppState, q: &store::Question) -> Result<StatusView, AppError> {
    let mut shown = q.clone();
    let mut forwarded_to = None;
    // A forwarded question is answered where it went: follow it (at most a few hops).
    for _ in 0..5 {
        let Some(next) = shown.forwarded_to else {
            break;
        };
        let Some(there) = state.store.question_anywhere(next).await? else {
            break;
        };
        forwarded_to = Some(
            state
                .sites
                .name_of(there.site)
                .unwrap_or_else(|| "đơn vị khác".to_owned()),
        );
        shown = there;
    }
    let published = shown.status == QuestionStatus::Published;
    let unit = state.sites.name_of(shown.site).unwrap_or_default();
    let steps = state
        .store
        .question_history(q.id)
        .await?
        .into_iter()
        .filter(|h| h.action.starts_with("Tiếp nhận") || h.action.starts_with("Đã chuyển"))
        .map(|h| (vntext::format_datetime(h.at), h.action))
        .collect();
    Ok(StatusView {
        code: q.code.clone(),
        title: q.title.clone(),
        received: vntext::format_datetime(q.created_at),
        status: shown.status.public_label(),
        forwarded_to,
        answer: published.then(|| shown.answer.as_str().to_owned()),
        answered_by: if shown.show_answerer && !shown.answerer_name.is_empty() {
            format!("{} – {unit}", shown.answerer_name)
        } else {
            unit
        },
        answered_on: shown
            .published_at
            .map(vntext::format_date)
            .unwrap_or_default(),
        public_url: (published && shown.may_publish && shown.site == q.site)
            .then(|| format!("/hoi-dap/{}", shown.id)),
        steps,
    })
}

/// A question in the public list.
pub(crate) struct ListItem {
    pub url: String,
    pub title: String,
    pub field: &'static str,
    pub asker: String,
    pub date: String,
    pub excerpt: String,
}

#[derive(Template)]
#[template(path = "questions/list.html")]
pub(crate) struct ListTemplate {
    pub layout: Layout,
    pub items: Vec<ListItem>,
    pub fields: Vec<Choice>,
    pub words: String,
    pub total: String,
    pub filtered: bool,
    pub pager: Option<PagerView>,
}

/// `GET /hoi-dap[?linh-vuc=…&tu-khoa=…&trang=N]`
pub(crate) async fn list(
    State(state): State<AppState>,
    site: CurrentSite,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let field = q
        .get("linh-vuc")
        .map(|f| f.trim())
        .filter(|f| !domain::question_field_label(f).is_empty());
    let words_typed = vntext::clean_line(q.get("tu-khoa").map_or("", String::as_str));
    let words: Vec<String> = vntext::fold_lower(&words_typed)
        .split_whitespace()
        .take(8)
        .map(|w| w.replace(['%', '_'], ""))
        .filter(|w| !w.is_empty())
        .collect();
    let page = PageNumber::parse(q.get("trang").map(String::as_str));
    let (rows, total) = state
        .store
        .public_questions(
            site.site.id,
            field,
            &words,
            i64::from(PER_PAGE),
            page.offset(PER_PAGE),
        )
        .await?;
    let pager = Pager::new(total, PER_PAGE, page).ok_or(AppError::NotFound)?;
    let mut base = String::from("/hoi-dap");
    let mut sep = '?';
    if let Some(f) = field {
        base.push_str(&format!("{sep}linh-vuc={f}"));
        sep = '&';
    }
    if !words_typed.is_empty() {
        base.push_str(&format!(
            "{sep}tu-khoa={}",
            crate::platform::layout::percent_encode(&words_typed)
        ));
    }
    let items = rows
        .into_iter()
        .map(|r| ListItem {
            url: format!("/hoi-dap/{}", r.id),
            field: domain::question_field_label(&r.field),
            date: vntext::format_date(r.published_at),
            excerpt: excerpt(&r.body, 220),
            title: r.title,
            asker: r.asker,
        })
        .collect();
    let view = ListTemplate {
        layout: Layout::new(&state, Some(&site), "Hỏi đáp", Some("/hoi-dap")),
        items,
        fields: field_choices(field.unwrap_or("")),
        filtered: field.is_some() || !words_typed.is_empty(),
        words: words_typed,
        total: vntext::format_number(total),
        pager: PagerView::new(&pager, &base, ""),
    };
    Ok(Html(view.render()?).into_response())
}

fn excerpt(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a);
    format!("{cut}…")
}

#[derive(Template)]
#[template(path = "questions/show.html")]
pub(crate) struct ShowTemplate {
    pub layout: Layout,
    pub id: i64,
    pub title: String,
    pub body: String,
    pub field: &'static str,
    pub asker: String,
    pub answer: String,
    pub answered_by: String,
    pub date: String,
    pub date_iso: String,
}

/// `GET /hoi-dap/{id}`
pub(crate) async fn show(
    State(state): State<AppState>,
    site: CurrentSite,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let q = state
        .store
        .public_question(site.site.id, QuestionId(id))
        .await?
        .ok_or(AppError::NotFound)?;
    let unit = site.site.settings.name.clone();
    let view = ShowTemplate {
        layout: Layout::new(&state, Some(&site), &q.title, Some("/hoi-dap")),
        id,
        field: domain::question_field_label(&q.field),
        answered_by: match &q.answerer {
            Some(name) => format!("{name} – {unit}"),
            None => unit,
        },
        date: vntext::format_date(q.published_at),
        date_iso: crate::platform::layout::iso(q.published_at),
        title: q.title,
        body: q.body,
        asker: q.asker,
        answer: q.answer.as_str().to_owned(),
    };
    Ok(Html(view.render()?).into_response())
}

/// The cookie that tells one reader's votes from another's (only its hash is
/// stored, with the vote).
const READER_COOKIE: &str = "ep_doc_gia";

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct VoteForm {
    huu_ich: String,
}

#[derive(Template)]
#[template(path = "questions/message.html")]
pub(crate) struct MessageTemplate {
    pub layout: Layout,
    pub heading: String,
    pub message: String,
    pub back_url: String,
    pub back_label: String,
}

fn message(
    state: &AppState,
    site: &CurrentSite,
    status: StatusCode,
    heading: &str,
    text: &str,
    back: (&str, &str),
) -> Result<Response, AppError> {
    let view = MessageTemplate {
        layout: Layout::new(state, Some(site), heading, None),
        heading: heading.to_owned(),
        message: text.to_owned(),
        back_url: back.0.to_owned(),
        back_label: back.1.to_owned(),
    };
    Ok((status, Html(view.render()?)).into_response())
}

/// `POST /hoi-dap/{id}/huu-ich`: "Câu trả lời này có hữu ích không?", once per reader.
pub(crate) async fn vote(
    State(state): State<AppState>,
    site: CurrentSite,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<VoteForm>,
) -> Result<Response, AppError> {
    let back = format!("/hoi-dap/{id}");
    let back = (back.as_str(), "Quay lại câu hỏi");
    if !same_origin(&headers) {
        return Err(AppError::forbidden(crate::platform::back_office::BAD_FORM));
    }
    let helpful = match f.huu_ich.as_str() {
        "co" => true,
        "khong" => false,
        _ => {
            return message(
                &state,
                &site,
                StatusCode::UNPROCESSABLE_ENTITY,
                "Chưa ghi nhận",
                "Vui lòng chọn “Có” hoặc “Không”.",
                back,
            );
        }
    };
    let (reader, fresh) = match cookie(&headers, READER_COOKIE) {
        Some(t) if t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()) => {
            (t.to_owned(), false)
        }
        _ => (random_token(), true),
    };
    let counted = state
        .store
        .vote_on_answer(site.site.id, QuestionId(id), &token_hash(&reader), helpful)
        .await
        .map_err(|e| match e {
            store::Error::NotFound(_) => AppError::NotFound,
            e => e.into(),
        })?;
    let mut res = if counted {
        message(
            &state,
            &site,
            StatusCode::OK,
            "Cảm ơn bạn",
            "Cảm ơn bạn đã cho biết ý kiến về câu trả lời.",
            back,
        )?
    } else {
        message(
            &state,
            &site,
            StatusCode::OK,
            "Bạn đã đánh giá rồi",
            "Bạn đã cho biết câu trả lời này có hữu ích không; mỗi người đọc chỉ đánh giá một lần.",
            back,
        )?
    };
    if fresh {
        let mut line =
            format!("{READER_COOKIE}={reader}; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax");
        if is_https(&headers) {
            line.push_str("; Secure");
        }
        if let Ok(v) = HeaderValue::from_str(&line) {
            res.headers_mut().insert(header::SET_COOKIE, v);
        }
    }
    Ok(res)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct RateForm {
    diem: String,
    gop_y: String,
}

/// `POST /danh-gia-hai-long`: the footer's rating. Only the score, the comment
/// and the month are kept: no address, cookie or time of day.
pub(crate) async fn rate(
    State(state): State<AppState>,
    site: CurrentSite,
    headers: HeaderMap,
    Form(f): Form<RateForm>,
) -> Result<Response, AppError> {
    let back = ("/", "Về trang chủ");
    if !same_origin(&headers) {
        return Err(AppError::forbidden(crate::platform::back_office::BAD_FORM));
    }
    let Ok(score @ 1..=5) = f.diem.trim().parse::<i64>() else {
        return message(
            &state,
            &site,
            StatusCode::UNPROCESSABLE_ENTITY,
            "Chưa ghi nhận đánh giá",
            "Vui lòng chọn mức hài lòng từ 1 (rất không hài lòng) đến 5 (rất hài lòng).",
            back,
        );
    };
    let comment = vntext::nfc(f.gop_y.trim());
    if comment.chars().count() > 1000 {
        return message(
            &state,
            &site,
            StatusCode::UNPROCESSABLE_ENTITY,
            "Chưa ghi nhận đánh giá",
            "Góp ý dài quá 1.000 ký tự; vui lòng viết ngắn hơn.",
            back,
        );
    }
    let now = now();
    let month: String = vntext::local_iso_date(now).chars().take(7).collect();
    state
        .store
        .add_rating(
            site.site.id,
            score,
            &comment,
            &month,
            vntext::local_day(now),
        )
        .await?;
    message(
        &state,
        &site,
        StatusCode::OK,
        "Cảm ơn bạn đã đánh giá",
        "Đánh giá của bạn đã được ghi nhận (không kèm thông tin nào về bạn).",
        back,
    )
}
