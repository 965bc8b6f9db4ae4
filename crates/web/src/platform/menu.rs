//! The main menu. Features register what a menu item may lead to (a
//! [`MenuKind`]: a site's categories, its pages; or a module's own page, a
//! [`ModulePage`] such as the exam lookup), and the site's administrators arrange
//! items of those kinds, links and headings (`domain::MenuItem`). Here an
//! arranged menu becomes the links every page shows ([`NavItem`]); a site that
//! arranged none gets the default: the targets of the kinds that offer
//! themselves for it, nested as they nest (sub-categories under their category).
//!
//! Nothing here knows a feature: a new module adds its page to the menu's
//! choices with one `Parts::menu_page` call in its `install`.

use crate::platform::site::SiteCtx;
use domain::{MENU_GROUP, MENU_LINK, MenuItem};
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use store::Store;

/// A place a menu item can lead to.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct MenuTarget {
    /// Which one of its kind (what `MenuItem::target` stores): an id or a key.
    pub id: String,
    /// Its own name, shown when the item names none.
    pub label: String,
    /// Where it is.
    pub url: String,
    /// The target of the same kind it belongs under (a sub-category's category):
    /// the default menu puts it in that one's dropdown.
    pub parent: Option<String>,
}

/// A site's targets of one kind, being listed.
pub(crate) type TargetsFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Vec<MenuTarget>, store::Error>> + Send + 'a>>;

/// Lists a site's targets of one kind.
pub(crate) type TargetsFn = for<'a> fn(&'a Store, &'a SiteCtx) -> TargetsFuture<'a>;

/// A kind of menu target a feature offers: each of a site's categories, pages …
pub(crate) struct MenuKind {
    /// What `MenuItem::kind` stores ("chuyen-muc").
    pub key: &'static str,
    /// How the back office names the kind ("Chuyên mục").
    pub group: &'static str,
    /// Whether a site that arranged no menu shows these targets.
    pub in_default: bool,
    /// The site's targets, in menu order.
    pub list: TargetsFn,
}

/// A module's own page ("Tra cứu điểm thi"): the same on every site.
pub(crate) struct ModulePage {
    /// What `MenuItem::target` stores ("tra-cuu-diem-thi").
    pub key: &'static str,
    /// Its name.
    pub label: &'static str,
    /// Its address.
    pub path: &'static str,
    /// Whether a site that arranged no menu shows it (after the other defaults).
    pub in_default: bool,
}

/// The kind of items that lead to a module's page.
pub(crate) const MODULE_KIND: &str = "chuc-nang";
/// How the back office names module pages.
const MODULE_GROUP: &str = "Trang chức năng";

/// What the features registered: every kind of target a menu item may have.
#[derive(Default)]
pub(crate) struct MenuRegistry {
    kinds: Vec<MenuKind>,
    pages: Vec<ModulePage>,
}

/// A site's targets, by kind, as the back office offers them.
pub(crate) struct TargetGroup {
    /// The kind's key.
    pub kind: &'static str,
    /// Its name.
    pub group: &'static str,
    /// The targets, in menu order.
    pub targets: Vec<MenuTarget>,
}

/// Every target a site's menu may lead to, found by kind and id.
pub(crate) struct Catalogue {
    pub groups: Vec<TargetGroup>,
    by_key: HashMap<(String, String), (usize, usize)>,
}

impl Catalogue {
    fn new(groups: Vec<TargetGroup>) -> Catalogue {
        let mut by_key = HashMap::new();
        for (g, group) in groups.iter().enumerate() {
            for (t, target) in group.targets.iter().enumerate() {
                by_key.insert((group.kind.to_owned(), target.id.clone()), (g, t));
            }
        }
        Catalogue { groups, by_key }
    }

    /// The target of `kind` with `id`, and the name of its kind.
    pub fn find(&self, kind: &str, id: &str) -> Option<(&'static str, &MenuTarget)> {
        let &(g, t) = self.by_key.get(&(kind.to_owned(), id.to_owned()))?;
        let group = &self.groups[g];
        Some((group.group, &group.targets[t]))
    }
}

/// A link of the menu as pages show it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NavItem {
    pub label: String,
    /// None: a heading that only opens its dropdown.
    pub url: Option<String>,
    pub children: Vec<NavItem>,
}

impl MenuRegistry {
    /// Registers a kind of target.
    pub(crate) fn kind(&mut self, kind: MenuKind) {
        self.kinds.push(kind);
    }

    /// Registers a module's page.
    pub(crate) fn page(&mut self, page: ModulePage) {
        self.pages.push(page);
    }

    /// Every target `site` may lead to; only the kinds of the default menu when
    /// `default_only`.
    pub(crate) async fn catalogue(
        &self,
        store: &Store,
        site: &SiteCtx,
        default_only: bool,
    ) -> Result<Catalogue, store::Error> {
        let mut groups = Vec::with_capacity(self.kinds.len() + 1);
        for kind in self.kinds.iter().filter(|k| k.in_default || !default_only) {
            groups.push(TargetGroup {
                kind: kind.key,
                group: kind.group,
                targets: (kind.list)(store, site).await?,
            });
        }
        groups.push(TargetGroup {
            kind: MODULE_KIND,
            group: MODULE_GROUP,
            targets: self
                .pages
                .iter()
                .filter(|p| p.in_default || !default_only)
                .map(|p| MenuTarget {
                    id: p.key.to_owned(),
                    label: p.label.to_owned(),
                    url: p.path.to_owned(),
                    parent: None,
                })
                .collect(),
        });
        Ok(Catalogue::new(groups))
    }

    /// The menu of a site that arranged none: the default kinds' targets in order,
    /// each under its parent, then the default module pages.
    pub(crate) fn default_items(&self, catalogue: &Catalogue) -> Vec<MenuItem> {
        let mut items = Vec::new();
        for group in &catalogue.groups {
            let in_default = |t: &MenuTarget| {
                if group.kind == MODULE_KIND {
                    self.pages.iter().any(|p| p.key == t.id && p.in_default)
                } else {
                    self.kinds
                        .iter()
                        .any(|k| k.key == group.kind && k.in_default)
                }
            };
            let item = |t: &MenuTarget| MenuItem {
                kind: group.kind.to_owned(),
                target: t.id.clone(),
                ..MenuItem::default()
            };
            for top in group
                .targets
                .iter()
                .filter(|t| t.parent.is_none() && in_default(t))
            {
                items.push(MenuItem {
                    children: group
                        .targets
                        .iter()
                        .filter(|t| t.parent.as_ref() == Some(&top.id))
                        .map(item)
                        .collect(),
                    ..item(top)
                });
            }
        }
        items
    }

    /// The links `site` shows: its arranged menu (`None`: the default).
    pub(crate) async fn resolve(
        &self,
        store: &Store,
        site: &SiteCtx,
        arranged: Option<&[MenuItem]>,
    ) -> Result<Vec<NavItem>, store::Error> {
        let catalogue = self.catalogue(store, site, arranged.is_none()).await?;
        let default;
        let items = match arranged {
            Some(items) => items,
            None => {
                default = self.default_items(&catalogue);
                &default
            }
        };
        Ok(nav_items(items, &catalogue))
    }
}

/// The name and address an item shows, or none when what it led to is gone (a
/// deleted page, a hidden category).
pub(crate) fn describe(item: &MenuItem, catalogue: &Catalogue) -> Option<(String, Option<String>)> {
    let named = |own: &str| {
        if item.label.is_empty() {
            own.to_owned()
        } else {
            item.label.clone()
        }
    };
    match item.kind.as_str() {
        MENU_LINK => Some((named(&item.target), Some(item.target.clone()))),
        MENU_GROUP => (!item.label.is_empty()).then(|| (item.label.clone(), None)),
        kind => catalogue
            .find(kind, &item.target)
            .map(|(_, t)| (named(&t.label), Some(t.url.clone()))),
    }
}

/// The items that still lead somewhere, as links; a heading with no link left
/// under it goes too.
fn nav_items(items: &[MenuItem], catalogue: &Catalogue) -> Vec<NavItem> {
    items
        .iter()
        .filter_map(|item| {
            let (label, url) = describe(item, catalogue)?;
            let children = nav_items(&item.children, catalogue);
            (url.is_some() || !children.is_empty()).then_some(NavItem {
                label,
                url,
                children,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(id: &str, parent: Option<&str>) -> MenuTarget {
        MenuTarget {
            id: id.into(),
            label: id.to_uppercase(),
            url: format!("/x/{id}"),
            parent: parent.map(str::to_owned),
        }
    }

    fn catalogue() -> Catalogue {
        Catalogue::new(vec![
            TargetGroup {
                kind: "chuyen-muc",
                group: "Chuyên mục",
                targets: vec![
                    target("a", None),
                    target("b", None),
                    target("b1", Some("b")),
                ],
            },
            TargetGroup {
                kind: MODULE_KIND,
                group: MODULE_GROUP,
                targets: vec![target("tra-cuu", None)],
            },
        ])
    }

    fn item(kind: &str, target: &str, label: &str) -> MenuItem {
        MenuItem {
            kind: kind.into(),
            target: target.into(),
            label: label.into(),
            children: Vec::new(),
        }
    }

    #[test]
    fn the_default_menu_nests_targets_under_their_parents() {
        let mut registry = MenuRegistry::default();
        registry.kind(MenuKind {
            key: "chuyen-muc",
            group: "Chuyên mục",
            in_default: true,
            list: |_, _| Box::pin(async { Ok(Vec::new()) }),
        });
        registry.page(ModulePage {
            key: "tra-cuu",
            label: "Tra cứu",
            path: "/x/tra-cuu",
            in_default: true,
        });
        registry.page(ModulePage {
            key: "tim-kiem",
            label: "Tìm kiếm",
            path: "/tim-kiem",
            in_default: false,
        });
        let mut c = catalogue();
        c.groups[1].targets.push(target("tim-kiem", None));
        let c = Catalogue::new(c.groups);
        let items = registry.default_items(&c);
        let nav = nav_items(&items, &c);
        let shape: Vec<(String, usize)> = nav
            .iter()
            .map(|n| (n.label.clone(), n.children.len()))
            .collect();
        assert_eq!(
            shape,
            [
                ("A".to_owned(), 0),
                ("B".to_owned(), 1),
                ("TRA-CUU".to_owned(), 0)
            ]
        );
        assert_eq!(nav[1].children[0].url.as_deref(), Some("/x/b1"));
    }

    #[test]
    fn arranged_items_show_their_own_names_and_lose_what_is_gone() {
        let c = catalogue();
        let mut group = item(MENU_GROUP, "", "Giới thiệu");
        group.children = vec![
            item("chuyen-muc", "da-xoa", ""),
            item(MENU_LINK, "https://moet.gov.vn", "Bộ Giáo dục và Đào tạo"),
        ];
        let mut empty_group = item(MENU_GROUP, "", "Trống");
        empty_group.children = vec![item("trang", "9", "")];
        let items = vec![
            item("chuyen-muc", "b", "Tin tức"),
            group,
            empty_group,
            item("chuyen-muc", "khong-co", ""),
        ];
        let nav = nav_items(&items, &c);
        assert_eq!(nav.len(), 2, "{nav:?}");
        assert_eq!(nav[0].label, "Tin tức");
        assert_eq!(nav[0].url.as_deref(), Some("/x/b"));
        assert_eq!(nav[1].url, None);
        assert_eq!(nav[1].children.len(), 1);
        assert_eq!(nav[1].children[0].label, "Bộ Giáo dục và Đào tạo");
    }
}
