//! `/quan-tri/lien-ket`: a site's links, for its administrators: the list in its
//! order (up, down, delete), a form per link (name, address, logo uploaded and
//! checked by the media library's rules, dates, shared with the units below), and
//! the links given from above, which the site may hide.

use crate::links::Shown;
use crate::media::uploads;
use crate::platform::back_office::{page, see_other};
use crate::platform::extract::{ClientIp, CsrfForm, CsrfMultipart, Need, SiteRole, csrf_field};
use crate::platform::layout::AdminChrome;
use crate::platform::site::CurrentSite;
use crate::{AppError, AppState, now};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::{MediaId, Role};
use serde::Deserialize;
use std::collections::HashMap;
use store::{LinkActor, LinkDraft, SessionInfo, SiteLink};

/// Who changes a site's links.
pub(crate) struct LinksAdmin;
impl Need for LinksAdmin {
    const ROLE: Role = Role::Admin;
    const REFUSAL: &'static str =
        "Chỉ quản trị viên của trang này mới xem và sửa được liên kết website.";
}

/// Longest name, in characters.
const MAX_TITLE: usize = 200;
/// Longest address, in characters.
const MAX_URL: usize = 1000;

/// A line of the list.
pub(crate) struct Row {
    pub id: i64,
    pub title: String,
    pub url: String,
    pub logo: Option<String>,
    pub dates: String,
    pub state: &'static str,
    pub shared: bool,
    pub first: bool,
    pub last: bool,
}

/// A link given from above, as the list shows it.
pub(crate) struct GivenRow {
    pub id: i64,
    pub title: String,
    pub url: String,
    pub logo: Option<String>,
    pub from: String,
    pub hidden: bool,
}

#[derive(Template)]
#[template(path = "links/admin_list.html")]
pub(crate) struct ListTemplate {
    pub chrome: AdminChrome,
    pub rows: Vec<Row>,
    pub given: Vec<GivenRow>,
    pub notice: Option<String>,
}

/// The form's fields as shown.
#[derive(Default)]
pub(crate) struct Values {
    pub title: String,
    pub url: String,
    pub starts: String,
    pub ends: String,
    pub shared: bool,
    /// The logo kept: a media id ("" none).
    pub logo: String,
}

#[derive(Template)]
#[template(path = "links/admin_edit.html")]
pub(crate) struct EditTemplate {
    pub chrome: AdminChrome,
    pub heading: String,
    pub action_url: String,
    pub values: Values,
    /// The kept logo's thumbnail.
    pub logo_src: Option<String>,
    pub errors: Vec<String>,
}

fn dates(starts: Option<i64>, ends: Option<i64>) -> String {
    // The end is the first instant after the last day shown.
    match (starts, ends) {
        (None, None) => "Luôn hiện".to_owned(),
        (Some(s), None) => format!("Từ {}", vntext::format_date(s)),
        (None, Some(e)) => format!("Đến hết {}", vntext::format_date(e - 1)),
        (Some(s), Some(e)) => format!(
            "{} – {}",
            vntext::format_date(s),
            vntext::format_date(e - 1)
        ),
    }
}

fn state_at(starts: Option<i64>, ends: Option<i64>, now: i64) -> &'static str {
    if starts.is_some_and(|s| now < s) {
        "Chưa đến ngày hiện"
    } else if ends.is_some_and(|e| e <= now) {
        "Đã hết hạn (không hiện)"
    } else {
        "Đang hiện"
    }
}

/// `GET /quan-tri/lien-ket`
pub(crate) async fn list(
    State(state): State<AppState>,
    site: CurrentSite,
    SiteRole { session, .. }: SiteRole<LinksAdmin>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let now = now();
    let own = state.store.site_links(site.site.id).await?;
    let count = own.len();
    let rows = own
        .iter()
        .enumerate()
        .map(|(n, l)| Row {
            id: l.id,
            title: l.title.clone(),
            url: l.url.clone(),
            logo: l.logo.as_ref().map(|m| m.thumb_url()),
            dates: dates(l.starts_at, l.ends_at),
            state: state_at(l.starts_at, l.ends_at, now),
            shared: l.shared,
            first: n == 0,
            last: n + 1 == count,
        })
        .collect();
    let given = state
        .links()
        .given(site.site.id)
        .iter()
        .map(|(l, hidden)| given_row(&state, l, *hidden))
        .collect();
    let notice = q.get("da-luu").map(|_| {
        "Đã lưu. Trang công khai đã hiển thị liên kết mới (các trang trực thuộc: trong vòng một phút)."
            .to_owned()
    });
    page(
        StatusCode::OK,
        &ListTemplate {
            chrome: AdminChrome::new("Liên kết website", &site, &session),
            rows,
            given,
            notice,
        },
    )
}

fn given_row(state: &AppState, l: &Shown, hidden: bool) -> GivenRow {
    GivenRow {
        id: l.id,
        title: l.title.clone(),
        url: l.url.clone(),
        logo: l.logo.as_ref().map(|i| i.src.clone()),
        from: l
            .given_by
            .and_then(|s| state.sites.name_of(s))
            .unwrap_or_default(),
        hidden,
    }
}

/// A button of the list.
#[derive(Deserialize)]
pub(crate) struct ActForm {
    csrf: String,
    action: String,
    id: i64,
}
csrf_field!(ActForm);

/// `POST /quan-tri/lien-ket`: `len`, `xuong`, `xoa` (the site's own links), `an`,
/// `hien` (a link given from above).
pub(crate) async fn act(
    State(state): State<AppState>,
    site: CurrentSite,
    ClientIp(ip): ClientIp,
    SiteRole { session, .. }: SiteRole<LinksAdmin>,
    CsrfForm(form): CsrfForm<ActForm>,
) -> Result<Response, AppError> {
    let who = LinkActor {
        site: site.site.id,
        by: Some(session.user.id),
        ip: &ip,
    };
    let now = now();
    let result = match form.action.as_str() {
        "len" | "xuong" => {
            state
                .store
                .move_link(who, form.id, form.action == "len", now)
                .await
        }
        "xoa" => state.store.delete_link(who, form.id, now).await,
        "an" | "hien" => {
            // Only what this site was given from above.
            if !state
                .links()
                .given(site.site.id)
                .iter()
                .any(|(l, _)| l.id == form.id)
            {
                return Err(AppError::NotFound);
            }
            state
                .store
                .set_link_hidden(who, form.id, form.action == "an", now)
                .await
        }
        _ => {
            return Err(AppError::Unprocessable(
                crate::platform::back_office::BAD_FORM.into(),
            ));
        }
    };
    match result {
        Ok(()) => {}
        Err(store::Error::NotFound(_)) => return Err(AppError::NotFound),
        Err(e) => return Err(e.into()),
    }
    state.content_changed().await?;
    Ok(see_other("/quan-tri/lien-ket?da-luu=1"))
}

async fn render_form(
    state: &AppState,
    site: &CurrentSite,
    session: &SessionInfo,
    id: Option<i64>,
    values: Values,
    errors: Vec<String>,
) -> Result<Response, AppError> {
    let logo_src = match values.logo.parse::<i64>() {
        Ok(m) => state
            .store
            .image(site.site.id, MediaId(m))
            .await?
            .map(|m| m.thumb_url()),
        Err(_) => None,
    };
    let (heading, action_url) = match id {
        Some(id) => ("Sửa liên kết", format!("/quan-tri/lien-ket/{id}")),
        None => ("Thêm liên kết", "/quan-tri/lien-ket/moi".to_owned()),
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    page(
        status,
        &EditTemplate {
            chrome: AdminChrome::new(heading, site, session),
            heading: heading.to_owned(),
            action_url,
            values,
            logo_src,
            errors,
        },
    )
}

/// `GET /quan-tri/lien-ket/moi`
pub(crate) async fn new_form(
    State(state): State<AppState>,
    site: CurrentSite,
    SiteRole { session, .. }: SiteRole<LinksAdmin>,
) -> Result<Response, AppError> {
    render_form(&state, &site, &session, None, Values::default(), Vec::new()).await
}

async fn own_link(state: &AppState, site: &CurrentSite, id: &str) -> Result<SiteLink, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    state
        .store
        .site_link(site.site.id, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// `GET /quan-tri/lien-ket/{id}`
pub(crate) async fn edit_form(
    State(state): State<AppState>,
    site: CurrentSite,
    SiteRole { session, .. }: SiteRole<LinksAdmin>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let l = own_link(&state, &site, &id).await?;
    let values = Values {
        title: l.title.clone(),
        url: l.url.clone(),
        starts: l.starts_at.map(vntext::format_date).unwrap_or_default(),
        ends: l
            .ends_at
            .map(|e| vntext::format_date(e - 1))
            .unwrap_or_default(),
        shared: l.shared,
        logo: l.logo.map(|m| m.id.0.to_string()).unwrap_or_default(),
    };
    render_form(&state, &site, &session, Some(l.id), values, Vec::new()).await
}

/// `POST /quan-tri/lien-ket/moi`
pub(crate) async fn create(
    State(state): State<AppState>,
    site: CurrentSite,
    ClientIp(ip): ClientIp,
    SiteRole { session, .. }: SiteRole<LinksAdmin>,
    CsrfMultipart(form): CsrfMultipart,
) -> Result<Response, AppError> {
    save(&state, &site, &ip, &session, None, form).await
}

/// `POST /quan-tri/lien-ket/{id}`
pub(crate) async fn update(
    State(state): State<AppState>,
    site: CurrentSite,
    ClientIp(ip): ClientIp,
    SiteRole { session, .. }: SiteRole<LinksAdmin>,
    Path(id): Path<String>,
    CsrfMultipart(form): CsrfMultipart,
) -> Result<Response, AppError> {
    let l = own_link(&state, &site, &id).await?;
    save(&state, &site, &ip, &session, Some(l.id), form).await
}

/// Reads the form (the logo file, if one was chosen, goes through the media
/// library's checks and into the library), checks it, and saves it or shows it
/// again as typed.
async fn save(
    state: &AppState,
    site: &CurrentSite,
    ip: &str,
    session: &SessionInfo,
    id: Option<i64>,
    mut form: axum::extract::Multipart,
) -> Result<Response, AppError> {
    let mut fields: HashMap<String, String> = HashMap::new();
    let mut errors = Vec::new();
    let mut file: Option<(String, Vec<u8>)> = None;
    loop {
        let field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => {
                errors.push("Tệp gửi lên bị gián đoạn hoặc quá lớn; hãy thử lại.".to_owned());
                break;
            }
        };
        let name = field.name().unwrap_or_default().to_owned();
        if name == "tep" {
            let file_name = vntext::clean_line(field.file_name().unwrap_or("logo"));
            match field.bytes().await {
                Ok(b) if !b.is_empty() => file = Some((file_name, b.to_vec())),
                Ok(_) => {}
                Err(_) => errors.push(format!(
                    "{file_name}: tệp quá lớn hoặc gửi lên bị gián đoạn."
                )),
            }
        } else if let Ok(text) = field.text().await {
            fields.insert(name, text);
        }
    }
    let line = |k: &str| vntext::clean_line(fields.get(k).map(String::as_str).unwrap_or(""));
    let mut values = Values {
        title: line("title"),
        url: line("url"),
        starts: line("tu_ngay"),
        ends: line("den_ngay"),
        shared: fields.contains_key("shared"),
        logo: line("logo"),
    };
    if let Some((file_name, bytes)) = file {
        match uploads::accept(
            state,
            site.site.id,
            &site.site.key,
            session.user.id,
            &file_name,
            bytes,
        )
        .await
        {
            Ok(up) => values.logo = up.id.0.to_string(),
            Err(e) => errors.push(format!("Logo “{file_name}” không dùng được: {e}")),
        }
    }

    if values.title.is_empty() {
        errors.push(
            "Vui lòng nhập tên liên kết (người đọc màn hình đọc tên này thay cho logo).".to_owned(),
        );
    } else if values.title.chars().count() > MAX_TITLE {
        errors.push(format!("Tên liên kết dài quá {MAX_TITLE} ký tự."));
    }
    if values.url.is_empty() {
        errors.push("Vui lòng nhập địa chỉ của liên kết, ví dụ https://moet.gov.vn.".to_owned());
    } else if !domain::is_web_url(&values.url) || values.url.chars().count() > MAX_URL {
        errors.push(format!(
            "Địa chỉ “{}” phải là một địa chỉ web bắt đầu bằng https:// hoặc http://.",
            values.url
        ));
    }
    let mut day = |typed: &str, what: &str| -> Option<(i64, i64)> {
        if typed.is_empty() {
            return None;
        }
        let bounds = vntext::parse_typed_date(typed).and_then(|d| vntext::day_bounds(&d));
        if bounds.is_none() {
            errors.push(format!(
                "{what} “{typed}” không phải một ngày; hãy viết theo dạng ngày/tháng/năm, ví dụ 05/09/2026."
            ));
        }
        bounds
    };
    let starts = day(&values.starts, "Ngày bắt đầu hiện").map(|(s, _)| s);
    let ends = day(&values.ends, "Ngày thôi hiện").map(|(_, e)| e);
    if let (Some(s), Some(e)) = (starts, ends)
        && e <= s
    {
        errors.push("Ngày thôi hiện phải từ ngày bắt đầu hiện trở đi.".to_owned());
    }
    let logo = if values.logo.is_empty() {
        None
    } else {
        let found = match values.logo.parse::<i64>() {
            Ok(m) => state.store.image(site.site.id, MediaId(m)).await?,
            Err(_) => None,
        };
        if found.is_none() {
            errors.push(
                "Logo đã chọn không có trong thư viện ảnh của trang này; hãy tải lên lại."
                    .to_owned(),
            );
            values.logo.clear();
        }
        found.map(|m| m.id.0)
    };
    if !errors.is_empty() {
        return render_form(state, site, session, id, values, errors).await;
    }
    let draft = LinkDraft {
        title: values.title,
        url: values.url,
        logo,
        starts_at: starts,
        ends_at: ends,
        shared: values.shared,
    };
    let who = LinkActor {
        site: site.site.id,
        by: Some(session.user.id),
        ip,
    };
    match id {
        Some(id) => state.store.update_link(who, id, &draft, now()).await?,
        None => {
            state.store.create_link(who, &draft, now()).await?;
        }
    }
    state.content_changed().await?;
    Ok(see_other("/quan-tri/lien-ket?da-luu=1"))
}
