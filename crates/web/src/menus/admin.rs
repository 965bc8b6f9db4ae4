//! `/quan-tri/menu`: the main menu, arranged by the site's administrators. Every
//! change (add, rename, move, into or out of a dropdown, remove, back to the
//! default) saves the whole menu, naming the revision the page was opened at; until
//! the first change the site shows (and this page lists) the default menu.

use crate::platform::back_office::{page, saved_whole};
use crate::platform::extract::{Admin, ClientIp, CsrfForm, SiteRole, csrf_field};
use crate::platform::layout::AdminChrome;
use crate::platform::menu::{Catalogue, describe};
use crate::platform::site::CurrentSite;
use crate::{AppError, AppState, now};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::{MENU_GROUP, MENU_LINK, MenuItem, MenuMove, MenuPlace, move_menu_item};
use serde::Deserialize;
use std::collections::HashMap;
use store::{AuditNote, SessionInfo};

/// The longest name an item may be given.
const MAX_LABEL_CHARS: usize = 80;

/// An item as the list shows it.
pub(crate) struct ItemRow {
    /// Its place, as the forms send it ("2" or "2.0").
    pub place: String,
    pub child: bool,
    pub name: String,
    /// The name it was given (empty: its target's own).
    pub label: String,
    /// What kind of place it leads to ("Chuyên mục", "Liên kết").
    pub kind: String,
    pub url: String,
    /// What it led to is gone (a deleted page, a hidden category): not shown.
    pub gone: bool,
    pub first: bool,
    pub last: bool,
    /// May go into the dropdown of the item above.
    pub can_indent: bool,
}

/// A group of targets in the "add" form.
pub(crate) struct ChoiceGroup {
    pub name: &'static str,
    /// (`kind|id`, name).
    pub options: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "menus/admin.html")]
pub(crate) struct MenuAdminTemplate {
    pub chrome: AdminChrome,
    pub revision: i64,
    pub arranged: bool,
    pub rows: Vec<ItemRow>,
    pub groups: Vec<ChoiceGroup>,
    /// Items of the bar that may take children: (place, name).
    pub parents: Vec<(String, String)>,
    pub notice: Option<String>,
    pub error: Option<String>,
}

/// What every form of the page sends.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct MenuForm {
    csrf: String,
    revision: String,
    /// "len", "xuong", "vao", "ra", "xoa", "doi-ten", "them" or "mac-dinh".
    action: String,
    /// The item changed ("2" or "2.0").
    at: String,
    /// What an added item leads to: `kind|id`.
    target: String,
    /// The name given (empty: its target's own).
    label: String,
    /// A link's address.
    url: String,
    /// The bar item whose dropdown takes the new item (empty: the bar).
    parent: String,
}
csrf_field!(MenuForm);

/// The site's menu as arranged (or the default), its revision, whether it is
/// arranged, and every target it may lead to.
async fn current(
    state: &AppState,
    site: &CurrentSite,
) -> Result<(Vec<MenuItem>, i64, bool, Catalogue), AppError> {
    let registry = state.sites.menu_registry();
    let catalogue = registry.catalogue(&state.store, site, false).await?;
    let stored = state.store.site_menu(site.site.id).await?;
    let arranged = stored.items.is_some();
    let items = stored
        .items
        .unwrap_or_else(|| registry.default_items(&catalogue));
    Ok((items, stored.revision, arranged, catalogue))
}

fn kind_name(item: &MenuItem, catalogue: &Catalogue) -> String {
    match item.kind.as_str() {
        MENU_LINK => "Liên kết".into(),
        MENU_GROUP => "Nhóm (chỉ mở menu con)".into(),
        kind => catalogue
            .find(kind, &item.target)
            .map_or_else(|| "Không còn".into(), |(group, _)| group.to_owned()),
    }
}

fn row(item: &MenuItem, place: MenuPlace, siblings: usize, catalogue: &Catalogue) -> ItemRow {
    let (name, url, gone) = match describe(item, catalogue) {
        Some((name, url)) => (name, url.unwrap_or_default(), false),
        None => (
            if item.label.is_empty() {
                format!("(mục không còn: {} {})", item.kind, item.target)
            } else {
                item.label.clone()
            },
            String::new(),
            true,
        ),
    };
    let index = place.child.unwrap_or(place.top);
    ItemRow {
        place: place.key(),
        child: place.child.is_some(),
        name,
        label: item.label.clone(),
        kind: kind_name(item, catalogue),
        url,
        gone,
        first: index == 0,
        last: index + 1 == siblings,
        can_indent: place.child.is_none() && place.top > 0 && item.children.is_empty(),
    }
}

async fn render(
    state: &AppState,
    site: &CurrentSite,
    session: &SessionInfo,
    notice: Option<String>,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let (items, revision, arranged, catalogue) = current(state, site).await?;
    let mut rows = Vec::new();
    let mut parents = Vec::new();
    for (top, item) in items.iter().enumerate() {
        let place = MenuPlace { top, child: None };
        let r = row(item, place, items.len(), &catalogue);
        parents.push((place.key(), r.name.clone()));
        rows.push(r);
        for (child, c) in item.children.iter().enumerate() {
            let place = MenuPlace {
                top,
                child: Some(child),
            };
            rows.push(row(c, place, item.children.len(), &catalogue));
        }
    }
    let groups = catalogue
        .groups
        .iter()
        .filter(|g| !g.targets.is_empty())
        .map(|g| ChoiceGroup {
            name: g.group,
            options: g
                .targets
                .iter()
                .map(|t| (format!("{}|{}", g.kind, t.id), t.label.clone()))
                .collect(),
        })
        .collect();
    page(
        status,
        &MenuAdminTemplate {
            chrome: AdminChrome::new("Menu chính", site, session),
            revision,
            arranged,
            rows,
            groups,
            parents,
            notice,
            error,
        },
    )
}

/// `GET /quan-tri/menu`
pub(crate) async fn show(
    State(state): State<AppState>,
    site: CurrentSite,
    SiteRole { session, .. }: SiteRole<Admin>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let notice = q
        .contains_key("da-luu")
        .then(|| "Đã lưu. Menu trên trang đã đổi theo.".to_owned());
    render(&state, &site, &session, notice, None, StatusCode::OK).await
}

/// The item the add form describes, with the sub-targets that come with it (a
/// category's sub-categories, when it goes on the bar), and its name for the log.
fn new_item(
    form: &MenuForm,
    catalogue: &Catalogue,
    on_bar: bool,
) -> Result<(MenuItem, String), String> {
    let label = vntext::clean_line(&form.label);
    if label.chars().count() > MAX_LABEL_CHARS {
        return Err(format!(
            "Tên hiển thị dài quá {MAX_LABEL_CHARS} ký tự; menu cần tên ngắn."
        ));
    }
    let (kind, id) = form.target.split_once('|').unwrap_or((&form.target, ""));
    let item = |kind: &str, target: &str, label: &str| MenuItem {
        kind: kind.to_owned(),
        target: target.to_owned(),
        label: label.to_owned(),
        children: Vec::new(),
    };
    match kind {
        MENU_LINK => {
            let url = form.url.trim();
            if label.is_empty() {
                return Err("Liên kết cần có tên hiển thị.".into());
            }
            if !domain::is_web_url(url) && !domain::is_local_path(url) {
                return Err(format!(
                    "Địa chỉ “{url}” phải bắt đầu bằng http://, https:// hoặc / (một trang của chính trang này)."
                ));
            }
            Ok((item(MENU_LINK, url, &label), label))
        }
        MENU_GROUP => {
            if label.is_empty() {
                return Err("Nhóm cần có tên hiển thị (tên của menu con).".into());
            }
            Ok((item(MENU_GROUP, "", &label), label))
        }
        kind => {
            let Some((_, target)) = catalogue.find(kind, id) else {
                return Err("Hãy chọn nơi mục menu dẫn đến.".into());
            };
            let mut new = item(kind, id, &label);
            if on_bar && let Some(group) = catalogue.groups.iter().find(|g| g.kind == kind) {
                new.children = group
                    .targets
                    .iter()
                    .filter(|t| t.parent.as_deref() == Some(id))
                    .map(|t| item(kind, &t.id, ""))
                    .collect();
            }
            let name = if label.is_empty() {
                target.label.clone()
            } else {
                label
            };
            Ok((new, name))
        }
    }
}

/// `POST /quan-tri/menu`: one change of the menu.
pub(crate) async fn change(
    State(state): State<AppState>,
    site: CurrentSite,
    ClientIp(ip): ClientIp,
    SiteRole { session, .. }: SiteRole<Admin>,
    CsrfForm(form): CsrfForm<MenuForm>,
) -> Result<Response, AppError> {
    let refuse = |message: String, status| {
        let (state, site, session) = (&state, &site, &session);
        async move { render(state, site, session, None, Some(message), status).await }
    };
    let (mut items, _, _, catalogue) = current(&state, &site).await?;
    let base: i64 = form.revision.trim().parse().unwrap_or(-1);
    let name_at = |items: &[MenuItem], place: MenuPlace| {
        let item = match place.child {
            Some(c) => items.get(place.top).and_then(|i| i.children.get(c)),
            None => items.get(place.top),
        };
        item.and_then(|i| describe(i, &catalogue))
            .map(|(name, _)| name)
            .unwrap_or_default()
    };
    let result: Result<(Option<Vec<MenuItem>>, String), String> = match form.action.as_str() {
        "mac-dinh" => Ok((None, "dùng lại menu mặc định".to_owned())),
        "them" => {
            let parent = match form.parent.trim() {
                "" => None,
                p => match p.parse::<usize>().ok().filter(|&p| p < items.len()) {
                    Some(p) => Some(p),
                    None => return Err(AppError::NotFound),
                },
            };
            new_item(&form, &catalogue, parent.is_none()).map(|(new, name)| {
                match parent {
                    Some(p) => items[p].children.push(new),
                    None => items.push(new),
                }
                (Some(items), format!("thêm mục {name}"))
            })
        }
        "doi-ten" => {
            let place = MenuPlace::parse(&form.at).ok_or(AppError::NotFound)?;
            let label = vntext::clean_line(&form.label);
            let item = match place.child {
                Some(c) => items.get_mut(place.top).and_then(|i| i.children.get_mut(c)),
                None => items.get_mut(place.top),
            };
            match item {
                None => Err("Mục này không còn trong menu; hãy tải lại trang.".to_owned()),
                Some(i)
                    if label.is_empty() && matches!(i.kind.as_str(), MENU_LINK | MENU_GROUP) =>
                {
                    Err("Liên kết và nhóm cần có tên hiển thị.".to_owned())
                }
                Some(_) if label.chars().count() > MAX_LABEL_CHARS => Err(format!(
                    "Tên hiển thị dài quá {MAX_LABEL_CHARS} ký tự; menu cần tên ngắn."
                )),
                Some(i) => {
                    i.label = label;
                    let name = describe(i, &catalogue).map(|(n, _)| n).unwrap_or_default();
                    Ok((Some(items), format!("đổi tên mục thành {name}")))
                }
            }
        }
        action => {
            let change = MenuMove::parse(action).ok_or(AppError::NotFound)?;
            let place = MenuPlace::parse(&form.at).ok_or(AppError::NotFound)?;
            let name = name_at(&items, place);
            move_menu_item(&mut items, place, change)
                .map(|()| {
                    let what = match change {
                        MenuMove::Up => "chuyển lên",
                        MenuMove::Down => "chuyển xuống",
                        MenuMove::Indent => "đưa vào menu con",
                        MenuMove::Outdent => "đưa ra thanh menu",
                        MenuMove::Remove => "xoá",
                    };
                    (Some(items), format!("{what} mục {name}"))
                })
                .map_err(str::to_owned)
        }
    };
    let (new, detail) = match result {
        Ok(done) => done,
        Err(why) => return refuse(why, StatusCode::UNPROCESSABLE_ENTITY).await,
    };
    let audit = AuditNote {
        user: Some(session.user.id),
        action: "sửa menu",
        ip: &ip,
    };
    let saved = state
        .store
        .save_site_menu(
            site.site.id,
            base,
            new.as_deref(),
            Some(audit),
            detail,
            now(),
        )
        .await;
    let stale = "Menu vừa được người khác sửa nên thao tác của bạn chưa được lưu. Danh sách dưới đây là bản mới nhất; hãy làm lại nếu vẫn cần.";
    saved_whole(
        &state,
        saved,
        "/quan-tri/menu?da-luu=1",
        refuse(stale.into(), StatusCode::CONFLICT),
    )
    .await
}
