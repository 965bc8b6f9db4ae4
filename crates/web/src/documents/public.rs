//! What readers see: `/van-ban` (the list, every filter a GET parameter), a
//! document's page with its PDF in the browser's own viewer, its print view and
//! its files served for download with Range (the viewer seeks; a broken download
//! resumes).

use crate::platform::cache::ViewedItem;
use crate::platform::counters::{Item, Visitor, is_bot};
use crate::platform::extract::ClientIp;
use crate::platform::layout::{Layout, PagerView, SelectOption, percent_encode};
use crate::platform::origin::Origin;
use crate::platform::site::CurrentSite;
use crate::{AppError, AppState, now};
use askama::Template;
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use domain::{DocKind, Document, PageNumber, Pager, SiteId, TermList, Validity};
use std::collections::HashMap;
use std::sync::Arc;
use store::{DocumentFilter, DocumentRow, DocumentSort};

/// Documents per page of the public list.
pub(crate) const PER_PAGE: u32 = 20;
/// How many of the department's documents a school's list shows.
const UPPER_SHOWN: i64 = 10;
/// How many documents "cùng loại" and "cùng cơ quan ban hành" list.
const SAME_SHOWN: i64 = 5;

/// A line of a list of documents.
pub(crate) struct DocLine {
    pub url: String,
    pub number: String,
    pub summary: String,
    pub issued: String,
    pub issued_iso: String,
    pub issuer: String,
    pub validity: &'static str,
    pub validity_class: &'static str,
}

fn validity_class(v: Validity) -> &'static str {
    match v {
        Validity::InForce => "hieu-luc-con",
        Validity::NotYet => "hieu-luc-chua",
        Validity::Expired => "hieu-luc-het",
        Validity::Replaced => "hieu-luc-thay",
    }
}

/// Lines for rows of documents, linked at `origin` (empty: this site).
pub(crate) fn lines(rows: &[DocumentRow], today: &str, origin: &str) -> Vec<DocLine> {
    rows.iter()
        .map(|r| {
            let v = r.validity(today);
            DocLine {
                url: format!("{origin}{}", domain::document_path(&r.slug)),
                number: r.number.clone(),
                summary: r.summary.clone(),
                issued: vntext::format_iso_date(&r.issued_on).unwrap_or_default(),
                issued_iso: r.issued_on.clone(),
                issuer: r.issuer.clone(),
                validity: v.label(),
                validity_class: validity_class(v),
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "documents/list.html")]
pub(crate) struct ListTemplate {
    pub layout: Layout,
    pub lines: Vec<DocLine>,
    pub total: String,
    pub filtered: bool,
    pub kinds: Vec<SelectOption>,
    pub issuers: Vec<SelectOption>,
    pub fields: Vec<SelectOption>,
    pub signers: Vec<SelectOption>,
    pub statuses: Vec<SelectOption>,
    pub sorts: Vec<SelectOption>,
    pub year: String,
    pub from: String,
    pub to: String,
    pub words: String,
    pub problems: Vec<String>,
    pub pager: Option<PagerView>,
    /// The department's documents, on a school's site that shows them.
    pub upper: Vec<DocLine>,
    pub upper_url: String,
    pub upper_name: String,
}

fn term_options(
    terms: &[domain::Term],
    current: &str,
    all: &str,
    with_detail: bool,
) -> Vec<SelectOption> {
    std::iter::once(SelectOption::new(String::new(), all.to_owned(), current))
        .chain(terms.iter().map(|t| {
            SelectOption::new(
                t.id.to_string(),
                if with_detail {
                    t.display()
                } else {
                    t.name.clone()
                },
                current,
            )
        }))
        .collect()
}

/// The filters read from the query, what to show back in the form, and the
/// mistakes (a date that is no date) said in Vietnamese.
fn read_filter(q: &HashMap<String, String>) -> (DocumentFilter, Vec<String>) {
    let get = |k: &str| q.get(k).map(|v| vntext::nfc(v.trim())).unwrap_or_default();
    let id = |k: &str| get(k).parse::<i64>().ok().filter(|n| *n > 0);
    let mut problems = Vec::new();
    let mut date = |k: &str, label: &str| {
        let typed = get(k);
        if typed.is_empty() {
            return None;
        }
        let read = vntext::parse_typed_date(&typed);
        if read.is_none() {
            problems.push(format!(
                "{label} “{typed}” không phải ngày hợp lệ; hãy nhập theo dạng ngày/tháng/năm."
            ));
        }
        read
    };
    let from = date("tu-ngay", "Từ ngày");
    let to = date("den-ngay", "Đến ngày");
    let year_typed = get("nam");
    let year = year_typed
        .parse::<i32>()
        .ok()
        .filter(|y| (1900..=9999).contains(y));
    if !year_typed.is_empty() && year.is_none() {
        problems.push(format!("Năm “{year_typed}” không hợp lệ."));
    }
    let filter = DocumentFilter {
        kind: id("loai"),
        issuer: id("co-quan"),
        field: id("linh-vuc"),
        signer: id("nguoi-ky"),
        year,
        from,
        to,
        validity: Validity::parse(&get("tinh-trang")),
        words: get("q"),
        ids: None,
        sort: if get("sap-xep") == "ngay-dang" {
            DocumentSort::Posted
        } else {
            DocumentSort::Issued
        },
    };
    (filter, problems)
}

/// What the search index answers for a list's words, once it holds every change.
enum Looked {
    /// The page (words and the narrowings the index holds as tags: the index
    /// chose the page and counted).
    Page(search::IdPage),
    /// Every match in the list's order (the database checks the other filters).
    Ids(Vec<i64>),
}

/// The list's words looked up in the search index: `None` (the database looks for
/// the words itself) while the index does not hold every change, when it fails,
/// or when the words hold no word to look for.
async fn words_through_index(
    state: &AppState,
    site: SiteId,
    filter: &DocumentFilter,
    offset: usize,
) -> Option<Looked> {
    let searcher = state.searcher();
    match searcher.caught_up(&state.store, &state.sites).await {
        Ok(true) => {}
        Ok(false) => return None,
        Err(e) => {
            tracing::warn!(error = %e, "search index not current; the list looks for its words in the database");
            return None;
        }
    }
    let order = match filter.sort {
        DocumentSort::Issued => search::ListOrder::Dated,
        DocumentSort::Posted => search::ListOrder::Published,
    };
    let index = searcher.index();
    let looked = match filter.index_tags() {
        Some(tags) => index
            .page_with_words(
                DocKind::Document,
                site.0,
                &filter.words,
                &tags,
                order,
                offset,
                PER_PAGE as usize,
            )
            .map(|page| page.map(Looked::Page)),
        None => index
            .ids_with_words(
                DocKind::Document,
                site.0,
                &filter.words,
                &filter.tags(),
                order,
            )
            .map(|ids| ids.map(Looked::Ids)),
    };
    looked.unwrap_or_else(|e| {
        tracing::warn!(error = %e, "search index failed; the list looks for its words in the database");
        None
    })
}

/// The site's lists for the filter form (types, issuers, fields, signers), kept
/// per content version.
async fn term_lists(
    state: &AppState,
    site: SiteId,
) -> Result<Arc<[Vec<domain::Term>; 4]>, AppError> {
    let version = state.cache.version(site);
    let memo = &state.document_memos().lists;
    if state.memo_on()
        && let Some(v) = memo.get(site, &(), version, state.options.cache.ttl)
    {
        return Ok(v);
    }
    let store = &state.store;
    let lists = [
        store.document_terms(site, TermList::Type).await?,
        store.document_terms(site, TermList::Issuer).await?,
        store.document_terms(site, TermList::Field).await?,
        store.document_terms(site, TermList::Signer).await?,
    ];
    Ok(memo.put(site, (), version, lists))
}

/// `GET /van-ban`
pub(crate) async fn list(
    State(state): State<AppState>,
    site: CurrentSite,
    origin: Origin,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let now = now();
    let today = vntext::local_iso_date(now);
    let (mut filter, problems) = read_filter(&q);
    let current = PageNumber::parse(q.get("trang").map(String::as_str));
    let store = &state.store;
    let id = site.site.id;
    filter.words = vntext::clean_line(&filter.words);
    let mut chosen = None;
    if !filter.words.is_empty() {
        let offset = usize::try_from(current.offset(PER_PAGE)).unwrap_or(0);
        match words_through_index(&state, id, &filter, offset).await {
            Some(Looked::Page(page)) => chosen = Some(page),
            Some(Looked::Ids(ids)) => filter.ids = Some(ids),
            None => {}
        }
    }
    // The address of this very list, without the page: the pager adds it.
    let mut keys: Vec<(&String, &String)> = q
        .iter()
        .filter(|(k, v)| {
            k.as_str() != "trang" && super::LIST_KEYS.contains(&k.as_str()) && !v.is_empty()
        })
        .collect();
    keys.sort();
    let query: Vec<String> = keys
        .iter()
        .map(|(k, v)| format!("{}={}", k, percent_encode(v)))
        .collect();
    let base = if query.is_empty() {
        "/van-ban".to_owned()
    } else {
        format!("/van-ban?{}", query.join("&"))
    };
    // How many match does not depend on the page or the order: it is kept per
    // content version and day (validity is the day's), with how the words were
    // looked for.
    let counted = format!(
        "{today} {} {}",
        u8::from(filter.ids.is_some()),
        keys.iter()
            .filter(|(k, _)| k.as_str() != "sap-xep")
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&")
    );
    let version = state.cache.version(id);
    let memos = state.document_memos();
    let totals = &memos.totals;
    let ttl = state.options.cache.ttl;
    let mut known = None;
    let mut turn = None;
    if state.memo_on() && chosen.is_none() {
        known = totals.get(id, &counted, version, ttl).map(|t| *t);
        if known.is_none() {
            // Counted by one request; the others find its count.
            turn = Some(memos.counting.turn(format!("{}:{counted}", id.0)).await);
            known = totals.get(id, &counted, version, ttl).map(|t| *t);
        }
    }
    let (rows, total) = match chosen {
        Some(page) => (
            store.public_documents_in(id, &page.ids, now).await?,
            i64::try_from(page.total).unwrap_or(i64::MAX),
        ),
        None => {
            let (rows, total) = store
                .public_documents_page(
                    id,
                    &filter,
                    now,
                    &today,
                    i64::from(PER_PAGE),
                    current.offset(PER_PAGE),
                    known,
                )
                .await?;
            if known.is_none() && state.memo_on() {
                totals.put(id, counted, version, total);
            }
            (rows, total)
        }
    };
    drop(turn);
    let pager = Pager::new(total, PER_PAGE, current).and_then(|p| PagerView::new(&p, &base, ""));
    let get = |k: &str| q.get(k).map(|v| vntext::nfc(v.trim())).unwrap_or_default();
    // A school shows the department's newest documents, unless it hides them.
    let mut upper = Vec::new();
    let mut upper_url = String::new();
    let mut upper_name = String::new();
    if !site.site.is_default
        && !store.hides_upper_documents(id).await?
        && let Some(dept) = state.sites.all().into_iter().find(|s| s.site.is_default)
        && let Some(host) = dept.site.main_host()
    {
        let (rows, _) = store
            .public_documents_page(
                dept.site.id,
                &DocumentFilter::default(),
                now,
                &today,
                UPPER_SHOWN,
                0,
                Some(0),
            )
            .await?;
        let at = origin.for_host(host);
        upper = lines(&rows, &today, &at);
        upper_url = format!("{at}/van-ban");
        upper_name = dept.site.settings.name.clone();
    }
    let mut layout =
        Layout::new(&state, Some(&site), "Văn bản", Some("/van-ban")).canonical(origin.url(&base));
    layout.description = format!("Văn bản của {}", layout.site_name);
    let lists = term_lists(&state, id).await?;
    let view =
        ListTemplate {
            layout,
            lines: lines(&rows, &today, ""),
            total: vntext::format_number(total),
            filtered: base != "/van-ban",
            kinds: term_options(&lists[0], &get("loai"), "Mọi loại", false),
            issuers: term_options(&lists[1], &get("co-quan"), "Mọi cơ quan", false),
            fields: term_options(&lists[2], &get("linh-vuc"), "Mọi lĩnh vực", false),
            signers: term_options(&lists[3], &get("nguoi-ky"), "Mọi người ký", true),
            statuses: std::iter::once(SelectOption::new(
                String::new(),
                "Mọi tình trạng".into(),
                &get("tinh-trang"),
            ))
            .chain(Validity::ALL.iter().map(|v| {
                SelectOption::new(v.as_str().into(), v.label().into(), &get("tinh-trang"))
            }))
            .collect(),
            sorts: vec![
                SelectOption::new(String::new(), "Ngày ban hành".into(), &get("sap-xep")),
                SelectOption::new("ngay-dang".into(), "Ngày đăng".into(), &get("sap-xep")),
            ],
            year: get("nam"),
            from: get("tu-ngay"),
            to: get("den-ngay"),
            words: get("q"),
            problems,
            pager,
            upper,
            upper_url,
            upper_name,
        };
    Ok(Html(view.render()?).into_response())
}

/// A file as the page lists it.
pub(crate) struct FileLine {
    pub name: String,
    pub download_url: String,
    pub view_url: String,
    pub size: String,
    pub kind: &'static str,
    pub is_pdf: bool,
    /// A PDF without a text layer (a scan): search finds its document by the
    /// fields only, and the page says so.
    pub scanned: bool,
}

/// A document as its page shows it.
pub(crate) struct DocView {
    pub url: String,
    pub number: String,
    pub summary: String,
    pub kind: String,
    pub issuer: String,
    pub signer: Option<String>,
    pub fields: String,
    pub issued: String,
    pub effective: Option<String>,
    pub expires: Option<String>,
    pub validity: &'static str,
    pub validity_class: &'static str,
    pub body: String,
    pub has_body: bool,
    pub files: Vec<FileLine>,
    /// The first PDF, shown inline.
    pub inline_pdf: Option<FileLine>,
    pub views: String,
    pub downloads: String,
    pub posted: String,
}

#[derive(Template)]
#[template(path = "documents/show.html")]
pub(crate) struct ShowTemplate {
    pub layout: Layout,
    pub d: DocView,
    pub replaces: Vec<DocLine>,
    pub replaced_by: Vec<DocLine>,
    pub related: Vec<DocLine>,
    pub same_kind: Vec<DocLine>,
    pub same_issuer: Vec<DocLine>,
    pub same_kind_url: String,
    pub same_issuer_url: String,
}

#[derive(Template)]
#[template(path = "documents/print.html")]
pub(crate) struct PrintTemplate {
    pub site_name: String,
    pub css_url: String,
    pub js_url: String,
    pub d: DocView,
    pub absolute_url: String,
}

fn size_text(bytes: i64) -> String {
    if bytes >= 1_048_576 {
        let tenths = (bytes * 10 + 524_288) / 1_048_576;
        format!("{},{} MB", vntext::format_number(tenths / 10), tenths % 10)
    } else {
        format!("{} KB", vntext::format_number((bytes + 1023) / 1024))
    }
}

fn file_kind(mime: &str) -> &'static str {
    match mime {
        "application/pdf" => "PDF",
        "application/msword" => "DOC",
        "application/vnd.ms-excel" => "XLS",
        m if m.contains("wordprocessingml") => "DOCX",
        m if m.contains("spreadsheetml") => "XLSX",
        _ => "Tệp",
    }
}

async fn view_of(state: &AppState, d: &Document, today: &str) -> Result<DocView, AppError> {
    let replaced = !state
        .store
        .documents_replacing(d.id, now())
        .await?
        .is_empty();
    let v = domain::validity(
        &d.issued_on,
        d.effective_on.as_deref(),
        d.expires_on.as_deref(),
        replaced,
        today,
    );
    let url = d.path();
    let files: Vec<FileLine> = d
        .files
        .iter()
        .map(|f| FileLine {
            name: f.name.clone(),
            download_url: format!("{url}/tep/{}", f.id),
            view_url: format!("/media/{}", f.path),
            size: size_text(f.bytes),
            kind: file_kind(&f.mime),
            is_pdf: f.is_pdf(),
            scanned: f.is_pdf() && f.text_layer == Some(false),
        })
        .collect();
    let inline_pdf = d.files.iter().find(|f| f.is_pdf()).map(|f| FileLine {
        name: f.name.clone(),
        download_url: format!("{url}/tep/{}", f.id),
        view_url: format!("/media/{}", f.path),
        size: size_text(f.bytes),
        kind: "PDF",
        is_pdf: true,
        scanned: f.text_layer == Some(false),
    });
    Ok(DocView {
        number: d.number.clone(),
        summary: d.summary.clone(),
        kind: d.kind.name.clone(),
        issuer: d.issuer.name.clone(),
        signer: d.signer.as_ref().map(domain::Term::display),
        fields: d
            .fields
            .iter()
            .map(|f| f.name.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        issued: vntext::format_iso_date(&d.issued_on).unwrap_or_default(),
        effective: d.effective_on.as_deref().and_then(vntext::format_iso_date),
        expires: d.expires_on.as_deref().and_then(vntext::format_iso_date),
        validity: v.label(),
        validity_class: validity_class(v),
        has_body: !d.body.as_str().trim().is_empty(),
        body: d.body.as_str().to_owned(),
        files,
        inline_pdf,
        views: vntext::format_number(state.counters.views_to_show(Item::Document(d.id), d.views)),
        downloads: vntext::format_number(
            state
                .counters
                .views_to_show(Item::Download(d.id), d.downloads),
        ),
        posted: vntext::format_datetime(d.published_at),
        url,
    })
}

/// `GET /van-ban/{slug}`
pub(crate) async fn show(
    State(state): State<AppState>,
    site: CurrentSite,
    origin: Origin,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let now = now();
    let today = vntext::local_iso_date(now);
    let store = &state.store;
    let Some(d) = store.public_document(site.site.id, &slug, now).await? else {
        return Err(AppError::NotFound);
    };
    let view = view_of(&state, &d, &today).await?;
    let replaces = match d.replaces {
        Some(r) => store.public_documents_by_id(&[r], now).await?,
        None => Vec::new(),
    };
    let replaced_by = store.documents_replacing(d.id, now).await?;
    let related = store.public_documents_by_id(&d.related, now).await?;
    let same_kind = same(
        &state,
        &d,
        DocumentFilter {
            kind: Some(d.kind.id),
            ..DocumentFilter::default()
        },
        now,
        &today,
    )
    .await?;
    let same_issuer = same(
        &state,
        &d,
        DocumentFilter {
            issuer: Some(d.issuer.id),
            ..DocumentFilter::default()
        },
        now,
        &today,
    )
    .await?;
    let mut layout = Layout::new(
        &state,
        Some(&site),
        &format!("{} {}", d.number, d.summary),
        Some("/van-ban"),
    )
    .canonical(origin.url(&view.url));
    layout.description = format!("{}: {}", d.number, d.summary);
    let page = ShowTemplate {
        layout,
        replaces: lines(&replaces, &today, ""),
        replaced_by: lines(&replaced_by, &today, ""),
        related: lines(&related, &today, ""),
        same_kind: lines(&same_kind, &today, ""),
        same_issuer: lines(&same_issuer, &today, ""),
        same_kind_url: format!("/van-ban?loai={}", d.kind.id),
        same_issuer_url: format!("/van-ban?co-quan={}", d.issuer.id),
        d: view,
    };
    let mut res = Html(page.render()?).into_response();
    res.extensions_mut()
        .insert(ViewedItem(Item::Document(d.id)));
    Ok(res)
}

/// Other public documents of `d`'s site that match `filter` ("cùng loại", "cùng
/// cơ quan ban hành").
async fn same(
    state: &AppState,
    d: &Document,
    filter: DocumentFilter,
    now: i64,
    today: &str,
) -> Result<Vec<DocumentRow>, AppError> {
    let (rows, _) = state
        .store
        .public_documents_page(d.site_id, &filter, now, today, SAME_SHOWN + 1, 0, Some(0))
        .await?;
    Ok(rows
        .into_iter()
        .filter(|r| r.id != d.id)
        .take(SAME_SHOWN as usize)
        .collect())
}

/// `GET /van-ban/{slug}/ban-in`: the document alone, for printing.
pub(crate) async fn print(
    State(state): State<AppState>,
    site: CurrentSite,
    origin: Origin,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let now = now();
    let Some(d) = state
        .store
        .public_document(site.site.id, &slug, now)
        .await?
    else {
        return Err(AppError::NotFound);
    };
    let view = view_of(&state, &d, &vntext::local_iso_date(now)).await?;
    let page = PrintTemplate {
        site_name: site.site.settings.name.clone(),
        css_url: crate::platform::assets::url("app.css"),
        js_url: crate::platform::assets::url("app.js"),
        absolute_url: origin.url(&view.url),
        d: view,
    };
    Ok(Html(page.render()?).into_response())
}

/// A public document's file, kept per content version (unknown ones are not
/// remembered, so probing cannot fill the memory).
async fn download_of(
    state: &AppState,
    site: SiteId,
    slug: String,
    file: i64,
) -> Result<Option<Arc<store::DocumentDownload>>, AppError> {
    let version = state.cache.version(site);
    let memo = &state.document_memos().files;
    let key = (slug, file);
    if state.memo_on()
        && let Some(f) = memo.get(site, &key, version, state.options.cache.ttl)
    {
        return Ok(Some(f));
    }
    Ok(state
        .store
        .public_document_file(site, &key.0, file, now())
        .await?
        .map(|f| memo.put(site, key, version, f)))
}

/// `GET /van-ban/{slug}/tep/{file}`: a document's file, for download, with Range.
pub(crate) async fn download(
    State(state): State<AppState>,
    site: CurrentSite,
    ClientIp(ip): ClientIp,
    Path((slug, file)): Path<(String, i64)>,
    req: Request,
) -> Result<Response, AppError> {
    let Some(f) = download_of(&state, site.site.id, slug, file).await? else {
        return Err(AppError::NotFound);
    };
    let path = state.options.media_dir.join(&f.path);
    let user_agent = req
        .headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let mut res = crate::platform::files::serve(path, &f.mime, req).await?;
    if matches!(res.status(), StatusCode::OK | StatusCode::PARTIAL_CONTENT) {
        // Counted once per reader per half hour, whatever ranges the viewer asks.
        state.counters.record_item(
            Item::Download(f.document),
            Visitor::new(&ip, &user_agent),
            is_bot(&user_agent),
            now(),
        );
        let extension = f.path.rsplit('.').next().unwrap_or("pdf");
        let ascii = format!("{}.{extension}", vntext::slugify(&f.number));
        let name = if f.name.is_empty() {
            ascii.clone()
        } else {
            f.name.clone()
        };
        if let Ok(v) = HeaderValue::from_str(&format!(
            "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
            percent_encode(&name)
        )) {
            res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
        }
    }
    Ok(res)
}
