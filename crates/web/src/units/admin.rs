//! `/quan-tri/don-vi`: the province's units for the super-administrator: a list
//! searched by name (with or without tone marks), by kind, fifty a page; a new
//! unit with its site, hosts and first administrator in one form; a unit's page
//! to rename it, move it in the tree, change its hosts, suspend or resume its site.

use crate::accounts::auth::{generate_password, hash_password};
use crate::platform::back_office::page;
use crate::platform::extract::{ClientIp, CsrfForm, SuperAdmin, csrf_field};
use crate::platform::layout::{AdminChrome, PagerView, SelectOption, percent_encode};
use crate::platform::site::CurrentSite;
use crate::{AppError, AppState, now};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::{PageNumber, Pager, UnitId, UnitKind};
use serde::Deserialize;
use std::collections::HashMap;
use store::{AuditNote, FirstAdmin, SessionInfo, UnitDraft, UnitFilter, UnitRow};

/// Units per page.
const PER_PAGE: u32 = 50;

/// A line of the list.
pub(crate) struct UnitLine {
    pub name: String,
    pub key: String,
    pub kind: &'static str,
    pub parent: String,
    pub host: Option<String>,
    pub state: &'static str,
    pub edit_url: String,
}

impl From<&UnitRow> for UnitLine {
    fn from(r: &UnitRow) -> UnitLine {
        UnitLine {
            name: r.unit.name.clone(),
            key: r.unit.key.clone(),
            kind: r.unit.kind.label(),
            parent: r.parent_name.clone().unwrap_or_default(),
            host: r.site.as_ref().and_then(|s| s.main_host.clone()),
            state: match &r.site {
                None => "Chưa có trang",
                Some(s) if s.suspended => "Tạm ngừng",
                Some(_) => "Đang hoạt động",
            },
            edit_url: format!("/quan-tri/don-vi/{}", r.unit.id),
        }
    }
}

#[derive(Template)]
#[template(path = "units/list.html")]
pub(crate) struct ListTemplate {
    pub chrome: AdminChrome,
    pub rows: Vec<UnitLine>,
    pub total: String,
    pub query: String,
    pub kinds: Vec<SelectOption>,
    pub pager: Option<PagerView>,
    pub notice: Option<String>,
}

/// The kinds as options, `current` selected; an empty first option when `any`
/// names it.
fn kind_options(current: &str, any: Option<&str>) -> Vec<SelectOption> {
    any.map(|label| SelectOption::new(String::new(), label.to_owned(), current))
        .into_iter()
        .chain(
            UnitKind::ALL
                .iter()
                .map(|k| SelectOption::new(k.as_str().to_owned(), k.label().to_owned(), current)),
        )
        .collect()
}

/// `GET /quan-tri/don-vi[?q=…&loai=…&trang=N]`
pub(crate) async fn list(
    State(state): State<AppState>,
    site: CurrentSite,
    SuperAdmin(session): SuperAdmin,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let get = |k: &str| q.get(k).map(|v| vntext::clean_line(v)).unwrap_or_default();
    let (query, kind) = (get("q"), get("loai"));
    let filter = UnitFilter {
        query: query.clone(),
        kind: UnitKind::parse(&kind),
        parent: None,
    };
    let page_no = PageNumber::parse(q.get("trang").map(String::as_str));
    let (rows, total) = state
        .store
        .units_page(&filter, i64::from(PER_PAGE), page_no.offset(PER_PAGE))
        .await?;
    let base = {
        let mut parts = Vec::new();
        if !query.is_empty() {
            parts.push(format!("q={}", percent_encode(&query)));
        }
        if let Some(k) = filter.kind {
            parts.push(format!("loai={}", k.as_str()));
        }
        if parts.is_empty() {
            "/quan-tri/don-vi".to_owned()
        } else {
            format!("/quan-tri/don-vi?{}", parts.join("&"))
        }
    };
    let pager = Pager::new(total, PER_PAGE, page_no).and_then(|p| PagerView::new(&p, &base, ""));
    let notice = q
        .get("da-tao")
        .map(|name| format!("Đã tạo đơn vị “{}”.", vntext::clean_line(name)));
    page(
        StatusCode::OK,
        &ListTemplate {
            chrome: AdminChrome::new("Đơn vị và trang", &site, &session),
            rows: rows.iter().map(UnitLine::from).collect(),
            total: vntext::format_number(total),
            kinds: kind_options(
                filter.kind.map_or("", UnitKind::as_str),
                Some("Mọi loại đơn vị"),
            ),
            query,
            pager,
            notice,
        },
    )
}

csrf_field!(NewUnitForm, UnitForm);

/// The new unit's form, as typed.
#[derive(Deserialize, Default)]
pub(crate) struct NewUnitForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub key: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub parent: String,
    #[serde(default)]
    pub hosts: String,
    #[serde(default)]
    pub redirect: Option<String>,
    #[serde(default)]
    pub admin_username: String,
    #[serde(default)]
    pub admin_name: String,
}

#[derive(Template)]
#[template(path = "units/new.html")]
pub(crate) struct NewTemplate {
    pub chrome: AdminChrome,
    pub values: NewUnitForm,
    pub kinds: Vec<SelectOption>,
    pub parents: Vec<SelectOption>,
    pub errors: Vec<String>,
    /// After a unit was made: what to hand over.
    pub created: Option<Created>,
}

/// What the page shows once a unit is made.
pub(crate) struct Created {
    pub name: String,
    pub url: Option<String>,
    pub admin: Option<(String, Option<String>)>,
    pub edit_url: String,
}

/// The units one may hang under, as options.
async fn parent_options(
    state: &AppState,
    current: &str,
    except: Option<UnitId>,
) -> Result<Vec<SelectOption>, AppError> {
    Ok(std::iter::once(SelectOption::new(
        String::new(),
        "(Không có: đơn vị cấp cao nhất)".to_owned(),
        current,
    ))
    .chain(
        state
            .store
            .parent_choices()
            .await?
            .into_iter()
            .filter(|u| Some(u.id) != except)
            .map(|u| {
                SelectOption::new(
                    u.id.0.to_string(),
                    format!("{} ({})", u.name, u.kind.label()),
                    current,
                )
            }),
    )
    .collect())
}

async fn render_new(
    state: &AppState,
    site: &CurrentSite,
    session: &SessionInfo,
    values: NewUnitForm,
    errors: Vec<String>,
    created: Option<Created>,
) -> Result<Response, AppError> {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    page(
        status,
        &NewTemplate {
            chrome: AdminChrome::new("Thêm đơn vị", site, session),
            kinds: kind_options(&values.kind, Some("(Chọn loại)")),
            parents: parent_options(state, &values.parent, None).await?,
            values,
            errors,
            created,
        },
    )
}

/// `GET /quan-tri/don-vi/moi`
pub(crate) async fn new_form(
    State(state): State<AppState>,
    site: CurrentSite,
    SuperAdmin(session): SuperAdmin,
) -> Result<Response, AppError> {
    let values = NewUnitForm {
        redirect: Some("1".to_owned()),
        ..Default::default()
    };
    render_new(&state, &site, &session, values, Vec::new(), None).await
}

/// Host names typed one a line (or separated by commas or spaces).
fn typed_hosts(s: &str) -> Vec<String> {
    s.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|h| !h.is_empty())
        .map(str::to_owned)
        .collect()
}

/// `POST /quan-tri/don-vi/moi`: the unit, its site (when hosts are given) with
/// two first categories, and its first administrator (a new account gets a
/// password shown once), in one transaction.
pub(crate) async fn create(
    State(state): State<AppState>,
    site: CurrentSite,
    ClientIp(ip): ClientIp,
    SuperAdmin(session): SuperAdmin,
    CsrfForm(f): CsrfForm<NewUnitForm>,
) -> Result<Response, AppError> {
    let parent_key = match f.parent.parse::<i64>() {
        Ok(id) => state
            .store
            .unit(UnitId(id))
            .await?
            .map(|r| r.unit.key)
            .unwrap_or_default(),
        Err(_) => String::new(),
    };
    let hosts = typed_hosts(&f.hosts);
    let draft = UnitDraft {
        name: f.name.clone(),
        key: f.key.clone(),
        kind: f.kind.clone(),
        parent: parent_key,
        hosts: hosts.clone(),
        redirect_to_main: f.redirect.is_some(),
    };
    let mut errors = Vec::new();
    let mut units = match state.store.prepare_units(&[draft]).await? {
        Ok(units) => units,
        Err(problems) => {
            errors.extend(problems.into_iter().map(|(_, m)| m));
            Vec::new()
        }
    };
    // The first administrator: an existing account by login name, or a new one.
    let mut new_password = None;
    let mut admin = None;
    let username = f.admin_username.trim();
    if !username.is_empty() {
        if hosts.is_empty() {
            errors.push("Đơn vị chưa có tên miền nên chưa có trang để giao quản trị; hãy nhập tên miền hoặc để trống tài khoản quản trị.".to_owned());
        }
        match domain::normalize_username(username) {
            Err(e) => errors.push(e.to_string()),
            Ok(name) => match state.store.user_by_username(&name).await? {
                Some((user, _)) => admin = Some(FirstAdmin::Existing(user.id)),
                None => {
                    let full_name = vntext::clean_line(&f.admin_name);
                    if full_name.is_empty() {
                        errors.push(format!(
                            "Chưa có tài khoản “{name}”: hãy nhập họ và tên để tạo tài khoản mới."
                        ));
                    } else {
                        let password = generate_password();
                        admin = Some(FirstAdmin::New {
                            username: name,
                            full_name,
                            password_hash: hash_password(&password),
                        });
                        new_password = Some(password);
                    }
                }
            },
        }
    }
    if !errors.is_empty() {
        return render_new(&state, &site, &session, f, errors, None).await;
    }
    if let Some(u) = units.first_mut() {
        u.parent_in_batch = None;
    }
    let note = AuditNote {
        user: Some(session.user.id),
        action: "",
        ip: &ip,
    };
    let ids = match state
        .store
        .create_units(&units, admin.as_ref(), note, now())
        .await
    {
        Ok(ids) => ids,
        Err(store::Error::Conflict(what)) => {
            let message = match what {
                "username" => "Tên đăng nhập vừa được người khác dùng; hãy chọn tên khác.",
                "host" => "Một tên miền vừa được trang khác nhận; hãy kiểm tra lại.",
                _ => "Mã đơn vị vừa được đơn vị khác dùng; hãy chọn mã khác.",
            };
            return render_new(&state, &site, &session, f, vec![message.to_owned()], None).await;
        }
        Err(e) => return Err(e.into()),
    };
    state.content_changed().await?;
    let unit = &units[0];
    let created = Created {
        name: unit.name.clone(),
        url: unit.hosts.first().map(|h| format!("http://{h}/")),
        admin: username_of(&admin, &f.admin_username).map(|u| (u, new_password)),
        edit_url: ids
            .first()
            .map(|id| format!("/quan-tri/don-vi/{id}"))
            .unwrap_or_default(),
    };
    let values = NewUnitForm {
        redirect: Some("1".to_owned()),
        ..Default::default()
    };
    render_new(&state, &site, &session, values, Vec::new(), Some(created)).await
}

fn username_of(admin: &Option<FirstAdmin>, typed: &str) -> Option<String> {
    match admin {
        Some(FirstAdmin::New { username, .. }) => Some(username.clone()),
        Some(FirstAdmin::Existing(_)) => domain::normalize_username(typed).ok(),
        None => None,
    }
}

/// A unit's form, as typed.
#[derive(Deserialize, Default)]
pub(crate) struct UnitForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub parent: String,
    #[serde(default)]
    pub hosts: String,
    #[serde(default)]
    pub redirect: Option<String>,
}

#[derive(Template)]
#[template(path = "units/edit.html")]
pub(crate) struct EditTemplate {
    pub chrome: AdminChrome,
    pub unit: UnitLine,
    pub action_url: String,
    pub values: UnitForm,
    pub kinds: Vec<SelectOption>,
    pub parents: Vec<SelectOption>,
    pub has_site: bool,
    pub suspended: bool,
    pub notice: Option<String>,
    pub errors: Vec<String>,
}

async fn unit_of(state: &AppState, id: &str) -> Result<UnitRow, AppError> {
    let id = id.parse::<i64>().map_err(|_| AppError::NotFound)?;
    state
        .store
        .unit(UnitId(id))
        .await?
        .ok_or(AppError::NotFound)
}

/// The form's values as stored.
async fn stored_values(state: &AppState, r: &UnitRow) -> Result<UnitForm, AppError> {
    let (hosts, redirect) = match &r.site {
        Some(s) => match state.sites.by_id(s.id) {
            Some(ctx) => (ctx.site.hosts.join("\n"), ctx.site.redirect_to_main),
            None => (String::new(), false),
        },
        None => (String::new(), true),
    };
    Ok(UnitForm {
        name: r.unit.name.clone(),
        kind: r.unit.kind.as_str().to_owned(),
        parent: r.unit.parent.map(|p| p.0.to_string()).unwrap_or_default(),
        hosts,
        redirect: redirect.then(|| "1".to_owned()),
        ..Default::default()
    })
}

#[expect(clippy::too_many_arguments, reason = "the page's parts, each its own")]
async fn render_edit(
    state: &AppState,
    site: &CurrentSite,
    session: &SessionInfo,
    r: &UnitRow,
    values: UnitForm,
    notice: Option<String>,
    errors: Vec<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    page(
        status,
        &EditTemplate {
            chrome: AdminChrome::new(&r.unit.name, site, session),
            unit: UnitLine::from(r),
            action_url: format!("/quan-tri/don-vi/{}", r.unit.id),
            kinds: kind_options(&values.kind, None),
            parents: parent_options(state, &values.parent, Some(r.unit.id)).await?,
            has_site: r.site.is_some(),
            suspended: r.site.as_ref().is_some_and(|s| s.suspended),
            values,
            notice,
            errors,
        },
    )
}

/// `GET /quan-tri/don-vi/{id}[?da-luu=…]`
pub(crate) async fn edit(
    State(state): State<AppState>,
    site: CurrentSite,
    SuperAdmin(session): SuperAdmin,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let r = unit_of(&state, &id).await?;
    let values = stored_values(&state, &r).await?;
    let notice = q.get("da-luu").map(|what| {
        match what.as_str() {
            "ten-mien" => "Đã lưu tên miền.",
            "tam-ngung" => "Trang đã tạm ngừng hoạt động; dữ liệu vẫn được giữ.",
            "mo-lai" => "Trang đã hoạt động trở lại.",
            _ => "Đã lưu.",
        }
        .to_owned()
    });
    render_edit(
        &state,
        &site,
        &session,
        &r,
        values,
        notice,
        Vec::new(),
        StatusCode::OK,
    )
    .await
}

/// `POST /quan-tri/don-vi/{id}`: `action` = `luu` (name, kind, parent),
/// `ten-mien` (hosts), `tam-ngung` or `mo-lai`.
pub(crate) async fn save(
    State(state): State<AppState>,
    site: CurrentSite,
    ClientIp(ip): ClientIp,
    SuperAdmin(session): SuperAdmin,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<UnitForm>,
) -> Result<Response, AppError> {
    let r = unit_of(&state, &id).await?;
    let note = AuditNote {
        user: Some(session.user.id),
        action: "",
        ip: &ip,
    };
    let now = now();
    let done = |what: &str| {
        (
            StatusCode::SEE_OTHER,
            [(
                header::LOCATION,
                format!("/quan-tri/don-vi/{}?da-luu={what}", r.unit.id),
            )],
        )
            .into_response()
    };
    let refuse = |errors: Vec<String>, values: UnitForm| {
        let r = r.clone();
        let (state, site, session) = (state.clone(), site.clone(), session.clone());
        async move {
            render_edit(
                &state,
                &site,
                &session,
                &r,
                values,
                None,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    };
    match f.action.as_str() {
        "luu" => {
            let name = vntext::clean_line(&f.name);
            let mut errors = Vec::new();
            if let Err(m) = domain::check_unit_name(&name) {
                errors.push(m);
            }
            let kind = UnitKind::parse(&f.kind);
            if kind.is_none() {
                errors.push("Hãy chọn loại đơn vị.".to_owned());
            }
            let parent = f.parent.parse::<i64>().ok().map(UnitId);
            if let (true, Some(kind)) = (errors.is_empty(), kind) {
                match state
                    .store
                    .update_unit(r.unit.id, &name, kind, parent, note, now)
                    .await
                {
                    Ok(()) => {}
                    Err(store::Error::Conflict(_)) => errors.push(
                        "Không thể đặt đơn vị dưới chính nó hoặc dưới một đơn vị cấp dưới của nó."
                            .to_owned(),
                    ),
                    Err(e) => return Err(e.into()),
                }
            }
            if !errors.is_empty() {
                let mut values = stored_values(&state, &r).await?;
                (values.name, values.kind, values.parent) = (f.name, f.kind, f.parent);
                return refuse(errors, values).await;
            }
            Ok(done("don-vi"))
        }
        "ten-mien" => {
            let typed = typed_hosts(&f.hosts);
            let site_id = r.site.as_ref().map(|s| s.id);
            let hosts = match state.store.check_hosts(&typed, site_id).await? {
                Ok(h) if h.is_empty() => Err(vec![
                    "Trang cần ít nhất một tên miền; muốn dừng trang, hãy dùng nút “Tạm ngừng hoạt động”."
                        .to_owned(),
                ]),
                other => other,
            };
            let hosts = match hosts {
                Ok(h) => h,
                Err(errors) => {
                    let mut values = stored_values(&state, &r).await?;
                    (values.hosts, values.redirect) = (f.hosts, f.redirect);
                    return refuse(errors, values).await;
                }
            };
            let redirect = f.redirect.is_some();
            let result = match site_id {
                Some(s) => {
                    state
                        .store
                        .set_site_hosts(s, &hosts, redirect, note, now)
                        .await
                }
                None => state
                    .store
                    .give_unit_a_site(r.unit.id, &hosts, redirect, note, now)
                    .await
                    .map(|_| ()),
            };
            match result {
                Ok(()) => {}
                Err(store::Error::Conflict(_)) => {
                    let mut values = stored_values(&state, &r).await?;
                    (values.hosts, values.redirect) = (f.hosts, f.redirect);
                    return refuse(
                        vec!["Một tên miền vừa được trang khác nhận; hãy kiểm tra lại.".to_owned()],
                        values,
                    )
                    .await;
                }
                Err(e) => return Err(e.into()),
            }
            state.content_changed().await?;
            Ok(done("ten-mien"))
        }
        "tam-ngung" | "mo-lai" => {
            let Some(s) = &r.site else {
                return Err(AppError::NotFound);
            };
            let suspend = f.action == "tam-ngung";
            if suspend && s.id == site.site.id {
                let values = stored_values(&state, &r).await?;
                return refuse(
                    vec!["Không thể tạm ngừng chính trang bạn đang dùng để quản trị.".to_owned()],
                    values,
                )
                .await;
            }
            state
                .store
                .set_site_suspended(s.id, suspend, note, now)
                .await?;
            state.content_changed().await?;
            Ok(done(&f.action))
        }
        _ => Err(AppError::NotFound),
    }
}
