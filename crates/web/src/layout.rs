//! What every page shares: title, the signed-in user, navigation, the CSRF token for its forms.

use crate::auth::CurrentUser;

pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub key: &'static str,
}

pub struct Layout {
    pub title: String,
    pub user_name: Option<String>,
    pub csrf: String,
    pub nav: Vec<NavItem>,
    pub current: &'static str,
}

impl Layout {
    /// Navigation lists only the modules that exist and that the user may use.
    pub fn new(title: impl Into<String>, user: &CurrentUser, current: &'static str) -> Self {
        let mut nav = vec![
            NavItem {
                href: "/",
                label: "Trang chủ",
                key: "home",
            },
            NavItem {
                href: "/units",
                label: "Tổ chức, đơn vị",
                key: "units",
            },
            NavItem {
                href: "/plans",
                label: "Kế hoạch",
                key: "plans",
            },
            NavItem {
                href: "/documents",
                label: "Văn bản",
                key: "documents",
            },
        ];
        // Organisers are whoever may write somewhere; the contest pages check the exact unit.
        if !user
            .scope
            .roots_for(danvan_db::authz::Permission::Write)
            .is_empty()
        {
            nav.push(NavItem {
                href: "/contests",
                label: "Cuộc thi",
                key: "contests",
            });
        }
        if !user.scope.assignments.is_empty() {
            nav.push(NavItem {
                href: "/don-thu",
                label: "Đơn thư, tiếp dân",
                key: "voice",
            });
        }
        if user.scope.administers_something() {
            nav.push(NavItem {
                href: "/admin/users",
                label: "Người dùng",
                key: "users",
            });
            nav.push(NavItem {
                href: "/admin/audit",
                label: "Nhật ký",
                key: "audit",
            });
        }
        if user.scope.is_province_admin() {
            nav.push(NavItem {
                href: "/admin/calendar",
                label: "Lịch nghỉ lễ",
                key: "calendar",
            });
        }
        Layout {
            title: title.into(),
            user_name: Some(user.user.full_name.clone()),
            csrf: user.session.csrf_token.clone(),
            nav,
            current,
        }
    }

    pub fn anonymous(title: impl Into<String>) -> Self {
        Layout {
            title: title.into(),
            user_name: None,
            csrf: String::new(),
            nav: Vec::new(),
            current: "",
        }
    }
}
