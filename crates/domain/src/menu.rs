//! What a site's administrators arrange: the main menu (items, one level of
//! dropdown) and the blocks of the home page. Both are kept per site as a whole
//! list; the kinds of items and blocks are registered by the web layer's features,
//! so nothing here knows categories, pages or modules.

use serde::{Deserialize, Serialize};

/// The kind of a menu item that leads to an address typed by the administrator.
pub const MENU_LINK: &str = "lien-ket";
/// The kind of a menu item that only names its dropdown (no page of its own).
pub const MENU_GROUP: &str = "nhom";

/// An item of a site's main menu.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MenuItem {
    /// What it leads to: a kind a feature registered (a category, a page, a
    /// module's page), [`MENU_LINK`] or [`MENU_GROUP`].
    pub kind: String,
    /// Which one of that kind: an id, a key, or (for a link) the address.
    #[serde(default)]
    pub target: String,
    /// The text shown; empty: the name of what it leads to.
    #[serde(default)]
    pub label: String,
    /// Its dropdown. One level only: a child has no children.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<MenuItem>,
}

/// Where an item is: its place in the bar, and its place in that item's dropdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MenuPlace {
    /// Index in the bar.
    pub top: usize,
    /// Index in the dropdown of `top`, for a child.
    pub child: Option<usize>,
}

impl MenuPlace {
    /// Reads "3" (the fourth item of the bar) or "3.1" (the second child of it).
    pub fn parse(s: &str) -> Option<MenuPlace> {
        let mut parts = s.trim().splitn(2, '.');
        let top = parts.next()?.parse().ok()?;
        let child = match parts.next() {
            Some(c) => Some(c.parse().ok()?),
            None => None,
        };
        Some(MenuPlace { top, child })
    }

    /// As [`MenuPlace::parse`] reads it.
    pub fn key(&self) -> String {
        match self.child {
            Some(c) => format!("{}.{c}", self.top),
            None => self.top.to_string(),
        }
    }
}

/// A change of a menu's shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MenuMove {
    /// One place earlier among its siblings.
    Up,
    /// One place later among its siblings.
    Down,
    /// Into the dropdown of the item before it (at the end).
    Indent,
    /// Out of its dropdown, into the bar just after its parent.
    Outdent,
    /// Gone, with its dropdown.
    Remove,
}

impl MenuMove {
    /// Reads a form's value.
    pub fn parse(s: &str) -> Option<MenuMove> {
        Some(match s {
            "len" => MenuMove::Up,
            "xuong" => MenuMove::Down,
            "vao" => MenuMove::Indent,
            "ra" => MenuMove::Outdent,
            "xoa" => MenuMove::Remove,
            _ => return None,
        })
    }
}

/// Why a move cannot be made, in Vietnamese.
pub type MenuRefusal = &'static str;

/// Makes `change` to the item at `place`, or says why it cannot be made.
pub fn move_menu_item(
    items: &mut Vec<MenuItem>,
    place: MenuPlace,
    change: MenuMove,
) -> Result<(), MenuRefusal> {
    const GONE: &str = "Mục này không còn trong menu; hãy tải lại trang.";
    if place.top >= items.len() {
        return Err(GONE);
    }
    match place.child {
        Some(c) => {
            if c >= items[place.top].children.len() {
                return Err(GONE);
            }
            match change {
                MenuMove::Up | MenuMove::Down => {
                    shift(&mut items[place.top].children, c, change == MenuMove::Up)
                }
                MenuMove::Remove => {
                    items[place.top].children.remove(c);
                    Ok(())
                }
                MenuMove::Outdent => {
                    let item = items[place.top].children.remove(c);
                    items.insert(place.top + 1, item);
                    Ok(())
                }
                MenuMove::Indent => Err("Menu chỉ có một cấp menu con."),
            }
        }
        None => match change {
            MenuMove::Up | MenuMove::Down => shift(items, place.top, change == MenuMove::Up),
            MenuMove::Remove => {
                items.remove(place.top);
                Ok(())
            }
            MenuMove::Outdent => Err("Mục này đã ở trên thanh menu."),
            MenuMove::Indent => {
                if place.top == 0 {
                    return Err("Mục đầu tiên không có mục nào phía trên để vào menu con.");
                }
                if !items[place.top].children.is_empty() {
                    return Err(
                        "Mục này đang có menu con; menu chỉ có một cấp menu con, hãy đưa các mục con ra trước.",
                    );
                }
                let item = items.remove(place.top);
                items[place.top - 1].children.push(item);
                Ok(())
            }
        },
    }
}

/// Moves (up or down) or removes the block at `at`; blocks do not nest.
pub fn move_home_block(
    blocks: &mut Vec<HomeBlock>,
    at: usize,
    change: MenuMove,
) -> Result<(), MenuRefusal> {
    if at >= blocks.len() {
        return Err("Khối này không còn trên trang chủ; hãy tải lại trang.");
    }
    match change {
        MenuMove::Up | MenuMove::Down => shift(blocks, at, change == MenuMove::Up),
        MenuMove::Remove => {
            blocks.remove(at);
            Ok(())
        }
        MenuMove::Indent | MenuMove::Outdent => Err("Các khối trang chủ không lồng vào nhau."),
    }
}

fn shift<T>(list: &mut [T], i: usize, up: bool) -> Result<(), MenuRefusal> {
    if up {
        if i == 0 {
            return Err("Mục này đã ở đầu.");
        }
        list.swap(i, i - 1);
    } else {
        if i + 1 >= list.len() {
            return Err("Mục này đã ở cuối.");
        }
        list.swap(i, i + 1);
    }
    Ok(())
}

/// A block of a site's home page: a kind a feature registered ("tin nổi bật", a
/// category's news, the links …) and what it is set to (the category), if anything.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct HomeBlock {
    /// The kind's key.
    pub kind: String,
    /// Its setting (empty when the kind takes none).
    #[serde(default)]
    pub setting: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(name: &str) -> MenuItem {
        MenuItem {
            kind: MENU_GROUP.into(),
            label: name.into(),
            ..MenuItem::default()
        }
    }

    fn names(items: &[MenuItem]) -> String {
        items
            .iter()
            .map(|i| {
                let kids: Vec<&str> = i.children.iter().map(|c| c.label.as_str()).collect();
                if kids.is_empty() {
                    i.label.clone()
                } else {
                    format!("{}[{}]", i.label, kids.join(","))
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn at(s: &str) -> MenuPlace {
        MenuPlace::parse(s).unwrap()
    }

    #[test]
    fn items_move_indent_and_outdent() {
        let mut m = vec![item("A"), item("B"), item("C")];
        move_menu_item(&mut m, at("2"), MenuMove::Up).unwrap();
        assert_eq!(names(&m), "A C B");
        move_menu_item(&mut m, at("1"), MenuMove::Indent).unwrap();
        assert_eq!(names(&m), "A[C] B");
        move_menu_item(&mut m, at("1"), MenuMove::Indent).unwrap();
        assert_eq!(names(&m), "A[C,B]");
        move_menu_item(&mut m, at("0.1"), MenuMove::Up).unwrap();
        assert_eq!(names(&m), "A[B,C]");
        move_menu_item(&mut m, at("0.0"), MenuMove::Outdent).unwrap();
        assert_eq!(names(&m), "A[C] B");
        move_menu_item(&mut m, at("0.0"), MenuMove::Remove).unwrap();
        assert_eq!(names(&m), "A B");
    }

    #[test]
    fn impossible_moves_are_refused_and_change_nothing() {
        let mut m = vec![item("A"), item("B")];
        move_menu_item(&mut m, at("1"), MenuMove::Indent).unwrap();
        let before = m.clone();
        assert!(move_menu_item(&mut m, at("0"), MenuMove::Up).is_err());
        assert!(move_menu_item(&mut m, at("0"), MenuMove::Down).is_err());
        assert!(move_menu_item(&mut m, at("0"), MenuMove::Indent).is_err());
        assert!(move_menu_item(&mut m, at("0"), MenuMove::Outdent).is_err());
        assert!(move_menu_item(&mut m, at("0.0"), MenuMove::Indent).is_err());
        assert!(move_menu_item(&mut m, at("0.5"), MenuMove::Remove).is_err());
        assert!(move_menu_item(&mut m, at("7"), MenuMove::Remove).is_err());
        assert_eq!(m, before);
        m.push(item("C"));
        // An item with a dropdown cannot go into another's.
        assert!(move_menu_item(&mut m, at("1"), MenuMove::Up).is_ok());
        assert!(move_menu_item(&mut m, at("1"), MenuMove::Indent).is_err());
    }

    #[test]
    fn home_blocks_move_and_go() {
        let block = |k: &str| HomeBlock {
            kind: k.into(),
            setting: String::new(),
        };
        let mut b = vec![block("a"), block("b"), block("c")];
        move_home_block(&mut b, 2, MenuMove::Up).unwrap();
        move_home_block(&mut b, 0, MenuMove::Remove).unwrap();
        let kinds: Vec<&str> = b.iter().map(|b| b.kind.as_str()).collect();
        assert_eq!(kinds, ["c", "b"]);
        assert!(move_home_block(&mut b, 1, MenuMove::Down).is_err());
        assert!(move_home_block(&mut b, 0, MenuMove::Indent).is_err());
        assert!(move_home_block(&mut b, 5, MenuMove::Remove).is_err());
    }

    #[test]
    fn places_read_and_write() {
        assert_eq!(at("3").key(), "3");
        assert_eq!(at("3.1").key(), "3.1");
        assert_eq!(MenuPlace::parse("x"), None);
        assert_eq!(MenuPlace::parse("1.x"), None);
    }

    #[test]
    fn a_menu_round_trips_as_json_without_empty_dropdowns() {
        let m = vec![MenuItem {
            kind: "trang".into(),
            target: "3".into(),
            label: String::new(),
            children: vec![item("Lịch sử")],
        }];
        let json = serde_json::to_string(&m).unwrap();
        assert!(
            json.contains(
                "\"children\":[{\"kind\":\"nhom\",\"target\":\"\",\"label\":\"Lịch sử\"}]"
            )
        );
        assert_eq!(serde_json::from_str::<Vec<MenuItem>>(&json).unwrap(), m);
    }
}
