//! Units of the province and the sites they run: the back office's list, a school
//! made with its site in one step, hosts, suspension, and the import of a sheet
//! of units (all or nothing). Every change writes an audit entry.

use crate::change::{AuditNote, write_audit};
use crate::error::on_unique;
use crate::query::Sql;
use crate::sites::{insert_site, write_hosts};
use crate::{Error, Result, Store};
use domain::{Role, SiteId, SiteSettings, Unit, UnitId, UnitKind, UserId};
use sqlx::Row;
use std::collections::HashMap;

/// A unit as the back office lists it.
#[derive(Debug, Clone)]
pub struct UnitRow {
    /// The unit.
    pub unit: Unit,
    /// Its parent's name.
    pub parent_name: Option<String>,
    /// Its site's key, main host and whether it is suspended.
    pub site: Option<UnitSite>,
}

/// A unit's site, as lists show it.
#[derive(Debug, Clone)]
pub struct UnitSite {
    /// The site.
    pub id: SiteId,
    /// Its main host, if it has any.
    pub main_host: Option<String>,
    /// Suspended.
    pub suspended: bool,
}

/// What the unit list is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct UnitFilter {
    /// Words of the name or the key, with or without tone marks.
    pub query: String,
    /// Only this kind.
    pub kind: Option<UnitKind>,
    /// Only units directly under this one.
    pub parent: Option<UnitId>,
}

/// A unit to create, as typed in the form or read from a sheet: checked by
/// [`Store::prepare_units`] before anything is written.
#[derive(Debug, Clone, Default)]
pub struct UnitDraft {
    /// Name.
    pub name: String,
    /// Key (empty: made from the name).
    pub key: String,
    /// Kind, as typed ("THPT", "thpt", "Trường THPT").
    pub kind: String,
    /// Parent: a unit's key or exact name, existing or in the same batch; empty: none.
    pub parent: String,
    /// Host names (empty: no site).
    pub hosts: Vec<String>,
    /// The site's other hosts answer 301 to the main one.
    pub redirect_to_main: bool,
}

/// A checked unit, ready to write.
#[derive(Debug, Clone)]
pub struct NewUnit {
    /// Key.
    pub key: String,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: UnitKind,
    /// An existing parent.
    pub parent: Option<UnitId>,
    /// A parent made in the same batch, by its index there.
    pub parent_in_batch: Option<usize>,
    /// Its site's hosts, checked and free; none: no site.
    pub hosts: Vec<String>,
    /// Its site's other hosts answer 301 to the main one.
    pub redirect_to_main: bool,
}

/// The first administrator of a new site.
#[derive(Debug, Clone)]
pub enum FirstAdmin {
    /// An existing account, by id.
    Existing(UserId),
    /// A new account.
    New {
        /// Login name (checked).
        username: String,
        /// Full name.
        full_name: String,
        /// Its password's hash.
        password_hash: String,
    },
}

/// The categories a new site starts with, so it can publish at once.
const FIRST_CATEGORIES: [(&str, &str); 2] = [
    ("tin-hoat-dong", "Tin hoạt động"),
    ("thong-bao", "Thông báo"),
];

fn unit_from_row(row: &sqlx::any::AnyRow) -> Result<Unit> {
    let kind: String = row.try_get("kind")?;
    Ok(Unit {
        id: UnitId(row.try_get("id")?),
        key: row.try_get("unit_key")?,
        name: row.try_get("name")?,
        kind: UnitKind::parse(&kind)
            .ok_or_else(|| Error::Corrupt(format!("unit kind {kind:?}")))?,
        parent: row.try_get::<Option<i64>, _>("parent_id")?.map(UnitId),
        site: row.try_get::<Option<i64>, _>("site_id")?.map(SiteId),
    })
}

const ROW_COLUMNS: &str = "u.id, u.unit_key, u.name, u.kind, u.parent_id, u.site_id, \
     p.name AS parent_name, s.suspended_at, \
     (SELECT h.host FROM site_hosts h WHERE h.site_id = u.site_id ORDER BY h.position, h.host LIMIT 1) AS main_host";
const ROW_FROM: &str =
    " FROM units u LEFT JOIN units p ON p.id = u.parent_id LEFT JOIN sites s ON s.id = u.site_id";

fn unit_row(row: &sqlx::any::AnyRow) -> Result<UnitRow> {
    let unit = unit_from_row(row)?;
    let site = match unit.site {
        Some(id) => Some(UnitSite {
            id,
            main_host: row.try_get("main_host")?,
            suspended: row.try_get::<Option<i64>, _>("suspended_at")?.is_some(),
        }),
        None => None,
    };
    Ok(UnitRow {
        parent_name: row.try_get("parent_name")?,
        site,
        unit,
    })
}

/// The folded form names are searched by.
fn folded(s: &str) -> String {
    vntext::fold_lower(s)
}

impl Store {
    /// A page of units, by name, with how many match in all.
    pub async fn units_page(
        &self,
        filter: &UnitFilter,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<UnitRow>, i64)> {
        let conditions = |sql: &mut Sql<'_>| {
            sql.push(" WHERE 1 = 1");
            for word in folded(&filter.query).split_whitespace() {
                let pattern = format!("%{}%", word.replace(['%', '_'], ""));
                sql.push(" AND (u.name_folded LIKE ")
                    .bind(pattern.clone())
                    .push(" OR u.unit_key LIKE ")
                    .bind(pattern)
                    .push(")");
            }
            if let Some(k) = filter.kind {
                sql.push(" AND u.kind = ").bind(k.as_str());
            }
            if let Some(p) = filter.parent {
                sql.push(" AND u.parent_id = ").bind(p.0);
            }
        };
        let mut count = Sql::new("SELECT COUNT(*) AS n FROM units u");
        conditions(&mut count);
        let total: i64 = count
            .query()
            .fetch_one(self.db_read())
            .await?
            .try_get("n")?;
        let mut page = Sql::new("SELECT ");
        page.push(ROW_COLUMNS).push(ROW_FROM);
        conditions(&mut page);
        page.push(" ORDER BY u.name_folded, u.id LIMIT ")
            .bind(limit)
            .push(" OFFSET ")
            .bind(offset);
        let rows = page.query().fetch_all(self.db_read()).await?;
        let rows = rows.iter().map(unit_row).collect::<Result<Vec<_>>>()?;
        Ok((rows, total))
    }

    /// One unit, as lists show it.
    pub async fn unit(&self, id: UnitId) -> Result<Option<UnitRow>> {
        let sql = format!("SELECT {ROW_COLUMNS}{ROW_FROM} WHERE u.id = $1");
        let row = sqlx::query(&sql)
            .bind(id.0)
            .fetch_optional(self.db_read())
            .await?;
        row.as_ref().map(unit_row).transpose()
    }

    /// Every unit, by name (the directory, the tree, the demo).
    pub async fn units(&self) -> Result<Vec<Unit>> {
        let rows = sqlx::query(
            "SELECT id, unit_key, name, kind, parent_id, site_id FROM units ORDER BY name_folded, id",
        )
        .fetch_all(self.db_read())
        .await?;
        rows.iter().map(unit_from_row).collect()
    }

    /// The units others may hang under: every unit that is not a school.
    pub async fn parent_choices(&self) -> Result<Vec<Unit>> {
        Ok(self
            .units()
            .await?
            .into_iter()
            .filter(|u| !u.kind.is_school())
            .collect())
    }

    /// The unit that runs a site, if one does.
    pub async fn unit_of_site(&self, site: SiteId) -> Result<Option<Unit>> {
        let row = sqlx::query(
            "SELECT id, unit_key, name, kind, parent_id, site_id FROM units WHERE site_id = $1",
        )
        .bind(site.0)
        .fetch_optional(self.db_read())
        .await?;
        row.as_ref().map(unit_from_row).transpose()
    }

    /// Which site holds a host, with its name, if any.
    pub async fn host_owner(&self, host: &str) -> Result<Option<(SiteId, String)>> {
        let row = sqlx::query(
            "SELECT s.id, s.settings FROM site_hosts h JOIN sites s ON s.id = h.site_id WHERE h.host = $1",
        )
        .bind(host)
        .fetch_optional(self.db_read())
        .await?;
        let Some(row) = row else { return Ok(None) };
        let settings: String = row.try_get("settings")?;
        let name = serde_json::from_str::<SiteSettings>(&settings)
            .map(|s| s.name)
            .unwrap_or_default();
        Ok(Some((SiteId(row.try_get("id")?), name)))
    }

    /// Checks host names typed for `site` (none: a new site): each valid, none
    /// twice, none held by another site. The checked names, or the problems.
    pub async fn check_hosts(
        &self,
        typed: &[String],
        site: Option<SiteId>,
    ) -> Result<Result<Vec<String>, Vec<String>>> {
        let mut hosts = Vec::new();
        let mut problems = Vec::new();
        for t in typed.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
            match domain::check_host(t) {
                Ok(h) if hosts.contains(&h) => {
                    problems.push(format!("Tên miền “{h}” được ghi hai lần."))
                }
                Ok(h) => match self.host_owner(&h).await? {
                    Some((owner, name)) if Some(owner) != site => problems.push(format!(
                        "Tên miền “{h}” đang thuộc trang “{name}”; mỗi tên miền chỉ thuộc một trang. Hãy gỡ nó khỏi trang đó trước."
                    )),
                    _ => hosts.push(h),
                },
                Err(m) => problems.push(m),
            }
        }
        Ok(if problems.is_empty() {
            Ok(hosts)
        } else {
            Err(problems)
        })
    }

    /// Checks a batch of units to create: names, keys (free, not twice), kinds,
    /// parents (existing or in the batch), hosts (valid, free, not twice).
    /// Problems come with the draft's index.
    pub async fn prepare_units(
        &self,
        drafts: &[UnitDraft],
    ) -> Result<Result<Vec<NewUnit>, Vec<(usize, String)>>> {
        let existing = self.units().await?;
        let by_key: HashMap<&str, &Unit> = existing.iter().map(|u| (u.key.as_str(), u)).collect();
        let mut by_name: HashMap<String, Vec<&Unit>> = HashMap::new();
        for u in &existing {
            by_name.entry(folded(&u.name)).or_default().push(u);
        }
        let keys: Vec<String> = drafts
            .iter()
            .map(|d| {
                let key = vntext::clean_line(&d.key);
                if key.is_empty() {
                    vntext::slugify(&d.name)
                } else {
                    key
                }
            })
            .collect();
        let mut problems = Vec::new();
        let mut out = Vec::new();
        let mut hosts_seen: HashMap<String, usize> = HashMap::new();
        for (i, d) in drafts.iter().enumerate() {
            let name = vntext::clean_line(&d.name);
            let key = keys[i].clone();
            let mut bad = |m: String| problems.push((i, m));
            if let Err(m) = domain::check_unit_name(&name) {
                bad(m);
            }
            if let Err(m) = domain::check_unit_key(&key) {
                bad(m);
            } else if by_key.contains_key(key.as_str()) {
                bad(format!("Mã “{key}” đã có đơn vị dùng."));
            } else if let Some(j) = keys[..i].iter().position(|k| *k == key) {
                bad(format!(
                    "Mã “{key}” trùng với đơn vị thứ {} trong danh sách.",
                    j + 1
                ));
            }
            let kind = UnitKind::parse(&d.kind);
            if kind.is_none() {
                let kinds: Vec<&str> = UnitKind::ALL.iter().map(|k| k.label()).collect();
                bad(if d.kind.trim().is_empty() {
                    format!("Chưa ghi loại đơn vị ({}).", kinds.join(", "))
                } else {
                    format!(
                        "Loại “{}” không rõ; hãy ghi một trong: {}.",
                        d.kind.trim(),
                        kinds.join(", ")
                    )
                });
            }
            let (mut parent, mut parent_in_batch) = (None, None);
            let wanted = vntext::clean_line(&d.parent);
            if !wanted.is_empty() {
                if let Some(u) = by_key.get(wanted.as_str()) {
                    parent = Some(u.id);
                } else if let Some(j) = keys.iter().position(|k| *k == wanted).or_else(|| {
                    drafts
                        .iter()
                        .position(|o| folded(&vntext::clean_line(&o.name)) == folded(&wanted))
                }) {
                    if j == i {
                        bad("Đơn vị không thể là đơn vị cấp trên của chính nó.".to_owned());
                    } else {
                        parent_in_batch = Some(j);
                    }
                } else {
                    match by_name.get(&folded(&wanted)).map(Vec::as_slice) {
                        Some([u]) => parent = Some(u.id),
                        Some([_, _, ..]) => bad(format!(
                            "Có nhiều đơn vị tên “{wanted}”; hãy ghi mã của đơn vị cấp trên."
                        )),
                        _ => bad(format!(
                            "Không tìm thấy đơn vị cấp trên “{wanted}” (ghi mã hoặc đúng tên)."
                        )),
                    }
                }
            }
            let hosts = match self.check_hosts(&d.hosts, None).await? {
                Ok(hosts) => {
                    for h in &hosts {
                        if let Some(j) = hosts_seen.insert(h.clone(), i) {
                            bad(format!(
                                "Tên miền “{h}” trùng với đơn vị thứ {} trong danh sách.",
                                j + 1
                            ));
                        }
                    }
                    hosts
                }
                Err(ms) => {
                    for m in ms {
                        bad(m);
                    }
                    Vec::new()
                }
            };
            if let Some(kind) = kind {
                out.push(NewUnit {
                    key,
                    name,
                    kind,
                    parent,
                    parent_in_batch,
                    hosts,
                    redirect_to_main: d.redirect_to_main,
                });
            }
        }
        // A batch whose parents go round in a circle has no first unit.
        if problems.is_empty() && order(&out).is_none() {
            problems.push((
                0,
                "Các đơn vị cấp trên trong danh sách vòng quanh nhau.".to_owned(),
            ));
        }
        Ok(if problems.is_empty() {
            Ok(out)
        } else {
            Err(problems)
        })
    }

    /// Writes checked units (parents first), each with its site when it has
    /// hosts, in one transaction: all or none. `admin` becomes the administrator
    /// of the first unit's site (the back office's form makes one unit at a time).
    /// The new units' ids, in the batch's order.
    pub async fn create_units(
        &self,
        units: &[NewUnit],
        admin: Option<&FirstAdmin>,
        note: AuditNote<'_>,
        now: i64,
    ) -> Result<Vec<UnitId>> {
        let order = order(units).ok_or(Error::Conflict("unit_parent"))?;
        let mut ids: Vec<Option<UnitId>> = vec![None; units.len()];
        let mut tx = self.begin_write().await?;
        for i in order {
            let u = &units[i];
            let site = if u.hosts.is_empty() {
                None
            } else {
                let settings = SiteSettings {
                    name: u.name.clone(),
                    ..Default::default()
                };
                let site = insert_site(&mut tx, &u.key, false, &u.hosts, &settings, now).await?;
                first_categories(&mut tx, site).await?;
                if u.redirect_to_main {
                    sqlx::query("UPDATE sites SET redirect_to_main = 1 WHERE id = $1")
                        .bind(site.0)
                        .execute(&mut *tx)
                        .await?;
                }
                if i == 0
                    && let Some(admin) = admin
                {
                    let user = match admin {
                        FirstAdmin::Existing(u) => *u,
                        FirstAdmin::New {
                            username,
                            full_name,
                            password_hash,
                        } => UserId(
                            sqlx::query(
                                "INSERT INTO users (username, full_name, password_hash, is_super, active, created_at, password_changed_at) \
                                 VALUES ($1, $2, $3, 0, 1, $4, $4) RETURNING id",
                            )
                            .bind(username)
                            .bind(vntext::clean_line(full_name))
                            .bind(password_hash)
                            .bind(now)
                            .fetch_one(&mut *tx)
                            .await
                            .map_err(on_unique("username"))?
                            .try_get("id")?,
                        ),
                    };
                    sqlx::query(
                        "INSERT INTO user_roles (user_id, site_id, role) VALUES ($1, $2, $3) \
                         ON CONFLICT (user_id, site_id) DO UPDATE SET role = excluded.role",
                    )
                    .bind(user.0)
                    .bind(site.0)
                    .bind(Role::Admin.as_str())
                    .execute(&mut *tx)
                    .await?;
                }
                Some(site)
            };
            let parent = u.parent.or(u.parent_in_batch.and_then(|j| ids[j]));
            let id: i64 = sqlx::query(
                "INSERT INTO units (unit_key, name, name_folded, kind, parent_id, site_id, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(&u.key)
            .bind(&u.name)
            .bind(folded(&u.name))
            .bind(u.kind.as_str())
            .bind(parent.map(|p| p.0))
            .bind(site.map(|s| s.0))
            .bind(now)
            .fetch_one(&mut *tx)
            .await
            .map_err(on_unique("unit_key"))?
            .try_get("id")?;
            ids[i] = Some(UnitId(id));
            let detail = match (&site, u.hosts.first()) {
                (Some(_), Some(host)) => format!("{} ({}), trang {host}", u.name, u.key),
                _ => format!("{} ({})", u.name, u.key),
            };
            let action = if site.is_some() {
                "tạo đơn vị và trang"
            } else {
                "tạo đơn vị"
            };
            let note = AuditNote { action, ..note };
            write_audit(&mut tx, site, note, &detail, now).await?;
        }
        // Pages gathered across the province (the directory, the units' news)
        // are checked against every site's version: move one.
        sqlx::query("UPDATE sites SET content_version = content_version + 1 WHERE is_default = 1")
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(ids.into_iter().flatten().collect())
    }

    /// Changes a unit's name, kind and parent. The parent may not be the unit
    /// itself or one under it (the tree stays a tree).
    pub async fn update_unit(
        &self,
        id: UnitId,
        name: &str,
        kind: UnitKind,
        parent: Option<UnitId>,
        note: AuditNote<'_>,
        now: i64,
    ) -> Result<()> {
        let units = self.units().await?;
        let parent_of: HashMap<UnitId, Option<UnitId>> =
            units.iter().map(|u| (u.id, u.parent)).collect();
        let mut at = parent;
        let mut steps = 0;
        while let Some(p) = at {
            if p == id || steps > units.len() {
                return Err(Error::Conflict("unit_parent"));
            }
            at = parent_of.get(&p).copied().flatten();
            steps += 1;
        }
        let name = vntext::clean_line(name);
        let mut tx = self.begin_write().await?;
        let changed = sqlx::query(
            "UPDATE units SET name = $1, name_folded = $2, kind = $3, parent_id = $4 WHERE id = $5",
        )
        .bind(&name)
        .bind(folded(&name))
        .bind(kind.as_str())
        .bind(parent.map(|p| p.0))
        .bind(id.0)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(Error::NotFound("unit"));
        }
        let site: Option<i64> = sqlx::query("SELECT site_id FROM units WHERE id = $1")
            .bind(id.0)
            .fetch_one(&mut *tx)
            .await?
            .try_get("site_id")?;
        let note = AuditNote {
            action: "sửa đơn vị",
            ..note
        };
        write_audit(&mut tx, site.map(SiteId), note, &name, now).await?;
        sqlx::query("UPDATE sites SET content_version = content_version + 1 WHERE is_default = 1")
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Replaces a site's hosts (checked with [`Store::check_hosts`]; the first is
    /// the main one) and whether the others answer 301 to it.
    pub async fn set_site_hosts(
        &self,
        site: SiteId,
        hosts: &[String],
        redirect_to_main: bool,
        note: AuditNote<'_>,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        write_hosts(&mut tx, site, hosts).await?;
        sqlx::query("UPDATE sites SET redirect_to_main = $1, content_version = content_version + 1 WHERE id = $2")
            .bind(i64::from(redirect_to_main))
            .bind(site.0)
            .execute(&mut *tx)
            .await?;
        let detail = format!(
            "{}{}",
            hosts.join(", "),
            if redirect_to_main {
                " (các tên miền khác chuyển về tên miền chính)"
            } else {
                ""
            }
        );
        let note = AuditNote {
            action: "sửa tên miền",
            ..note
        };
        write_audit(&mut tx, Some(site), note, &detail, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A first install without the demo: the department as a unit with the
    /// default site on `hosts` (its first categories) and a super-administrator,
    /// in one transaction. Only on an empty installation.
    pub async fn first_install(
        &self,
        name: &str,
        hosts: &[String],
        admin_username: &str,
        admin_full_name: &str,
        password_hash: &str,
        now: i64,
    ) -> Result<SiteId> {
        let name = vntext::clean_line(name);
        let mut tx = self.begin_write().await?;
        let sites: i64 = sqlx::query("SELECT COUNT(*) AS n FROM sites")
            .fetch_one(&mut *tx)
            .await?
            .try_get("n")?;
        if sites > 0 {
            return Err(Error::Conflict("installation"));
        }
        let settings = SiteSettings {
            name: name.clone(),
            tagline: "Cổng thông tin điện tử".to_owned(),
            ..Default::default()
        };
        let site = insert_site(&mut tx, "so", true, hosts, &settings, now).await?;
        first_categories(&mut tx, site).await?;
        sqlx::query(
            "INSERT INTO units (unit_key, name, name_folded, kind, parent_id, site_id, created_at) \
             VALUES ('so', $1, $2, $3, NULL, $4, $5)",
        )
        .bind(&name)
        .bind(folded(&name))
        .bind(UnitKind::Department.as_str())
        .bind(site.0)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let user: i64 = sqlx::query(
            "INSERT INTO users (username, full_name, password_hash, is_super, active, created_at, password_changed_at) \
             VALUES ($1, $2, $3, 1, 1, $4, $4) RETURNING id",
        )
        .bind(admin_username)
        .bind(vntext::clean_line(admin_full_name))
        .bind(password_hash)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(on_unique("username"))?
        .try_get("id")?;
        let note = AuditNote {
            user: None,
            action: "cài đặt lần đầu",
            ip: crate::COMMAND_LINE,
        };
        let detail = format!("{name}; quản trị hệ thống {admin_username} (#{user})");
        write_audit(&mut tx, Some(site), note, &detail, now).await?;
        tx.commit().await?;
        Ok(site)
    }

    /// Makes an existing site the site of a unit (the demo, whose sites come first).
    pub async fn attach_site(&self, unit: UnitId, site: SiteId) -> Result<()> {
        sqlx::query("UPDATE units SET site_id = $1 WHERE id = $2")
            .bind(site.0)
            .bind(unit.0)
            .execute(self.db_write())
            .await
            .map_err(on_unique("unit_site"))?;
        Ok(())
    }

    /// Gives a unit that has none a site on `hosts` (checked), named after it,
    /// with the first categories.
    pub async fn give_unit_a_site(
        &self,
        unit: UnitId,
        hosts: &[String],
        redirect_to_main: bool,
        note: AuditNote<'_>,
        now: i64,
    ) -> Result<SiteId> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query("SELECT unit_key, name, site_id FROM units WHERE id = $1")
            .bind(unit.0)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(Error::NotFound("unit"))?;
        if row.try_get::<Option<i64>, _>("site_id")?.is_some() {
            return Err(Error::Conflict("unit_site"));
        }
        let (key, name): (String, String) = (row.try_get("unit_key")?, row.try_get("name")?);
        let settings = SiteSettings {
            name: name.clone(),
            ..Default::default()
        };
        let site = insert_site(&mut tx, &key, false, hosts, &settings, now).await?;
        first_categories(&mut tx, site).await?;
        sqlx::query("UPDATE sites SET redirect_to_main = $1 WHERE id = $2")
            .bind(i64::from(redirect_to_main))
            .bind(site.0)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE units SET site_id = $1 WHERE id = $2")
            .bind(site.0)
            .bind(unit.0)
            .execute(&mut *tx)
            .await?;
        let note = AuditNote {
            action: "tạo trang cho đơn vị",
            ..note
        };
        write_audit(
            &mut tx,
            Some(site),
            note,
            &format!("{name}: {}", hosts.join(", ")),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(site)
    }

    /// Suspends a site (its pages answer "tạm ngừng hoạt động"; nothing is
    /// deleted) or resumes it.
    pub async fn set_site_suspended(
        &self,
        site: SiteId,
        suspended: bool,
        note: AuditNote<'_>,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let changed = sqlx::query(
            "UPDATE sites SET suspended_at = $1, content_version = content_version + 1 WHERE id = $2",
        )
        .bind(suspended.then_some(now))
        .bind(site.0)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(Error::NotFound("site"));
        }
        let note = AuditNote {
            action: if suspended {
                "tạm ngừng trang"
            } else {
                "mở lại trang"
            },
            ..note
        };
        write_audit(&mut tx, Some(site), note, "", now).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// The categories a new site starts with.
async fn first_categories(conn: &mut sqlx::AnyConnection, site: SiteId) -> Result<()> {
    for (position, (slug, name)) in FIRST_CATEGORIES.iter().enumerate() {
        sqlx::query(
            "INSERT INTO categories (site_id, slug, name, position) VALUES ($1, $2, $3, $4)",
        )
        .bind(site.0)
        .bind(*slug)
        .bind(*name)
        .bind(position as i64)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The batch's indices, parents before children; `None` when parents in the
/// batch go round in a circle.
fn order(units: &[NewUnit]) -> Option<Vec<usize>> {
    let mut done = vec![false; units.len()];
    let mut out = Vec::with_capacity(units.len());
    while out.len() < units.len() {
        let before = out.len();
        for (i, u) in units.iter().enumerate() {
            if !done[i] && u.parent_in_batch.is_none_or(|j| done[j]) {
                done[i] = true;
                out.push(i);
            }
        }
        if out.len() == before {
            return None;
        }
    }
    Some(out)
}
