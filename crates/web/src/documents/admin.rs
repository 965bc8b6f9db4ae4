//! `/quan-tri/van-ban`: the site's documents for its staff. Writers register
//! documents and submit them; editors publish, schedule, send back and withdraw
//! (the articles' workflow, `domain::next_status`). Files are checked by content
//! as in the media library (PDF, DOC(X), XLS(X) only); a replaced file stays in
//! the media library and is named in the revision it belonged to. The site's
//! administrators keep the lists of types, issuers, signers and fields.

use crate::articles::views::Button;
use crate::media::uploads::{self, Attachment};
use crate::platform::back_office::{page, see_other};
use crate::platform::extract::{
    ClientIp, CsrfForm, CsrfMultipart, Need, SiteRole, Writer, csrf_field,
};
use crate::platform::layout::{AdminChrome, PagerView, SelectOption};
use crate::platform::revisions::{RevisionDiff, RevisionsTemplate, Saved, body_text, field};
use crate::platform::site::CurrentSite;
use crate::{AppError, AppState, now};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::{
    ArticleAction, ArticleStatus, Content, Document, DocumentDraft, DocumentId, DocumentRevision,
    PageNumber, Pager, Role, SafeHtml, Term, TermList, next_status, offered_actions,
};
use serde::Deserialize;
use std::collections::HashMap;
use store::{AuditNote, DocumentFileInput, DocumentWrite, SessionInfo};

/// Documents per page of the back office's list.
const PER_PAGE: u32 = 30;

/// Who keeps a site's lists: its administrators.
pub(crate) struct ListKeeper;
impl Need for ListKeeper {
    const ROLE: Role = Role::Admin;
    const REFUSAL: &'static str = "Chỉ quản trị viên của trang này mới sửa được danh mục loại văn bản, cơ quan ban hành, người ký và lĩnh vực.";
}

/// A line of the back office's list.
pub(crate) struct Row {
    pub number: String,
    pub summary: String,
    pub edit_url: String,
    pub issued: String,
    pub status: &'static str,
    pub updated: String,
}

#[derive(Template)]
#[template(path = "documents/admin_list.html")]
pub(crate) struct ListTemplate {
    pub chrome: AdminChrome,
    pub rows: Vec<Row>,
    pub total: String,
    pub words: String,
    pub statuses: Vec<SelectOption>,
    pub pager: Option<PagerView>,
    pub notice: Option<String>,
    pub is_admin: bool,
    pub may_import: bool,
}

/// A file the form lists (kept unless unticked).
pub(crate) struct FileChoice {
    pub media_id: i64,
    pub name: String,
    pub url: String,
    pub kept: bool,
}

/// A tick box of a multiple choice (fields, related documents).
pub(crate) struct Tick {
    pub value: String,
    pub label: String,
    pub checked: bool,
}

/// The form's fields as shown.
#[derive(Default)]
pub(crate) struct Values {
    pub number: String,
    pub summary: String,
    pub kind: String,
    pub issuer: String,
    pub signer: String,
    pub fields: Vec<String>,
    pub issued_on: String,
    pub effective_on: String,
    pub expires_on: String,
    pub replaces: String,
    pub related: Vec<String>,
    pub body: String,
    pub publish_at: String,
    pub reject_reason: String,
    pub revision: String,
    /// Files, as `media_id` and name.
    pub files: Vec<(i64, String)>,
}

#[derive(Template)]
#[template(path = "documents/admin_edit.html")]
pub(crate) struct EditTemplate {
    pub chrome: AdminChrome,
    pub heading: String,
    pub action_url: String,
    pub status: &'static str,
    pub values: Values,
    pub kinds: Vec<SelectOption>,
    pub issuers: Vec<SelectOption>,
    pub signers: Vec<SelectOption>,
    pub replaces: Vec<SelectOption>,
    pub fields: Vec<Tick>,
    pub related: Vec<Tick>,
    pub files: Vec<FileChoice>,
    pub buttons: Vec<Button>,
    pub show_reject: bool,
    pub rejected_because: Option<String>,
    pub public_url: Option<String>,
    pub revisions_url: Option<String>,
    pub errors: Vec<String>,
    pub notice: Option<String>,
    pub lists_missing: bool,
}

/// What the form sends, read from the multipart body (files are stored as they
/// arrive, so the form shown again keeps them).
#[derive(Default)]
struct DocForm {
    action: String,
    revision: String,
    number: String,
    summary: String,
    kind: String,
    issuer: String,
    signer: String,
    fields: Vec<String>,
    issued_on: String,
    effective_on: String,
    expires_on: String,
    replaces: String,
    related: Vec<String>,
    body: String,
    publish_at: String,
    reject_reason: String,
    /// Files kept from before: `media_id` and name ("12:Công văn.pdf").
    keep: Vec<String>,
    /// Files uploaded now and stored: `media_id` and name.
    uploaded: Vec<(i64, String)>,
    /// Refused uploads, said why.
    refused: Vec<String>,
}

fn id_of(s: &str) -> Option<i64> {
    s.trim().parse::<i64>().ok().filter(|n| *n > 0)
}

impl DocForm {
    async fn read(
        state: &AppState,
        site: &CurrentSite,
        session: &SessionInfo,
        form: &mut axum::extract::Multipart,
    ) -> Result<DocForm, AppError> {
        let mut f = DocForm::default();
        loop {
            let field = match form.next_field().await {
                Ok(Some(field)) => field,
                Ok(None) => break,
                Err(e) => {
                    f.refused.push(format!(
                        "Biểu mẫu gửi lên bị gián đoạn hoặc quá lớn ({}); hãy thử lại.",
                        e.body_text()
                    ));
                    break;
                }
            };
            let name = field.name().unwrap_or_default().to_owned();
            if name == "tep" {
                let what = "văn bản";
                let (id, key, user) = (site.site.id, &site.site.key, session.user.id);
                match uploads::accept_attachment(state, id, key, user, field, what).await? {
                    Attachment::Kept { id, name } => f.uploaded.push((id.0, name)),
                    Attachment::Refused(why) => f.refused.push(why),
                    Attachment::Empty => {}
                }
                continue;
            }
            let text = vntext::nfc(&field.text().await.unwrap_or_default());
            match name.as_str() {
                "action" => f.action = text,
                "revision" => f.revision = text,
                "number" => f.number = text,
                "summary" => f.summary = text,
                "kind" => f.kind = text,
                "issuer" => f.issuer = text,
                "signer" => f.signer = text,
                "field" => f.fields.push(text),
                "issued_on" => f.issued_on = text,
                "effective_on" => f.effective_on = text,
                "expires_on" => f.expires_on = text,
                "replaces" => f.replaces = text,
                "related" => f.related.push(text),
                "body" => f.body = text,
                "publish_at" => f.publish_at = text,
                "reject_reason" => f.reject_reason = text,
                "keep" => f.keep.push(text),
                _ => {}
            }
        }
        Ok(f)
    }

    /// The files after this save: those kept, then those uploaded.
    fn files(&self) -> Vec<DocumentFileInput> {
        self.keep
            .iter()
            .filter_map(|k| {
                let (id, name) = k.split_once(':')?;
                Some(DocumentFileInput {
                    media_id: id_of(id)?,
                    name: vntext::clean_line(name),
                })
            })
            .chain(self.uploaded.iter().map(|(id, name)| DocumentFileInput {
                media_id: *id,
                name: name.clone(),
            }))
            .collect()
    }

    fn draft(&self) -> DocumentDraft {
        DocumentDraft {
            number: vntext::clean_line(&self.number),
            summary: vntext::clean_line(&self.summary),
            kind_id: id_of(&self.kind).unwrap_or(0),
            issuer_id: id_of(&self.issuer).unwrap_or(0),
            signer_id: id_of(&self.signer),
            field_ids: self.fields.iter().filter_map(|f| id_of(f)).collect(),
            issued_on: self.issued_on.clone(),
            effective_on: self.effective_on.clone(),
            expires_on: self.expires_on.clone(),
            replaces: id_of(&self.replaces).map(DocumentId),
            related: self
                .related
                .iter()
                .filter_map(|r| id_of(r))
                .map(DocumentId)
                .collect(),
            body: SafeHtml::sanitize(&self.body),
            publish_at: self.publish_at.clone(),
        }
    }

    fn values(&self) -> Values {
        Values {
            number: self.number.clone(),
            summary: self.summary.clone(),
            kind: self.kind.clone(),
            issuer: self.issuer.clone(),
            signer: self.signer.clone(),
            fields: self.fields.clone(),
            issued_on: self.issued_on.clone(),
            effective_on: self.effective_on.clone(),
            expires_on: self.expires_on.clone(),
            replaces: self.replaces.clone(),
            related: self.related.clone(),
            body: self.body.clone(),
            publish_at: self.publish_at.clone(),
            reject_reason: self.reject_reason.clone(),
            revision: self.revision.trim().to_owned(),
            files: self
                .files()
                .into_iter()
                .map(|f| (f.media_id, f.name))
                .collect(),
        }
    }
}

fn shown_date(iso: Option<&str>) -> String {
    iso.and_then(vntext::format_iso_date).unwrap_or_default()
}

fn values_of(d: &Document) -> Values {
    Values {
        number: d.number.clone(),
        summary: d.summary.clone(),
        kind: d.kind.id.to_string(),
        issuer: d.issuer.id.to_string(),
        signer: d
            .signer
            .as_ref()
            .map(|s| s.id.to_string())
            .unwrap_or_default(),
        fields: d.fields.iter().map(|f| f.id.to_string()).collect(),
        issued_on: shown_date(Some(&d.issued_on)),
        effective_on: shown_date(d.effective_on.as_deref()),
        expires_on: shown_date(d.expires_on.as_deref()),
        replaces: d.replaces.map(|r| r.to_string()).unwrap_or_default(),
        related: d.related.iter().map(|r| r.to_string()).collect(),
        body: d.body.as_str().to_owned(),
        publish_at: if d.status == ArticleStatus::Draft {
            String::new()
        } else {
            vntext::format_datetime(d.published_at)
        },
        reject_reason: d.reject_reason.clone(),
        revision: d.revision.to_string(),
        files: d
            .files
            .iter()
            .map(|f| (f.media_id, f.name.clone()))
            .collect(),
    }
}

/// What the form shows besides the values.
struct Screen {
    heading: String,
    action_url: String,
    document: Option<Document>,
    buttons: Vec<ArticleAction>,
    errors: Vec<String>,
    notice: Option<String>,
}

fn options(terms: &[Term], current: &str, none: &str) -> Vec<SelectOption> {
    std::iter::once(SelectOption::new(String::new(), none.to_owned(), current))
        .chain(
            terms
                .iter()
                .map(|t| SelectOption::new(t.id.to_string(), t.display(), current)),
        )
        .collect()
}

async fn render(
    state: &AppState,
    site: &CurrentSite,
    session: &SessionInfo,
    values: Values,
    screen: Screen,
    code: StatusCode,
) -> Result<Response, AppError> {
    let store = &state.store;
    let id = site.site.id;
    let kinds = store.document_terms(id, TermList::Type).await?;
    let issuers = store.document_terms(id, TermList::Issuer).await?;
    let signers = store.document_terms(id, TermList::Signer).await?;
    let fields = store.document_terms(id, TermList::Field).await?;
    let this = screen.document.as_ref().map(|d| d.id);
    let choices: Vec<_> = store
        .document_choices(id)
        .await?
        .into_iter()
        .filter(|(d, _)| Some(*d) != this)
        .collect();
    let paths = store
        .media_paths(id, &values.files.iter().map(|f| f.0).collect::<Vec<_>>())
        .await?;
    let d = screen.document.as_ref();
    page(
        code,
        &EditTemplate {
            chrome: AdminChrome::new(&screen.heading, site, session).with_editor(),
            heading: screen.heading,
            action_url: screen.action_url,
            status: d.map(|d| d.status.label()).unwrap_or("Văn bản mới"),
            lists_missing: kinds.is_empty() || issuers.is_empty(),
            kinds: options(&kinds, &values.kind, "— Chọn loại văn bản —"),
            issuers: options(&issuers, &values.issuer, "— Chọn cơ quan ban hành —"),
            signers: options(&signers, &values.signer, "— Không ghi —"),
            replaces: std::iter::once(SelectOption::new(
                String::new(),
                "— Không thay thế văn bản nào —".into(),
                &values.replaces,
            ))
            .chain(choices.iter().map(|(d, label)| {
                SelectOption::new(d.to_string(), label.clone(), &values.replaces)
            }))
            .collect(),
            fields: fields
                .iter()
                .map(|t| Tick {
                    value: t.id.to_string(),
                    label: t.name.clone(),
                    checked: values.fields.contains(&t.id.to_string()),
                })
                .collect(),
            related: choices
                .iter()
                .map(|(d, label)| Tick {
                    value: d.to_string(),
                    label: label.clone(),
                    checked: values.related.contains(&d.to_string()),
                })
                .collect(),
            files: values
                .files
                .iter()
                .map(|(media_id, name)| FileChoice {
                    media_id: *media_id,
                    name: name.clone(),
                    url: paths
                        .iter()
                        .find(|(m, _)| m == media_id)
                        .map(|(_, p)| format!("/media/{p}"))
                        .unwrap_or_default(),
                    kept: true,
                })
                .collect(),
            show_reject: screen.buttons.contains(&ArticleAction::Reject),
            buttons: screen
                .buttons
                .iter()
                .map(|b| Button::for_action(*b, values.publish_at.trim().is_empty()))
                .collect(),
            rejected_because: d
                .filter(|d| d.status == ArticleStatus::Rejected && !d.reject_reason.is_empty())
                .map(|d| d.reject_reason.clone()),
            public_url: d.filter(|d| d.is_public(now())).map(Document::path),
            revisions_url: d.map(|d| format!("/quan-tri/van-ban/{}/phien-ban", d.id)),
            errors: screen.errors,
            notice: screen.notice,
            values,
        },
    )
}

fn new_screen(role: Role, errors: Vec<String>) -> Screen {
    Screen {
        heading: "Văn bản mới".into(),
        action_url: "/quan-tri/van-ban/moi".into(),
        document: None,
        buttons: offered_actions(ArticleStatus::Draft, role, true)
            .into_iter()
            .filter(|a| *a != ArticleAction::Delete)
            .collect(),
        errors,
        notice: None,
    }
}

fn edit_screen(d: &Document, role: Role, own: bool, errors: Vec<String>) -> Screen {
    Screen {
        heading: format!("Sửa văn bản {}", d.number),
        action_url: format!("/quan-tri/van-ban/{}", d.id),
        document: Some(d.clone()),
        buttons: offered_actions(d.status, role, own),
        errors,
        notice: None,
    }
}

async fn load(state: &AppState, site: &CurrentSite, id: i64) -> Result<Document, AppError> {
    state
        .store
        .document(site.site.id, DocumentId(id))
        .await?
        .ok_or(AppError::NotFound)
}

/// Why the store refused a write, said to the person who made it.
fn refusal(e: &store::Error) -> Option<String> {
    match e {
        store::Error::Conflict("document_slug") => Some(
            "Trang đã có văn bản cùng số/ký hiệu và trích yếu này; hãy kiểm tra lại kẻo đăng trùng."
                .into(),
        ),
        store::Error::Conflict("document_self") => {
            Some("Văn bản không thể thay thế hay liên quan đến chính nó.".into())
        }
        store::Error::NotFound("document_term") => Some(
            "Loại, cơ quan ban hành, người ký hoặc lĩnh vực đã chọn không còn trong danh mục; hãy chọn lại."
                .into(),
        ),
        store::Error::NotFound("document") => {
            Some("Văn bản được chọn để thay thế hoặc liên quan không còn; hãy chọn lại.".into())
        }
        store::Error::NotFound("media") => {
            Some("Một tệp đính kèm không còn trong thư viện; hãy tải lên lại.".into())
        }
        _ => None,
    }
}

/// `GET /quan-tri/van-ban`
pub(crate) async fn list(
    State(state): State<AppState>,
    site: CurrentSite,
    SiteRole { session, role, .. }: SiteRole<Writer>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let status_key = q.get("trang-thai").cloned().unwrap_or_default();
    let status = ArticleStatus::parse(&status_key);
    let words = vntext::clean_line(q.get("q").map(String::as_str).unwrap_or(""));
    let current = PageNumber::parse(q.get("trang").map(String::as_str));
    let (rows, total) = state
        .store
        .admin_documents(
            site.site.id,
            status,
            &words,
            i64::from(PER_PAGE),
            current.offset(PER_PAGE),
        )
        .await?;
    let base = format!(
        "/quan-tri/van-ban?trang-thai={}&q={}",
        crate::platform::layout::percent_encode(&status_key),
        crate::platform::layout::percent_encode(&words)
    );
    let pager = Pager::new(total, PER_PAGE, current).and_then(|p| PagerView::new(&p, &base, ""));
    page(
        StatusCode::OK,
        &ListTemplate {
            chrome: AdminChrome::new("Văn bản", &site, &session),
            rows: rows
                .into_iter()
                .map(|r| Row {
                    edit_url: format!("/quan-tri/van-ban/{}", r.id),
                    issued: shown_date(Some(&r.issued_on)),
                    status: r.status.label(),
                    updated: vntext::format_datetime(r.updated_at),
                    number: r.number,
                    summary: r.summary,
                })
                .collect(),
            total: vntext::format_number(total),
            statuses: std::iter::once(SelectOption::new(
                String::new(),
                "Mọi trạng thái".into(),
                &status_key,
            ))
            .chain(
                ArticleStatus::ALL
                    .iter()
                    .map(|s| SelectOption::new(s.as_str().into(), s.label().into(), &status_key)),
            )
            .collect(),
            words,
            pager,
            notice: match (q.get("da-nhap"), q.contains_key("da-xoa")) {
                (Some(n), _) => n
                    .parse::<i64>()
                    .ok()
                    .map(|n| format!("Đã nhập {} văn bản.", vntext::format_number(n))),
                (None, true) => Some("Đã xoá văn bản.".to_owned()),
                _ => None,
            },
            is_admin: role >= Role::Admin,
            may_import: role.can_publish(),
        },
    )
}

/// `GET /quan-tri/van-ban/moi`
pub(crate) async fn new_form(
    State(state): State<AppState>,
    site: CurrentSite,
    SiteRole { session, role, .. }: SiteRole<Writer>,
) -> Result<Response, AppError> {
    render(
        &state,
        &site,
        &session,
        Values::default(),
        new_screen(role, Vec::new()),
        StatusCode::OK,
    )
    .await
}

/// The status an action leads to, and the posting time.
fn move_to(
    current: ArticleStatus,
    action: ArticleAction,
    role: Role,
    own: bool,
    draft: &DocumentDraft,
    has_reason: bool,
    errors: &mut Vec<String>,
) -> (ArticleStatus, i64) {
    let now = now();
    let at = vntext::parse_local_datetime_any(&draft.publish_at).unwrap_or(now);
    match next_status(current, action, role, own, at, now, has_reason) {
        Ok(s) => (s, at),
        Err(e) => {
            errors.push(e.message(Content::Document));
            (current, at)
        }
    }
}

/// `POST /quan-tri/van-ban/moi`
pub(crate) async fn create(
    State(state): State<AppState>,
    site: CurrentSite,
    ClientIp(ip): ClientIp,
    SiteRole { session, role, .. }: SiteRole<Writer>,
    CsrfMultipart(mut multipart): CsrfMultipart,
) -> Result<Response, AppError> {
    let form = DocForm::read(&state, &site, &session, &mut multipart).await?;
    let action = ArticleAction::parse(&form.action).unwrap_or(ArticleAction::Save);
    let draft = form.draft();
    let (dates, mut errors) = draft.check();
    errors.extend(form.refused.iter().cloned());
    let (status, published_at) = move_to(
        ArticleStatus::Draft,
        action,
        role,
        true,
        &draft,
        true,
        &mut errors,
    );
    if !errors.is_empty() {
        return render(
            &state,
            &site,
            &session,
            form.values(),
            new_screen(role, errors),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let files = form.files();
    let note = if action == ArticleAction::Save {
        "tạo văn bản"
    } else {
        audit_label(action)
    };
    let write = DocumentWrite {
        site: site.site.id,
        draft: &draft,
        dates: &dates,
        status,
        published_at,
        reject_reason: "",
        files: &files,
        by: Some(session.user.id),
        note,
        ip: &ip,
    };
    match state.store.create_document(&write, now()).await {
        Ok(id) => {
            state.content_changed().await?;
            Ok(see_other(&format!("/quan-tri/van-ban/{id}?da-luu=1")))
        }
        Err(e) => match refusal(&e) {
            Some(message) => {
                render(
                    &state,
                    &site,
                    &session,
                    form.values(),
                    new_screen(role, vec![message]),
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await
            }
            None => Err(e.into()),
        },
    }
}

/// What the audit log and the revisions say of an action on a document.
fn audit_label(action: ArticleAction) -> &'static str {
    match action {
        ArticleAction::Save => "sửa văn bản",
        ArticleAction::Submit => "gửi duyệt văn bản",
        ArticleAction::Publish => "đăng văn bản",
        ArticleAction::Reject => "trả lại văn bản",
        ArticleAction::Unpublish => "gỡ văn bản",
        ArticleAction::Delete => "xoá văn bản",
    }
}

/// `GET /quan-tri/van-ban/{id}`
pub(crate) async fn edit_form(
    State(state): State<AppState>,
    site: CurrentSite,
    SiteRole { session, role, .. }: SiteRole<Writer>,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let d = load(&state, &site, id).await?;
    let own = d.author_id == Some(session.user.id.0);
    let mut screen = edit_screen(&d, role, own, Vec::new());
    screen.notice = q.contains_key("da-luu").then(|| match d.status {
        ArticleStatus::Published if d.is_public(now()) => {
            "Đã lưu. Bạn đọc đã thấy văn bản.".to_owned()
        }
        ArticleStatus::Published | ArticleStatus::Scheduled => format!(
            "Đã lưu. Văn bản sẽ hiện lúc {}.",
            vntext::format_datetime(d.published_at)
        ),
        other => format!("Đã lưu ({}). Bạn đọc chưa thấy văn bản.", other.label()),
    });
    render(
        &state,
        &site,
        &session,
        values_of(&d),
        screen,
        StatusCode::OK,
    )
    .await
}

/// `POST /quan-tri/van-ban/{id}`: save, move in the workflow, or delete.
pub(crate) async fn save(
    State(state): State<AppState>,
    site: CurrentSite,
    ClientIp(ip): ClientIp,
    SiteRole { session, role, .. }: SiteRole<Writer>,
    Path(id): Path<i64>,
    CsrfMultipart(mut multipart): CsrfMultipart,
) -> Result<Response, AppError> {
    let d = load(&state, &site, id).await?;
    let own = d.author_id == Some(session.user.id.0);
    let form = DocForm::read(&state, &site, &session, &mut multipart).await?;
    let action = ArticleAction::parse(&form.action).unwrap_or(ArticleAction::Save);
    if action == ArticleAction::Delete {
        if let Err(e) = next_status(d.status, action, role, own, 0, 0, true) {
            return Err(AppError::forbidden(e.message(Content::Document)));
        }
        let audit = AuditNote {
            user: Some(session.user.id),
            action: "xoá văn bản",
            ip: &ip,
        };
        state
            .store
            .delete_document(site.site.id, d.id, audit, now())
            .await?;
        state.content_changed().await?;
        return Ok(see_other("/quan-tri/van-ban?da-xoa=1"));
    }
    let draft = form.draft();
    let (dates, mut errors) = draft.check();
    errors.extend(form.refused.iter().cloned());
    let reason = vntext::clean_line(&form.reject_reason);
    let (status, published_at) = move_to(
        d.status,
        action,
        role,
        own,
        &draft,
        !reason.is_empty(),
        &mut errors,
    );
    // A save keeps the posting time of a published document unless one was typed.
    let published_at = if action == ArticleAction::Save && form.publish_at.trim().is_empty() {
        d.published_at
    } else {
        published_at
    };
    let Ok(base_revision) = form.revision.trim().parse::<i64>() else {
        errors.push("Biểu mẫu thiếu số phiên bản; hãy tải lại trang.".into());
        return render(
            &state,
            &site,
            &session,
            form.values(),
            edit_screen(&d, role, own, errors),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    if !errors.is_empty() {
        return render(
            &state,
            &site,
            &session,
            form.values(),
            edit_screen(&d, role, own, errors),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let files = form.files();
    let write = DocumentWrite {
        site: site.site.id,
        draft: &draft,
        dates: &dates,
        status,
        published_at,
        reject_reason: if status == ArticleStatus::Rejected {
            &reason
        } else {
            ""
        },
        files: &files,
        by: Some(session.user.id),
        note: audit_label(action),
        ip: &ip,
    };
    match state
        .store
        .save_document(d.id, base_revision, &write, now())
        .await
    {
        Ok(_) => {
            state.content_changed().await?;
            Ok(see_other(&format!("/quan-tri/van-ban/{}?da-luu=1", d.id)))
        }
        Err(store::Error::Stale) => {
            let mut values = form.values();
            values.revision = d.revision.to_string();
            render(
                &state,
                &site,
                &session,
                values,
                edit_screen(
                    &d,
                    role,
                    own,
                    vec![format!(
                        "Văn bản này đã được lưu lúc {}, sau khi bạn mở. Thay đổi của bạn CHƯA được lưu và vẫn còn nguyên trong biểu mẫu dưới đây; bấm lưu lần nữa sẽ thay bản mới bằng bản của bạn.",
                        vntext::format_datetime(d.updated_at)
                    )],
                ),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => match refusal(&e) {
            Some(message) => {
                render(
                    &state,
                    &site,
                    &session,
                    form.values(),
                    edit_screen(&d, role, own, vec![message]),
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await
            }
            None => Err(e.into()),
        },
    }
}

impl Saved for DocumentRevision {
    fn saved(&self) -> (i64, i64, &str, &str) {
        (self.number, self.saved_at, &self.saved_by, &self.note)
    }
}

fn revision_diff(before: Option<&DocumentRevision>, this: &DocumentRevision) -> RevisionDiff {
    let old = |f: fn(&DocumentRevision) -> String| before.map(f).unwrap_or_default();
    RevisionDiff {
        number: this.number,
        before: before.map(|r| r.number),
        fields: vec![
            field(
                "Số/ký hiệu",
                &old(|r| r.doc_number.clone()),
                &this.doc_number,
            ),
            field("Trích yếu", &old(|r| r.summary.clone()), &this.summary),
            field("Ngày", &old(|r| r.dates.clone()), &this.dates),
            field("Tệp đính kèm", &old(|r| r.files.clone()), &this.files),
            field(
                "Nội dung",
                &old(|r| body_text(r.body.as_str())),
                &body_text(this.body.as_str()),
            ),
        ],
    }
}

/// `GET /quan-tri/van-ban/{id}/phien-ban[?xem=N]`
pub(crate) async fn revisions(
    State(state): State<AppState>,
    site: CurrentSite,
    SiteRole { session, role, .. }: SiteRole<Writer>,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let d = load(&state, &site, id).await?;
    let all = state
        .store
        .document_revisions(site.site.id, d.id, None)
        .await?;
    let shown = crate::platform::revisions::shown(&all, q.get("xem"));
    let edit_url = format!("/quan-tri/van-ban/{}", d.id);
    page(
        StatusCode::OK,
        &RevisionsTemplate {
            chrome: AdminChrome::new("Lịch sử phiên bản", &site, &session),
            title: format!("{} {}", d.number, d.summary),
            back_label: "Quay lại sửa văn bản",
            current: d.revision,
            revision: d.revision.to_string(),
            shown: shown.map_or(0, |(_, this)| this.number),
            may_restore: role.can_publish(),
            rows: crate::platform::revisions::rows(&all, &edit_url),
            diff: shown.map(|(before, this)| revision_diff(before, this)),
            edit_url,
        },
    )
}

/// The form to restore a revision.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct RestoreForm {
    csrf: String,
    revision: String,
}

/// `POST /quan-tri/van-ban/{id}/phien-ban/{n}/khoi-phuc`: revision `n`'s number,
/// summary and body become the document's again, as a new revision (its lists,
/// links and files stay as they are now).
pub(crate) async fn restore(
    State(state): State<AppState>,
    site: CurrentSite,
    ClientIp(ip): ClientIp,
    SiteRole { session, role, .. }: SiteRole<Writer>,
    Path((id, number)): Path<(i64, i64)>,
    CsrfForm(form): CsrfForm<RestoreForm>,
) -> Result<Response, AppError> {
    if !role.can_publish() {
        return Err(AppError::forbidden(
            "Chỉ biên tập viên và quản trị viên mới khôi phục được phiên bản cũ.",
        ));
    }
    let d = load(&state, &site, id).await?;
    let Some(old) = state
        .store
        .document_revisions(site.site.id, d.id, Some(number))
        .await?
        .into_iter()
        .next()
    else {
        return Err(AppError::NotFound);
    };
    let mut values = values_of(&d);
    values.number = old.doc_number;
    values.summary = old.summary;
    let draft = DocumentDraft {
        number: values.number.clone(),
        summary: values.summary.clone(),
        kind_id: d.kind.id,
        issuer_id: d.issuer.id,
        signer_id: d.signer.as_ref().map(|s| s.id),
        field_ids: d.fields.iter().map(|f| f.id).collect(),
        issued_on: values.issued_on.clone(),
        effective_on: values.effective_on.clone(),
        expires_on: values.expires_on.clone(),
        replaces: d.replaces,
        related: d.related.clone(),
        body: old.body,
        publish_at: String::new(),
    };
    let (dates, _) = draft.check();
    let files: Vec<DocumentFileInput> = d
        .files
        .iter()
        .map(|f| DocumentFileInput {
            media_id: f.media_id,
            name: f.name.clone(),
        })
        .collect();
    let note = format!("khôi phục phiên bản {number}");
    let write = DocumentWrite {
        site: site.site.id,
        draft: &draft,
        dates: &dates,
        status: d.status,
        published_at: d.published_at,
        reject_reason: &d.reject_reason,
        files: &files,
        by: Some(session.user.id),
        note: &note,
        ip: &ip,
    };
    let base = form.revision.trim().parse().unwrap_or(d.revision);
    match state.store.save_document(d.id, base, &write, now()).await {
        Ok(_) => {
            state.content_changed().await?;
            Ok(see_other(&format!("/quan-tri/van-ban/{}?da-luu=1", d.id)))
        }
        Err(store::Error::Stale) => Ok(see_other(&format!(
            "/quan-tri/van-ban/{}/phien-ban?xem={number}",
            d.id
        ))),
        Err(e) => match refusal(&e) {
            Some(message) => Err(AppError::forbidden(message)),
            None => Err(e.into()),
        },
    }
}

/// One list as the lists page shows it.
pub(crate) struct ListView {
    pub key: &'static str,
    pub label: &'static str,
    pub terms: Vec<Term>,
    pub with_detail: bool,
}

#[derive(Template)]
#[template(path = "documents/admin_terms.html")]
pub(crate) struct TermsTemplate {
    pub chrome: AdminChrome,
    pub lists: Vec<ListView>,
    pub errors: Vec<String>,
    pub notice: Option<String>,
    pub hide_upper: bool,
    /// The side block "Văn bản mới" is on.
    pub show_side: bool,
    pub is_department: bool,
    /// What was typed, kept when refused: list key, name, detail.
    pub typed: (String, String, String),
}

/// What the lists page sends: add an entry, remove one, show/hide the
/// department's documents or the side block "Văn bản mới".
#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct TermsForm {
    csrf: String,
    action: String,
    list: String,
    name: String,
    detail: String,
    id: String,
    hide_upper: String,
    show_side: String,
}
csrf_field!(TermsForm, RestoreForm);

async fn terms_page(
    state: &AppState,
    site: &CurrentSite,
    session: &SessionInfo,
    errors: Vec<String>,
    notice: Option<String>,
    typed: (String, String, String),
    code: StatusCode,
) -> Result<Response, AppError> {
    let mut lists = Vec::new();
    for list in TermList::ALL {
        lists.push(ListView {
            key: list.as_str(),
            label: list.label(),
            terms: state.store.document_terms(site.site.id, list).await?,
            with_detail: list == TermList::Signer,
        });
    }
    page(
        code,
        &TermsTemplate {
            chrome: AdminChrome::new("Danh mục văn bản", site, session),
            lists,
            errors,
            notice,
            hide_upper: state.store.hides_upper_documents(site.site.id).await?,
            show_side: !state
                .store
                .document_site_options()
                .await?
                .into_iter()
                .any(|(s, o)| s == site.site.id && o.hide_side),
            is_department: site.site.is_default,
            typed,
        },
    )
}

/// `GET /quan-tri/van-ban/danh-muc`
pub(crate) async fn terms(
    State(state): State<AppState>,
    site: CurrentSite,
    SiteRole { session, .. }: SiteRole<ListKeeper>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let notice = q.contains_key("da-luu").then(|| "Đã lưu.".to_owned());
    terms_page(
        &state,
        &site,
        &session,
        Vec::new(),
        notice,
        Default::default(),
        StatusCode::OK,
    )
    .await
}

/// `POST /quan-tri/van-ban/danh-muc`
pub(crate) async fn change_terms(
    State(state): State<AppState>,
    site: CurrentSite,
    ClientIp(ip): ClientIp,
    SiteRole { session, .. }: SiteRole<ListKeeper>,
    CsrfForm(form): CsrfForm<TermsForm>,
) -> Result<Response, AppError> {
    let now = now();
    let typed = (
        form.list.clone(),
        vntext::nfc(&form.name),
        vntext::nfc(&form.detail),
    );
    let refuse = |message: String| {
        terms_page(
            &state,
            &site,
            &session,
            vec![message],
            None,
            typed.clone(),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    match form.action.as_str() {
        "them" => {
            let Some(list) = TermList::parse(&form.list) else {
                return refuse("Hãy chọn danh mục cần thêm.".into()).await;
            };
            let name = vntext::clean_line(&form.name);
            if name.is_empty() {
                return refuse(format!("Vui lòng nhập tên để thêm vào “{}”.", list.label())).await;
            }
            if name.chars().count() > 200 {
                return refuse("Tên dài quá 200 ký tự.".into()).await;
            }
            let audit = AuditNote {
                user: Some(session.user.id),
                action: "thêm danh mục văn bản",
                ip: &ip,
            };
            match state
                .store
                .add_document_term(site.site.id, list, &name, &form.detail, Some(audit), now)
                .await
            {
                Ok(_) => {}
                Err(store::Error::Conflict(_)) => {
                    return refuse(format!("“{name}” đã có trong “{}”.", list.label())).await;
                }
                Err(e) => return Err(e.into()),
            }
        }
        "xoa" => {
            let audit = AuditNote {
                user: Some(session.user.id),
                action: "xoá danh mục văn bản",
                ip: &ip,
            };
            match state
                .store
                .delete_document_term(site.site.id, id_of(&form.id).unwrap_or(0), audit, now)
                .await
            {
                Ok(()) => {}
                Err(store::Error::Conflict(_)) => {
                    return refuse(
                        "Mục này đang được văn bản dùng; hãy sửa các văn bản đó trước khi xoá."
                            .into(),
                    )
                    .await;
                }
                Err(store::Error::NotFound(_)) => return Err(AppError::NotFound),
                Err(e) => return Err(e.into()),
            }
        }
        "cap-tren" => {
            let audit = AuditNote {
                user: Some(session.user.id),
                action: "đổi cách hiện văn bản cấp trên",
                ip: &ip,
            };
            state
                .store
                .set_hide_upper_documents(site.site.id, !form.hide_upper.is_empty(), audit, now)
                .await?;
        }
        "khoi-ben" => {
            let audit = AuditNote {
                user: Some(session.user.id),
                action: "đổi cách hiện khối Văn bản mới",
                ip: &ip,
            };
            state
                .store
                .set_hide_document_side(site.site.id, form.show_side.is_empty(), audit, now)
                .await?;
        }
        _ => return refuse("Biểu mẫu không rõ việc cần làm; hãy tải lại trang.".into()).await,
    }
    state.content_changed().await?;
    Ok(see_other("/quan-tri/van-ban/danh-muc?da-luu=1"))
}
