//! What readers see: `/thi-dua-khen-thuong` (published decisions and who was
//! commended, by year, level, form and unit, searchable with or without tone
//! marks; the department's page gathers every unit's, a school's shows its own),
//! a commended person's or collective's entry (name, position, unit: never a date
//! of birth) with its "Gương điển hình tiên tiến" story, a movement's page with
//! the articles tagged with it, and the "Dân vận khéo" registry with its export.

use super::admin::{MovementView, download, movement_view, names};
use super::{is_department, sheet};
use crate::platform::layout::{Layout, PagerView, SelectOption, percent_encode};
use crate::platform::origin::Origin;
use crate::platform::pages::PageResult;
use crate::platform::site::CurrentSite;
use crate::{AppError, AppState, now};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{Html, Response};
use domain::{PageNumber, Pager, Unit, UnitId};
use std::collections::HashMap;
use store::{Award, AwardFilter, DvkFilter};

/// Entries per page.
const PER_PAGE: u32 = 30;

/// A commended person or collective as readers see them.
pub(crate) struct AwardView {
    pub url: String,
    pub name: String,
    pub collective: bool,
    pub position: String,
    pub unit: String,
    pub number: String,
    pub date: String,
    pub level: String,
    pub form: String,
    pub achievement: String,
    pub story: Option<(String, String)>,
}

fn award_view(state: &AppState, origin: &Origin, a: Award) -> AwardView {
    AwardView {
        url: format!("/thi-dua-khen-thuong/khen/{}", a.id),
        collective: a.kind == "tap-the",
        name: a.full_name,
        position: a.position,
        unit: a.unit_name,
        number: a.number,
        date: vntext::format_iso_date(&a.decided_on).unwrap_or_default(),
        level: a.level,
        form: a.form,
        achievement: a.achievement,
        story: a.story.map(|(site, path, title)| {
            let url = match state
                .sites
                .by_id(site)
                .and_then(|s| s.site.main_host().map(str::to_owned))
            {
                Some(host) => format!("{}{path}", origin.for_host(&host)),
                None => path,
            };
            (title, url)
        }),
    }
}

/// The site's unit, and whether its page gathers every unit's (the department's).
async fn scope(
    state: &AppState,
    site: &CurrentSite,
) -> Result<(Vec<Unit>, Option<Unit>), AppError> {
    let units = state.store.units().await?;
    let mine = units.iter().find(|u| u.site == Some(site.site.id)).cloned();
    Ok((units, mine))
}

fn choices(all: &str, values: &[String], current: &str) -> Vec<SelectOption> {
    std::iter::once(SelectOption::new(String::new(), all.to_owned(), current))
        .chain(
            values
                .iter()
                .map(|v| SelectOption::new(v.clone(), v.clone(), current)),
        )
        .collect()
}

#[derive(Template)]
#[template(path = "emulation/awards.html")]
pub(crate) struct AwardsTemplate {
    pub layout: Layout,
    pub gathers: bool,
    pub items: Vec<AwardView>,
    pub total: String,
    pub years: Vec<SelectOption>,
    pub levels: Vec<SelectOption>,
    pub forms: Vec<SelectOption>,
    pub units: Vec<SelectOption>,
    pub words: String,
    pub filtered: bool,
    pub pager: Option<PagerView>,
    pub movements: Vec<(String, String)>,
}

/// `GET /thi-dua-khen-thuong?nam=&cap=&hinh-thuc=&don-vi=&q=&trang=`
pub(crate) async fn awards(
    State(state): State<AppState>,
    site: CurrentSite,
    origin: Origin,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult {
    let get = |k: &str| q.get(k).map(|v| vntext::clean_line(v)).unwrap_or_default();
    let (units, mine) = scope(&state, &site).await?;
    let gathers = mine.as_ref().is_none_or(is_department);
    let unit_key = get("don-vi");
    let unit = if gathers {
        units
            .iter()
            .find(|u| !unit_key.is_empty() && u.key == unit_key)
            .map(|u| u.id)
    } else {
        Some(mine.as_ref().map_or(UnitId(0), |u| u.id))
    };
    let filter = AwardFilter {
        unit,
        year: get("nam").parse().ok(),
        level: Some(get("cap")).filter(|v| !v.is_empty()),
        form: Some(get("hinh-thuc")).filter(|v| !v.is_empty()),
        words: Some(get("q")).filter(|v| !v.is_empty()),
        decision: get("quyet-dinh").parse().ok(),
    };
    let page_no = PageNumber::parse(q.get("trang").map(String::as_str));
    let (items, total) = state
        .store
        .public_awards(&filter, i64::from(PER_PAGE), page_no.offset(PER_PAGE))
        .await?;
    let items = items
        .into_iter()
        .map(|a| award_view(&state, &origin, a))
        .collect();
    let mut query = Vec::new();
    for k in ["nam", "cap", "hinh-thuc", "don-vi", "q", "quyet-dinh"] {
        let v = get(k);
        if !v.is_empty() {
            query.push(format!("{k}={}", percent_encode(&v)));
        }
    }
    let base = if query.is_empty() {
        "/thi-dua-khen-thuong".to_owned()
    } else {
        format!("/thi-dua-khen-thuong?{}", query.join("&"))
    };
    let pager = Pager::new(total, PER_PAGE, page_no).and_then(|p| PagerView::new(&p, &base, ""));
    let catalogue = state.store.emulation_catalogue().await?;
    let years: Vec<String> = state
        .store
        .award_years()
        .await?
        .into_iter()
        .map(|y| y.to_string())
        .collect();
    let unit_choices = if gathers {
        std::iter::once(SelectOption::new(
            String::new(),
            "Mọi đơn vị".into(),
            &unit_key,
        ))
        .chain(
            units
                .iter()
                .map(|u| SelectOption::new(u.key.clone(), u.name.clone(), &unit_key)),
        )
        .collect()
    } else {
        Vec::new()
    };
    let movements = state
        .store
        .movements()
        .await?
        .into_iter()
        .map(|m| {
            (
                m.draft.name,
                format!("/thi-dua-khen-thuong/phong-trao/{}", m.id),
            )
        })
        .collect();
    let layout = Layout::new(
        &state,
        Some(&site),
        "Thi đua – Khen thưởng",
        Some("/thi-dua-khen-thuong"),
    )
    .canonical(origin.url(&base));
    Ok(Html(
        AwardsTemplate {
            layout,
            gathers,
            items,
            total: vntext::format_number(total),
            years: choices("Mọi năm", &years, &get("nam")),
            levels: choices("Mọi cấp khen", &names(&catalogue, "cap"), &get("cap")),
            forms: choices(
                "Mọi hình thức",
                &names(&catalogue, "hinh-thuc"),
                &get("hinh-thuc"),
            ),
            units: unit_choices,
            words: get("q"),
            filtered: !query.is_empty(),
            pager,
            movements,
        }
        .render()?,
    ))
}

#[derive(Template)]
#[template(path = "emulation/award.html")]
pub(crate) struct AwardTemplate {
    pub layout: Layout,
    pub a: AwardView,
    pub files: Vec<super::admin::FileLine>,
}

/// `GET /thi-dua-khen-thuong/khen/{id}`: one commended person or collective, on
/// the page that lists them (the department's, or their own school's).
pub(crate) async fn award(
    State(state): State<AppState>,
    site: CurrentSite,
    origin: Origin,
    Path(id): Path<i64>,
) -> PageResult {
    let (_, mine) = scope(&state, &site).await?;
    let gathers = mine.as_ref().is_none_or(is_department);
    let a = state
        .store
        .public_award(id)
        .await?
        .filter(|a| gathers || (a.unit.is_some() && a.unit == mine.as_ref().map(|u| u.id)))
        .ok_or(AppError::NotFound)?;
    let title = a.full_name.clone();
    let files = super::admin::files_of(&state, "quyet-dinh", a.decision).await?;
    let layout = Layout::new(&state, Some(&site), &title, Some("/thi-dua-khen-thuong"))
        .canonical(origin.url(&format!("/thi-dua-khen-thuong/khen/{id}")));
    Ok(Html(
        AwardTemplate {
            layout,
            a: award_view(&state, &origin, a),
            files,
        }
        .render()?,
    ))
}

#[derive(Template)]
#[template(path = "emulation/movement.html")]
pub(crate) struct MovementTemplate {
    pub layout: Layout,
    pub files: Vec<super::admin::FileLine>,
    pub m: MovementView,
    pub articles: Vec<(String, String, String)>,
}

/// `GET /thi-dua-khen-thuong/phong-trao/{id}`: a movement and its articles.
pub(crate) async fn movement(
    State(state): State<AppState>,
    site: CurrentSite,
    origin: Origin,
    Path(id): Path<i64>,
) -> PageResult {
    let m = state.store.movement(id).await?.ok_or(AppError::NotFound)?;
    let articles = state
        .store
        .movement_articles(id, now())
        .await?
        .into_iter()
        .map(|(site_id, path, title, at)| {
            let url = if site_id == site.site.id {
                path
            } else {
                match state
                    .sites
                    .by_id(site_id)
                    .and_then(|s| s.site.main_host().map(str::to_owned))
                {
                    Some(host) => format!("{}{path}", origin.for_host(&host)),
                    None => path,
                }
            };
            (title, url, vntext::format_date(at))
        })
        .collect();
    let layout = Layout::new(
        &state,
        Some(&site),
        &m.draft.name,
        Some("/thi-dua-khen-thuong"),
    )
    .canonical(origin.url(&format!("/thi-dua-khen-thuong/phong-trao/{id}")));
    Ok(Html(
        MovementTemplate {
            layout,
            files: super::admin::files_of(&state, "phong-trao", m.id).await?,
            m: movement_view(&m, &state.store.units().await?),
            articles,
        }
        .render()?,
    ))
}

/// A model as readers see it.
pub(crate) struct DvkView {
    pub unit: String,
    pub name: String,
    pub field: String,
    pub year: i64,
    pub level: String,
    pub description: String,
    pub article_url: String,
}

#[derive(Template)]
#[template(path = "emulation/dvk.html")]
pub(crate) struct DvkTemplate {
    pub layout: Layout,
    pub items: Vec<DvkView>,
    pub total: String,
    pub years: Vec<SelectOption>,
    pub fields: Vec<SelectOption>,
    pub levels: Vec<SelectOption>,
    pub units: Vec<SelectOption>,
    pub words: String,
    pub filtered: bool,
    pub xlsx_url: String,
}

async fn dvk_filter(
    state: &AppState,
    q: &HashMap<String, String>,
) -> Result<(DvkFilter, Vec<Unit>), AppError> {
    let get = |k: &str| q.get(k).map(|v| vntext::clean_line(v)).unwrap_or_default();
    let units = state.store.units().await?;
    let key = get("don-vi");
    Ok((
        DvkFilter {
            year: get("nam").parse().ok(),
            field: Some(get("linh-vuc")).filter(|v| !v.is_empty()),
            level: Some(get("cap")).filter(|v| !v.is_empty()),
            unit: units
                .iter()
                .find(|u| !key.is_empty() && u.key == key)
                .map(|u| u.id)
                .or_else(|| (!key.is_empty()).then_some(UnitId(0))),
            recognised_only: true,
            words: Some(get("q")).filter(|v| !v.is_empty()),
        },
        units,
    ))
}

/// `GET /dan-van-kheo?nam=&linh-vuc=&cap=&don-vi=&q=`: the recognised models.
pub(crate) async fn dvk(
    State(state): State<AppState>,
    site: CurrentSite,
    origin: Origin,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult {
    let get = |k: &str| q.get(k).map(|v| vntext::clean_line(v)).unwrap_or_default();
    let (filter, units) = dvk_filter(&state, &q).await?;
    let models = state.store.dvk_models(&filter).await?;
    let all = state
        .store
        .dvk_models(&DvkFilter {
            recognised_only: true,
            ..DvkFilter::default()
        })
        .await?;
    let mut years: Vec<String> = all.iter().map(|m| m.draft.year.to_string()).collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    let catalogue = state.store.emulation_catalogue().await?;
    let mut query = Vec::new();
    for k in ["nam", "linh-vuc", "cap", "don-vi", "q"] {
        let v = get(k);
        if !v.is_empty() {
            query.push(format!("{k}={}", percent_encode(&v)));
        }
    }
    let with_units: Vec<&Unit> = units
        .iter()
        .filter(|u| all.iter().any(|m| m.unit == u.id))
        .collect();
    let key = get("don-vi");
    let layout = Layout::new(
        &state,
        Some(&site),
        "Mô hình “Dân vận khéo”",
        Some("/dan-van-kheo"),
    )
    .canonical(origin.url("/dan-van-kheo"));
    Ok(Html(
        DvkTemplate {
            layout,
            total: vntext::format_number(models.len() as i64),
            items: models
                .into_iter()
                .map(|m| DvkView {
                    unit: m.unit_name,
                    name: m.draft.name,
                    field: m.draft.field,
                    year: m.draft.year,
                    level: m.level,
                    description: m.draft.description,
                    article_url: m.draft.article_url,
                })
                .collect(),
            years: choices("Mọi năm", &years, &get("nam")),
            fields: choices(
                "Mọi lĩnh vực",
                &names(&catalogue, "linh-vuc"),
                &get("linh-vuc"),
            ),
            levels: choices("Mọi cấp công nhận", &names(&catalogue, "cap"), &get("cap")),
            units: std::iter::once(SelectOption::new(String::new(), "Mọi đơn vị".into(), &key))
                .chain(
                    with_units
                        .iter()
                        .map(|u| SelectOption::new(u.key.clone(), u.name.clone(), &key)),
                )
                .collect(),
            words: get("q"),
            filtered: !query.is_empty(),
            xlsx_url: if query.is_empty() {
                "/dan-van-kheo.xlsx".to_owned()
            } else {
                format!("/dan-van-kheo.xlsx?{}", query.join("&"))
            },
        }
        .render()?,
    ))
}

/// `GET /dan-van-kheo.xlsx`: the registry as filtered.
pub(crate) async fn dvk_xlsx(
    State(state): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let (filter, _) = dvk_filter(&state, &q).await?;
    let models = state.store.dvk_models(&filter).await?;
    let bytes =
        sheet::dvk_workbook(&models).map_err(|e| AppError::Internal(format!("xlsx: {e}")))?;
    Ok(download("dan-van-kheo", bytes))
}

/// The commended whose "Gương điển hình tiên tiến" story an article is: (name,
/// address of their entry). The entry is on this site when this site lists them
/// (the department's, or their own school's), else on the department's site.
pub(crate) async fn story_links(
    state: &AppState,
    site: &CurrentSite,
    origin: &Origin,
    article: i64,
) -> Result<Vec<(String, String)>, AppError> {
    let awards = state.store.stories_of_article(article).await?;
    if awards.is_empty() {
        return Ok(Vec::new());
    }
    let (units, mine) = scope(state, site).await?;
    let gathers = mine.as_ref().is_none_or(is_department);
    let department_host = units
        .iter()
        .find(|u| is_department(u))
        .and_then(|u| u.site)
        .and_then(|s| state.sites.by_id(s))
        .and_then(|s| s.site.main_host().map(str::to_owned));
    Ok(awards
        .into_iter()
        .map(|a| {
            let path = format!("/thi-dua-khen-thuong/khen/{}", a.id);
            let here = gathers || (a.unit.is_some() && a.unit == mine.as_ref().map(|u| u.id));
            let url = match (&department_host, here) {
                (Some(host), false) => format!("{}{path}", origin.for_host(host)),
                _ => path,
            };
            (a.full_name, url)
        })
        .collect())
}
