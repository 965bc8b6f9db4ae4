//! Emulation and commendation (issue 17): the catalogue of titles, forms and
//! levels (rows the department edits), movements, registrations, proposals with
//! their status moves, decisions with the people commended, and the "Dân vận
//! khéo" models. Every change is one transaction with its audit entry and the
//! site's content version (`ContentChange`); who may make it is decided above
//! (`domain::next_proposal_status`, the web layer's desks).

use crate::change::{AuditNote, ContentChange};
use crate::query::{Conditions, Sql};
use crate::{Error, Result, Store};
use domain::{DocKind, ProposalStatus, SiteId, UnitId, UserId};
use sqlx::Row;
use sqlx::any::AnyRow;

/// An entry of the catalogue: a title, a form or a level of commendation, a field.
#[derive(Debug, Clone, PartialEq)]
pub struct CatalogueItem {
    /// Id.
    pub id: i64,
    /// `danh-hieu-tap-the`, `danh-hieu-ca-nhan`, `hinh-thuc`, `cap` or `linh-vuc`.
    pub kind: String,
    /// The name, as decisions write it.
    pub name: String,
}

/// The kinds of catalogue entries, with their names.
pub const CATALOGUE_KINDS: [(&str, &str); 5] = [
    ("danh-hieu-tap-the", "Danh hiệu thi đua tập thể"),
    ("danh-hieu-ca-nhan", "Danh hiệu thi đua cá nhân"),
    ("hinh-thuc", "Hình thức khen thưởng"),
    ("cap", "Cấp khen thưởng"),
    ("linh-vuc", "Lĩnh vực mô hình Dân vận khéo"),
];

/// A movement ("phong trào thi đua") as typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MovementDraft {
    /// Name.
    pub name: String,
    /// Slogan.
    pub slogan: String,
    /// `domain::MOVEMENT_KINDS` key.
    pub kind: String,
    /// Unit kinds it is for (empty: every kind).
    pub scope: Vec<String>,
    /// Parent units it is for: every unit under them, at any depth (empty: the
    /// whole tree). Kinds and parents narrow together.
    pub parents: Vec<UnitId>,
    /// Launch decision's number.
    pub decision_number: String,
    /// Launch decision's date, `YYYY-MM-DD` (or empty).
    pub decision_date: String,
    /// The period ("Năm học 2026-2027").
    pub period: String,
    /// The school year registrations are for ("2026-2027").
    pub school_year: String,
    /// Content.
    pub content: String,
    /// Criteria.
    pub criteria: String,
    /// Registration deadline, `YYYY-MM-DD` (or empty).
    pub deadline: String,
}

/// A stored movement.
#[derive(Debug, Clone, PartialEq)]
pub struct Movement {
    /// Id.
    pub id: i64,
    /// The site that launched it.
    pub site: SiteId,
    /// What was typed.
    pub draft: MovementDraft,
}

/// A registered title, or an entry of a proposal: a collective or a person.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EntryDraft {
    /// `ca-nhan` or `tap-the`.
    pub kind: String,
    /// The title registered (registrations) or empty (proposals).
    pub title: String,
    /// Họ tên (a person) or the collective's name.
    pub full_name: String,
    /// Ngày sinh, `YYYY-MM-DD` (a person); never shown to the public.
    pub birth_date: String,
    /// Chức vụ.
    pub position: String,
    /// Đơn vị (the person's unit, as written).
    pub unit_name: String,
    /// Tóm tắt thành tích (proposals).
    pub achievement: String,
}

/// A stored registration or proposal entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Id.
    pub id: i64,
    /// The unit that made it.
    pub unit: UnitId,
    /// What it says.
    pub draft: EntryDraft,
    /// The council's result for a proposal's entry: '', `khen` or `khong`.
    pub result: String,
}

/// A proposal for commendation as the lists show it.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    /// Id.
    pub id: i64,
    /// The proposing school's site and unit.
    pub site: SiteId,
    /// Unit.
    pub unit: UnitId,
    /// The unit's name.
    pub unit_name: String,
    /// The movement it answers, if any.
    pub movement: Option<i64>,
    /// Its title ("Đề nghị khen thưởng năm học 2025-2026").
    pub title: String,
    /// The form requested.
    pub form: String,
    /// The level asked to commend.
    pub level: String,
    /// Where it stands.
    pub status: ProposalStatus,
    /// People and collectives proposed.
    pub entries: i64,
    /// Last change.
    pub updated_at: i64,
}

/// A status move of a proposal.
#[derive(Debug, Clone, PartialEq)]
pub struct ProposalStep {
    /// Before ('' for the creation).
    pub from: String,
    /// After.
    pub to: String,
    /// Who (their full name).
    pub by: String,
    /// The note (a return's reason).
    pub note: String,
    /// When.
    pub at: i64,
}

/// What a proposal list is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct ProposalFilter {
    /// One site's proposals only (a school's view).
    pub site: Option<SiteId>,
    /// Leave drafts out (the department's view).
    pub without_drafts: bool,
    /// One status.
    pub status: Option<ProposalStatus>,
    /// One unit.
    pub unit: Option<UnitId>,
    /// One form.
    pub form: Option<String>,
}

/// A file kept with a movement, a proposal or a decision.
#[derive(Debug, Clone, PartialEq)]
pub struct EmulationFile {
    /// What it is ("Tờ trình").
    pub label: String,
    /// Path under the media folder.
    pub path: String,
    /// The name it was uploaded with.
    pub name: String,
}

/// A decision as typed.
#[derive(Debug, Clone, Default)]
pub struct DecisionDraft {
    /// Số quyết định.
    pub number: String,
    /// Ngày, `YYYY-MM-DD`.
    pub decided_on: String,
    /// Cấp khen.
    pub level: String,
    /// Hình thức.
    pub form: String,
    /// The proposal it answers.
    pub proposal: Option<i64>,
    /// The people and collectives, with their units (by id when known).
    pub awardees: Vec<(EntryDraft, Option<UnitId>)>,
}

/// A decision as the back office lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// Id.
    pub id: i64,
    /// The site that recorded it.
    pub site: SiteId,
    /// Số.
    pub number: String,
    /// Ngày, `YYYY-MM-DD`.
    pub decided_on: String,
    /// Cấp khen.
    pub level: String,
    /// Hình thức.
    pub form: String,
    /// Public.
    pub published: bool,
    /// How many commended.
    pub awardees: i64,
}

/// One commended person or collective with their decision, as readers see them:
/// there is no date of birth to show.
#[derive(Debug, Clone, PartialEq)]
pub struct Award {
    /// The awardee's id.
    pub id: i64,
    /// `ca-nhan` or `tap-the`.
    pub kind: String,
    /// Name.
    pub full_name: String,
    /// Chức vụ.
    pub position: String,
    /// Đơn vị.
    pub unit_name: String,
    /// The unit, when known.
    pub unit: Option<UnitId>,
    /// Thành tích.
    pub achievement: String,
    /// Số quyết định.
    pub number: String,
    /// Ngày, `YYYY-MM-DD`.
    pub decided_on: String,
    /// Year of the decision.
    pub year: i64,
    /// Cấp khen.
    pub level: String,
    /// Hình thức.
    pub form: String,
    /// The "Gương điển hình tiên tiến" story: (site, path, title), when public.
    pub story: Option<(SiteId, String, String)>,
    /// The decision's id (its files).
    pub decision: i64,
}

/// What the public list of commendations is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct AwardFilter {
    /// Only awardees of this unit (a school's page: its own unit).
    pub unit: Option<UnitId>,
    /// Year.
    pub year: Option<i64>,
    /// Cấp khen.
    pub level: Option<String>,
    /// Hình thức.
    pub form: Option<String>,
    /// Words, toneless or not.
    pub words: Option<String>,
    /// One decision's commended (what a search result opens).
    pub decision: Option<i64>,
}

/// A "Dân vận khéo" model as typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DvkDraft {
    /// Its name.
    pub name: String,
    /// Lĩnh vực.
    pub field: String,
    /// The year it was registered.
    pub year: i64,
    /// Description.
    pub description: String,
    /// The article about it (a link).
    pub article_url: String,
}

/// A stored model.
#[derive(Debug, Clone, PartialEq)]
pub struct DvkModel {
    /// Id.
    pub id: i64,
    /// The unit.
    pub unit: UnitId,
    /// The unit's name.
    pub unit_name: String,
    /// What was typed.
    pub draft: DvkDraft,
    /// The level that recognised it ('' not yet).
    pub level: String,
}

/// What the registry of models is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct DvkFilter {
    /// Year.
    pub year: Option<i64>,
    /// Field.
    pub field: Option<String>,
    /// Recognised at this level.
    pub level: Option<String>,
    /// Unit.
    pub unit: Option<UnitId>,
    /// Recognised ones only (the public registry).
    pub recognised_only: bool,
    /// Words, toneless or not.
    pub words: Option<String>,
}

fn parents_text(parents: &[UnitId]) -> String {
    parents
        .iter()
        .map(|u| u.0.to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

fn folded(parts: &[&str]) -> String {
    vntext::fold_lower(&parts.join(" "))
}

fn movement_of(r: &AnyRow) -> Result<Movement> {
    let scope: String = r.try_get("scope")?;
    let parents: String = r.try_get("scope_parents")?;
    Ok(Movement {
        id: r.try_get("id")?,
        site: SiteId(r.try_get("site_id")?),
        draft: MovementDraft {
            name: r.try_get("name")?,
            slogan: r.try_get("slogan")?,
            kind: r.try_get("kind")?,
            scope: scope.split_whitespace().map(str::to_owned).collect(),
            parents: parents
                .split_whitespace()
                .filter_map(|p| p.parse().ok())
                .map(UnitId)
                .collect(),
            decision_number: r.try_get("decision_number")?,
            decision_date: r.try_get("decision_date")?,
            period: r.try_get("period")?,
            school_year: r.try_get("school_year")?,
            content: r.try_get("content")?,
            criteria: r.try_get("criteria")?,
            deadline: r.try_get("deadline")?,
        },
    })
}

fn entry_of(r: &AnyRow, unit: UnitId) -> Result<Entry> {
    Ok(Entry {
        id: r.try_get("id")?,
        unit,
        draft: EntryDraft {
            kind: r.try_get("kind")?,
            title: r.try_get("title")?,
            full_name: r.try_get("full_name")?,
            birth_date: r.try_get("birth_date")?,
            position: r.try_get("position")?,
            unit_name: r.try_get("unit_name")?,
            achievement: r.try_get("achievement")?,
        },
        result: r.try_get("result")?,
    })
}

fn proposal_of(r: &AnyRow) -> Result<Proposal> {
    let status: String = r.try_get("status")?;
    Ok(Proposal {
        id: r.try_get("id")?,
        site: SiteId(r.try_get("site_id")?),
        unit: UnitId(r.try_get("unit_id")?),
        unit_name: r.try_get("unit_name")?,
        movement: r.try_get("movement_id")?,
        title: r.try_get("title")?,
        form: r.try_get("form")?,
        level: r.try_get("level")?,
        status: ProposalStatus::parse(&status).ok_or(Error::Corrupt(status))?,
        entries: r.try_get("entries")?,
        updated_at: r.try_get("updated_at")?,
    })
}

const PROPOSAL_SELECT: &str = "SELECT p.id, p.site_id, p.unit_id, u.name AS unit_name, \
     p.movement_id, p.title, p.form, p.level, p.status, p.updated_at, \
     (SELECT COUNT(*) FROM emulation_proposal_entries e WHERE e.proposal_id = p.id) AS entries \
     FROM emulation_proposals p JOIN units u ON u.id = p.unit_id";

impl Store {
    /// The catalogue, by kind and position.
    pub async fn emulation_catalogue(&self) -> Result<Vec<CatalogueItem>> {
        let rows = sqlx::query(
            "SELECT id, kind, name FROM emulation_catalogue ORDER BY kind, position, id",
        )
        .fetch_all(self.db_read())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(CatalogueItem {
                    id: r.try_get("id")?,
                    kind: r.try_get("kind")?,
                    name: r.try_get("name")?,
                })
            })
            .collect()
    }

    /// Adds an entry to the catalogue (a new title, form, level or field).
    pub async fn add_catalogue_item(
        &self,
        site: SiteId,
        kind: &str,
        name: &str,
        audit: AuditNote<'_>,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO emulation_catalogue (kind, name, position) VALUES ($1, $2, \
             (SELECT COALESCE(MAX(position), 0) + 1 FROM emulation_catalogue WHERE kind = $1))",
        )
        .bind(kind)
        .bind(name)
        .execute(&mut *tx)
        .await
        .map_err(crate::error::on_unique("emulation_catalogue"))?;
        ContentChange::new(site, now)
            .audit(audit, format!("{kind}: {name}"))
            .commit(tx)
            .await
    }

    /// Removes an entry of the catalogue (what was recorded with it keeps its words).
    pub async fn remove_catalogue_item(
        &self,
        site: SiteId,
        id: i64,
        audit: AuditNote<'_>,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query("DELETE FROM emulation_catalogue WHERE id = $1 RETURNING kind, name")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(Error::NotFound("emulation_catalogue"))?;
        let kind: String = row.try_get("kind")?;
        let name: String = row.try_get("name")?;
        ContentChange::new(site, now)
            .audit(audit, format!("{kind}: {name}"))
            .commit(tx)
            .await
    }

    /// Launches a movement; its id.
    pub async fn create_movement(
        &self,
        site: SiteId,
        m: &MovementDraft,
        audit: Option<AuditNote<'_>>,
        now: i64,
    ) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO emulation_movements (site_id, name, slogan, kind, scope, \
             decision_number, decision_date, period, school_year, content, criteria, deadline, \
             created_at, scope_parents) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
        )
        .bind(site.0)
        .bind(&m.name)
        .bind(&m.slogan)
        .bind(&m.kind)
        .bind(m.scope.join(" "))
        .bind(&m.decision_number)
        .bind(&m.decision_date)
        .bind(&m.period)
        .bind(&m.school_year)
        .bind(&m.content)
        .bind(&m.criteria)
        .bind(&m.deadline)
        .bind(now)
        .bind(parents_text(&m.parents))
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        let mut change = ContentChange::new(site, now);
        if let Some(a) = audit {
            change = change.audit(a, m.name.clone());
        }
        change.commit(tx).await?;
        Ok(id)
    }

    /// Every movement, newest first.
    pub async fn movements(&self) -> Result<Vec<Movement>> {
        let rows =
            sqlx::query("SELECT * FROM emulation_movements ORDER BY created_at DESC, id DESC")
                .fetch_all(self.db_read())
                .await?;
        rows.iter().map(movement_of).collect()
    }

    /// A movement.
    pub async fn movement(&self, id: i64) -> Result<Option<Movement>> {
        let row = sqlx::query("SELECT * FROM emulation_movements WHERE id = $1")
            .bind(id)
            .fetch_optional(self.db_read())
            .await?;
        row.as_ref().map(movement_of).transpose()
    }

    /// Sets a movement's registration deadline (`YYYY-MM-DD`, or empty for none).
    pub async fn set_movement_deadline(
        &self,
        id: i64,
        deadline: &str,
        audit: AuditNote<'_>,
        now: i64,
    ) -> Result<()> {
        let m = self
            .movement(id)
            .await?
            .ok_or(Error::NotFound("movement"))?;
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE emulation_movements SET deadline = $1 WHERE id = $2")
            .bind(deadline)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        ContentChange::new(m.site, now)
            .audit(audit, format!("{}: {deadline}", m.draft.name))
            .commit(tx)
            .await
    }

    /// Tags an article with a movement (its page then lists it). Tagging twice is
    /// the same as once.
    pub async fn tag_movement_article(
        &self,
        movement: i64,
        article: i64,
        audit: Option<AuditNote<'_>>,
        now: i64,
    ) -> Result<()> {
        let m = self
            .movement(movement)
            .await?
            .ok_or(Error::NotFound("movement"))?;
        let mut tx = self.begin_write().await?;
        let exists = sqlx::query("SELECT id FROM articles WHERE id = $1")
            .bind(article)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_none() {
            return Err(Error::NotFound("article"));
        }
        sqlx::query(
            "INSERT INTO emulation_movement_articles (movement_id, article_id) \
             SELECT $1, $2 WHERE NOT EXISTS (SELECT 1 FROM emulation_movement_articles \
             WHERE movement_id = $1 AND article_id = $2)",
        )
        .bind(movement)
        .bind(article)
        .execute(&mut *tx)
        .await?;
        let mut change = ContentChange::new(m.site, now);
        if let Some(a) = audit {
            change = change.audit(a, format!("{}: bài {article}", m.draft.name));
        }
        change.commit(tx).await
    }

    /// The public articles tagged with a movement, newest first: (site, path, title,
    /// published at).
    pub async fn movement_articles(
        &self,
        movement: i64,
        now: i64,
    ) -> Result<Vec<(SiteId, String, String, i64)>> {
        let rows = sqlx::query(
            "SELECT a.site_id, a.slug, a.title, a.published_at, c.slug AS category_slug \
             FROM emulation_movement_articles t JOIN articles a ON a.id = t.article_id \
             JOIN categories c ON c.id = a.category_id \
             WHERE t.movement_id = $1 AND a.status = 'published' AND a.published_at <= $2 \
             ORDER BY a.published_at DESC, a.id DESC",
        )
        .bind(movement)
        .bind(now)
        .fetch_all(self.db_read())
        .await?;
        rows.iter()
            .map(|r| {
                let cat: String = r.try_get("category_slug")?;
                let slug: String = r.try_get("slug")?;
                Ok((
                    SiteId(r.try_get("site_id")?),
                    format!("/tin-tuc/{cat}/{slug}"),
                    r.try_get("title")?,
                    r.try_get("published_at")?,
                ))
            })
            .collect()
    }

    /// Writes a unit's registrations for a movement, all or none.
    pub async fn add_registrations(
        &self,
        site: SiteId,
        movement: i64,
        unit: UnitId,
        entries: &[EntryDraft],
        audit: Option<AuditNote<'_>>,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        for e in entries {
            sqlx::query(
                "INSERT INTO emulation_registrations (movement_id, unit_id, kind, title, \
                 full_name, birth_date, position, unit_name, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(movement)
            .bind(unit.0)
            .bind(&e.kind)
            .bind(&e.title)
            .bind(&e.full_name)
            .bind(&e.birth_date)
            .bind(&e.position)
            .bind(&e.unit_name)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        let mut change = ContentChange::new(site, now);
        if let Some(a) = audit {
            change = change.audit(a, format!("phong trào {movement}: {} dòng", entries.len()));
        }
        change.commit(tx).await
    }

    /// Queues a reminder to each unit that has not registered for a movement, in
    /// one transaction with its audit entry: (site, address) each. Returns how many.
    pub async fn remind_registrations(
        &self,
        site: SiteId,
        recipients: &[(SiteId, String)],
        subject: &str,
        body: &str,
        audit: AuditNote<'_>,
        now: i64,
    ) -> Result<usize> {
        let mut tx = self.begin_write().await?;
        for (to_site, to) in recipients {
            let mail = crate::NewMail {
                site: Some(*to_site),
                to,
                subject,
                body,
            };
            crate::enqueue_mail_in(&mut tx, &mail, now).await?;
        }
        ContentChange::new(site, now)
            .audit(audit, format!("{subject}: {} đơn vị", recipients.len()))
            .commit(tx)
            .await?;
        Ok(recipients.len())
    }

    /// A movement's registrations, of one unit or of all.
    pub async fn registrations(&self, movement: i64, unit: Option<UnitId>) -> Result<Vec<Entry>> {
        let mut sql = Sql::new(
            "SELECT id, unit_id, kind, title, full_name, birth_date, position, unit_name, \
             '' AS achievement, '' AS result FROM emulation_registrations WHERE movement_id = ",
        );
        sql.bind(movement);
        if let Some(u) = unit {
            sql.push(" AND unit_id = ").bind(u.0);
        }
        sql.push(" ORDER BY unit_id, kind DESC, id");
        let rows = sql.query().fetch_all(self.db_read()).await?;
        rows.iter()
            .map(|r| entry_of(r, UnitId(r.try_get("unit_id")?)))
            .collect()
    }

    /// The units that registered for a movement, with how many lines each.
    pub async fn registered_units(&self, movement: i64) -> Result<Vec<(UnitId, i64)>> {
        let rows = sqlx::query(
            "SELECT unit_id, COUNT(*) AS n FROM emulation_registrations WHERE movement_id = $1 \
             GROUP BY unit_id",
        )
        .bind(movement)
        .fetch_all(self.db_read())
        .await?;
        rows.iter()
            .map(|r| Ok((UnitId(r.try_get("unit_id")?), r.try_get("n")?)))
            .collect()
    }

    /// Opens a proposal (a draft); its id.
    #[expect(
        clippy::too_many_arguments,
        reason = "a proposal's header and its audit"
    )]
    pub async fn create_proposal(
        &self,
        site: SiteId,
        unit: UnitId,
        movement: Option<i64>,
        title: &str,
        form: &str,
        level: &str,
        by: (Option<UserId>, &str),
        audit: Option<AuditNote<'_>>,
        now: i64,
    ) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO emulation_proposals (site_id, unit_id, movement_id, title, form, level, \
             status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) \
             RETURNING id",
        )
        .bind(site.0)
        .bind(unit.0)
        .bind(movement)
        .bind(title)
        .bind(form)
        .bind(level)
        .bind(ProposalStatus::Draft.as_str())
        .bind(now)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        sqlx::query(
            "INSERT INTO emulation_proposal_moves (proposal_id, from_status, to_status, user_id, \
             user_name, note, at) VALUES ($1, '', $2, $3, $4, '', $5)",
        )
        .bind(id)
        .bind(ProposalStatus::Draft.as_str())
        .bind(by.0.map(|u| u.0))
        .bind(by.1)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let mut change = ContentChange::new(site, now);
        if let Some(a) = audit {
            change = change.audit(a, title.to_owned());
        }
        change.commit(tx).await?;
        Ok(id)
    }

    /// Adds people or collectives to a proposal that is still the school's to edit.
    pub async fn add_proposal_entries(
        &self,
        proposal: &Proposal,
        entries: &[EntryDraft],
        audit: Option<AuditNote<'_>>,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE emulation_proposals SET updated_at = $1 WHERE id = $2 AND status IN ($3, $4)",
        )
        .bind(now)
        .bind(proposal.id)
        .bind(ProposalStatus::Draft.as_str())
        .bind(ProposalStatus::Returned.as_str())
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(Error::Stale);
        }
        for e in entries {
            sqlx::query(
                "INSERT INTO emulation_proposal_entries (proposal_id, kind, full_name, birth_date, \
                 position, unit_name, achievement) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(proposal.id)
            .bind(&e.kind)
            .bind(&e.full_name)
            .bind(&e.birth_date)
            .bind(&e.position)
            .bind(&e.unit_name)
            .bind(&e.achievement)
            .execute(&mut *tx)
            .await?;
        }
        let mut change = ContentChange::new(proposal.site, now);
        if let Some(a) = audit {
            let names: Vec<&str> = entries.iter().map(|e| e.full_name.as_str()).collect();
            change = change.audit(a, format!("{}: {}", proposal.title, names.join(", ")));
        }
        change.commit(tx).await
    }

    /// Proposals, newest change first.
    pub async fn proposals(&self, f: &ProposalFilter) -> Result<Vec<Proposal>> {
        let mut sql = Sql::new(PROPOSAL_SELECT);
        sql.push(" WHERE 1 = 1");
        if let Some(s) = f.site {
            sql.push(" AND p.site_id = ").bind(s.0);
        }
        if f.without_drafts {
            sql.push(" AND p.status <> ")
                .bind(ProposalStatus::Draft.as_str());
        }
        if let Some(s) = f.status {
            sql.push(" AND p.status = ").bind(s.as_str());
        }
        if let Some(u) = f.unit {
            sql.push(" AND p.unit_id = ").bind(u.0);
        }
        if let Some(form) = &f.form {
            sql.push(" AND p.form = ").bind(form.as_str());
        }
        sql.push(" ORDER BY p.updated_at DESC, p.id DESC");
        let rows = sql.query().fetch_all(self.db_read()).await?;
        rows.iter().map(proposal_of).collect()
    }

    /// A proposal.
    pub async fn proposal(&self, id: i64) -> Result<Option<Proposal>> {
        let row = sqlx::query(&format!("{PROPOSAL_SELECT} WHERE p.id = $1"))
            .bind(id)
            .fetch_optional(self.db_read())
            .await?;
        row.as_ref().map(proposal_of).transpose()
    }

    /// A proposal's people and collectives, in the order they were added.
    pub async fn proposal_entries(&self, proposal: &Proposal) -> Result<Vec<Entry>> {
        let rows = sqlx::query(
            "SELECT id, kind, '' AS title, full_name, birth_date, position, unit_name, \
             achievement, result FROM emulation_proposal_entries WHERE proposal_id = $1 ORDER BY id",
        )
        .bind(proposal.id)
        .fetch_all(self.db_read())
        .await?;
        rows.iter().map(|r| entry_of(r, proposal.unit)).collect()
    }

    /// A proposal's status moves, oldest first.
    pub async fn proposal_steps(&self, id: i64) -> Result<Vec<ProposalStep>> {
        let rows = sqlx::query(
            "SELECT from_status, to_status, user_name, note, at FROM emulation_proposal_moves \
             WHERE proposal_id = $1 ORDER BY at, id",
        )
        .bind(id)
        .fetch_all(self.db_read())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ProposalStep {
                    from: r.try_get("from_status")?,
                    to: r.try_get("to_status")?,
                    by: r.try_get("user_name")?,
                    note: r.try_get("note")?,
                    at: r.try_get("at")?,
                })
            })
            .collect()
    }

    /// Moves a proposal from `from` to `to` (the caller checked the rule), with
    /// who, when and the note; refused as `Stale` when it is no longer at `from`.
    #[expect(clippy::too_many_arguments, reason = "a move with who, when and why")]
    pub async fn move_proposal(
        &self,
        proposal: &Proposal,
        from: ProposalStatus,
        to: ProposalStatus,
        by: (Option<UserId>, &str),
        note: &str,
        audit: AuditNote<'_>,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE emulation_proposals SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4",
        )
        .bind(to.as_str())
        .bind(now)
        .bind(proposal.id)
        .bind(from.as_str())
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(Error::Stale);
        }
        sqlx::query(
            "INSERT INTO emulation_proposal_moves (proposal_id, from_status, to_status, user_id, \
             user_name, note, at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(proposal.id)
        .bind(from.as_str())
        .bind(to.as_str())
        .bind(by.0.map(|u| u.0))
        .bind(by.1)
        .bind(note)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        ContentChange::new(proposal.site, now)
            .audit(
                audit,
                format!(
                    "{}: {} → {}. {note}",
                    proposal.title,
                    from.label(),
                    to.label()
                ),
            )
            .commit(tx)
            .await
    }

    /// Records the council's result per person or collective (`khen`, `khong` or '').
    pub async fn set_entry_results(
        &self,
        proposal: &Proposal,
        results: &[(i64, String)],
        audit: AuditNote<'_>,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        for (id, result) in results {
            sqlx::query(
                "UPDATE emulation_proposal_entries SET result = $1 WHERE id = $2 AND proposal_id = $3",
            )
            .bind(result.as_str())
            .bind(*id)
            .bind(proposal.id)
            .execute(&mut *tx)
            .await?;
        }
        ContentChange::new(proposal.site, now)
            .audit(audit, proposal.title.clone())
            .commit(tx)
            .await
    }

    /// Keeps a file with a movement, a proposal or a decision.
    #[expect(clippy::too_many_arguments, reason = "the file and what it belongs to")]
    pub async fn add_emulation_file(
        &self,
        site: SiteId,
        owner: &str,
        owner_id: i64,
        label: &str,
        media: Option<i64>,
        file: (&str, &str),
        audit: AuditNote<'_>,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO emulation_files (owner, owner_id, label, media_id, path, name, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(owner)
        .bind(owner_id)
        .bind(label)
        .bind(media)
        .bind(file.0)
        .bind(file.1)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        ContentChange::new(site, now)
            .audit(audit, format!("{owner} {owner_id}: {label} ({})", file.1))
            .commit(tx)
            .await
    }

    /// The files of a movement, a proposal or a decision.
    pub async fn emulation_files(&self, owner: &str, owner_id: i64) -> Result<Vec<EmulationFile>> {
        let rows = sqlx::query(
            "SELECT label, path, name FROM emulation_files WHERE owner = $1 AND owner_id = $2 \
             ORDER BY id",
        )
        .bind(owner)
        .bind(owner_id)
        .fetch_all(self.db_read())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(EmulationFile {
                    label: r.try_get("label")?,
                    path: r.try_get("path")?,
                    name: r.try_get("name")?,
                })
            })
            .collect()
    }

    /// Records a decision with its people and collectives (not yet public); its id.
    pub async fn create_decision(
        &self,
        site: SiteId,
        unit: UnitId,
        d: &DecisionDraft,
        audit: Option<AuditNote<'_>>,
        now: i64,
    ) -> Result<i64> {
        let year: i64 = d
            .decided_on
            .get(..4)
            .and_then(|y| y.parse().ok())
            .unwrap_or(0);
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO emulation_decisions (site_id, unit_id, number, decided_on, year, level, \
             form, proposal_id, published, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, $9) \
             RETURNING id",
        )
        .bind(site.0)
        .bind(unit.0)
        .bind(&d.number)
        .bind(&d.decided_on)
        .bind(year)
        .bind(&d.level)
        .bind(&d.form)
        .bind(d.proposal)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        for (e, unit) in &d.awardees {
            insert_awardee(&mut tx, id, d, e, *unit).await?;
        }
        let mut change = ContentChange::new(site, now);
        if let Some(a) = audit {
            change = change.audit(
                a,
                format!("{} ({} người/tập thể)", d.number, d.awardees.len()),
            );
        }
        change.commit(tx).await?;
        Ok(id)
    }

    /// Decisions recorded by a site (or by every site), newest first.
    pub async fn decisions(&self, site: Option<SiteId>) -> Result<Vec<Decision>> {
        let mut sql = Sql::new(
            "SELECT d.id, d.site_id, d.number, d.decided_on, d.level, d.form, d.published, \
             (SELECT COUNT(*) FROM emulation_awardees w WHERE w.decision_id = d.id) AS n \
             FROM emulation_decisions d",
        );
        if let Some(s) = site {
            sql.push(" WHERE d.site_id = ").bind(s.0);
        }
        sql.push(" ORDER BY d.decided_on DESC, d.id DESC");
        let rows = sql.query().fetch_all(self.db_read()).await?;
        rows.iter()
            .map(|r| {
                Ok(Decision {
                    id: r.try_get("id")?,
                    site: SiteId(r.try_get("site_id")?),
                    number: r.try_get("number")?,
                    decided_on: r.try_get("decided_on")?,
                    level: r.try_get("level")?,
                    form: r.try_get("form")?,
                    published: r.try_get::<i64, _>("published")? != 0,
                    awardees: r.try_get("n")?,
                })
            })
            .collect()
    }

    /// Makes a site's decision public (`published`) or takes it back from the
    /// public. Every site's pages are made again (the department's page gathers
    /// the schools', a school's shows its people's) and search reads it again.
    pub async fn publish_decision(
        &self,
        site: SiteId,
        id: i64,
        published: bool,
        audit: Option<AuditNote<'_>>,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(
            "UPDATE emulation_decisions SET published = $1 WHERE id = $2 AND site_id = $3 \
             RETURNING number",
        )
        .bind(i64::from(published))
        .bind(id)
        .bind(site.0)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(Error::NotFound("decision"))?;
        let number: String = row.try_get("number")?;
        every_site_changed(&mut tx).await?;
        let mut change = ContentChange::new(site, now).document(DocKind::Decision, id);
        if let Some(a) = audit {
            change = change.audit(a, number);
        }
        change.commit(tx).await
    }

    /// Marks an article as the "Gương điển hình tiên tiến" story of a commended
    /// person or collective (`None`: no story).
    pub async fn set_award_story(
        &self,
        site: SiteId,
        awardee: i64,
        article: Option<i64>,
        audit: Option<AuditNote<'_>>,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        if let Some(a) = article {
            sqlx::query("SELECT id FROM articles WHERE id = $1")
                .bind(a)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(Error::NotFound("article"))?;
        }
        let done = sqlx::query(
            "UPDATE emulation_awardees SET story_article_id = $1 WHERE id = $2 AND decision_id IN \
             (SELECT id FROM emulation_decisions WHERE site_id = $3)",
        )
        .bind(article)
        .bind(awardee)
        .bind(site.0)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound("awardee"));
        }
        sqlx::query("UPDATE sites SET content_version = content_version + 1")
            .execute(&mut *tx)
            .await?;
        let mut change = ContentChange::new(site, now);
        if let Some(a) = audit {
            change = change.audit(a, format!("{awardee}: bài {article:?}"));
        }
        change.commit(tx).await
    }

    /// The commended of a decision, for the back office.
    pub async fn decision_awards(&self, decision: i64) -> Result<Vec<Award>> {
        let mut sql = Sql::new(AWARD_SELECT);
        sql.push(" WHERE d.id = ").bind(decision);
        sql.push(" ORDER BY w.id");
        let rows = sql.query().fetch_all(self.db_read()).await?;
        rows.iter().map(award_of).collect()
    }

    /// Published commendations, newest decision first: a page of them and how many.
    pub async fn public_awards(
        &self,
        f: &AwardFilter,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<Award>, i64)> {
        let mut filter = Conditions::default();
        filter.add("d.published = ", 1);
        if let Some(u) = f.unit {
            filter.add("w.unit_id = ", u.0);
        }
        if let Some(y) = f.year {
            filter.add("d.year = ", y);
        }
        if let Some(l) = &f.level {
            filter.add("d.level = ", l.clone());
        }
        if let Some(form) = &f.form {
            filter.add("d.form = ", form.clone());
        }
        if let Some(d) = f.decision {
            filter.add("d.id = ", d);
        }
        for word in f.words.iter().flat_map(|w| w.split_whitespace()) {
            filter.add("w.folded LIKE ", like(word));
        }
        let mut count = Sql::new(
            "SELECT COUNT(*) AS n FROM emulation_awardees w \
             JOIN emulation_decisions d ON d.id = w.decision_id",
        );
        count.push_where(&filter);
        let total: i64 = count
            .query()
            .fetch_one(self.db_read())
            .await?
            .try_get("n")?;
        let mut sql = Sql::new(AWARD_SELECT);
        sql.push_where(&filter);
        sql.push(" ORDER BY d.decided_on DESC, d.id DESC, w.id LIMIT ")
            .bind(limit)
            .push(" OFFSET ")
            .bind(offset);
        let rows = sql.query().fetch_all(self.db_read()).await?;
        Ok((rows.iter().map(award_of).collect::<Result<_>>()?, total))
    }

    /// One published commendation.
    pub async fn public_award(&self, id: i64) -> Result<Option<Award>> {
        let mut sql = Sql::new(AWARD_SELECT);
        sql.push(" WHERE d.published = 1 AND w.id = ").bind(id);
        let row = sql.query().fetch_optional(self.db_read()).await?;
        row.as_ref().map(award_of).transpose()
    }

    /// The commended whose story an article is.
    pub async fn stories_of_article(&self, article: i64) -> Result<Vec<Award>> {
        let mut sql = Sql::new(AWARD_SELECT);
        sql.push(" WHERE d.published = 1 AND w.story_article_id = ")
            .bind(article);
        let rows = sql.query().fetch_all(self.db_read()).await?;
        rows.iter().map(award_of).collect()
    }

    /// The years of published decisions, newest first.
    pub async fn award_years(&self) -> Result<Vec<i64>> {
        let rows = sqlx::query(
            "SELECT DISTINCT year FROM emulation_decisions WHERE published = 1 ORDER BY year DESC",
        )
        .fetch_all(self.db_read())
        .await?;
        rows.iter().map(|r| Ok(r.try_get("year")?)).collect()
    }

    /// Registers a unit's "Dân vận khéo" model; its id.
    pub async fn create_dvk_model(
        &self,
        site: SiteId,
        unit: UnitId,
        m: &DvkDraft,
        audit: Option<AuditNote<'_>>,
        now: i64,
    ) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO dvk_models (unit_id, name, field, year, description, article_url, \
             folded, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(unit.0)
        .bind(&m.name)
        .bind(&m.field)
        .bind(m.year)
        .bind(&m.description)
        .bind(&m.article_url)
        .bind(folded(&[&m.name, &m.field, &m.description]))
        .bind(now)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        let mut change = ContentChange::new(site, now);
        if let Some(a) = audit {
            change = change.audit(a, m.name.clone());
        }
        change.commit(tx).await?;
        Ok(id)
    }

    /// Recognises a model at a level ('' takes the recognition back).
    pub async fn recognise_dvk_model(
        &self,
        site: SiteId,
        id: i64,
        level: &str,
        audit: Option<AuditNote<'_>>,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query("UPDATE dvk_models SET level = $1 WHERE id = $2 RETURNING name")
            .bind(level)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(Error::NotFound("dvk_model"))?;
        let name: String = row.try_get("name")?;
        sqlx::query("UPDATE sites SET content_version = content_version + 1")
            .execute(&mut *tx)
            .await?;
        let mut change = ContentChange::new(site, now);
        if let Some(a) = audit {
            change = change.audit(a, format!("{name}: {level}"));
        }
        change.commit(tx).await
    }

    /// "Dân vận khéo" models, newest year first.
    pub async fn dvk_models(&self, f: &DvkFilter) -> Result<Vec<DvkModel>> {
        let mut sql = Sql::new(
            "SELECT m.id, m.unit_id, u.name AS unit_name, m.name, m.field, m.year, m.level, \
             m.description, m.article_url FROM dvk_models m JOIN units u ON u.id = m.unit_id \
             WHERE 1 = 1",
        );
        if f.recognised_only {
            sql.push(" AND m.level <> ''");
        }
        if let Some(y) = f.year {
            sql.push(" AND m.year = ").bind(y);
        }
        if let Some(x) = &f.field {
            sql.push(" AND m.field = ").bind(x.clone());
        }
        if let Some(x) = &f.level {
            sql.push(" AND m.level = ").bind(x.clone());
        }
        if let Some(u) = f.unit {
            sql.push(" AND m.unit_id = ").bind(u.0);
        }
        for word in f.words.iter().flat_map(|w| w.split_whitespace()) {
            sql.push(" AND m.folded LIKE ").bind(like(word));
        }
        sql.push(" ORDER BY m.year DESC, u.name, m.id");
        let rows = sql.query().fetch_all(self.db_read()).await?;
        rows.iter()
            .map(|r| {
                Ok(DvkModel {
                    id: r.try_get("id")?,
                    unit: UnitId(r.try_get("unit_id")?),
                    unit_name: r.try_get("unit_name")?,
                    level: r.try_get("level")?,
                    draft: DvkDraft {
                        name: r.try_get("name")?,
                        field: r.try_get("field")?,
                        year: r.try_get("year")?,
                        description: r.try_get("description")?,
                        article_url: r.try_get("article_url")?,
                    },
                })
            })
            .collect()
    }
}

/// Writes one commended person or collective of decision `id` (whose number,
/// form and level go into the words search folds).
async fn insert_awardee(
    conn: &mut sqlx::AnyConnection,
    id: i64,
    d: &DecisionDraft,
    e: &EntryDraft,
    unit: Option<UnitId>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO emulation_awardees (decision_id, kind, full_name, position, unit_name, \
         unit_id, achievement, folded) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id)
    .bind(&e.kind)
    .bind(&e.full_name)
    .bind(&e.position)
    .bind(&e.unit_name)
    .bind(unit.map(|u| u.0))
    .bind(&e.achievement)
    .bind(awardee_words(d, e))
    .execute(conn)
    .await?;
    Ok(())
}

fn awardee_words(d: &DecisionDraft, e: &EntryDraft) -> String {
    folded(&[
        &e.full_name,
        &e.position,
        &e.unit_name,
        &d.number,
        &d.form,
        &d.level,
    ])
}

/// Every site's pages are made again: the department's page gathers the
/// schools' commendations, a school's shows its people's.
async fn every_site_changed(conn: &mut sqlx::AnyConnection) -> Result<()> {
    sqlx::query("UPDATE sites SET content_version = content_version + 1")
        .execute(conn)
        .await?;
    Ok(())
}

/// A published decision as search finds it: never a date of birth (the
/// commended have none stored).
#[derive(Debug, Clone, PartialEq)]
pub struct SearchDecision {
    /// Id.
    pub id: i64,
    /// The site that recorded it.
    pub site: SiteId,
    /// Số quyết định.
    pub number: String,
    /// Ngày, `YYYY-MM-DD`.
    pub decided_on: String,
    /// Cấp khen.
    pub level: String,
    /// Hình thức.
    pub form: String,
    /// The commended: (name, position, unit).
    pub people: Vec<(String, String, String)>,
    /// When it was recorded (UTC seconds).
    pub created_at: i64,
}

const AWARD_SELECT: &str = "SELECT w.id, w.decision_id, w.kind, w.full_name, w.position, w.unit_name, w.unit_id, \
     w.achievement, d.number, d.decided_on, d.year, d.level, d.form, \
     a.site_id AS story_site, a.slug AS story_slug, a.title AS story_title, \
     c.slug AS story_category \
     FROM emulation_awardees w JOIN emulation_decisions d ON d.id = w.decision_id \
     LEFT JOIN articles a ON a.id = w.story_article_id AND a.status = 'published' \
     LEFT JOIN categories c ON c.id = a.category_id";

/// A LIKE pattern for one word, toneless, with the pattern's own characters dropped.
fn like(word: &str) -> String {
    format!("%{}%", vntext::fold_lower(word).replace(['%', '_'], ""))
}

fn award_of(r: &AnyRow) -> Result<Award> {
    let story_site: Option<i64> = r.try_get("story_site")?;
    let story = match story_site {
        Some(site) => {
            let cat: Option<String> = r.try_get("story_category")?;
            let slug: Option<String> = r.try_get("story_slug")?;
            let title: Option<String> = r.try_get("story_title")?;
            Some((
                SiteId(site),
                format!(
                    "/tin-tuc/{}/{}",
                    cat.unwrap_or_default(),
                    slug.unwrap_or_default()
                ),
                title.unwrap_or_default(),
            ))
        }
        None => None,
    };
    Ok(Award {
        id: r.try_get("id")?,
        kind: r.try_get("kind")?,
        full_name: r.try_get("full_name")?,
        position: r.try_get("position")?,
        unit_name: r.try_get("unit_name")?,
        unit: r.try_get::<Option<i64>, _>("unit_id")?.map(UnitId),
        achievement: r.try_get("achievement")?,
        number: r.try_get("number")?,
        decided_on: r.try_get("decided_on")?,
        year: r.try_get("year")?,
        level: r.try_get("level")?,
        form: r.try_get("form")?,
        story,
        decision: r.try_get("decision_id")?,
    })
}

/// Editing and deleting: movements (the department), registrations and proposals
/// (the school that made them, proposals only while nháp or trả lại), decisions
/// (the site that recorded them), and withdrawing a published decision. Each is
/// one transaction with its audit entry; what search shows follows through the
/// outbox in the same transaction.
impl Store {
    /// Saves a movement's whole form.
    pub async fn update_movement(
        &self,
        id: i64,
        m: &MovementDraft,
        audit: AuditNote<'_>,
        now: i64,
    ) -> Result<()> {
        let old = self
            .movement(id)
            .await?
            .ok_or(Error::NotFound("movement"))?;
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "UPDATE emulation_movements SET name = $1, slogan = $2, kind = $3, scope = $4, \
             decision_number = $5, decision_date = $6, period = $7, school_year = $8, \
             content = $9, criteria = $10, deadline = $11, scope_parents = $12 WHERE id = $13",
        )
        .bind(&m.name)
        .bind(&m.slogan)
        .bind(&m.kind)
        .bind(m.scope.join(" "))
        .bind(&m.decision_number)
        .bind(&m.decision_date)
        .bind(&m.period)
        .bind(&m.school_year)
        .bind(&m.content)
        .bind(&m.criteria)
        .bind(&m.deadline)
        .bind(parents_text(&m.parents))
        .bind(id)
        .execute(&mut *tx)
        .await?;
        every_site_changed(&mut tx).await?;
        ContentChange::new(old.site, now)
            .audit(audit, m.name.clone())
            .commit(tx)
            .await
    }

    /// Deletes a movement with its registrations, tags and files; proposals that
    /// answered it keep everything else.
    pub async fn delete_movement(&self, id: i64, audit: AuditNote<'_>, now: i64) -> Result<()> {
        let old = self
            .movement(id)
            .await?
            .ok_or(Error::NotFound("movement"))?;
        let mut tx = self.begin_write().await?;
        for sql in [
            "DELETE FROM emulation_registrations WHERE movement_id = $1",
            "DELETE FROM emulation_movement_articles WHERE movement_id = $1",
            "UPDATE emulation_proposals SET movement_id = NULL WHERE movement_id = $1",
            "DELETE FROM emulation_files WHERE owner = 'phong-trao' AND owner_id = $1",
            "DELETE FROM emulation_movements WHERE id = $1",
        ] {
            sqlx::query(sql).bind(id).execute(&mut *tx).await?;
        }
        every_site_changed(&mut tx).await?;
        ContentChange::new(old.site, now)
            .audit(audit, old.draft.name)
            .commit(tx)
            .await
    }

    /// A registration line with its movement.
    pub async fn registration(&self, id: i64) -> Result<Option<(i64, Entry)>> {
        let row = sqlx::query(
            "SELECT id, movement_id, unit_id, kind, title, full_name, birth_date, position, \
             unit_name, '' AS achievement, '' AS result FROM emulation_registrations WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(self.db_read())
        .await?;
        row.as_ref()
            .map(|r| {
                Ok((
                    r.try_get("movement_id")?,
                    entry_of(r, UnitId(r.try_get("unit_id")?))?,
                ))
            })
            .transpose()
    }

    /// Saves a registration line of `unit` (`None`: deletes it). Another unit's
    /// line is not found.
    pub async fn save_registration(
        &self,
        site: SiteId,
        unit: UnitId,
        id: i64,
        entry: Option<&EntryDraft>,
        audit: AuditNote<'_>,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let done = match entry {
            Some(e) => {
                sqlx::query(
                    "UPDATE emulation_registrations SET kind = $1, title = $2, full_name = $3, \
                     birth_date = $4, position = $5, unit_name = $6 WHERE id = $7 AND unit_id = $8",
                )
                .bind(&e.kind)
                .bind(&e.title)
                .bind(&e.full_name)
                .bind(&e.birth_date)
                .bind(&e.position)
                .bind(&e.unit_name)
                .bind(id)
                .bind(unit.0)
                .execute(&mut *tx)
                .await?
            }
            None => {
                sqlx::query("DELETE FROM emulation_registrations WHERE id = $1 AND unit_id = $2")
                    .bind(id)
                    .bind(unit.0)
                    .execute(&mut *tx)
                    .await?
            }
        };
        if done.rows_affected() == 0 {
            return Err(Error::NotFound("registration"));
        }
        ContentChange::new(site, now)
            .audit(
                audit,
                format!(
                    "dòng {id}{}",
                    entry.map_or(String::new(), |e| format!(
                        ": {} – {}",
                        e.full_name, e.title
                    ))
                ),
            )
            .commit(tx)
            .await
    }

    /// Marks a proposal changed while it is still the school's to edit; `Stale`
    /// once it has gone up.
    async fn touch_editable(
        conn: &mut sqlx::AnyConnection,
        proposal: &Proposal,
        now: i64,
    ) -> Result<()> {
        let done = sqlx::query(
            "UPDATE emulation_proposals SET updated_at = $1 WHERE id = $2 AND status IN ($3, $4)",
        )
        .bind(now)
        .bind(proposal.id)
        .bind(ProposalStatus::Draft.as_str())
        .bind(ProposalStatus::Returned.as_str())
        .execute(conn)
        .await?;
        if done.rows_affected() == 0 {
            return Err(Error::Stale);
        }
        Ok(())
    }

    /// Saves a proposal's header (the school's, while nháp or trả lại).
    #[expect(
        clippy::too_many_arguments,
        reason = "a proposal's header and its audit"
    )]
    pub async fn update_proposal(
        &self,
        proposal: &Proposal,
        movement: Option<i64>,
        title: &str,
        form: &str,
        level: &str,
        audit: AuditNote<'_>,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        Self::touch_editable(&mut tx, proposal, now).await?;
        sqlx::query(
            "UPDATE emulation_proposals SET movement_id = $1, title = $2, form = $3, level = $4 \
             WHERE id = $5",
        )
        .bind(movement)
        .bind(title)
        .bind(form)
        .bind(level)
        .bind(proposal.id)
        .execute(&mut *tx)
        .await?;
        ContentChange::new(proposal.site, now)
            .audit(audit, title.to_owned())
            .commit(tx)
            .await
    }

    /// Deletes a proposal (the school's, while nháp or trả lại) with its people,
    /// moves and files.
    pub async fn delete_proposal(
        &self,
        proposal: &Proposal,
        audit: AuditNote<'_>,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        Self::touch_editable(&mut tx, proposal, now).await?;
        for sql in [
            "DELETE FROM emulation_proposal_entries WHERE proposal_id = $1",
            "DELETE FROM emulation_proposal_moves WHERE proposal_id = $1",
            "DELETE FROM emulation_files WHERE owner = 'de-nghi' AND owner_id = $1",
            "UPDATE emulation_decisions SET proposal_id = NULL WHERE proposal_id = $1",
            "DELETE FROM emulation_proposals WHERE id = $1",
        ] {
            sqlx::query(sql).bind(proposal.id).execute(&mut *tx).await?;
        }
        ContentChange::new(proposal.site, now)
            .audit(audit, proposal.title.clone())
            .commit(tx)
            .await
    }

    /// Saves a person or collective of a proposal (`None`: takes them out),
    /// while the proposal is the school's to edit.
    pub async fn save_proposal_entry(
        &self,
        proposal: &Proposal,
        id: i64,
        entry: Option<&EntryDraft>,
        audit: AuditNote<'_>,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        Self::touch_editable(&mut tx, proposal, now).await?;
        let done = match entry {
            Some(e) => {
                sqlx::query(
                    "UPDATE emulation_proposal_entries SET kind = $1, full_name = $2, \
                     birth_date = $3, position = $4, unit_name = $5, achievement = $6 \
                     WHERE id = $7 AND proposal_id = $8",
                )
                .bind(&e.kind)
                .bind(&e.full_name)
                .bind(&e.birth_date)
                .bind(&e.position)
                .bind(&e.unit_name)
                .bind(&e.achievement)
                .bind(id)
                .bind(proposal.id)
                .execute(&mut *tx)
                .await?
            }
            None => {
                sqlx::query(
                    "DELETE FROM emulation_proposal_entries WHERE id = $1 AND proposal_id = $2",
                )
                .bind(id)
                .bind(proposal.id)
                .execute(&mut *tx)
                .await?
            }
        };
        if done.rows_affected() == 0 {
            return Err(Error::NotFound("proposal entry"));
        }
        ContentChange::new(proposal.site, now)
            .audit(
                audit,
                format!(
                    "{}: {}",
                    proposal.title,
                    entry.map_or(format!("bỏ dòng {id}"), |e| e.full_name.clone())
                ),
            )
            .commit(tx)
            .await
    }

    /// One of a site's decisions.
    pub async fn site_decision(&self, site: SiteId, id: i64) -> Result<Option<Decision>> {
        Ok(self
            .decisions(Some(site))
            .await?
            .into_iter()
            .find(|d| d.id == id))
    }

    /// Saves a site's decision: its number, date, level and form, and adds the
    /// people and collectives of `d.awardees`. Search reads it again.
    pub async fn update_decision(
        &self,
        site: SiteId,
        id: i64,
        d: &DecisionDraft,
        audit: AuditNote<'_>,
        now: i64,
    ) -> Result<()> {
        let year: i64 = d
            .decided_on
            .get(..4)
            .and_then(|y| y.parse().ok())
            .unwrap_or(0);
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE emulation_decisions SET number = $1, decided_on = $2, year = $3, level = $4, \
             form = $5 WHERE id = $6 AND site_id = $7",
        )
        .bind(&d.number)
        .bind(&d.decided_on)
        .bind(year)
        .bind(&d.level)
        .bind(&d.form)
        .bind(id)
        .bind(site.0)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound("decision"));
        }
        // The words search folds carry the number, form and level: made again.
        let rows = sqlx::query(
            "SELECT id, kind, full_name, position, unit_name FROM emulation_awardees \
             WHERE decision_id = $1",
        )
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
        for r in &rows {
            let e = EntryDraft {
                kind: r.try_get("kind")?,
                full_name: r.try_get("full_name")?,
                position: r.try_get("position")?,
                unit_name: r.try_get("unit_name")?,
                ..EntryDraft::default()
            };
            sqlx::query("UPDATE emulation_awardees SET folded = $1 WHERE id = $2")
                .bind(awardee_words(d, &e))
                .bind(r.try_get::<i64, _>("id")?)
                .execute(&mut *tx)
                .await?;
        }
        for (e, unit) in &d.awardees {
            insert_awardee(&mut tx, id, d, e, *unit).await?;
        }
        every_site_changed(&mut tx).await?;
        ContentChange::new(site, now)
            .document(DocKind::Decision, id)
            .audit(audit, d.number.clone())
            .commit(tx)
            .await
    }

    /// Takes a commended person or collective out of a site's decision.
    pub async fn delete_award(
        &self,
        site: SiteId,
        decision: i64,
        awardee: i64,
        audit: AuditNote<'_>,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(
            "DELETE FROM emulation_awardees WHERE id = $1 AND decision_id = $2 AND decision_id IN \
             (SELECT id FROM emulation_decisions WHERE site_id = $3) RETURNING full_name",
        )
        .bind(awardee)
        .bind(decision)
        .bind(site.0)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(Error::NotFound("awardee"))?;
        let name: String = row.try_get("full_name")?;
        every_site_changed(&mut tx).await?;
        ContentChange::new(site, now)
            .document(DocKind::Decision, decision)
            .audit(audit, format!("quyết định {decision}: {name}"))
            .commit(tx)
            .await
    }

    /// Deletes a site's decision with its commended and its files; public or
    /// not, it leaves every page and search at once.
    pub async fn delete_decision(
        &self,
        site: SiteId,
        id: i64,
        audit: AuditNote<'_>,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(
            "DELETE FROM emulation_decisions WHERE id = $1 AND site_id = $2 RETURNING number",
        )
        .bind(id)
        .bind(site.0)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(Error::NotFound("decision"))?;
        let number: String = row.try_get("number")?;
        // The commended go with it (the foreign key cascades); its files' rows too.
        sqlx::query("DELETE FROM emulation_awardees WHERE decision_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM emulation_files WHERE owner = 'quyet-dinh' AND owner_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        every_site_changed(&mut tx).await?;
        ContentChange::new(site, now)
            .document(DocKind::Decision, id)
            .audit(audit, number)
            .commit(tx)
            .await
    }

    /// A published decision as search indexes it (none when it is not public).
    pub async fn searchable_decision(&self, id: i64) -> Result<Option<SearchDecision>> {
        let Some(r) = sqlx::query(
            "SELECT id, site_id, number, decided_on, level, form, created_at \
             FROM emulation_decisions WHERE id = $1 AND published = 1",
        )
        .bind(id)
        .fetch_optional(self.db_read())
        .await?
        else {
            return Ok(None);
        };
        let people = sqlx::query(
            "SELECT full_name, position, unit_name FROM emulation_awardees WHERE decision_id = $1 \
             ORDER BY id",
        )
        .bind(id)
        .fetch_all(self.db_read())
        .await?
        .iter()
        .map(|p| {
            Ok((
                p.try_get("full_name")?,
                p.try_get("position")?,
                p.try_get("unit_name")?,
            ))
        })
        .collect::<Result<_>>()?;
        Ok(Some(SearchDecision {
            id: r.try_get("id")?,
            site: SiteId(r.try_get("site_id")?),
            number: r.try_get("number")?,
            decided_on: r.try_get("decided_on")?,
            level: r.try_get("level")?,
            form: r.try_get("form")?,
            people,
            created_at: r.try_get("created_at")?,
        }))
    }

    /// The ids of the published decisions, for a rebuild of the index.
    pub async fn searchable_decision_ids(&self) -> Result<Vec<i64>> {
        let rows =
            sqlx::query("SELECT id FROM emulation_decisions WHERE published = 1 ORDER BY id")
                .fetch_all(self.db_read())
                .await?;
        rows.iter().map(|r| Ok(r.try_get("id")?)).collect()
    }
}
