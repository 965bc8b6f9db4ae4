//! The people who run the sites and what each may do.

use crate::SiteId;

/// A user account's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UserId(pub i64);

/// What a user may do on one site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    /// Emulation and commendation (thi đua, khen thưởng) only: below a writer,
    /// so it opens no article, page or setting.
    Emulation,
    /// Writes and submits articles; cannot publish.
    Writer,
    /// Approves and publishes (biên tập viên / người duyệt).
    Editor,
    /// Everything on the site: settings, users.
    Admin,
}

impl Role {
    /// Every role, from the least to the most.
    pub const ALL: [Role; 4] = [Role::Emulation, Role::Writer, Role::Editor, Role::Admin];

    /// The value stored in the database and used on the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Emulation => "emulation",
            Role::Writer => "writer",
            Role::Editor => "editor",
            Role::Admin => "admin",
        }
    }

    /// Reads a stored or typed value (English or Vietnamese).
    pub fn parse(s: &str) -> Option<Role> {
        Some(match vntext::fold_lower(s.trim()).as_str() {
            "emulation" | "thi dua" | "thi dua khen thuong" => Role::Emulation,
            "writer" | "phong vien" | "nguoi viet" => Role::Writer,
            "editor" | "bien tap" | "bien tap vien" | "nguoi duyet" => Role::Editor,
            "admin" | "quan tri" | "quan tri vien" => Role::Admin,
            _ => return None,
        })
    }

    /// The role's name as people in the office say it.
    pub fn label(self) -> &'static str {
        match self {
            Role::Emulation => "Thi đua – Khen thưởng",
            Role::Writer => "Phóng viên/Cộng tác viên",
            Role::Editor => "Biên tập viên",
            Role::Admin => "Quản trị",
        }
    }

    /// What the role may do, in a few words (beside its name where roles are given).
    pub fn duties(self) -> &'static str {
        match self {
            Role::Emulation => "đăng ký thi đua, đề nghị và xét khen thưởng",
            Role::Writer => "viết bài, gửi duyệt",
            Role::Editor => "duyệt và đăng bài",
            Role::Admin => "mọi việc của trang, kể cả cài đặt và người dùng",
        }
    }

    /// May publish, unpublish and approve articles.
    pub fn can_publish(self) -> bool {
        self >= Role::Editor
    }

    /// May change the site's settings and its users.
    pub fn can_administer(self) -> bool {
        self == Role::Admin
    }
}

/// A user as the back office knows them.
#[derive(Debug, Clone, PartialEq)]
pub struct User {
    /// Id.
    pub id: UserId,
    /// Login name: lower-case ASCII letters, digits, dots, hyphens, underscores.
    pub username: String,
    /// Full name, as shown.
    pub full_name: String,
    /// Super-administrator: every role on every site.
    pub is_super: bool,
    /// A disabled account cannot log in.
    pub active: bool,
    /// Roles per site.
    pub roles: Vec<(SiteId, Role)>,
}

impl User {
    /// The user's role on a site, if any (a super-administrator is admin everywhere).
    pub fn role_on(&self, site: SiteId) -> Option<Role> {
        if self.is_super {
            return Some(Role::Admin);
        }
        self.roles.iter().find(|(s, _)| *s == site).map(|(_, r)| *r)
    }

    /// Whether this user, working on `site`, may give `target` a new password.
    ///
    /// A new password is the account itself, on every site it works on; so a
    /// site's administrator may reset only someone whose every role is on sites
    /// they administer (never a super-administrator, never an administrator of
    /// another site). A super-administrator may reset anyone else.
    pub fn may_reset_password_of(&self, target: &User, site: SiteId) -> bool {
        let administers = |s: SiteId| self.role_on(s).is_some_and(Role::can_administer);
        if self.id == target.id || !administers(site) {
            return false;
        }
        self.is_super
            || (!target.is_super
                && target.roles.iter().any(|(s, _)| *s == site)
                && target.roles.iter().all(|(s, _)| administers(*s)))
    }
}

impl User {
    /// Whether this user may give, change and remove roles on `site`: its
    /// administrators (and super-administrators, who administer every site).
    pub fn may_manage_roles_on(&self, site: SiteId) -> bool {
        self.role_on(site).is_some_and(Role::can_administer)
    }

    /// Whether this user may give `target` a role on `site`, change it or remove it.
    ///
    /// Only where they manage roles, never their own role (an administrator cannot
    /// lock themselves out by mistake), and never a super-administrator's: that
    /// power is given on the command line only. What `target` does on other sites
    /// is not touched.
    pub fn may_change_roles_of(&self, target: &User, site: SiteId) -> bool {
        self.may_manage_roles_on(site) && self.id != target.id && !target.is_super
    }
}

/// Why a username or password is refused, as a Vietnamese message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccountError {
    /// The login name has characters outside the allowed set or a bad length.
    #[error(
        "Tên đăng nhập chỉ gồm chữ thường không dấu, số, dấu chấm, gạch ngang, gạch dưới; dài 3 đến 40 ký tự."
    )]
    BadUsername,
    /// Too short a password.
    #[error("Mật khẩu phải có ít nhất 10 ký tự.")]
    ShortPassword,
    /// The full name is empty.
    #[error("Vui lòng nhập họ và tên.")]
    MissingName,
}

/// Checks and normalises a login name: trimmed, lower-case.
pub fn normalize_username(raw: &str) -> Result<String, AccountError> {
    let name = raw.trim().to_ascii_lowercase();
    let ok = (3..=40).contains(&name.len())
        && name.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'_')
        });
    if ok {
        Ok(name)
    } else {
        Err(AccountError::BadUsername)
    }
}

/// The password rule: at least 10 characters (counted as characters, so Vietnamese
/// pass phrases count right). Long pass phrases beat composition rules.
pub fn check_password(password: &str) -> Result<(), AccountError> {
    if password.chars().count() < 10 {
        return Err(AccountError::ShortPassword);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_order_their_powers() {
        assert!(!Role::Writer.can_publish());
        assert!(Role::Editor.can_publish());
        assert!(!Role::Editor.can_administer());
        assert!(Role::Admin.can_publish() && Role::Admin.can_administer());
        assert_eq!(Role::parse("Biên tập viên"), Some(Role::Editor));
        assert_eq!(Role::parse("admin"), Some(Role::Admin));
        assert_eq!(Role::parse("khách"), None);
    }

    #[test]
    fn super_administrators_are_admin_everywhere() {
        let mut u = User {
            id: UserId(1),
            username: "a".into(),
            full_name: "A".into(),
            is_super: false,
            active: true,
            roles: vec![(SiteId(2), Role::Writer)],
        };
        assert_eq!(u.role_on(SiteId(2)), Some(Role::Writer));
        assert_eq!(u.role_on(SiteId(3)), None);
        u.is_super = true;
        assert_eq!(u.role_on(SiteId(3)), Some(Role::Admin));
    }

    fn person(id: i64, roles: &[(i64, Role)]) -> User {
        User {
            id: UserId(id),
            username: format!("u{id}"),
            full_name: format!("Người {id}"),
            is_super: false,
            active: true,
            roles: roles.iter().map(|&(s, r)| (SiteId(s), r)).collect(),
        }
    }

    #[test]
    fn administrators_manage_roles_on_their_sites_only() {
        let so_admin = person(1, &[(1, Role::Admin), (2, Role::Writer)]);
        assert!(so_admin.may_manage_roles_on(SiteId(1)));
        assert!(!so_admin.may_manage_roles_on(SiteId(2)), "a writer there");
        assert!(!so_admin.may_manage_roles_on(SiteId(3)), "no role there");
        assert!(!person(2, &[(1, Role::Editor)]).may_manage_roles_on(SiteId(1)));
        let mut boss = person(9, &[]);
        boss.is_super = true;
        assert!(boss.may_manage_roles_on(SiteId(3)));
    }

    #[test]
    fn roles_are_changed_by_their_sites_administrators_never_on_oneself_or_a_super() {
        let so_admin = person(1, &[(1, Role::Admin)]);
        let writer = person(2, &[(1, Role::Writer)]);
        let elsewhere = person(3, &[(2, Role::Admin)]);
        let mut boss = person(9, &[]);
        boss.is_super = true;
        assert!(so_admin.may_change_roles_of(&writer, SiteId(1)));
        // Someone of another site may be given a role here (their roles there stay).
        assert!(so_admin.may_change_roles_of(&elsewhere, SiteId(1)));
        assert!(
            !so_admin.may_change_roles_of(&writer, SiteId(2)),
            "not theirs"
        );
        assert!(
            !so_admin.may_change_roles_of(&so_admin, SiteId(1)),
            "oneself"
        );
        assert!(!so_admin.may_change_roles_of(&boss, SiteId(1)), "a super");
        assert!(
            !writer.may_change_roles_of(&so_admin, SiteId(1)),
            "a writer"
        );
        // A super-administrator: every site, anyone but supers and themselves.
        assert!(boss.may_change_roles_of(&writer, SiteId(2)));
        assert!(boss.may_change_roles_of(&so_admin, SiteId(1)));
        let mut other_boss = person(8, &[]);
        other_boss.is_super = true;
        assert!(!boss.may_change_roles_of(&other_boss, SiteId(1)));
        assert!(!boss.may_change_roles_of(&boss, SiteId(1)));
    }

    #[test]
    fn usernames_and_passwords() {
        assert_eq!(normalize_username("  Thanh.Binh "), Ok("thanh.binh".into()));
        assert_eq!(normalize_username("thành"), Err(AccountError::BadUsername));
        assert_eq!(normalize_username("ab"), Err(AccountError::BadUsername));
        assert!(check_password("ngắn").is_err());
        assert!(check_password("mùa thu Hà Nội").is_ok());
    }
}
