//! `/quan-tri/cai-dat`: a site's settings, for its administrators: name, tagline,
//! the footer identity, logo and banner (chosen from the site's images). The
//! categories, the menu and the links have pages of their own
//! (`/quan-tri/chuyen-muc`, `/quan-tri/menu`, `/quan-tri/lien-ket`).
//!
//! The form is read as a list of pairs; what was typed comes back as typed when
//! something is wrong.

use crate::platform::back_office::page;
use crate::platform::extract::ClientIp;
use crate::platform::extract::{CsrfForm, Need, SiteRole};
use crate::platform::layout::AdminChrome;
use crate::platform::site::CurrentSite;
use crate::{AppError, AppState, now};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::Role;
use domain::{MediaId, MediaRef, SiteSettings};
use std::collections::HashMap;
use store::{SessionInfo, SettingsSave};

/// Who sees and changes a site's settings.
pub(crate) struct SettingsAdmin;
impl Need for SettingsAdmin {
    const ROLE: Role = Role::Admin;
    const REFUSAL: &'static str =
        "Chỉ quản trị viên của trang này mới xem và sửa được phần cài đặt.";
}

/// Images offered for the logo and the banner: the newest of the site's.
const IMAGE_CHOICES: i64 = 120;

/// The value of the radio button that keeps an image not chosen from the library
/// (the demo's drawn logo, one set before this page existed).
const KEEP: &str = "hien-tai";

/// The form's fields as shown (as stored, or as typed after a refusal).
#[derive(Default)]
pub(crate) struct SettingsValues {
    pub name: String,
    pub tagline: String,
    pub governing_agency: String,
    pub managing_agency: String,
    pub address: String,
    pub phone: String,
    pub fax: String,
    pub email: String,
    pub responsible_person: String,
    pub licence: String,
    pub trust_badge_url: String,
    /// "" (none), [`KEEP`] or a media id.
    pub logo: String,
    pub banner: String,
}

impl SettingsValues {
    fn stored(s: &SiteSettings) -> SettingsValues {
        let image = |url: &Option<String>, id: Option<i64>| match (url, id) {
            (_, Some(id)) => id.to_string(),
            (Some(_), None) => KEEP.to_owned(),
            (None, None) => String::new(),
        };
        SettingsValues {
            name: s.name.clone(),
            tagline: s.tagline.clone(),
            governing_agency: s.governing_agency.clone(),
            managing_agency: s.managing_agency.clone(),
            address: s.address.clone(),
            phone: s.phone.clone(),
            fax: s.fax.clone(),
            email: s.email.clone(),
            responsible_person: s.responsible_person.clone(),
            licence: s.licence.clone().unwrap_or_default(),
            trust_badge_url: s.trust_badge_url.clone().unwrap_or_default(),
            logo: image(&s.logo_url, s.logo_media_id),
            banner: image(&s.banner_url, s.banner_media_id),
        }
    }

    /// Reads the posted pairs; single-line text is cleaned (NFC, spaces folded).
    fn posted(pairs: &[(String, String)]) -> SettingsValues {
        let fields: HashMap<&str, &str> = pairs
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let line = |k: &str| vntext::clean_line(fields.get(k).copied().unwrap_or(""));
        SettingsValues {
            name: line("name"),
            tagline: line("tagline"),
            governing_agency: line("governing_agency"),
            managing_agency: line("managing_agency"),
            address: line("address"),
            phone: line("phone"),
            fax: line("fax"),
            email: line("email"),
            responsible_person: line("responsible_person"),
            licence: line("licence"),
            trust_badge_url: line("trust_badge_url"),
            logo: line("logo"),
            banner: line("banner"),
        }
    }
}

/// A radio button of the image pickers.
pub(crate) struct ImageChoice {
    pub value: String,
    pub src: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "settings/settings.html")]
pub(crate) struct SettingsTemplate {
    pub chrome: AdminChrome,
    pub values: SettingsValues,
    pub images: Vec<ImageChoice>,
    /// The images in use that were not chosen from the library, for the "keep" choice.
    pub current_logo: Option<String>,
    pub current_banner: Option<String>,
    pub errors: Vec<String>,
    pub notice: Option<String>,
}

async fn render(
    state: &AppState,
    site: &CurrentSite,
    session: &SessionInfo,
    values: SettingsValues,
    errors: Vec<String>,
    notice: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let stored = state
        .store
        .site(site.site.id)
        .await?
        .ok_or(AppError::NotFound)?
        .settings;
    let mut media: Vec<domain::MediaRef> = state
        .store
        .media_library(site.site.id, Some("image"), IMAGE_CHOICES, 0)
        .await?
        .0
        .into_iter()
        .map(|m| m.media)
        .collect();
    // An image in use stays on offer even when it is older than the newest ones.
    for id in [stored.logo_media_id, stored.banner_media_id]
        .into_iter()
        .flatten()
    {
        if !media.iter().any(|m| m.id.0 == id)
            && let Some(m) = state.store.image(site.site.id, MediaId(id)).await?
        {
            media.push(m);
        }
    }
    let kept = |url: &Option<String>, id: Option<i64>| url.clone().filter(|_| id.is_none());
    page(
        status,
        &SettingsTemplate {
            chrome: AdminChrome::new("Cài đặt trang", site, session),
            images: media.iter().map(choice).collect(),
            current_logo: kept(&stored.logo_url, stored.logo_media_id),
            current_banner: kept(&stored.banner_url, stored.banner_media_id),
            values,
            errors,
            notice,
        },
    )
}

fn choice(m: &MediaRef) -> ImageChoice {
    ImageChoice {
        value: m.id.0.to_string(),
        src: m.thumb_url(),
        label: format!(
            "Ảnh số {} ({}×{} điểm ảnh)",
            m.id.0,
            vntext::format_number(m.width),
            vntext::format_number(m.height)
        ),
    }
}

/// `GET /quan-tri/cai-dat`
pub(crate) async fn show(
    State(state): State<AppState>,
    site: CurrentSite,
    SiteRole { session, .. }: SiteRole<SettingsAdmin>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let stored = state
        .store
        .site(site.site.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let notice = q
        .contains_key("da-luu")
        .then(|| "Đã lưu cài đặt. Trang công khai đã hiển thị thông tin mới.".to_owned());
    render(
        &state,
        &site,
        &session,
        SettingsValues::stored(&stored.settings),
        Vec::new(),
        notice,
        StatusCode::OK,
    )
    .await
}

/// `POST /quan-tri/cai-dat`
pub(crate) async fn save(
    State(state): State<AppState>,
    site: CurrentSite,
    ClientIp(ip): ClientIp,
    SiteRole { session, .. }: SiteRole<SettingsAdmin>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let stored = state
        .store
        .site(site.site.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let values = SettingsValues::posted(&pairs);
    let mut errors = Vec::new();

    let optional = |s: &str| (!s.is_empty()).then(|| s.to_owned());
    let mut settings = SiteSettings {
        name: values.name.clone(),
        tagline: values.tagline.clone(),
        governing_agency: values.governing_agency.clone(),
        managing_agency: values.managing_agency.clone(),
        address: values.address.clone(),
        phone: values.phone.clone(),
        fax: values.fax.clone(),
        email: values.email.clone(),
        responsible_person: values.responsible_person.clone(),
        licence: optional(&values.licence),
        trust_badge_url: optional(&values.trust_badge_url),
        ..stored.settings.clone()
    };
    errors.extend(settings.problems());

    for (what, chosen, url, id) in [
        (
            "logo",
            &values.logo,
            &mut settings.logo_url,
            &mut settings.logo_media_id,
        ),
        (
            "ảnh đầu trang (banner)",
            &values.banner,
            &mut settings.banner_url,
            &mut settings.banner_media_id,
        ),
    ] {
        if chosen.is_empty() {
            (*url, *id) = (None, None);
        } else if chosen == KEEP {
            // Keep what is stored (an image not from the library).
        } else {
            let image = match chosen.parse::<i64>() {
                Ok(n) => state.store.image(site.site.id, MediaId(n)).await?,
                Err(_) => None,
            };
            match image {
                Some(m) => (*url, *id) = (Some(m.url()), Some(m.id.0)),
                None => errors.push(format!(
                    "Ảnh đã chọn làm {what} không có trong thư viện ảnh của trang này; hãy chọn lại."
                )),
            }
        }
    }

    if !errors.is_empty() {
        return render(
            &state,
            &site,
            &session,
            values,
            errors,
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }

    let detail = changes(&stored.settings, &settings);
    state
        .store
        .save_site_settings(
            &SettingsSave {
                site: site.site.id,
                settings: &settings,
                by: session.user.id,
                detail: &detail,
                ip: &ip,
            },
            now(),
        )
        .await?;
    state.content_changed().await?;
    Ok((
        StatusCode::SEE_OTHER,
        [(header::LOCATION, "/quan-tri/cai-dat?da-luu=1")],
    )
        .into_response())
}

/// What the audit entry says changed: the fields by their Vietnamese names.
fn changes(old: &SiteSettings, new: &SiteSettings) -> String {
    let mut out: Vec<&str> = Vec::new();
    let mut check = |changed: bool, what: &'static str| {
        if changed {
            out.push(what);
        }
    };
    check(old.name != new.name, "tên trang");
    check(old.tagline != new.tagline, "dòng giới thiệu");
    check(
        old.governing_agency != new.governing_agency,
        "cơ quan chủ quản",
    );
    check(
        old.managing_agency != new.managing_agency,
        "cơ quan quản lý",
    );
    check(old.address != new.address, "địa chỉ");
    check(old.phone != new.phone, "điện thoại");
    check(old.fax != new.fax, "fax");
    check(old.email != new.email, "thư điện tử");
    check(
        old.responsible_person != new.responsible_person,
        "người chịu trách nhiệm",
    );
    check(old.licence != new.licence, "giấy phép");
    check(old.trust_badge_url != new.trust_badge_url, "tín nhiệm mạng");
    check(old.logo_url != new.logo_url, "logo");
    check(old.banner_url != new.banner_url, "ảnh đầu trang");
    if out.is_empty() {
        "lưu lại, không thay đổi".to_owned()
    } else {
        format!("đổi {}", out.join(", "))
    }
}
