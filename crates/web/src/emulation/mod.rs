//! Emulation and commendation (thi đua, khen thưởng; issue 17): the department
//! launches movements; schools register their titles (a form or a sheet) and send
//! proposals for commendation; the department's emulation people receive, return
//! or review them and record decisions; readers see published decisions at
//! `/thi-dua-khen-thuong` (the department's page gathers the schools', a school's
//! shows its own) and the "Dân vận khéo" registry at `/dan-van-kheo`.
//!
//! Who works on which side is `domain::emulation_side`; each status move is
//! `domain::next_proposal_status`, checked on every POST. The titles, forms and
//! levels are the catalogue's rows (`store::CatalogueItem`), never code.

pub(crate) mod admin;
pub(crate) mod public;
pub(crate) mod sheet;

use crate::platform::extract::SignedIn;
use crate::platform::menu::ModulePage;
use crate::platform::parts::Parts;
use crate::platform::routes::{NO_QUERY, Routes};
use crate::platform::site::CurrentSite;
use crate::{AppError, AppState};
use axum::extract::{DefaultBodyLimit, FromRequestParts};
use axum::http::request::Parts as RequestParts;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use domain::{EmulationSide, Unit, UnitKind};
use store::SessionInfo;

/// The query keys the public list of commendations reads.
const AWARD_KEYS: &[&str] = &[
    "nam",
    "cap",
    "hinh-thuc",
    "don-vi",
    "q",
    "quyet-dinh",
    "trang",
];
/// The query keys the "Dân vận khéo" registry reads.
const DVK_KEYS: &[&str] = &["nam", "linh-vuc", "cap", "don-vi", "q"];
/// Largest dossier file or registration sheet.
const FILE_LIMIT: usize = 20 << 20;

/// The feature's routes.
pub(crate) fn routes() -> Routes {
    Routes::new()
        .public("/thi-dua-khen-thuong", AWARD_KEYS, get(public::awards))
        .public(
            "/thi-dua-khen-thuong/khen/{id}",
            NO_QUERY,
            get(public::award),
        )
        .public(
            "/thi-dua-khen-thuong/phong-trao/{id}",
            NO_QUERY,
            get(public::movement),
        )
        .public("/dan-van-kheo", DVK_KEYS, get(public::dvk))
        .public("/dan-van-kheo.xlsx", DVK_KEYS, get(public::dvk_xlsx))
        .admin("/quan-tri/thi-dua", get(admin::home))
        .admin("/quan-tri/thi-dua/phong-trao", post(admin::create_movement))
        .admin("/quan-tri/thi-dua/danh-muc", post(admin::catalogue))
        .admin("/quan-tri/thi-dua/phong-trao/{id}", get(admin::movement))
        .admin(
            "/quan-tri/thi-dua/phong-trao/{id}/sua",
            get(admin::edit_movement).post(admin::update_movement),
        )
        .admin(
            "/quan-tri/thi-dua/phong-trao/{id}/xoa",
            post(admin::delete_movement),
        )
        .admin(
            "/quan-tri/thi-dua/dang-ky/{id}",
            post(admin::update_registration),
        )
        .admin(
            "/quan-tri/thi-dua/dang-ky/{id}/xoa",
            post(admin::delete_registration),
        )
        .admin(
            "/quan-tri/thi-dua/phong-trao/{id}/han",
            post(admin::deadline),
        )
        .admin(
            "/quan-tri/thi-dua/phong-trao/{id}/nhac",
            post(admin::remind),
        )
        .admin(
            "/quan-tri/thi-dua/phong-trao/{id}/bai-viet",
            post(admin::tag_article),
        )
        .admin(
            "/quan-tri/thi-dua/phong-trao/{id}/dang-ky",
            post(admin::register),
        )
        .admin(
            "/quan-tri/thi-dua/phong-trao/{id}/nhap",
            post(admin::import).layer(DefaultBodyLimit::max(FILE_LIMIT)),
        )
        .admin(
            "/quan-tri/thi-dua/de-nghi",
            get(admin::proposals).post(admin::create_proposal),
        )
        .admin("/quan-tri/thi-dua/de-nghi.xlsx", get(admin::proposals_xlsx))
        .admin("/quan-tri/thi-dua/de-nghi/{id}", get(admin::proposal))
        .admin(
            "/quan-tri/thi-dua/de-nghi/{id}/nguoi",
            post(admin::add_entry),
        )
        .admin(
            "/quan-tri/thi-dua/de-nghi/{id}/nguoi/{entry}",
            post(admin::update_entry),
        )
        .admin(
            "/quan-tri/thi-dua/de-nghi/{id}/nguoi/{entry}/xoa",
            post(admin::delete_entry),
        )
        .admin(
            "/quan-tri/thi-dua/de-nghi/{id}/sua",
            post(admin::update_proposal),
        )
        .admin(
            "/quan-tri/thi-dua/de-nghi/{id}/xoa",
            post(admin::delete_proposal),
        )
        .admin(
            "/quan-tri/thi-dua/de-nghi/{id}/chuyen",
            post(admin::move_proposal),
        )
        .admin(
            "/quan-tri/thi-dua/de-nghi/{id}/ket-qua",
            post(admin::results),
        )
        .admin(
            "/quan-tri/thi-dua/de-nghi/{id}/tep",
            post(admin::upload).layer(DefaultBodyLimit::max(FILE_LIMIT)),
        )
        .admin(
            "/quan-tri/thi-dua/{owner}/{id}/tep",
            post(admin::attach).layer(DefaultBodyLimit::max(FILE_LIMIT)),
        )
        .admin(
            "/quan-tri/thi-dua/quyet-dinh",
            get(admin::decisions).post(admin::create_decision),
        )
        .admin("/quan-tri/thi-dua/quyet-dinh/{id}", get(admin::decision))
        .admin(
            "/quan-tri/thi-dua/quyet-dinh/{id}/cong-bo",
            post(admin::publish),
        )
        .admin(
            "/quan-tri/thi-dua/quyet-dinh/{id}/thu-hoi",
            post(admin::withdraw),
        )
        .admin(
            "/quan-tri/thi-dua/quyet-dinh/{id}/sua",
            get(admin::edit_decision).post(admin::update_decision),
        )
        .admin(
            "/quan-tri/thi-dua/quyet-dinh/{id}/xoa",
            post(admin::delete_decision),
        )
        .admin(
            "/quan-tri/thi-dua/quyet-dinh/{id}/bo-nguoi",
            post(admin::delete_award),
        )
        .admin(
            "/quan-tri/thi-dua/quyet-dinh/{id}/guong",
            post(admin::story),
        )
        .admin(
            "/quan-tri/thi-dua/dan-van-kheo",
            get(admin::dvk).post(admin::create_dvk),
        )
        .admin(
            "/quan-tri/thi-dua/dan-van-kheo/{id}/cong-nhan",
            post(admin::recognise_dvk),
        )
}

/// Offers the public pages to the menu.
pub(crate) fn install(parts: &mut Parts) {
    parts.menu_page(ModulePage {
        key: "thi-dua-khen-thuong",
        label: "Thi đua – Khen thưởng",
        path: "/thi-dua-khen-thuong",
        in_default: false,
    });
    parts.menu_page(ModulePage {
        key: "dan-van-kheo",
        label: "Dân vận khéo",
        path: "/dan-van-kheo",
        in_default: false,
    });
}

/// Someone who works on emulation on this site: a school's administrators and
/// emulation people (their own unit), or the department's emulation people
/// (every unit). Anyone else is refused with why.
pub(crate) struct Desk {
    pub session: SessionInfo,
    pub side: EmulationSide,
    /// The site's unit.
    pub unit: Unit,
}

impl Desk {
    /// Whether this is the department's side.
    pub fn department(&self) -> bool {
        self.side == EmulationSide::Department
    }

    /// Who, as moves and entries record them.
    pub fn who(&self) -> (Option<domain::UserId>, &str) {
        (
            Some(self.session.user.id),
            self.session.user.full_name.as_str(),
        )
    }
}

/// The refusal of someone with no emulation work on the site.
const REFUSAL: &str = "Chỉ bộ phận thi đua – khen thưởng (vai trò “Thi đua – Khen thưởng”) và quản trị viên của trường mới làm được việc này; ở trang của Sở, chỉ người có vai trò “Thi đua – Khen thưởng”.";

impl FromRequestParts<AppState> for Desk {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut RequestParts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let SignedIn(session) = SignedIn::from_request_parts(parts, state).await?;
        let Some(site) = parts.extensions.get::<CurrentSite>().cloned() else {
            return Err(AppError::NotFound.into_response());
        };
        let unit = state
            .store
            .unit_of_site(site.site.id)
            .await
            .map_err(|e| AppError::from(e).into_response())?
            .ok_or_else(|| {
                AppError::forbidden("Trang này chưa gắn với đơn vị nào trong ngành.")
                    .into_response()
            })?;
        let department = unit.kind == UnitKind::Department;
        match domain::emulation_side(
            session.user.role_on(site.site.id),
            session.user.is_super,
            department,
        ) {
            Some(side) => Ok(Desk {
                session,
                side,
                unit,
            }),
            None => Err(AppError::forbidden(REFUSAL).into_response()),
        }
    }
}

/// Whether a unit is the department (the root of the tree whose page gathers
/// every unit's commendations).
pub(crate) fn is_department(unit: &Unit) -> bool {
    unit.kind == UnitKind::Department
}

/// What a back-office page shows after a POST it could not keep: the Vietnamese
/// messages, and the small forms' fields as typed (the large forms keep their
/// own values). Every emulation page is drawn again with one, so no form answers
/// a bare message: `Kept::problem` for mistakes (422), `Kept::news` for news.
#[derive(Default)]
pub(crate) struct Kept {
    pub errors: Vec<String>,
    /// The messages are news (a reminder sent), not mistakes.
    pub notice: bool,
    typed: Vec<(String, String)>,
}

impl Kept {
    /// Mistakes, with the fields as typed.
    pub fn problem(errors: Vec<String>, typed: &[(&str, &str)]) -> Kept {
        Kept {
            errors,
            notice: false,
            typed: typed
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        }
    }

    /// One mistake, with the fields as typed.
    pub fn one(error: impl Into<String>, typed: &[(&str, &str)]) -> Kept {
        Kept::problem(vec![error.into()], typed)
    }

    /// News to show (not mistakes).
    pub fn news(notes: Vec<String>) -> Kept {
        Kept {
            errors: notes,
            notice: true,
            typed: Vec::new(),
        }
    }

    /// What was typed in `field` ("" if nothing came back).
    pub fn typed(&self, field: &str) -> &str {
        self.typed
            .iter()
            .find(|(k, _)| k == field)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Whether `field` came back (a template then shows it, not what is stored).
    pub fn has(&self, field: &str) -> bool {
        self.typed.iter().any(|(k, _)| k == field)
    }

    /// 422 for mistakes, 200 otherwise.
    pub fn status(&self) -> axum::http::StatusCode {
        if self.errors.is_empty() || self.notice {
            axum::http::StatusCode::OK
        } else {
            axum::http::StatusCode::UNPROCESSABLE_ENTITY
        }
    }
}
