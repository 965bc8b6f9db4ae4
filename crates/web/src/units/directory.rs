//! `/cong-thanh-phan`: the directory of the province's portals ("Cổng thành
//! phần"), by kind of unit, each with the unit it hangs under; the footer links
//! here. Only running sites with a host are listed.

use crate::AppState;
use crate::platform::layout::Layout;
use crate::platform::origin::Origin;
use crate::platform::pages::PageResult;
use crate::platform::site::CurrentSite;
use askama::Template;
use axum::extract::State;
use axum::response::Html;
use domain::UnitKind;
use std::collections::HashMap;

/// A portal in the directory.
pub(crate) struct Portal {
    pub name: String,
    pub url: String,
    pub host: String,
    pub parent: String,
}

/// The portals of one kind.
pub(crate) struct Group {
    pub kind: &'static str,
    pub anchor: &'static str,
    pub portals: Vec<Portal>,
}

#[derive(Template)]
#[template(path = "units/directory.html")]
pub(crate) struct DirectoryTemplate {
    pub layout: Layout,
    pub groups: Vec<Group>,
    pub total: String,
}

/// `GET /cong-thanh-phan`
pub(crate) async fn show(
    State(state): State<AppState>,
    site: CurrentSite,
    origin: Origin,
) -> PageResult {
    let units = state.store.units().await?;
    let names: HashMap<domain::UnitId, &str> =
        units.iter().map(|u| (u.id, u.name.as_str())).collect();
    let mut groups: Vec<Group> = UnitKind::ALL
        .iter()
        .map(|k| Group {
            kind: k.label(),
            anchor: k.as_str(),
            portals: Vec::new(),
        })
        .collect();
    let mut total = 0;
    for u in &units {
        let Some(ctx) = u.site.and_then(|s| state.sites.by_id(s)) else {
            continue;
        };
        let Some(host) = ctx.site.main_host() else {
            continue;
        };
        if ctx.site.suspended {
            continue;
        }
        let i = UnitKind::ALL.iter().position(|k| *k == u.kind).unwrap_or(0);
        groups[i].portals.push(Portal {
            name: u.name.clone(),
            url: format!("{}/", origin.for_host(host)),
            host: host.to_owned(),
            parent: u
                .parent
                .and_then(|p| names.get(&p).copied())
                .unwrap_or("")
                .to_owned(),
        });
        total += 1;
    }
    groups.retain(|g| !g.portals.is_empty());
    let layout = Layout::new(&state, Some(&site), "Cổng thành phần", None)
        .canonical(origin.url("/cong-thanh-phan"));
    Ok(Html(
        DirectoryTemplate {
            layout,
            groups,
            total: vntext::format_number(total),
        }
        .render()?,
    ))
}
