//! `/quan-tri/thi-dua`: the back office of emulation and commendation. A school
//! (its administrators and emulation people) registers its titles, sends
//! proposals and records its own decisions; the department's emulation people
//! launch movements, follow who registered, work on every unit's proposals and
//! record and publish decisions. Every POST checks the rules again.

use super::sheet;
use super::{Desk, Kept};
use crate::platform::back_office::{page, see_other, when};
use crate::platform::extract::{ClientIp, CsrfForm, CsrfMultipart, csrf_field};
use crate::platform::layout::{AdminChrome, SelectOption};
use crate::platform::site::CurrentSite;
use crate::{AppError, AppState, now};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use domain::{
    EmulationSide, MOVEMENT_KINDS, ProposalMove, ProposalStatus, Unit, UnitId, UnitKind,
    next_proposal_status, offered_proposal_moves,
};
use serde::Deserialize;
use std::collections::HashMap;
use store::{
    AuditNote, CATALOGUE_KINDS, CatalogueItem, DecisionDraft, DvkDraft, DvkFilter, Entry,
    EntryDraft, Movement, MovementDraft, Proposal, ProposalFilter,
};

fn audit<'a>(desk: &Desk, action: &'a str, ip: &'a ClientIp) -> AuditNote<'a> {
    AuditNote {
        user: Some(desk.session.user.id),
        action,
        ip: &ip.0,
    }
}

/// The catalogue's names of one kind, in order.
pub(crate) fn names(catalogue: &[CatalogueItem], kind: &str) -> Vec<String> {
    catalogue
        .iter()
        .filter(|c| c.kind == kind)
        .map(|c| c.name.clone())
        .collect()
}

fn options(values: &[String], current: &str) -> Vec<SelectOption> {
    values
        .iter()
        .map(|v| SelectOption::new(v.clone(), v.clone(), current))
        .collect()
}

fn date(iso: &str) -> String {
    vntext::format_iso_date(iso).unwrap_or_default()
}

/// A typed date (dd/mm/yyyy, ddmmyyyy or YYYY-MM-DD) as `YYYY-MM-DD`; empty stays
/// empty; anything else is a problem named `what`.
fn typed_date(raw: &str, what: &str, problems: &mut Vec<String>) -> String {
    if raw.trim().is_empty() {
        return String::new();
    }
    vntext::parse_typed_date(raw).unwrap_or_else(|| {
        problems.push(format!(
            "{what} “{}” không đúng; hãy viết ngày/tháng/năm, ví dụ 15/09/2026.",
            raw.trim()
        ));
        String::new()
    })
}

/// Whether a movement is for this unit (its scope's kinds and parents; none: all).
fn in_scope(m: &Movement, unit: &Unit, units: &[Unit]) -> bool {
    domain::in_movement_scope(&m.draft.scope, &m.draft.parents, unit, units)
}

/// The units a movement may be scoped to as parents: those with units under
/// them, the department aside (scoping to it is the whole sector).
fn parent_choices(units: &[Unit]) -> Vec<&Unit> {
    units
        .iter()
        .filter(|u| u.kind != UnitKind::Department && units.iter().any(|c| c.parent == Some(u.id)))
        .collect()
}

fn only_department(desk: &Desk) -> Result<(), AppError> {
    if desk.department() {
        Ok(())
    } else {
        Err(AppError::forbidden(
            "Việc này do bộ phận thi đua – khen thưởng của Sở làm.",
        ))
    }
}

fn only_school(desk: &Desk) -> Result<(), AppError> {
    if desk.department() {
        Err(AppError::forbidden(
            "Việc này do đơn vị (trường) làm trong trang quản trị của mình.",
        ))
    } else {
        Ok(())
    }
}

// ───────────────────────── the overview: movements and the catalogue ─────────

/// A movement in a list.
pub(crate) struct MovementLine {
    pub name: String,
    pub url: String,
    pub kind: &'static str,
    pub deadline: String,
    pub status: String,
}

/// The catalogue's entries of one kind.
pub(crate) struct CatalogueGroup {
    pub kind: &'static str,
    pub label: &'static str,
    pub items: Vec<(i64, String)>,
}

/// The movement form's values.
#[derive(Default)]
pub(crate) struct MovementValues {
    pub name: String,
    pub slogan: String,
    pub kind: String,
    pub scope: Vec<String>,
    /// Parent units' ids, as the form sends them.
    pub parents: Vec<String>,
    pub decision_number: String,
    pub decision_date: String,
    pub period: String,
    pub school_year: String,
    pub content: String,
    pub criteria: String,
    pub deadline: String,
}

#[derive(Template)]
#[template(path = "emulation/admin_home.html")]
pub(crate) struct HomeTemplate {
    pub chrome: AdminChrome,
    pub department: bool,
    pub unit_name: String,
    pub movements: Vec<MovementLine>,
    pub values: MovementValues,
    pub kinds: Vec<SelectOption>,
    pub scope: Vec<(&'static str, &'static str, bool)>,
    /// Parent units to scope to: (id, name, checked).
    pub parents: Vec<(String, String, bool)>,
    pub catalogue: Vec<CatalogueGroup>,
    /// Where the movement form goes: a new one, or the one being edited.
    pub action: String,
    /// The movement being edited, if any (its id).
    pub editing: Option<i64>,
    pub kept: Kept,
}

async fn render_home(
    state: &AppState,
    site: &CurrentSite,
    desk: &Desk,
    (values, editing): (MovementValues, Option<i64>),
    kept: Kept,
) -> Result<Response, AppError> {
    let units = state.store.units().await?;
    let mut movements = Vec::new();
    for m in state.store.movements().await? {
        if !desk.department() && !in_scope(&m, &desk.unit, &units) {
            continue;
        }
        let status_text = if desk.department() {
            let n = state.store.registered_units(m.id).await?.len();
            format!("{} đơn vị đã đăng ký", vntext::format_number(n as i64))
        } else {
            let n = state
                .store
                .registrations(m.id, Some(desk.unit.id))
                .await?
                .len();
            if n == 0 {
                "Chưa đăng ký".to_owned()
            } else {
                format!("Đã đăng ký {} dòng", vntext::format_number(n as i64))
            }
        };
        movements.push(MovementLine {
            url: format!("/quan-tri/thi-dua/phong-trao/{}", m.id),
            kind: domain::movement_kind_label(&m.draft.kind),
            deadline: date(&m.draft.deadline),
            status: status_text,
            name: m.draft.name,
        });
    }
    let catalogue = if desk.department() {
        let all = state.store.emulation_catalogue().await?;
        CATALOGUE_KINDS
            .iter()
            .map(|(k, label)| CatalogueGroup {
                kind: k,
                label,
                items: all
                    .iter()
                    .filter(|c| c.kind == *k)
                    .map(|c| (c.id, c.name.clone()))
                    .collect(),
            })
            .collect()
    } else {
        Vec::new()
    };
    let kinds = MOVEMENT_KINDS
        .iter()
        .map(|(k, l)| SelectOption::new((*k).to_owned(), (*l).to_owned(), &values.kind))
        .collect();
    let scope = UnitKind::ALL
        .iter()
        .filter(|k| k.is_school())
        .map(|k| {
            (
                k.as_str(),
                k.label(),
                values.scope.iter().any(|s| s == k.as_str()),
            )
        })
        .collect();
    let parents = parent_choices(&units)
        .into_iter()
        .map(|u| {
            let id = u.id.0.to_string();
            let checked = values.parents.contains(&id);
            (id, u.name.clone(), checked)
        })
        .collect();
    page(
        kept.status(),
        &HomeTemplate {
            chrome: AdminChrome::new(
                if editing.is_some() {
                    "Sửa phong trào thi đua"
                } else {
                    "Thi đua – Khen thưởng"
                },
                site,
                &desk.session,
            ),
            department: desk.department(),
            unit_name: desk.unit.name.clone(),
            movements,
            values,
            kinds,
            scope,
            parents,
            catalogue,
            action: editing.map_or("/quan-tri/thi-dua/phong-trao".to_owned(), |id| {
                format!("/quan-tri/thi-dua/phong-trao/{id}/sua")
            }),
            editing,
            kept,
        },
    )
}

/// `GET /quan-tri/thi-dua`
pub(crate) async fn home(
    State(state): State<AppState>,
    site: CurrentSite,
    desk: Desk,
) -> Result<Response, AppError> {
    render_home(
        &state,
        &site,
        &desk,
        (MovementValues::default(), None),
        Kept::default(),
    )
    .await
}

/// The movement form as typed, and what is wrong with it; the draft to keep
/// when nothing is.
fn read_movement(
    form: &[(String, String)],
    units: &[Unit],
) -> (MovementValues, Result<MovementDraft, Vec<String>>) {
    let get = |k: &str| {
        form.iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| vntext::nfc(v))
            .unwrap_or_default()
    };
    let all = |k: &str| -> Vec<String> {
        form.iter()
            .filter(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .collect()
    };
    let choices = parent_choices(units);
    let values = MovementValues {
        name: vntext::clean_line(&get("name")),
        slogan: vntext::clean_line(&get("slogan")),
        kind: get("kind"),
        scope: all("scope")
            .into_iter()
            .filter(|v| UnitKind::ALL.iter().any(|k| k.as_str() == v))
            .collect(),
        parents: all("parent")
            .into_iter()
            .filter(|v| choices.iter().any(|u| u.id.0.to_string() == *v))
            .collect(),
        decision_number: vntext::clean_line(&get("decision_number")),
        decision_date: get("decision_date").trim().to_owned(),
        period: vntext::clean_line(&get("period")),
        school_year: vntext::clean_line(&get("school_year")),
        content: get("content").trim().to_owned(),
        criteria: get("criteria").trim().to_owned(),
        deadline: get("deadline").trim().to_owned(),
    };
    let mut errors = Vec::new();
    if values.name.is_empty() {
        errors.push("Vui lòng nhập tên phong trào.".to_owned());
    }
    if !MOVEMENT_KINDS.iter().any(|(k, _)| *k == values.kind) {
        errors.push("Vui lòng chọn loại phong trào.".to_owned());
    }
    let decision_date = typed_date(&values.decision_date, "Ngày quyết định", &mut errors);
    let deadline = typed_date(&values.deadline, "Hạn đăng ký", &mut errors);
    if !errors.is_empty() {
        return (values, Err(errors));
    }
    let draft = MovementDraft {
        name: values.name.clone(),
        slogan: values.slogan.clone(),
        kind: values.kind.clone(),
        scope: values.scope.clone(),
        parents: values
            .parents
            .iter()
            .filter_map(|p| p.parse().ok())
            .map(UnitId)
            .collect(),
        decision_number: values.decision_number.clone(),
        decision_date,
        period: values.period.clone(),
        school_year: values.school_year.clone(),
        content: values.content.clone(),
        criteria: values.criteria.clone(),
        deadline,
    };
    (values, Ok(draft))
}

/// `POST /quan-tri/thi-dua/phong-trao`: the department launches a movement.
pub(crate) async fn create_movement(
    State(state): State<AppState>,
    site: CurrentSite,
    desk: Desk,
    ip: ClientIp,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    only_department(&desk)?;
    let units = state.store.units().await?;
    let (values, read) = read_movement(&form, &units);
    let draft = match read {
        Ok(d) => d,
        Err(errors) => {
            return render_home(
                &state,
                &site,
                &desk,
                (values, None),
                Kept::problem(errors, &[]),
            )
            .await;
        }
    };
    let id = state
        .store
        .create_movement(
            site.site.id,
            &draft,
            Some(audit(&desk, "phát động phong trào thi đua", &ip)),
            now(),
        )
        .await?;
    state.content_changed().await?;
    Ok(see_other(&format!("/quan-tri/thi-dua/phong-trao/{id}")))
}

/// The form's values of a stored movement.
fn movement_values(m: &Movement) -> MovementValues {
    let d = &m.draft;
    MovementValues {
        name: d.name.clone(),
        slogan: d.slogan.clone(),
        kind: d.kind.clone(),
        scope: d.scope.clone(),
        parents: d.parents.iter().map(|p| p.0.to_string()).collect(),
        decision_number: d.decision_number.clone(),
        decision_date: date(&d.decision_date),
        period: d.period.clone(),
        school_year: d.school_year.clone(),
        content: d.content.clone(),
        criteria: d.criteria.clone(),
        deadline: date(&d.deadline),
    }
}

/// `GET /quan-tri/thi-dua/phong-trao/{id}/sua`: the department edits a movement.
pub(crate) async fn edit_movement(
    State(state): State<AppState>,
    site: CurrentSite,
    desk: Desk,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    only_department(&desk)?;
    let m = load_movement(&state, id).await?;
    render_home(
        &state,
        &site,
        &desk,
        (movement_values(&m), Some(id)),
        Kept::default(),
    )
    .await
}

/// `POST /quan-tri/thi-dua/phong-trao/{id}/sua`
pub(crate) async fn update_movement(
    State(state): State<AppState>,
    site: CurrentSite,
    desk: Desk,
    ip: ClientIp,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    only_department(&desk)?;
    load_movement(&state, id).await?;
    let units = state.store.units().await?;
    let (values, read) = read_movement(&form, &units);
    let draft = match read {
        Ok(d) => d,
        Err(errors) => {
            return render_home(
                &state,
                &site,
                &desk,
                (values, Some(id)),
                Kept::problem(errors, &[]),
            )
            .await;
        }
    };
    state
        .store
        .update_movement(
            id,
            &draft,
            audit(&desk, "sửa phong trào thi đua", &ip),
            now(),
        )
        .await?;
    state.content_changed().await?;
    Ok(see_other(&format!("/quan-tri/thi-dua/phong-trao/{id}")))
}

/// `POST /quan-tri/thi-dua/phong-trao/{id}/xoa`: the department deletes a
/// movement with its registrations.
pub(crate) async fn delete_movement(
    State(state): State<AppState>,
    desk: Desk,
    ip: ClientIp,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<PlainForm>,
) -> Result<Response, AppError> {
    only_department(&desk)?;
    load_movement(&state, id).await?;
    state
        .store
        .delete_movement(id, audit(&desk, "xoá phong trào thi đua", &ip), now())
        .await?;
    state.content_changed().await?;
    Ok(see_other("/quan-tri/thi-dua"))
}

/// The catalogue form.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct CatalogueForm {
    csrf: String,
    kind: String,
    name: String,
    remove: String,
}

/// `POST /quan-tri/thi-dua/danh-muc`: the department adds or removes a title, a
/// form, a level or a field.
pub(crate) async fn catalogue(
    State(state): State<AppState>,
    site: CurrentSite,
    desk: Desk,
    ip: ClientIp,
    CsrfForm(form): CsrfForm<CatalogueForm>,
) -> Result<Response, AppError> {
    let again = |message: String| {
        let typed = [("kind", form.kind.as_str()), ("name", form.name.as_str())];
        let kept = Kept::one(message, &typed);
        render_home(
            &state,
            &site,
            &desk,
            (MovementValues::default(), None),
            kept,
        )
    };
    only_department(&desk)?;
    if let Ok(id) = form.remove.trim().parse::<i64>() {
        state
            .store
            .remove_catalogue_item(
                site.site.id,
                id,
                audit(&desk, "xoá mục danh mục thi đua", &ip),
                now(),
            )
            .await?;
        return Ok(see_other("/quan-tri/thi-dua#danh-muc"));
    }
    let name = vntext::clean_line(&form.name);
    if name.is_empty() || !CATALOGUE_KINDS.iter().any(|(k, _)| *k == form.kind) {
        return again("Vui lòng chọn loại và nhập tên mục cần thêm vào danh mục.".to_owned()).await;
    }
    match state
        .store
        .add_catalogue_item(
            site.site.id,
            &form.kind,
            &name,
            audit(&desk, "thêm mục danh mục thi đua", &ip),
            now(),
        )
        .await
    {
        Ok(()) => Ok(see_other("/quan-tri/thi-dua#danh-muc")),
        Err(store::Error::Conflict(_)) => again(format!("“{name}” đã có trong danh mục.")).await,
        Err(e) => Err(e.into()),
    }
}

// ───────────────────────── a movement: registrations ─────────────────────────

/// A registration or proposal line as the back office shows it.
pub(crate) struct EntryLine {
    pub id: i64,
    pub unit: String,
    pub kind: &'static str,
    pub title: String,
    pub name: String,
    pub birth: String,
    pub position: String,
    pub unit_name: String,
    pub achievement: String,
    pub result: String,
}

fn entry_line(e: &Entry, unit: &str) -> EntryLine {
    let d = &e.draft;
    EntryLine {
        id: e.id,
        unit: unit.to_owned(),
        kind: if d.kind == "tap-the" {
            "Tập thể"
        } else {
            "Cá nhân"
        },
        title: d.title.clone(),
        name: d.full_name.clone(),
        birth: date(&d.birth_date),
        position: d.position.clone(),
        unit_name: d.unit_name.clone(),
        achievement: d.achievement.clone(),
        result: e.result.clone(),
    }
}

/// The registration form's values.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct EntryForm {
    csrf: String,
    kind: String,
    title: String,
    full_name: String,
    birth_date: String,
    position: String,
    unit_name: String,
    achievement: String,
}
csrf_field!(EntryForm);

/// A movement as shown.
pub(crate) struct MovementView {
    pub id: i64,
    pub name: String,
    pub slogan: String,
    pub kind: &'static str,
    pub scope: String,
    pub decision: String,
    pub period: String,
    pub school_year: String,
    pub content: String,
    pub criteria: String,
    pub deadline: String,
    pub deadline_value: String,
    pub public_url: String,
}

pub(crate) fn movement_view(m: &Movement, units: &[Unit]) -> MovementView {
    let d = &m.draft;
    let kinds = d
        .scope
        .iter()
        .filter_map(|k| UnitKind::ALL.iter().find(|u| u.as_str() == k))
        .map(|k| k.label())
        .collect::<Vec<_>>()
        .join(", ");
    let parents = d
        .parents
        .iter()
        .filter_map(|p| units.iter().find(|u| u.id == *p))
        .map(|u| u.name.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let scope = match (kinds.is_empty(), parents.is_empty()) {
        (true, true) => "Toàn ngành".to_owned(),
        (false, true) => kinds,
        (true, false) => format!("Các đơn vị thuộc {parents}"),
        (false, false) => format!("{kinds} thuộc {parents}"),
    };
    let decision = match (d.decision_number.is_empty(), date(&d.decision_date)) {
        (true, _) => String::new(),
        (false, day) if day.is_empty() => d.decision_number.clone(),
        (false, day) => format!("{} ngày {day}", d.decision_number),
    };
    MovementView {
        id: m.id,
        name: d.name.clone(),
        slogan: d.slogan.clone(),
        kind: domain::movement_kind_label(&d.kind),
        scope,
        decision,
        period: d.period.clone(),
        school_year: d.school_year.clone(),
        content: d.content.clone(),
        criteria: d.criteria.clone(),
        deadline: date(&d.deadline),
        deadline_value: date(&d.deadline),
        public_url: format!("/thi-dua-khen-thuong/phong-trao/{}", m.id),
    }
}

/// A unit in the department's follow-up of registrations.
pub(crate) struct UnitCount {
    pub name: String,
    pub count: String,
}

#[derive(Template)]
#[template(path = "emulation/admin_movement.html")]
pub(crate) struct MovementTemplate {
    pub chrome: AdminChrome,
    pub department: bool,
    pub m: MovementView,
    pub overdue: bool,
    pub registered: Vec<UnitCount>,
    pub missing: Vec<String>,
    pub lines: Vec<EntryLine>,
    pub personal_titles: Vec<SelectOption>,
    pub collective_titles: Vec<SelectOption>,
    pub values: EntryForm,
    /// The registration line being edited (the form then saves it).
    pub editing: Option<i64>,
    pub kept: Kept,
    pub files: Vec<FileLine>,
    pub articles: Vec<(String, String)>,
}

async fn render_movement(
    state: &AppState,
    site: &CurrentSite,
    desk: &Desk,
    m: &Movement,
    (values, editing): (EntryForm, Option<i64>),
    kept: Kept,
) -> Result<Response, AppError> {
    let units = state.store.units().await?;
    let unit_names: HashMap<UnitId, &str> = units.iter().map(|u| (u.id, u.name.as_str())).collect();
    let (mut registered, mut missing) = (Vec::new(), Vec::new());
    let lines;
    if desk.department() {
        let counts: HashMap<UnitId, i64> = state
            .store
            .registered_units(m.id)
            .await?
            .into_iter()
            .collect();
        for u in units
            .iter()
            .filter(|u| u.kind.is_school() && in_scope(m, u, &units))
        {
            match counts.get(&u.id) {
                Some(n) => registered.push(UnitCount {
                    name: u.name.clone(),
                    count: vntext::format_number(*n),
                }),
                None => missing.push(u.name.clone()),
            }
        }
        lines = state
            .store
            .registrations(m.id, None)
            .await?
            .iter()
            .map(|e| entry_line(e, unit_names.get(&e.unit).copied().unwrap_or("")))
            .collect();
    } else {
        if !in_scope(m, &desk.unit, &units) {
            return Err(AppError::NotFound);
        }
        lines = state
            .store
            .registrations(m.id, Some(desk.unit.id))
            .await?
            .iter()
            .map(|e| entry_line(e, &desk.unit.name))
            .collect();
    }
    let catalogue = state.store.emulation_catalogue().await?;
    let today = vntext::local_iso_date(now());
    let articles = state
        .store
        .movement_articles(m.id, now())
        .await?
        .into_iter()
        .map(|(_, path, title, _)| (title, path))
        .collect();
    page(
        kept.status(),
        &MovementTemplate {
            chrome: AdminChrome::new(&m.draft.name, site, &desk.session),
            department: desk.department(),
            m: movement_view(m, &units),
            overdue: !m.draft.deadline.is_empty() && m.draft.deadline < today,
            registered,
            missing,
            lines,
            personal_titles: options(&names(&catalogue, "danh-hieu-ca-nhan"), &values.title),
            collective_titles: options(&names(&catalogue, "danh-hieu-tap-the"), &values.title),
            values,
            editing,
            kept,
            files: files_of(state, "phong-trao", m.id).await?,
            articles,
        },
    )
}

async fn load_movement(state: &AppState, id: i64) -> Result<Movement, AppError> {
    state.store.movement(id).await?.ok_or(AppError::NotFound)
}

/// `GET /quan-tri/thi-dua/phong-trao/{id}[?sua=LINE]`: the movement; a school
/// editing one of its registration lines sees it in the form.
pub(crate) async fn movement(
    State(state): State<AppState>,
    site: CurrentSite,
    desk: Desk,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let m = load_movement(&state, id).await?;
    let mut values = EntryForm::default();
    let mut editing = None;
    if let Some(line) = q.get("sua").and_then(|v| v.parse::<i64>().ok()) {
        let (movement, e) = own_registration(&state, &desk, line).await?;
        if movement != id {
            return Err(AppError::NotFound);
        }
        values = EntryForm {
            kind: e.draft.kind,
            title: e.draft.title,
            full_name: e.draft.full_name,
            birth_date: date(&e.draft.birth_date),
            position: e.draft.position,
            unit_name: e.draft.unit_name,
            ..EntryForm::default()
        };
        editing = Some(line);
    }
    render_movement(&state, &site, &desk, &m, (values, editing), Kept::default()).await
}

/// A registration line of the school's own; another school's is refused.
async fn own_registration(
    state: &AppState,
    desk: &Desk,
    id: i64,
) -> Result<(i64, Entry), AppError> {
    only_school(desk)?;
    let (movement, e) = state
        .store
        .registration(id)
        .await?
        .ok_or(AppError::NotFound)?;
    if e.unit != desk.unit.id {
        return Err(AppError::forbidden(
            "Dòng đăng ký này là của đơn vị khác; mỗi trường chỉ sửa được đăng ký của mình.",
        ));
    }
    Ok((movement, e))
}

/// `POST /quan-tri/thi-dua/dang-ky/{id}`: a school corrects one of its lines.
pub(crate) async fn update_registration(
    State(state): State<AppState>,
    site: CurrentSite,
    desk: Desk,
    ip: ClientIp,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<EntryForm>,
) -> Result<Response, AppError> {
    let (movement, _) = own_registration(&state, &desk, id).await?;
    let m = load_movement(&state, movement).await?;
    let catalogue = state.store.emulation_catalogue().await?;
    let values = entry_values(form);
    match sheet::check_entry(&typed_entry(&values), &desk.unit.name, &catalogue) {
        Ok(entry) => {
            state
                .store
                .save_registration(
                    site.site.id,
                    desk.unit.id,
                    id,
                    Some(&entry),
                    audit(&desk, "sửa đăng ký thi đua", &ip),
                    now(),
                )
                .await?;
            Ok(see_other(&format!(
                "/quan-tri/thi-dua/phong-trao/{movement}"
            )))
        }
        Err(problems) => {
            let kept = Kept::problem(sentences(problems), &[]);
            render_movement(&state, &site, &desk, &m, (values, Some(id)), kept).await
        }
    }
}

/// `POST /quan-tri/thi-dua/dang-ky/{id}/xoa`: a school deletes one of its lines.
pub(crate) async fn delete_registration(
    State(state): State<AppState>,
    site: CurrentSite,
    desk: Desk,
    ip: ClientIp,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<PlainForm>,
) -> Result<Response, AppError> {
    let (movement, _) = own_registration(&state, &desk, id).await?;
    state
        .store
        .save_registration(
            site.site.id,
            desk.unit.id,
            id,
            None,
            audit(&desk, "xoá dòng đăng ký thi đua", &ip),
            now(),
        )
        .await?;
    Ok(see_other(&format!(
        "/quan-tri/thi-dua/phong-trao/{movement}"
    )))
}

/// The registration form's values, NFC.
fn entry_values(form: EntryForm) -> EntryForm {
    EntryForm {
        full_name: vntext::nfc(&form.full_name),
        position: vntext::nfc(&form.position),
        unit_name: vntext::nfc(&form.unit_name),
        title: vntext::nfc(&form.title),
        ..form
    }
}

fn typed_entry(values: &EntryForm) -> sheet::Typed<'_> {
    sheet::Typed {
        kind: &values.kind,
        title: &values.title,
        name: &values.full_name,
        birth: &values.birth_date,
        position: &values.position,
        unit: &values.unit_name,
    }
}

/// A sheet's problems ("chưa có họ tên") as sentences.
fn sentences(problems: Vec<String>) -> Vec<String> {
    problems
        .into_iter()
        .map(|p| {
            let mut c = p.chars();
            match c.next() {
                Some(first) => format!("{}{}.", first.to_uppercase(), c.as_str()),
                None => p,
            }
        })
        .collect()
}

/// The deadline form.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct DeadlineForm {
    csrf: String,
    deadline: String,
}

/// A tag or a story: an article by its address or number.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct ArticleForm {
    csrf: String,
    article: String,
    awardee: String,
}
csrf_field!(DeadlineForm, ArticleForm, CatalogueForm);

/// `POST /quan-tri/thi-dua/phong-trao/{id}/han`
pub(crate) async fn deadline(
    State(state): State<AppState>,
    site: CurrentSite,
    desk: Desk,
    ip: ClientIp,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<DeadlineForm>,
) -> Result<Response, AppError> {
    only_department(&desk)?;
    let mut errors = Vec::new();
    let day = typed_date(&form.deadline, "Hạn đăng ký", &mut errors);
    if !errors.is_empty() {
        let m = load_movement(&state, id).await?;
        let kept = Kept::problem(errors, &[("deadline", form.deadline.as_str())]);
        return render_movement(&state, &site, &desk, &m, Default::default(), kept).await;
    }
    state
        .store
        .set_movement_deadline(
            id,
            &day,
            audit(&desk, "đặt hạn đăng ký thi đua", &ip),
            now(),
        )
        .await?;
    Ok(see_other(&format!("/quan-tri/thi-dua/phong-trao/{id}")))
}

/// `POST /quan-tri/thi-dua/phong-trao/{id}/nhac`: the department reminds every
/// unit in scope that has not registered, by e-mail to its site's address
/// (through the shared mail queue). Units without a site or an address are named.
pub(crate) async fn remind(
    State(state): State<AppState>,
    site: CurrentSite,
    desk: Desk,
    ip: ClientIp,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<PlainForm>,
) -> Result<Response, AppError> {
    only_department(&desk)?;
    let m = load_movement(&state, id).await?;
    let registered: HashMap<UnitId, i64> = state
        .store
        .registered_units(id)
        .await?
        .into_iter()
        .collect();
    let mut recipients = Vec::new();
    let mut unreachable = Vec::new();
    let units = state.store.units().await?;
    for u in &units {
        if !u.kind.is_school() || !in_scope(&m, u, &units) || registered.contains_key(&u.id) {
            continue;
        }
        match u
            .site
            .and_then(|s| state.sites.by_id(s))
            .filter(|s| domain::is_email(&s.site.settings.email))
        {
            Some(s) => recipients.push((s.site.id, s.site.settings.email.clone())),
            None => unreachable.push(u.name.clone()),
        }
    }
    let deadline = date(&m.draft.deadline);
    let subject = format!("Nhắc đăng ký thi đua: {}", m.draft.name);
    let body = format!(
        "Kính gửi đơn vị,\n\n{} nhắc đơn vị đăng ký danh hiệu thi đua cho phong trào “{}”{}.\nĐơn vị đăng ký trong trang quản trị của mình, mục Thi đua – Khen thưởng.\n",
        site.site.settings.name,
        m.draft.name,
        if deadline.is_empty() {
            String::new()
        } else {
            format!(", hạn đăng ký {deadline}")
        }
    );
    let sent = state
        .store
        .remind_registrations(
            site.site.id,
            &recipients,
            &subject,
            &body,
            audit(&desk, "nhắc đơn vị đăng ký thi đua", &ip),
            now(),
        )
        .await?;
    let mut notes = vec![format!(
        "Đã đưa {} thư nhắc vào hàng gửi.",
        vntext::format_number(sent as i64)
    )];
    if !unreachable.is_empty() {
        notes.push(format!(
            "Không gửi được cho (chưa có trang hoặc địa chỉ thư điện tử): {}.",
            unreachable.join(", ")
        ));
    }
    render_movement(
        &state,
        &site,
        &desk,
        &m,
        Default::default(),
        Kept::news(notes),
    )
    .await
}

/// The article a person means: its number, its back-office address
/// (`/quan-tri/bai-viet/12`) or its public address on this site.
/// `Err` says why no article is found.
async fn article_id(
    state: &AppState,
    site: &CurrentSite,
    typed: &str,
) -> Result<Result<i64, String>, AppError> {
    let typed = typed.trim().trim_end_matches('/');
    if let Ok(id) = typed.parse::<i64>() {
        return Ok(Ok(id));
    }
    if let Some(id) = typed
        .rsplit_once("/quan-tri/bai-viet/")
        .and_then(|(_, n)| n.parse::<i64>().ok())
    {
        return Ok(Ok(id));
    }
    let slug = typed.rsplit('/').next().unwrap_or_default();
    Ok(
        match state
            .store
            .public_article(site.site.id, slug, now())
            .await?
        {
            Some(a) => Ok(a.id.0),
            None => Err(format!(
                "Không tìm thấy bài viết “{typed}” trên trang này; hãy dán địa chỉ của bài hoặc số của bài trong trang quản trị."
            )),
        },
    )
}

/// Why an article's number is refused.
const NO_SUCH_ARTICLE: &str = "Không có bài viết mang số này.";

/// `POST /quan-tri/thi-dua/phong-trao/{id}/bai-viet`: tags an article with the movement.
pub(crate) async fn tag_article(
    State(state): State<AppState>,
    site: CurrentSite,
    desk: Desk,
    ip: ClientIp,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<ArticleForm>,
) -> Result<Response, AppError> {
    only_department(&desk)?;
    let m = load_movement(&state, id).await?;
    let again = |message: String| {
        let kept = Kept::one(message, &[("article", form.article.as_str())]);
        render_movement(&state, &site, &desk, &m, Default::default(), kept)
    };
    let article = match article_id(&state, &site, &form.article).await? {
        Ok(a) => a,
        Err(why) => return again(why).await,
    };
    match state
        .store
        .tag_movement_article(
            id,
            article,
            Some(audit(&desk, "gắn bài viết với phong trào", &ip)),
            now(),
        )
        .await
    {
        Err(store::Error::NotFound("article")) => {
            return again(NO_SUCH_ARTICLE.to_owned()).await;
        }
        other => other?,
    }
    state.content_changed().await?;
    Ok(see_other(&format!("/quan-tri/thi-dua/phong-trao/{id}")))
}

/// `POST /quan-tri/thi-dua/phong-trao/{id}/dang-ky`: a school registers a title.
pub(crate) async fn register(
    State(state): State<AppState>,
    site: CurrentSite,
    desk: Desk,
    ip: ClientIp,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<EntryForm>,
) -> Result<Response, AppError> {
    only_school(&desk)?;
    let m = load_movement(&state, id).await?;
    if !in_scope(&m, &desk.unit, &state.store.units().await?) {
        return Err(AppError::NotFound);
    }
    let catalogue = state.store.emulation_catalogue().await?;
    let values = entry_values(form);
    match sheet::check_entry(&typed_entry(&values), &desk.unit.name, &catalogue) {
        Ok(entry) => {
            state
                .store
                .add_registrations(
                    site.site.id,
                    id,
                    desk.unit.id,
                    &[entry],
                    Some(audit(&desk, "đăng ký thi đua", &ip)),
                    now(),
                )
                .await?;
            Ok(see_other(&format!("/quan-tri/thi-dua/phong-trao/{id}")))
        }
        Err(problems) => {
            let kept = Kept::problem(sentences(problems), &[]);
            render_movement(&state, &site, &desk, &m, (values, None), kept).await
        }
    }
}

/// Reads a multipart form: its text fields and its one file (name, bytes).
async fn read_upload(
    form: &mut axum::extract::Multipart,
) -> Result<(HashMap<String, String>, Option<(String, Vec<u8>)>), AppError> {
    let mut fields = HashMap::new();
    let mut file = None;
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|_| AppError::Unprocessable("Tệp tải lên bị gián đoạn; hãy thử lại.".into()))?
    {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "tep" {
            let file_name = vntext::clean_line(field.file_name().unwrap_or("tệp"));
            let bytes = field.bytes().await.map_err(|_| {
                AppError::Unprocessable("Tệp quá lớn hoặc tải lên bị gián đoạn.".into())
            })?;
            if !bytes.is_empty() {
                file = Some((file_name, bytes.to_vec()));
            }
        } else {
            let text = field.text().await.unwrap_or_default();
            fields.insert(name, vntext::nfc(&text));
        }
    }
    Ok((fields, file))
}

/// `POST /quan-tri/thi-dua/phong-trao/{id}/nhap`: a school's registration sheet,
/// all or nothing.
pub(crate) async fn import(
    State(state): State<AppState>,
    site: CurrentSite,
    desk: Desk,
    ip: ClientIp,
    Path(id): Path<i64>,
    CsrfMultipart(mut form): CsrfMultipart,
) -> Result<Response, AppError> {
    only_school(&desk)?;
    let m = load_movement(&state, id).await?;
    if !in_scope(&m, &desk.unit, &state.store.units().await?) {
        return Err(AppError::NotFound);
    }
    let (_, file) = read_upload(&mut form).await?;
    let catalogue = state.store.emulation_catalogue().await?;
    let read = match file {
        Some((name, bytes)) => {
            let school = desk.unit.name.clone();
            tokio::task::spawn_blocking(move || {
                sheet::read_registrations(&bytes, &name, &school, &catalogue)
            })
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?
        }
        None => Err(vec!["Vui lòng chọn tệp Excel đăng ký thi đua.".to_owned()]),
    };
    match read {
        Ok(entries) => {
            state
                .store
                .add_registrations(
                    site.site.id,
                    id,
                    desk.unit.id,
                    &entries,
                    Some(audit(&desk, "nhập đăng ký thi đua từ tệp", &ip)),
                    now(),
                )
                .await?;
            Ok(see_other(&format!("/quan-tri/thi-dua/phong-trao/{id}")))
        }
        Err(mut problems) => {
            problems.insert(
                0,
                "Chưa nhập dòng nào: hãy sửa các dòng sau trong tệp rồi tải lên lại.".to_owned(),
            );
            let kept = Kept::problem(problems, &[]);
            render_movement(&state, &site, &desk, &m, Default::default(), kept).await
        }
    }
}

// ───────────────────────── proposals ─────────────────────────────────────────

/// A proposal in a list.
pub(crate) struct ProposalLine {
    pub url: String,
    pub title: String,
    pub unit: String,
    pub form: String,
    pub level: String,
    pub status: &'static str,
    pub entries: String,
    pub updated: String,
}

fn proposal_line(p: &Proposal) -> ProposalLine {
    ProposalLine {
        url: format!("/quan-tri/thi-dua/de-nghi/{}", p.id),
        title: p.title.clone(),
        unit: p.unit_name.clone(),
        form: p.form.clone(),
        level: p.level.clone(),
        status: p.status.label(),
        entries: vntext::format_number(p.entries),
        updated: when(p.updated_at),
    }
}

/// The new proposal's values.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct ProposalForm {
    csrf: String,
    title: String,
    movement: String,
    form: String,
    level: String,
}
csrf_field!(ProposalForm);

#[derive(Template)]
#[template(path = "emulation/admin_proposals.html")]
pub(crate) struct ProposalsTemplate {
    pub chrome: AdminChrome,
    pub department: bool,
    pub lines: Vec<ProposalLine>,
    pub statuses: Vec<SelectOption>,
    pub units: Vec<SelectOption>,
    pub forms_filter: Vec<SelectOption>,
    pub xlsx_url: String,
    pub values: ProposalForm,
    pub movements: Vec<SelectOption>,
    pub forms: Vec<SelectOption>,
    pub levels: Vec<SelectOption>,
    pub kept: Kept,
}

fn filter_of(desk: &Desk, q: &HashMap<String, String>) -> ProposalFilter {
    let pick = |k: &str| q.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());
    ProposalFilter {
        site: None,
        without_drafts: desk.department(),
        status: pick("trang-thai").and_then(ProposalStatus::parse),
        unit: if desk.department() {
            pick("don-vi").and_then(|v| v.parse().ok()).map(UnitId)
        } else {
            Some(desk.unit.id)
        },
        form: pick("hinh-thuc").map(vntext::nfc),
    }
}

async fn render_proposals(
    state: &AppState,
    site: &CurrentSite,
    desk: &Desk,
    q: &HashMap<String, String>,
    values: ProposalForm,
    kept: Kept,
) -> Result<Response, AppError> {
    let f = filter_of(desk, q);
    let lines = state
        .store
        .proposals(&f)
        .await?
        .iter()
        .map(proposal_line)
        .collect();
    let catalogue = state.store.emulation_catalogue().await?;
    let cur = |k: &str| q.get(k).cloned().unwrap_or_default();
    let mut statuses = vec![SelectOption::new(
        String::new(),
        "Mọi trạng thái".into(),
        "",
    )];
    statuses.extend(
        ProposalStatus::ALL
            .iter()
            .filter(|s| !(desk.department() && **s == ProposalStatus::Draft))
            .map(|s| SelectOption::new(s.as_str().into(), s.label().into(), &cur("trang-thai"))),
    );
    let mut units = vec![SelectOption::new(String::new(), "Mọi đơn vị".into(), "")];
    if desk.department() {
        units.extend(
            state
                .store
                .units()
                .await?
                .into_iter()
                .filter(|u| u.kind.is_school())
                .map(|u| SelectOption::new(u.id.0.to_string(), u.name, &cur("don-vi"))),
        );
    }
    let form_names = names(&catalogue, "hinh-thuc");
    let mut forms_filter = vec![SelectOption::new(String::new(), "Mọi hình thức".into(), "")];
    forms_filter.extend(options(&form_names, &cur("hinh-thuc")));
    let query: Vec<String> = ["trang-thai", "don-vi", "hinh-thuc"]
        .iter()
        .filter_map(|k| {
            q.get(*k)
                .filter(|v| !v.is_empty())
                .map(|v| format!("{k}={}", crate::platform::layout::percent_encode(v)))
        })
        .collect();
    let movements = movement_options(state, desk, &values.movement).await?;
    page(
        kept.status(),
        &ProposalsTemplate {
            chrome: AdminChrome::new("Đề nghị khen thưởng", site, &desk.session),
            department: desk.department(),
            lines,
            statuses,
            units,
            forms_filter,
            xlsx_url: if query.is_empty() {
                "/quan-tri/thi-dua/de-nghi.xlsx".to_owned()
            } else {
                format!("/quan-tri/thi-dua/de-nghi.xlsx?{}", query.join("&"))
            },
            movements,
            forms: options(&form_names, &values.form),
            levels: options(&names(&catalogue, "cap"), &values.level),
            values,
            kept,
        },
    )
}

/// The movements a proposal may answer (those reaching the unit).
async fn movement_options(
    state: &AppState,
    desk: &Desk,
    current: &str,
) -> Result<Vec<SelectOption>, AppError> {
    let units = state.store.units().await?;
    let mut movements = vec![SelectOption::new(
        String::new(),
        "(không gắn phong trào)".into(),
        current,
    )];
    movements.extend(
        state
            .store
            .movements()
            .await?
            .into_iter()
            .filter(|m| in_scope(m, &desk.unit, &units))
            .map(|m| SelectOption::new(m.id.to_string(), m.draft.name, current)),
    );
    Ok(movements)
}

/// `GET /quan-tri/thi-dua/de-nghi`: the department's list of every unit's
/// proposals (drafts aside), with filters; a school's own.
pub(crate) async fn proposals(
    State(state): State<AppState>,
    site: CurrentSite,
    desk: Desk,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    render_proposals(
        &state,
        &site,
        &desk,
        &q,
        ProposalForm::default(),
        Kept::default(),
    )
    .await
}

/// `GET /quan-tri/thi-dua/de-nghi.xlsx`: the list as filtered, one line a person
/// or collective, for the council's meeting.
pub(crate) async fn proposals_xlsx(
    State(state): State<AppState>,
    desk: Desk,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let mut rows = Vec::new();
    for p in state.store.proposals(&filter_of(&desk, &q)).await? {
        let entries = state.store.proposal_entries(&p).await?;
        rows.push((p, entries));
    }
    let bytes =
        sheet::proposals_workbook(&rows).map_err(|e| AppError::Internal(format!("xlsx: {e}")))?;
    Ok(download("de-nghi-khen-thuong", bytes))
}

/// An XLSX download, never stored.
pub(crate) fn download(stem: &str, body: Vec<u8>) -> Response {
    crate::platform::back_office::download(
        &format!("{stem}-{}.xlsx", vntext::local_iso_date(now())),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        body,
    )
}

/// `POST /quan-tri/thi-dua/de-nghi`: a school opens a proposal (a draft).
pub(crate) async fn create_proposal(
    State(state): State<AppState>,
    site: CurrentSite,
    desk: Desk,
    ip: ClientIp,
    CsrfForm(form): CsrfForm<ProposalForm>,
) -> Result<Response, AppError> {
    only_school(&desk)?;
    let (values, errors) = read_proposal_header(&state, form).await?;
    let movement = values.movement.trim().parse::<i64>().ok();
    if !errors.is_empty() {
        return render_proposals(
            &state,
            &site,
            &desk,
            &HashMap::new(),
            values,
            Kept::problem(errors, &[]),
        )
        .await;
    }
    let id = state
        .store
        .create_proposal(
            site.site.id,
            desk.unit.id,
            movement,
            &values.title,
            &values.form,
            &values.level,
            desk.who(),
            Some(audit(&desk, "lập đề nghị khen thưởng", &ip)),
            now(),
        )
        .await?;
    Ok(see_other(&format!("/quan-tri/thi-dua/de-nghi/{id}")))
}

/// A proposal's header as typed, and what is wrong with it.
async fn read_proposal_header(
    state: &AppState,
    form: ProposalForm,
) -> Result<(ProposalForm, Vec<String>), AppError> {
    let catalogue = state.store.emulation_catalogue().await?;
    let values = ProposalForm {
        title: vntext::clean_line(&form.title),
        form: vntext::nfc(&form.form),
        level: vntext::nfc(&form.level),
        ..form
    };
    let mut errors = Vec::new();
    if values.title.is_empty() {
        errors.push(
            "Vui lòng nhập tên đề nghị, ví dụ “Đề nghị khen thưởng năm học 2025-2026”.".to_owned(),
        );
    }
    if !names(&catalogue, "hinh-thuc").contains(&values.form) {
        errors.push("Vui lòng chọn hình thức khen thưởng đề nghị.".to_owned());
    }
    if !names(&catalogue, "cap").contains(&values.level) {
        errors.push("Vui lòng chọn cấp khen thưởng.".to_owned());
    }
    Ok((values, errors))
}

/// A proposal the person may see: a school its own; the department every unit's
/// once sent.
async fn load_proposal(state: &AppState, desk: &Desk, id: i64) -> Result<Proposal, AppError> {
    let p = state.store.proposal(id).await?.ok_or(AppError::NotFound)?;
    match desk.side {
        EmulationSide::School if p.unit != desk.unit.id => Err(AppError::forbidden(
            "Đề nghị này là của đơn vị khác; mỗi trường chỉ xem được đề nghị của mình.",
        )),
        EmulationSide::Department if p.status == ProposalStatus::Draft => Err(AppError::NotFound),
        _ => Ok(p),
    }
}

/// A status move as shown.
pub(crate) struct StepLine {
    pub to: &'static str,
    pub by: String,
    pub at: String,
    pub note: String,
}

/// A file as shown.
pub(crate) struct FileLine {
    pub label: String,
    pub url: String,
    pub name: String,
}

#[derive(Template)]
#[template(path = "emulation/admin_proposal.html")]
pub(crate) struct ProposalTemplate {
    pub chrome: AdminChrome,
    pub id: i64,
    pub p: ProposalLine,
    pub lines: Vec<EntryLine>,
    pub steps: Vec<StepLine>,
    pub moves: Vec<(&'static str, &'static str)>,
    pub editable: bool,
    pub reviewing: bool,
    pub decision_url: Option<String>,
    pub files: Vec<FileLine>,
    pub values: EntryForm,
    /// The entry being edited (the form then saves it).
    pub editing: Option<i64>,
    /// The header's form (while the school may edit it).
    pub header: ProposalForm,
    pub movements: Vec<SelectOption>,
    pub forms: Vec<SelectOption>,
    pub levels: Vec<SelectOption>,
    pub kept: Kept,
}

/// What the proposal's page keeps in its forms: the entry form (and the entry
/// it edits), the header's form.
#[derive(Default)]
pub(crate) struct ProposalForms {
    entry: EntryForm,
    editing: Option<i64>,
    header: Option<ProposalForm>,
}

async fn render_proposal(
    state: &AppState,
    site: &CurrentSite,
    desk: &Desk,
    p: &Proposal,
    forms: ProposalForms,
    kept: Kept,
) -> Result<Response, AppError> {
    let lines = state
        .store
        .proposal_entries(p)
        .await?
        .iter()
        .map(|e| entry_line(e, &p.unit_name))
        .collect();
    let steps = state
        .store
        .proposal_steps(p.id)
        .await?
        .into_iter()
        .map(|s| StepLine {
            to: ProposalStatus::parse(&s.to).map_or("", ProposalStatus::label),
            by: s.by,
            at: when(s.at),
            note: s.note,
        })
        .collect();
    let files = files_of(state, "de-nghi", p.id).await?;
    let header = forms.header.unwrap_or_else(|| ProposalForm {
        title: p.title.clone(),
        movement: p.movement.map(|m| m.to_string()).unwrap_or_default(),
        form: p.form.clone(),
        level: p.level.clone(),
        ..ProposalForm::default()
    });
    let editable = !desk.department() && p.status.editable();
    let catalogue = state.store.emulation_catalogue().await?;
    page(
        kept.status(),
        &ProposalTemplate {
            chrome: AdminChrome::new(&p.title, site, &desk.session),
            id: p.id,
            p: proposal_line(p),
            lines,
            steps,
            moves: offered_proposal_moves(p.status, desk.side)
                .into_iter()
                .map(|m| (m.as_str(), m.label()))
                .collect(),
            editable,
            reviewing: desk.department()
                && matches!(
                    p.status,
                    ProposalStatus::Received | ProposalStatus::Reviewing
                ),
            decision_url: (desk.department() && p.status == ProposalStatus::Awarded)
                .then(|| format!("/quan-tri/thi-dua/quyet-dinh?de-nghi={}", p.id)),
            files,
            values: forms.entry,
            editing: forms.editing,
            movements: if editable {
                movement_options(state, desk, &header.movement).await?
            } else {
                Vec::new()
            },
            forms: options(&names(&catalogue, "hinh-thuc"), &header.form),
            levels: options(&names(&catalogue, "cap"), &header.level),
            header,
            kept,
        },
    )
}

/// `GET /quan-tri/thi-dua/de-nghi/{id}[?sua=ENTRY]`: a school editing one of
/// its people sees them in the form.
pub(crate) async fn proposal(
    State(state): State<AppState>,
    site: CurrentSite,
    desk: Desk,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let p = load_proposal(&state, &desk, id).await?;
    let mut forms = ProposalForms::default();
    if let Some(entry) = q.get("sua").and_then(|v| v.parse::<i64>().ok()) {
        let e = state
            .store
            .proposal_entries(&p)
            .await?
            .into_iter()
            .find(|e| e.id == entry)
            .ok_or(AppError::NotFound)?;
        forms.entry = EntryForm {
            kind: e.draft.kind,
            full_name: e.draft.full_name,
            birth_date: date(&e.draft.birth_date),
            position: e.draft.position,
            unit_name: e.draft.unit_name,
            achievement: e.draft.achievement,
            ..EntryForm::default()
        };
        forms.editing = Some(entry);
    }
    render_proposal(&state, &site, &desk, &p, forms, Kept::default()).await
}

/// A proposal the school may still change: its own, nháp or trả lại.
async fn editable_proposal(
    state: &AppState,
    desk: &Desk,
    id: i64,
) -> Result<Result<Proposal, (Proposal, String)>, AppError> {
    only_school(desk)?;
    let p = load_proposal(state, desk, id).await?;
    if p.status.editable() {
        Ok(Ok(p))
    } else {
        let why = format!(
            "Đề nghị đang ở trạng thái “{}”: chỉ sửa, xoá được khi còn là nháp hoặc bị trả lại.",
            p.status.label()
        );
        Ok(Err((p, why)))
    }
}

/// `POST /quan-tri/thi-dua/de-nghi/{id}/sua`: the school corrects the header.
pub(crate) async fn update_proposal(
    State(state): State<AppState>,
    site: CurrentSite,
    desk: Desk,
    ip: ClientIp,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<ProposalForm>,
) -> Result<Response, AppError> {
    let (values, mut errors) = read_proposal_header(&state, form).await?;
    let p = match editable_proposal(&state, &desk, id).await? {
        Ok(p) => p,
        Err((p, why)) => {
            errors.insert(0, why);
            p
        }
    };
    if !errors.is_empty() {
        let forms = ProposalForms {
            header: Some(values),
            ..ProposalForms::default()
        };
        return render_proposal(&state, &site, &desk, &p, forms, Kept::problem(errors, &[])).await;
    }
    state
        .store
        .update_proposal(
            &p,
            values.movement.trim().parse::<i64>().ok(),
            &values.title,
            &values.form,
            &values.level,
            audit(&desk, "sửa đề nghị khen thưởng", &ip),
            now(),
        )
        .await?;
    Ok(see_other(&format!("/quan-tri/thi-dua/de-nghi/{id}")))
}

/// `POST /quan-tri/thi-dua/de-nghi/{id}/xoa`: the school deletes its proposal
/// (nháp or trả lại).
pub(crate) async fn delete_proposal(
    State(state): State<AppState>,
    site: CurrentSite,
    desk: Desk,
    ip: ClientIp,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<PlainForm>,
) -> Result<Response, AppError> {
    let p = match editable_proposal(&state, &desk, id).await? {
        Ok(p) => p,
        Err((p, why)) => {
            let kept = Kept::one(why, &[]);
            return render_proposal(&state, &site, &desk, &p, Default::default(), kept).await;
        }
    };
    state
        .store
        .delete_proposal(&p, audit(&desk, "xoá đề nghị khen thưởng", &ip), now())
        .await?;
    Ok(see_other("/quan-tri/thi-dua/de-nghi"))
}

/// `POST /quan-tri/thi-dua/de-nghi/{id}/nguoi/{entry}/xoa`: the school takes a
/// person or collective out of its proposal.
pub(crate) async fn delete_entry(
    State(state): State<AppState>,
    site: CurrentSite,
    desk: Desk,
    ip: ClientIp,
    Path((id, entry)): Path<(i64, i64)>,
    CsrfForm(_): CsrfForm<PlainForm>,
) -> Result<Response, AppError> {
    let p = match editable_proposal(&state, &desk, id).await? {
        Ok(p) => p,
        Err((p, why)) => {
            let kept = Kept::one(why, &[]);
            return render_proposal(&state, &site, &desk, &p, Default::default(), kept).await;
        }
    };
    state
        .store
        .save_proposal_entry(
            &p,
            entry,
            None,
            audit(&desk, "bỏ người khỏi đề nghị khen thưởng", &ip),
            now(),
        )
        .await
        .map_err(|e| match e {
            store::Error::NotFound(_) => AppError::NotFound,
            e => e.into(),
        })?;
    Ok(see_other(&format!("/quan-tri/thi-dua/de-nghi/{id}")))
}

/// `POST /quan-tri/thi-dua/de-nghi/{id}/nguoi`: the school adds a person or a
/// collective, with the achievement summary.
pub(crate) async fn add_entry(
    State(state): State<AppState>,
    site: CurrentSite,
    desk: Desk,
    ip: ClientIp,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<EntryForm>,
) -> Result<Response, AppError> {
    save_entry(&state, &site, &desk, &ip, (id, None), form).await
}

/// `POST /quan-tri/thi-dua/de-nghi/{id}/nguoi/{entry}`: the school corrects a
/// person or collective.
pub(crate) async fn update_entry(
    State(state): State<AppState>,
    site: CurrentSite,
    desk: Desk,
    ip: ClientIp,
    Path((id, entry)): Path<(i64, i64)>,
    CsrfForm(form): CsrfForm<EntryForm>,
) -> Result<Response, AppError> {
    save_entry(&state, &site, &desk, &ip, (id, Some(entry)), form).await
}

async fn save_entry(
    state: &AppState,
    site: &CurrentSite,
    desk: &Desk,
    ip: &ClientIp,
    (id, editing): (i64, Option<i64>),
    form: EntryForm,
) -> Result<Response, AppError> {
    only_school(desk)?;
    let p = load_proposal(state, desk, id).await?;
    let values = EntryForm {
        full_name: vntext::clean_line(&form.full_name),
        position: vntext::clean_line(&form.position),
        unit_name: vntext::clean_line(&form.unit_name),
        achievement: vntext::nfc(form.achievement.trim()),
        ..form
    };
    let mut errors = Vec::new();
    let kind = domain::parse_entry_kind(&values.kind).unwrap_or("ca-nhan");
    if values.full_name.is_empty() {
        errors.push("Vui lòng nhập họ tên (hoặc tên tập thể).".to_owned());
    }
    let mut birth = String::new();
    if kind == "ca-nhan" {
        birth = typed_date(&values.birth_date, "Ngày sinh", &mut errors);
        if values.birth_date.trim().is_empty() {
            errors.push("Vui lòng nhập ngày sinh (dd/mm/yyyy).".to_owned());
        }
    }
    if values.achievement.is_empty() {
        errors.push("Vui lòng tóm tắt thành tích.".to_owned());
    }
    if !p.status.editable() {
        errors.push(format!(
            "Đề nghị đang ở trạng thái “{}”, không thêm, sửa người được nữa.",
            p.status.label()
        ));
    }
    if !errors.is_empty() {
        let forms = ProposalForms {
            entry: values,
            editing,
            header: None,
        };
        return render_proposal(state, site, desk, &p, forms, Kept::problem(errors, &[])).await;
    }
    let entry = EntryDraft {
        kind: kind.to_owned(),
        title: String::new(),
        full_name: values.full_name,
        birth_date: birth,
        position: values.position,
        unit_name: if values.unit_name.is_empty() {
            desk.unit.name.clone()
        } else {
            values.unit_name
        },
        achievement: values.achievement,
    };
    match editing {
        None => {
            state
                .store
                .add_proposal_entries(
                    &p,
                    &[entry],
                    Some(audit(desk, "thêm người vào đề nghị khen thưởng", ip)),
                    now(),
                )
                .await?
        }
        Some(e) => state
            .store
            .save_proposal_entry(
                &p,
                e,
                Some(&entry),
                audit(desk, "sửa người trong đề nghị khen thưởng", ip),
                now(),
            )
            .await
            .map_err(|e| match e {
                store::Error::NotFound(_) => AppError::NotFound,
                e => e.into(),
            })?,
    }
    Ok(see_other(&format!("/quan-tri/thi-dua/de-nghi/{id}")))
}

/// A status move.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct MoveForm {
    csrf: String,
    action: String,
    note: String,
}
csrf_field!(MoveForm);

/// `POST /quan-tri/thi-dua/de-nghi/{id}/chuyen`: one move of the cycle, by the
/// rule of `domain::next_proposal_status`.
pub(crate) async fn move_proposal(
    State(state): State<AppState>,
    site: CurrentSite,
    desk: Desk,
    ip: ClientIp,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<MoveForm>,
) -> Result<Response, AppError> {
    let p = load_proposal(&state, &desk, id).await?;
    let note = vntext::nfc(form.note.trim());
    let Some(mv) = ProposalMove::parse(&form.action) else {
        let kept = Kept::one(
            "Không rõ việc cần làm; hãy bấm một trong các nút.",
            &[("note", note.as_str())],
        );
        return render_proposal(&state, &site, &desk, &p, Default::default(), kept).await;
    };
    match next_proposal_status(p.status, mv, desk.side, &note, p.entries as usize) {
        Ok(to) => {
            state
                .store
                .move_proposal(
                    &p,
                    p.status,
                    to,
                    desk.who(),
                    &note,
                    audit(&desk, "chuyển trạng thái đề nghị khen thưởng", &ip),
                    now(),
                )
                .await?;
            Ok(see_other(&format!("/quan-tri/thi-dua/de-nghi/{id}")))
        }
        Err(why) => {
            let kept = Kept::one(why.to_string(), &[("note", note.as_str())]);
            render_proposal(&state, &site, &desk, &p, Default::default(), kept).await
        }
    }
}

/// `POST /quan-tri/thi-dua/de-nghi/{id}/ket-qua`: the council's result per person
/// or collective (`ket-qua-<id>` = `khen`, `khong` or empty).
pub(crate) async fn results(
    State(state): State<AppState>,
    desk: Desk,
    ip: ClientIp,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    only_department(&desk)?;
    let p = load_proposal(&state, &desk, id).await?;
    let results: Vec<(i64, String)> = form
        .iter()
        .filter_map(|(k, v)| {
            let entry = k.strip_prefix("ket-qua-")?.parse().ok()?;
            matches!(v.as_str(), "khen" | "khong" | "").then(|| (entry, v.clone()))
        })
        .collect();
    state
        .store
        .set_entry_results(
            &p,
            &results,
            audit(&desk, "ghi kết quả xét khen thưởng", &ip),
            now(),
        )
        .await?;
    Ok(see_other(&format!("/quan-tri/thi-dua/de-nghi/{id}")))
}

/// `POST /quan-tri/thi-dua/de-nghi/{id}/tep`: a dossier file (tờ trình, biên bản
/// họp hội đồng, báo cáo thành tích), judged by its bytes like every upload.
pub(crate) async fn upload(
    State(state): State<AppState>,
    site: CurrentSite,
    desk: Desk,
    ip: ClientIp,
    Path(id): Path<i64>,
    CsrfMultipart(mut form): CsrfMultipart,
) -> Result<Response, AppError> {
    only_school(&desk)?;
    let p = load_proposal(&state, &desk, id).await?;
    let (fields, file) = read_upload(&mut form).await?;
    let label = vntext::clean_line(fields.get("label").map_or("", String::as_str));
    let problem = |message: String| {
        let kept = Kept::one(message, &[("label", label.as_str())]);
        render_proposal(&state, &site, &desk, &p, Default::default(), kept)
    };
    let Some((name, bytes)) = file else {
        return problem("Vui lòng chọn tệp hồ sơ.".to_owned()).await;
    };
    if !p.status.editable() {
        return problem(format!(
            "Đề nghị đang ở trạng thái “{}”, không thêm tệp được nữa.",
            p.status.label()
        ))
        .await;
    }
    let kept = keep_upload(
        &state,
        &site,
        &desk,
        &ip,
        ("de-nghi", p.id),
        if label.is_empty() { "Hồ sơ" } else { &label },
        (name, bytes),
    )
    .await?;
    if let Err(message) = kept {
        return problem(message).await;
    }
    Ok(see_other(&format!("/quan-tri/thi-dua/de-nghi/{id}")))
}

/// Checks and keeps an uploaded file (judged by its bytes like every upload) with
/// a movement, a proposal or a decision; `Err` says why a file is refused.
async fn keep_upload(
    state: &AppState,
    site: &CurrentSite,
    desk: &Desk,
    ip: &ClientIp,
    (owner, owner_id): (&str, i64),
    label: &str,
    (name, bytes): (String, Vec<u8>),
) -> Result<Result<(), String>, AppError> {
    let kept = match crate::media::uploads::accept(
        state,
        site.site.id,
        &site.site.key,
        desk.session.user.id,
        &name,
        bytes,
    )
    .await
    {
        Ok(k) => k,
        Err(e) => return Ok(Err(e.to_string())),
    };
    state
        .store
        .add_emulation_file(
            site.site.id,
            owner,
            owner_id,
            label,
            Some(kept.id.0),
            (&kept.path, &name),
            audit(desk, "thêm tệp thi đua – khen thưởng", ip),
            now(),
        )
        .await?;
    Ok(Ok(()))
}

/// `POST /quan-tri/thi-dua/phong-trao/{id}/tep` (the department: the launch
/// decision, plans, forms) and `/quyet-dinh/{id}/tep` (the decision's file).
pub(crate) async fn attach(
    State(state): State<AppState>,
    site: CurrentSite,
    desk: Desk,
    ip: ClientIp,
    Path((owner, id)): Path<(String, i64)>,
    CsrfMultipart(mut form): CsrfMultipart,
) -> Result<Response, AppError> {
    let movement = match owner.as_str() {
        "phong-trao" => {
            only_department(&desk)?;
            Some(load_movement(&state, id).await?)
        }
        "quyet-dinh" => {
            load_decision(&state, &site, id).await?;
            None
        }
        _ => return Err(AppError::NotFound),
    };
    let owner = if movement.is_some() {
        "phong-trao"
    } else {
        "quyet-dinh"
    };
    let (fields, file) = read_upload(&mut form).await?;
    let label = vntext::clean_line(fields.get("label").map_or("", String::as_str));
    let again = |message: String| {
        let kept = Kept::one(message, &[("label", label.as_str())]);
        async {
            match &movement {
                Some(m) => render_movement(&state, &site, &desk, m, Default::default(), kept).await,
                None => render_decision(&state, &site, &desk, id, kept).await,
            }
        }
    };
    let Some(file) = file else {
        return again("Vui lòng chọn tệp.".into()).await;
    };
    let shown = if label.is_empty() {
        if owner == "quyet-dinh" {
            "Quyết định"
        } else {
            "Tệp đính kèm"
        }
    } else {
        &label
    };
    if let Err(message) = keep_upload(&state, &site, &desk, &ip, (owner, id), shown, file).await? {
        return again(message).await;
    }
    state.content_changed().await?;
    Ok(see_other(&format!("/quan-tri/thi-dua/{owner}/{id}")))
}

/// The files of a movement, a proposal or a decision, as links.
pub(crate) async fn files_of(
    state: &AppState,
    owner: &str,
    id: i64,
) -> Result<Vec<FileLine>, AppError> {
    Ok(state
        .store
        .emulation_files(owner, id)
        .await?
        .into_iter()
        .map(|f| FileLine {
            label: f.label,
            url: format!("/media/{}", f.path),
            name: f.name,
        })
        .collect())
}

// ───────────────────────── decisions ─────────────────────────────────────────

/// A decision in a list.
pub(crate) struct DecisionLine {
    pub url: String,
    pub publish_url: String,
    pub number: String,
    pub date: String,
    pub level: String,
    pub form: String,
    pub count: String,
    pub published: bool,
}

fn decision_line(d: store::Decision) -> DecisionLine {
    DecisionLine {
        url: format!("/quan-tri/thi-dua/quyet-dinh/{}", d.id),
        publish_url: format!("/quan-tri/thi-dua/quyet-dinh/{}/cong-bo", d.id),
        number: d.number,
        date: date(&d.decided_on),
        level: d.level,
        form: d.form,
        count: vntext::format_number(d.awardees),
        published: d.published,
    }
}

/// The decision form's values.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct DecisionForm {
    csrf: String,
    number: String,
    decided_on: String,
    level: String,
    form: String,
    proposal: String,
    people: String,
}
csrf_field!(DecisionForm);

#[derive(Template)]
#[template(path = "emulation/admin_decisions.html")]
pub(crate) struct DecisionsTemplate {
    pub chrome: AdminChrome,
    pub department: bool,
    pub lines: Vec<DecisionLine>,
    pub values: DecisionForm,
    pub levels: Vec<SelectOption>,
    pub forms: Vec<SelectOption>,
    pub proposals: Vec<SelectOption>,
    /// Where the form goes: a new decision, or the one being edited.
    pub action: String,
    /// The decision being edited, if any.
    pub editing: Option<i64>,
    pub kept: Kept,
}

async fn render_decisions(
    state: &AppState,
    site: &CurrentSite,
    desk: &Desk,
    (values, editing): (DecisionForm, Option<i64>),
    kept: Kept,
) -> Result<Response, AppError> {
    let lines = state
        .store
        .decisions(Some(site.site.id))
        .await?
        .into_iter()
        .map(decision_line)
        .collect();
    let catalogue = state.store.emulation_catalogue().await?;
    let mut proposals = vec![SelectOption::new(
        String::new(),
        "(không theo đề nghị: ghi danh sách bên dưới)".into(),
        "",
    )];
    if desk.department() && editing.is_none() {
        let f = ProposalFilter {
            status: Some(ProposalStatus::Awarded),
            ..ProposalFilter::default()
        };
        proposals.extend(state.store.proposals(&f).await?.into_iter().map(|p| {
            SelectOption::new(
                p.id.to_string(),
                format!("{} – {}", p.unit_name, p.title),
                &values.proposal,
            )
        }));
    }
    page(
        kept.status(),
        &DecisionsTemplate {
            chrome: AdminChrome::new(
                if editing.is_some() {
                    "Sửa quyết định khen thưởng"
                } else {
                    "Quyết định khen thưởng"
                },
                site,
                &desk.session,
            ),
            department: desk.department(),
            lines,
            levels: options(&names(&catalogue, "cap"), &values.level),
            forms: options(&names(&catalogue, "hinh-thuc"), &values.form),
            proposals,
            values,
            action: editing.map_or("/quan-tri/thi-dua/quyet-dinh".to_owned(), |id| {
                format!("/quan-tri/thi-dua/quyet-dinh/{id}/sua")
            }),
            editing,
            kept,
        },
    )
}

/// `GET /quan-tri/thi-dua/quyet-dinh[?de-nghi=ID]`: this site's decisions and
/// the form to record one (from an awarded proposal, or a typed list).
pub(crate) async fn decisions(
    State(state): State<AppState>,
    site: CurrentSite,
    desk: Desk,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let mut values = DecisionForm::default();
    if let Some(p) = q.get("de-nghi") {
        values.proposal = p.clone();
        if let Ok(Some(p)) = state.store.proposal(p.parse().unwrap_or(0)).await {
            values.form = p.form;
            values.level = p.level;
        }
    }
    render_decisions(&state, &site, &desk, (values, None), Kept::default()).await
}

/// The decision form as typed: its values, the draft (the people of the chosen
/// proposal and of the typed list) and what is wrong with it.
async fn read_decision(
    state: &AppState,
    desk: &Desk,
    form: DecisionForm,
    editing: bool,
) -> Result<(DecisionForm, DecisionDraft, Vec<String>), AppError> {
    let catalogue = state.store.emulation_catalogue().await?;
    let values = DecisionForm {
        number: vntext::clean_line(&form.number),
        level: vntext::nfc(&form.level),
        form: vntext::nfc(&form.form),
        people: vntext::nfc(&form.people),
        ..form
    };
    let mut errors = Vec::new();
    if values.number.is_empty() {
        errors.push("Vui lòng nhập số quyết định.".to_owned());
    }
    let decided_on = typed_date(&values.decided_on, "Ngày quyết định", &mut errors);
    if values.decided_on.trim().is_empty() {
        errors.push("Vui lòng nhập ngày quyết định (dd/mm/yyyy).".to_owned());
    }
    if !names(&catalogue, "cap").contains(&values.level) {
        errors.push("Vui lòng chọn cấp khen.".to_owned());
    }
    if !names(&catalogue, "hinh-thuc").contains(&values.form) {
        errors.push("Vui lòng chọn hình thức khen thưởng.".to_owned());
    }
    let mut awardees = Vec::new();
    let proposal = if editing {
        None
    } else {
        values.proposal.trim().parse::<i64>().ok()
    };
    if let Some(pid) = proposal {
        let p = load_proposal(state, desk, pid).await?;
        if p.status != ProposalStatus::Awarded {
            errors.push("Chỉ ghi quyết định cho đề nghị đã kết luận khen thưởng.".to_owned());
        }
        let entries = state.store.proposal_entries(&p).await?;
        let any_result = entries.iter().any(|e| !e.result.is_empty());
        for e in entries {
            if !any_result || e.result == "khen" {
                awardees.push((e.draft, Some(p.unit)));
            }
        }
    }
    for (i, line) in values.people.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let parts: Vec<String> = line.split(';').map(vntext::clean_line).collect();
        let name = parts.first().cloned().unwrap_or_default();
        if name.is_empty() {
            errors.push(format!("Dòng {} của danh sách: chưa có họ tên.", i + 1));
            continue;
        }
        let collective = parts
            .get(3)
            .is_some_and(|k| domain::parse_entry_kind(k) == Some("tap-the"));
        let unit_name = parts.get(2).cloned().filter(|u| !u.is_empty());
        awardees.push((
            EntryDraft {
                kind: if collective { "tap-the" } else { "ca-nhan" }.to_owned(),
                full_name: name,
                position: parts.get(1).cloned().unwrap_or_default(),
                unit_name: unit_name.clone().unwrap_or_else(|| desk.unit.name.clone()),
                ..EntryDraft::default()
            },
            if desk.department() && unit_name.is_some() {
                unit_by_name(state, unit_name.as_deref().unwrap_or("")).await?
            } else {
                Some(desk.unit.id)
            },
        ));
    }
    if awardees.is_empty() && errors.is_empty() && !editing {
        errors.push(
            "Quyết định chưa có ai: chọn đề nghị đã kết luận, hoặc ghi mỗi dòng “Họ tên; Chức vụ; Đơn vị”."
                .to_owned(),
        );
    }
    let draft = DecisionDraft {
        number: values.number.clone(),
        decided_on,
        level: values.level.clone(),
        form: values.form.clone(),
        proposal,
        awardees,
    };
    Ok((values, draft, errors))
}

/// `POST /quan-tri/thi-dua/quyet-dinh`: records a decision (not yet public).
pub(crate) async fn create_decision(
    State(state): State<AppState>,
    site: CurrentSite,
    desk: Desk,
    ip: ClientIp,
    CsrfForm(form): CsrfForm<DecisionForm>,
) -> Result<Response, AppError> {
    let (values, draft, errors) = read_decision(&state, &desk, form, false).await?;
    if !errors.is_empty() {
        let kept = Kept::problem(errors, &[]);
        return render_decisions(&state, &site, &desk, (values, None), kept).await;
    }
    let id = state
        .store
        .create_decision(
            site.site.id,
            desk.unit.id,
            &draft,
            Some(audit(&desk, "ghi quyết định khen thưởng", &ip)),
            now(),
        )
        .await?;
    Ok(see_other(&format!("/quan-tri/thi-dua/quyet-dinh/{id}")))
}

/// One of this site's decisions (another site's is not found: each unit records
/// and edits its own).
async fn load_decision(
    state: &AppState,
    site: &CurrentSite,
    id: i64,
) -> Result<store::Decision, AppError> {
    state
        .store
        .site_decision(site.site.id, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// `GET /quan-tri/thi-dua/quyet-dinh/{id}/sua`: the decision's form, filled in;
/// lines typed below are added to its people.
pub(crate) async fn edit_decision(
    State(state): State<AppState>,
    site: CurrentSite,
    desk: Desk,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let d = load_decision(&state, &site, id).await?;
    let values = DecisionForm {
        number: d.number,
        decided_on: date(&d.decided_on),
        level: d.level,
        form: d.form,
        ..DecisionForm::default()
    };
    render_decisions(&state, &site, &desk, (values, Some(id)), Kept::default()).await
}

/// `POST /quan-tri/thi-dua/quyet-dinh/{id}/sua`
pub(crate) async fn update_decision(
    State(state): State<AppState>,
    site: CurrentSite,
    desk: Desk,
    ip: ClientIp,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<DecisionForm>,
) -> Result<Response, AppError> {
    load_decision(&state, &site, id).await?;
    let (values, draft, errors) = read_decision(&state, &desk, form, true).await?;
    if !errors.is_empty() {
        let kept = Kept::problem(errors, &[]);
        return render_decisions(&state, &site, &desk, (values, Some(id)), kept).await;
    }
    state
        .store
        .update_decision(
            site.site.id,
            id,
            &draft,
            audit(&desk, "sửa quyết định khen thưởng", &ip),
            now(),
        )
        .await?;
    state.content_changed().await?;
    Ok(see_other(&format!("/quan-tri/thi-dua/quyet-dinh/{id}")))
}

async fn unit_by_name(state: &AppState, name: &str) -> Result<Option<UnitId>, AppError> {
    let folded = vntext::fold_lower(name);
    Ok(state
        .store
        .units()
        .await?
        .into_iter()
        .find(|u| vntext::fold_lower(&u.name) == folded || u.key == name)
        .map(|u| u.id))
}

/// A commended person or collective in the back office.
pub(crate) struct AwardLine {
    pub id: i64,
    pub name: String,
    pub kind: &'static str,
    pub position: String,
    pub unit: String,
    pub story: Option<(String, String)>,
    pub public_url: String,
    /// The story's address as typed, when its form came back.
    pub typed_story: String,
}

#[derive(Template)]
#[template(path = "emulation/admin_decision.html")]
pub(crate) struct DecisionTemplate {
    pub chrome: AdminChrome,
    pub files: Vec<FileLine>,
    pub d: DecisionLine,
    pub lines: Vec<AwardLine>,
    pub kept: Kept,
}

async fn render_decision(
    state: &AppState,
    site: &CurrentSite,
    desk: &Desk,
    id: i64,
    kept: Kept,
) -> Result<Response, AppError> {
    let d = load_decision(state, site, id).await?;
    let lines = state
        .store
        .decision_awards(id)
        .await?
        .into_iter()
        .map(|a| AwardLine {
            typed_story: if kept.typed("awardee") == a.id.to_string() {
                kept.typed("article").to_owned()
            } else {
                String::new()
            },
            id: a.id,
            kind: if a.kind == "tap-the" {
                "Tập thể"
            } else {
                "Cá nhân"
            },
            name: a.full_name,
            position: a.position,
            unit: a.unit_name,
            story: a.story.map(|(_, path, title)| (title, path)),
            public_url: format!("/thi-dua-khen-thuong/khen/{}", a.id),
        })
        .collect();
    page(
        kept.status(),
        &DecisionTemplate {
            chrome: AdminChrome::new(&format!("Quyết định {}", d.number), site, &desk.session),
            files: files_of(state, "quyet-dinh", d.id).await?,
            d: decision_line(d),
            lines,
            kept,
        },
    )
}

/// `GET /quan-tri/thi-dua/quyet-dinh/{id}`
pub(crate) async fn decision(
    State(state): State<AppState>,
    site: CurrentSite,
    desk: Desk,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    render_decision(&state, &site, &desk, id, Kept::default()).await
}

/// A form with only its token (and a level or a person where one is chosen).
#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct PlainForm {
    csrf: String,
    level: String,
    awardee: String,
}
csrf_field!(PlainForm);

/// `POST /quan-tri/thi-dua/quyet-dinh/{id}/cong-bo`: the decision goes public.
pub(crate) async fn publish(
    State(state): State<AppState>,
    site: CurrentSite,
    desk: Desk,
    ip: ClientIp,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<PlainForm>,
) -> Result<Response, AppError> {
    let note = audit(&desk, "công bố quyết định khen thưởng", &ip);
    publicity(&state, &site, id, true, note).await
}

/// `POST /quan-tri/thi-dua/quyet-dinh/{id}/thu-hoi`: "Thu hồi công bố": the
/// decision leaves the public pages and search at once (every site's cached
/// pages are made again); it may be published again.
pub(crate) async fn withdraw(
    State(state): State<AppState>,
    site: CurrentSite,
    desk: Desk,
    ip: ClientIp,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<PlainForm>,
) -> Result<Response, AppError> {
    let note = audit(&desk, "thu hồi công bố quyết định khen thưởng", &ip);
    publicity(&state, &site, id, false, note).await
}

async fn publicity(
    state: &AppState,
    site: &CurrentSite,
    id: i64,
    published: bool,
    note: AuditNote<'_>,
) -> Result<Response, AppError> {
    state
        .store
        .publish_decision(site.site.id, id, published, Some(note), now())
        .await
        .map_err(|e| match e {
            store::Error::NotFound(_) => AppError::NotFound,
            e => e.into(),
        })?;
    state.content_changed().await?;
    Ok(see_other(&format!("/quan-tri/thi-dua/quyet-dinh/{id}")))
}

/// `POST /quan-tri/thi-dua/quyet-dinh/{id}/xoa`: deletes the decision with its
/// people (gone from the public pages and search at once).
pub(crate) async fn delete_decision(
    State(state): State<AppState>,
    site: CurrentSite,
    desk: Desk,
    ip: ClientIp,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<PlainForm>,
) -> Result<Response, AppError> {
    load_decision(&state, &site, id).await?;
    state
        .store
        .delete_decision(
            site.site.id,
            id,
            audit(&desk, "xoá quyết định khen thưởng", &ip),
            now(),
        )
        .await?;
    state.content_changed().await?;
    Ok(see_other("/quan-tri/thi-dua/quyet-dinh"))
}

/// `POST /quan-tri/thi-dua/quyet-dinh/{id}/bo-nguoi`: takes one person or
/// collective (`awardee`) out of the decision.
pub(crate) async fn delete_award(
    State(state): State<AppState>,
    site: CurrentSite,
    desk: Desk,
    ip: ClientIp,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<PlainForm>,
) -> Result<Response, AppError> {
    load_decision(&state, &site, id).await?;
    let Ok(awardee) = form.awardee.trim().parse::<i64>() else {
        let kept = Kept::one("Không rõ người cần bỏ khỏi quyết định.", &[]);
        return render_decision(&state, &site, &desk, id, kept).await;
    };
    match state
        .store
        .delete_award(
            site.site.id,
            id,
            awardee,
            audit(&desk, "bỏ người khỏi quyết định khen thưởng", &ip),
            now(),
        )
        .await
    {
        Err(store::Error::NotFound(_)) => return Err(AppError::NotFound),
        other => other?,
    }
    state.content_changed().await?;
    Ok(see_other(&format!("/quan-tri/thi-dua/quyet-dinh/{id}")))
}

/// `POST /quan-tri/thi-dua/quyet-dinh/{id}/guong`: an article is the "Gương điển
/// hình tiên tiến" story of one of the commended (empty: none).
pub(crate) async fn story(
    State(state): State<AppState>,
    site: CurrentSite,
    desk: Desk,
    ip: ClientIp,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<ArticleForm>,
) -> Result<Response, AppError> {
    load_decision(&state, &site, id).await?;
    let again = |message: String| {
        let typed = [
            ("awardee", form.awardee.as_str()),
            ("article", form.article.as_str()),
        ];
        render_decision(&state, &site, &desk, id, Kept::one(message, &typed))
    };
    let Ok(awardee) = form.awardee.trim().parse::<i64>() else {
        return again("Không rõ người được khen.".to_owned()).await;
    };
    let article = if form.article.trim().is_empty() {
        None
    } else {
        match article_id(&state, &site, &form.article).await? {
            Ok(a) => Some(a),
            Err(why) => return again(why).await,
        }
    };
    match state
        .store
        .set_award_story(
            site.site.id,
            awardee,
            article,
            Some(audit(&desk, "gắn bài gương điển hình tiên tiến", &ip)),
            now(),
        )
        .await
    {
        Err(store::Error::NotFound("article")) => {
            return again(NO_SUCH_ARTICLE.to_owned()).await;
        }
        other => other?,
    }
    state.content_changed().await?;
    Ok(see_other(&format!("/quan-tri/thi-dua/quyet-dinh/{id}")))
}

// ───────────────────────── "Dân vận khéo" ────────────────────────────────────

/// A model in the back office.
pub(crate) struct DvkLine {
    pub id: i64,
    pub unit: String,
    pub name: String,
    pub field: String,
    pub year: i64,
    pub level: String,
}

/// The model form's values.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct DvkForm {
    csrf: String,
    name: String,
    field: String,
    year: String,
    description: String,
    article_url: String,
}
csrf_field!(DvkForm);

#[derive(Template)]
#[template(path = "emulation/admin_dvk.html")]
pub(crate) struct DvkTemplate {
    pub chrome: AdminChrome,
    pub department: bool,
    pub lines: Vec<DvkLine>,
    pub fields: Vec<SelectOption>,
    pub levels: Vec<String>,
    pub values: DvkForm,
    pub kept: Kept,
}

async fn render_dvk(
    state: &AppState,
    site: &CurrentSite,
    desk: &Desk,
    values: DvkForm,
    kept: Kept,
) -> Result<Response, AppError> {
    let f = DvkFilter {
        unit: (!desk.department()).then_some(desk.unit.id),
        ..DvkFilter::default()
    };
    let lines = state
        .store
        .dvk_models(&f)
        .await?
        .into_iter()
        .map(|m| DvkLine {
            level: if kept.typed("model") == m.id.to_string() {
                kept.typed("level").to_owned()
            } else {
                m.level
            },
            id: m.id,
            unit: m.unit_name,
            name: m.draft.name,
            field: m.draft.field,
            year: m.draft.year,
        })
        .collect();
    let catalogue = state.store.emulation_catalogue().await?;
    page(
        kept.status(),
        &DvkTemplate {
            chrome: AdminChrome::new("Mô hình Dân vận khéo", site, &desk.session),
            department: desk.department(),
            lines,
            fields: options(&names(&catalogue, "linh-vuc"), &values.field),
            levels: names(&catalogue, "cap"),
            values,
            kept,
        },
    )
}

/// `GET /quan-tri/thi-dua/dan-van-kheo`
pub(crate) async fn dvk(
    State(state): State<AppState>,
    site: CurrentSite,
    desk: Desk,
) -> Result<Response, AppError> {
    let values = DvkForm {
        year: vntext::local_iso_date(now())[..4].to_owned(),
        ..DvkForm::default()
    };
    render_dvk(&state, &site, &desk, values, Kept::default()).await
}

/// `POST /quan-tri/thi-dua/dan-van-kheo`: a unit registers its model for the year.
pub(crate) async fn create_dvk(
    State(state): State<AppState>,
    site: CurrentSite,
    desk: Desk,
    ip: ClientIp,
    CsrfForm(form): CsrfForm<DvkForm>,
) -> Result<Response, AppError> {
    let catalogue = state.store.emulation_catalogue().await?;
    let values = DvkForm {
        name: vntext::clean_line(&form.name),
        field: vntext::nfc(&form.field),
        description: vntext::nfc(form.description.trim()),
        article_url: form.article_url.trim().to_owned(),
        ..form
    };
    let mut errors = Vec::new();
    if values.name.is_empty() {
        errors.push("Vui lòng nhập tên mô hình.".to_owned());
    }
    if !names(&catalogue, "linh-vuc").contains(&values.field) {
        errors.push("Vui lòng chọn lĩnh vực.".to_owned());
    }
    let year = values
        .year
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|y| (2000..=2100).contains(y));
    if year.is_none() {
        errors.push("Năm đăng ký phải là một năm, ví dụ 2026.".to_owned());
    }
    if !(values.article_url.is_empty()
        || domain::is_web_url(&values.article_url)
        || domain::is_local_path(&values.article_url))
    {
        errors.push("Liên kết bài viết phải là địa chỉ web (https://…) hoặc đường dẫn trên trang (/tin-tuc/…).".to_owned());
    }
    if !errors.is_empty() {
        return render_dvk(&state, &site, &desk, values, Kept::problem(errors, &[])).await;
    }
    let draft = DvkDraft {
        name: values.name,
        field: values.field,
        year: year.unwrap_or_default(),
        description: values.description,
        article_url: values.article_url,
    };
    state
        .store
        .create_dvk_model(
            site.site.id,
            desk.unit.id,
            &draft,
            Some(audit(&desk, "đăng ký mô hình Dân vận khéo", &ip)),
            now(),
        )
        .await?;
    Ok(see_other("/quan-tri/thi-dua/dan-van-kheo"))
}

/// `POST /quan-tri/thi-dua/dan-van-kheo/{id}/cong-nhan`: the department
/// recognises a model at a level.
pub(crate) async fn recognise_dvk(
    State(state): State<AppState>,
    site: CurrentSite,
    desk: Desk,
    ip: ClientIp,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<PlainForm>,
) -> Result<Response, AppError> {
    only_department(&desk)?;
    let level = vntext::nfc(&form.level);
    let catalogue = state.store.emulation_catalogue().await?;
    if !level.is_empty() && !names(&catalogue, "cap").contains(&level) {
        let model = id.to_string();
        let kept = Kept::one(
            format!(
                "Cấp công nhận “{level}” không có trong danh mục; vui lòng chọn trong danh sách."
            ),
            &[("model", model.as_str()), ("level", level.as_str())],
        );
        return render_dvk(&state, &site, &desk, DvkForm::default(), kept).await;
    }
    state
        .store
        .recognise_dvk_model(
            site.site.id,
            id,
            &level,
            Some(audit(&desk, "công nhận mô hình Dân vận khéo", &ip)),
            now(),
        )
        .await?;
    state.content_changed().await?;
    Ok(see_other("/quan-tri/thi-dua/dan-van-kheo"))
}
