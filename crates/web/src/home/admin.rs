//! `/quan-tri/trang-chu`: the blocks of the home page, chosen and ordered by the
//! site's administrators. The list is saved whole after each change; until the
//! first one the site shows (and this page lists) the default blocks.

use crate::home::blocks_of;
use crate::platform::back_office::{page, saved_whole};
use crate::platform::blocks::{BlockKind, kind_of};
use crate::platform::extract::{Admin, ClientIp, CsrfForm, SiteRole, csrf_field};
use crate::platform::layout::AdminChrome;
use crate::platform::site::CurrentSite;
use crate::{AppError, AppState, now};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::{HomeBlock, MenuMove, move_home_block};
use serde::Deserialize;
use std::collections::HashMap;
use store::{AuditNote, SessionInfo};

/// A block as the list shows it.
pub(crate) struct BlockRow {
    /// Its place, as the forms send it.
    pub at: usize,
    pub name: String,
    /// Its kind is no longer offered: it shows nothing.
    pub gone: bool,
}

/// A block that may be added: `kind|setting`, and its name.
pub(crate) struct BlockChoice {
    pub value: String,
    pub name: String,
}

#[derive(Template)]
#[template(path = "home/admin.html")]
pub(crate) struct HomeAdminTemplate {
    pub chrome: AdminChrome,
    pub revision: i64,
    pub arranged: bool,
    pub rows: Vec<BlockRow>,
    pub choices: Vec<BlockChoice>,
    pub notice: Option<String>,
    pub error: Option<String>,
}

/// What every form of the page sends.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct HomeForm {
    csrf: String,
    revision: String,
    /// "len", "xuong", "xoa", "them" or "mac-dinh".
    action: String,
    /// The block moved or removed.
    at: String,
    /// The block added: `kind|setting`.
    block: String,
}
csrf_field!(HomeForm);

/// The name of a block: its kind's, and its setting's ("Tin của một chuyên mục:
/// Tin giáo dục").
async fn name_of(
    state: &AppState,
    site: &CurrentSite,
    kind: &BlockKind,
    setting: &str,
    settings: &mut HashMap<&'static str, Vec<(String, String)>>,
) -> Result<Option<String>, AppError> {
    let Some(list) = kind.settings else {
        return Ok(Some(kind.name.to_owned()));
    };
    if !settings.contains_key(kind.key) {
        settings.insert(kind.key, list(state, site).await?);
    }
    Ok(settings[kind.key]
        .iter()
        .find(|(v, _)| v == setting)
        .map(|(_, label)| format!("{}: {label}", kind.name)))
}

async fn render(
    state: &AppState,
    site: &CurrentSite,
    session: &SessionInfo,
    notice: Option<String>,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let (blocks, revision) = blocks_of(state, site).await?;
    let kinds = state.block_kinds();
    let mut settings = HashMap::new();
    let mut rows = Vec::with_capacity(blocks.len());
    for (at, b) in blocks.iter().enumerate() {
        let name = match kind_of(kinds, b) {
            Some(kind) => name_of(state, site, kind, &b.setting, &mut settings).await?,
            None => None,
        };
        rows.push(BlockRow {
            at,
            gone: name.is_none(),
            name: name.unwrap_or_else(|| format!("Khối “{}” không còn dùng được", b.kind)),
        });
    }
    let mut choices = Vec::new();
    for kind in kinds {
        let offered = match kind.settings {
            Some(list) => list(state, site).await?,
            None => vec![(String::new(), String::new())],
        };
        for (setting, label) in offered {
            if blocks
                .iter()
                .any(|b| b.kind == kind.key && b.setting == setting)
            {
                continue;
            }
            choices.push(BlockChoice {
                value: format!("{}|{setting}", kind.key),
                name: if label.is_empty() {
                    kind.name.to_owned()
                } else {
                    format!("{}: {label}", kind.name)
                },
            });
        }
    }
    let arranged = state.store.home_blocks(site.site.id).await?.items.is_some();
    page(
        status,
        &HomeAdminTemplate {
            chrome: AdminChrome::new("Trang chủ", site, session),
            revision,
            arranged,
            rows,
            choices,
            notice,
            error,
        },
    )
}

/// `GET /quan-tri/trang-chu`
pub(crate) async fn show(
    State(state): State<AppState>,
    site: CurrentSite,
    SiteRole { session, .. }: SiteRole<Admin>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let notice = q
        .contains_key("da-luu")
        .then(|| "Đã lưu. Trang chủ đã hiển thị theo thứ tự mới.".to_owned());
    render(&state, &site, &session, notice, None, StatusCode::OK).await
}

/// `POST /quan-tri/trang-chu`: one change of the list.
pub(crate) async fn change(
    State(state): State<AppState>,
    site: CurrentSite,
    ClientIp(ip): ClientIp,
    SiteRole { session, .. }: SiteRole<Admin>,
    CsrfForm(form): CsrfForm<HomeForm>,
) -> Result<Response, AppError> {
    let refuse = |message: String, status| {
        let (state, site, session) = (&state, &site, &session);
        async move { render(state, site, session, None, Some(message), status).await }
    };
    let (mut blocks, _) = blocks_of(&state, &site).await?;
    let base: i64 = form.revision.trim().parse().unwrap_or(-1);
    let (new, detail) = match form.action.as_str() {
        "mac-dinh" => (None, "dùng lại trang chủ mặc định".to_owned()),
        "them" => {
            let (kind, setting) = form.block.split_once('|').unwrap_or((&form.block, ""));
            let block = HomeBlock {
                kind: kind.to_owned(),
                setting: setting.to_owned(),
            };
            let mut settings = HashMap::new();
            let name = match kind_of(state.block_kinds(), &block) {
                Some(k) => name_of(&state, &site, k, setting, &mut settings).await?,
                None => None,
            };
            let Some(name) = name else {
                return refuse(
                    "Hãy chọn một khối trong danh sách.".into(),
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await;
            };
            if blocks.contains(&block) {
                return refuse(
                    format!("Khối “{name}” đã có trên trang chủ."),
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await;
            }
            blocks.push(block);
            (Some(blocks), format!("thêm khối {name}"))
        }
        action => {
            let change = MenuMove::parse(action);
            let at = form.at.trim().parse::<usize>().ok();
            let (Some(change), Some(at)) = (change, at) else {
                return Err(AppError::NotFound);
            };
            let kind = blocks.get(at).map(|b| b.kind.clone()).unwrap_or_default();
            if let Err(why) = move_home_block(&mut blocks, at, change) {
                return refuse(why.to_owned(), StatusCode::UNPROCESSABLE_ENTITY).await;
            }
            let what = match change {
                MenuMove::Up => "chuyển lên",
                MenuMove::Down => "chuyển xuống",
                _ => "bỏ",
            };
            (Some(blocks), format!("{what} khối {kind}"))
        }
    };
    let audit = AuditNote {
        user: Some(session.user.id),
        action: "sắp xếp trang chủ",
        ip: &ip,
    };
    let saved = state
        .store
        .save_home_blocks(
            site.site.id,
            base,
            new.as_deref(),
            Some(audit),
            detail,
            now(),
        )
        .await;
    let stale = "Trang chủ vừa được người khác sắp xếp lại nên thao tác của bạn chưa được lưu. Danh sách dưới đây là bản mới nhất; hãy làm lại nếu vẫn cần.";
    saved_whole(
        &state,
        saved,
        "/quan-tri/trang-chu?da-luu=1",
        refuse(stale.into(), StatusCode::CONFLICT),
    )
    .await
}
