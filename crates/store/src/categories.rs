//! A site's news categories: one level of sub-categories, menu order among
//! siblings, old slugs that keep answering, and deletion that moves the articles
//! it still has, all in one transaction with the audit entry and the content
//! version (and the search outbox rows of the articles whose category changed).

use crate::change::{AuditNote, ContentChange, SlugHistory};
use crate::error::on_unique;
use crate::{Error, Result, Store};
use domain::{Category, CategoryId, DocKind, SiteId};
use sqlx::{AnyConnection, Row};

/// A category's fields as the back office sets them.
#[derive(Debug, Clone)]
pub struct CategoryEdit<'a> {
    /// Name, cleaned.
    pub name: &'a str,
    /// Slug as typed (slugified here; empty: made from the name).
    pub slug: &'a str,
    /// Meta description, cleaned.
    pub description: &'a str,
    /// The top-level category of the same site it goes under; none: top level.
    pub parent: Option<CategoryId>,
    /// Left out of the menu.
    pub hidden: bool,
}

impl CategoryEdit<'_> {
    /// The slug to store.
    pub fn effective_slug(&self) -> String {
        let typed = vntext::slugify(self.slug);
        if typed.is_empty() {
            vntext::slugify(self.name)
        } else {
            typed
        }
    }
}

const COLUMNS: &str = "id, site_id, slug, name, position, parent_id, description, hidden";

impl Store {
    /// A site's categories in menu order: each top-level category followed by its
    /// sub-categories.
    pub async fn categories(&self, site: SiteId) -> Result<Vec<Category>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM categories WHERE site_id = $1 ORDER BY position, id"
        ))
        .bind(site.0)
        .fetch_all(self.db_read())
        .await?;
        let all = rows
            .iter()
            .map(category_from_row)
            .collect::<Result<Vec<_>>>()?;
        Ok(tree_order(all))
    }

    /// A category of a site by its current slug.
    pub async fn category_by_slug(&self, site: SiteId, slug: &str) -> Result<Option<Category>> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM categories WHERE site_id = $1 AND slug = $2"
        ))
        .bind(site.0)
        .bind(slug)
        .fetch_optional(self.db_read())
        .await?;
        row.as_ref().map(category_from_row).transpose()
    }

    /// The current slug of the category that had `old_slug` (a renamed one, or the
    /// one that took a deleted category's articles).
    pub async fn category_redirect(&self, site: SiteId, old_slug: &str) -> Result<Option<String>> {
        let row = sqlx::query(
            "SELECT c.slug FROM category_slug_history h JOIN categories c ON c.id = h.category_id \
             WHERE h.site_id = $1 AND h.slug = $2",
        )
        .bind(site.0)
        .bind(old_slug)
        .fetch_optional(self.db_read())
        .await?;
        Ok(row.map(|r| r.try_get("slug")).transpose()?)
    }

    /// Adds a top-level category at the end of the menu, with no audit entry (the
    /// tests' categories).
    pub async fn create_category(
        &self,
        site: SiteId,
        slug: &str,
        name: &str,
    ) -> Result<CategoryId> {
        let edit = CategoryEdit {
            name,
            slug,
            description: "",
            parent: None,
            hidden: false,
        };
        self.create_category_with(site, &edit).await
    }

    /// Adds a category at the end of its siblings, with no audit entry (the
    /// demo's categories).
    pub async fn create_category_with(
        &self,
        site: SiteId,
        edit: &CategoryEdit<'_>,
    ) -> Result<CategoryId> {
        self.insert_category(site, edit, None, crate::now()).await
    }

    /// Adds a category at the end of its siblings, with its audit entry.
    pub async fn add_category(
        &self,
        site: SiteId,
        edit: &CategoryEdit<'_>,
        audit: AuditNote<'_>,
        now: i64,
    ) -> Result<CategoryId> {
        self.insert_category(site, edit, Some(audit), now).await
    }

    async fn insert_category(
        &self,
        site: SiteId,
        edit: &CategoryEdit<'_>,
        audit: Option<AuditNote<'_>>,
        now: i64,
    ) -> Result<CategoryId> {
        let slug = edit.effective_slug();
        let name = vntext::clean_line(edit.name);
        let mut tx = self.begin_write().await?;
        if let Some(parent) = edit.parent {
            check_parent(&mut tx, site, parent, None).await?;
        }
        let position = next_position(&mut tx, site, edit.parent).await?;
        let id: i64 = sqlx::query(
            "INSERT INTO categories (site_id, slug, name, position, parent_id, description, hidden) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(site.0)
        .bind(&slug)
        .bind(&name)
        .bind(position)
        .bind(edit.parent.map(|p| p.0))
        .bind(vntext::clean_line(edit.description))
        .bind(i64::from(edit.hidden))
        .fetch_one(&mut *tx)
        .await
        .map_err(on_unique("category_slug"))?
        .try_get("id")?;
        // A slug that an old category name used now names this one.
        CATEGORY_SLUGS.forget(&mut tx, site, &slug).await?;
        let mut change = ContentChange::new(site, now);
        if let Some(note) = audit {
            change = change.audit(note, format!("{name} (/tin-tuc/{slug})"));
        }
        change.commit(tx).await?;
        Ok(CategoryId(id))
    }

    /// Saves a category's name, slug, description, parent and visibility. A new
    /// slug leaves the old one answering with a redirect; the articles' search
    /// documents are read again (their category's name and address changed).
    pub async fn update_category(
        &self,
        site: SiteId,
        id: CategoryId,
        edit: &CategoryEdit<'_>,
        audit: AuditNote<'_>,
        now: i64,
    ) -> Result<()> {
        let slug = edit.effective_slug();
        let name = vntext::clean_line(edit.name);
        let mut tx = self.begin_write().await?;
        let old = load(&mut tx, site, id).await?;
        if let Some(parent) = edit.parent {
            check_parent(&mut tx, site, parent, Some(id)).await?;
        }
        let position = if old.parent_id == edit.parent {
            old.position
        } else {
            next_position(&mut tx, site, edit.parent).await?
        };
        sqlx::query(
            "UPDATE categories SET name = $1, slug = $2, description = $3, parent_id = $4, \
             hidden = $5, position = $6 WHERE id = $7",
        )
        .bind(&name)
        .bind(&slug)
        .bind(vntext::clean_line(edit.description))
        .bind(edit.parent.map(|p| p.0))
        .bind(i64::from(edit.hidden))
        .bind(position)
        .bind(id.0)
        .execute(&mut *tx)
        .await
        .map_err(on_unique("category_slug"))?;
        if old.slug != slug {
            CATEGORY_SLUGS.forget(&mut tx, site, &slug).await?;
            CATEGORY_SLUGS
                .remember(&mut tx, site, &old.slug, id.0)
                .await?;
        }
        let articles = if old.slug != slug || old.name != name {
            article_ids(&mut tx, id).await?
        } else {
            Vec::new()
        };
        let detail = if old.name == name {
            format!("{name} (/tin-tuc/{slug})")
        } else {
            format!("{} → {name} (/tin-tuc/{slug})", old.name)
        };
        ContentChange::new(site, now)
            .documents(DocKind::Article, articles)
            .audit(audit, detail)
            .commit(tx)
            .await
    }

    /// Moves a category one place up (or down) among its siblings. False when it
    /// already is first (last).
    pub async fn move_category(
        &self,
        site: SiteId,
        id: CategoryId,
        up: bool,
        audit: AuditNote<'_>,
        now: i64,
    ) -> Result<bool> {
        let mut tx = self.begin_write().await?;
        let this = load(&mut tx, site, id).await?;
        let rows = sqlx::query(
            "SELECT id FROM categories WHERE site_id = $1 AND COALESCE(parent_id, 0) = $2 \
             ORDER BY position, id",
        )
        .bind(site.0)
        .bind(this.parent_id.map_or(0, |p| p.0))
        .fetch_all(&mut *tx)
        .await?;
        let mut order = rows
            .iter()
            .map(|r| r.try_get::<i64, _>("id"))
            .collect::<Result<Vec<_>, _>>()?;
        let Some(at) = order.iter().position(|&c| c == id.0) else {
            return Err(Error::NotFound("category"));
        };
        let other = if up {
            at.checked_sub(1)
        } else {
            (at + 1 < order.len()).then_some(at + 1)
        };
        let Some(other) = other else {
            return Ok(false);
        };
        order.swap(at, other);
        for (position, c) in order.iter().enumerate() {
            sqlx::query("UPDATE categories SET position = $1 WHERE id = $2")
                .bind(position as i64)
                .bind(c)
                .execute(&mut *tx)
                .await?;
        }
        ContentChange::new(site, now)
            .audit(audit, this.name)
            .commit(tx)
            .await?;
        Ok(true)
    }

    /// Deletes a category. One that still has articles needs `move_to`, another
    /// category of the site, which takes them (their revisions too) and its slugs,
    /// so every old address still leads somewhere. One with sub-categories is
    /// refused (`Conflict("category_children")`), as is one with articles and no
    /// `move_to` (`Conflict("category_articles")`). Returns how many articles moved.
    pub async fn delete_category(
        &self,
        site: SiteId,
        id: CategoryId,
        move_to: Option<CategoryId>,
        audit: AuditNote<'_>,
        now: i64,
    ) -> Result<usize> {
        let mut tx = self.begin_write().await?;
        let this = load(&mut tx, site, id).await?;
        let children: i64 =
            sqlx::query("SELECT COUNT(*) AS n FROM categories WHERE parent_id = $1")
                .bind(id.0)
                .fetch_one(&mut *tx)
                .await?
                .try_get("n")?;
        if children > 0 {
            return Err(Error::Conflict("category_children"));
        }
        let articles = article_ids(&mut tx, id).await?;
        let target = match move_to {
            Some(t) if t != id => Some(load(&mut tx, site, t).await?),
            Some(_) => return Err(Error::Conflict("category_articles")),
            None if articles.is_empty() => None,
            None => return Err(Error::Conflict("category_articles")),
        };
        let mut detail = this.name.clone();
        if let Some(target) = &target {
            for table in ["articles", "article_revisions"] {
                sqlx::query(&format!(
                    "UPDATE {table} SET category_id = $1 WHERE category_id = $2"
                ))
                .bind(target.id.0)
                .bind(id.0)
                .execute(&mut *tx)
                .await?;
            }
            sqlx::query("UPDATE category_slug_history SET category_id = $1 WHERE category_id = $2")
                .bind(target.id.0)
                .bind(id.0)
                .execute(&mut *tx)
                .await?;
            detail = format!(
                "{detail}; {} bài viết chuyển sang {}",
                articles.len(),
                target.name
            );
        }
        sqlx::query("DELETE FROM categories WHERE id = $1")
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        if let Some(target) = &target {
            // The deleted category's address leads to where its articles went.
            CATEGORY_SLUGS
                .remember(&mut tx, site, &this.slug, target.id.0)
                .await?;
        }
        let moved = articles.len();
        ContentChange::new(site, now)
            .documents(DocKind::Article, articles)
            .audit(audit, detail)
            .commit(tx)
            .await?;
        Ok(moved)
    }

    /// How many articles (of any status) each category of a site has.
    pub async fn category_article_counts(&self, site: SiteId) -> Result<Vec<(CategoryId, i64)>> {
        let rows = sqlx::query(
            "SELECT category_id, COUNT(*) AS n FROM articles WHERE site_id = $1 GROUP BY category_id",
        )
        .bind(site.0)
        .fetch_all(self.db_read())
        .await?;
        rows.iter()
            .map(|r| Ok((CategoryId(r.try_get("category_id")?), r.try_get("n")?)))
            .collect()
    }
}

/// Top-level categories in order, each followed by its sub-categories in order.
/// `all` is sorted by position; a sub-category whose parent is missing goes last.
fn tree_order(all: Vec<Category>) -> Vec<Category> {
    let mut out = Vec::with_capacity(all.len());
    for top in all.iter().filter(|c| c.parent_id.is_none()) {
        out.push(top.clone());
        out.extend(all.iter().filter(|c| c.parent_id == Some(top.id)).cloned());
    }
    for c in &all {
        if !out.iter().any(|o| o.id == c.id) {
            out.push(c.clone());
        }
    }
    out
}

/// A category of the site, or `NotFound`.
async fn load(conn: &mut AnyConnection, site: SiteId, id: CategoryId) -> Result<Category> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM categories WHERE id = $1 AND site_id = $2"
    ))
    .bind(id.0)
    .bind(site.0)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(Error::NotFound("category"))?;
    category_from_row(&row)
}

/// Refuses a parent that is not a top-level category of the site
/// (`NotFound("category")`), or a category that has sub-categories of its own
/// going under another (`Conflict("category_children")`).
async fn check_parent(
    conn: &mut AnyConnection,
    site: SiteId,
    parent: CategoryId,
    child: Option<CategoryId>,
) -> Result<()> {
    let p = load(conn, site, parent).await?;
    if p.parent_id.is_some() || Some(parent) == child {
        return Err(Error::NotFound("category"));
    }
    if let Some(child) = child {
        let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM categories WHERE parent_id = $1")
            .bind(child.0)
            .fetch_one(&mut *conn)
            .await?
            .try_get("n")?;
        if n > 0 {
            return Err(Error::Conflict("category_children"));
        }
    }
    Ok(())
}

/// The position after the last sibling under `parent` (none: the top level).
async fn next_position(
    conn: &mut AnyConnection,
    site: SiteId,
    parent: Option<CategoryId>,
) -> Result<i64> {
    Ok(sqlx::query(
        "SELECT COALESCE(MAX(position) + 1, 0) AS p FROM categories \
         WHERE site_id = $1 AND COALESCE(parent_id, 0) = $2",
    )
    .bind(site.0)
    .bind(parent.map_or(0, |p| p.0))
    .fetch_one(&mut *conn)
    .await?
    .try_get("p")?)
}

/// The ids of a category's articles, of any status.
async fn article_ids(conn: &mut AnyConnection, id: CategoryId) -> Result<Vec<i64>> {
    let rows = sqlx::query("SELECT id FROM articles WHERE category_id = $1 ORDER BY id")
        .bind(id.0)
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows
        .iter()
        .map(|r| r.try_get("id"))
        .collect::<Result<_, _>>()?)
}

/// Old slugs of categories (and of deleted ones, leading to the category that took
/// their articles).
const CATEGORY_SLUGS: SlugHistory = SlugHistory {
    table: "category_slug_history",
    owner: "category_id",
};

fn category_from_row(row: &sqlx::any::AnyRow) -> Result<Category> {
    Ok(Category {
        id: CategoryId(row.try_get("id")?),
        site_id: SiteId(row.try_get("site_id")?),
        slug: row.try_get("slug")?,
        name: row.try_get("name")?,
        position: row.try_get("position")?,
        parent_id: row.try_get::<Option<i64>, _>("parent_id")?.map(CategoryId),
        description: row.try_get("description")?,
        hidden: row.try_get::<i64, _>("hidden")? != 0,
    })
}
