//! References: "this id must name a thing of this kind", with the "no X; known: …" hint.

use crate::scenario::locate::ItemPath;
use crate::scenario::model::{AuthorityKind, Service};

use super::index::{ActorKind, Index};
use super::problem::Found;

impl Index<'_> {
    /// Checks that `csirt` offers `service`, for items that need it.
    pub(super) fn offers(&self, found: &mut Found, path: &ItemPath, csirt: &str, service: Service) {
        if let Some(services) = self.services.get(csirt)
            && !services.contains(&service)
        {
            found.push((
                path.clone(),
                format!("CSIRT \"{csirt}\" does not offer {service:?}; add it to its `services` or use another CSIRT"),
            ));
        }
    }

    pub(super) fn cve(&self, found: &mut Found, path: &ItemPath, cve: &str) {
        if !self.cves.contains(cve) {
            found.push((
                path.clone(),
                format!(
                    "no vulnerability \"{cve}\" in `vulnerabilities`; known: {}",
                    list(self.cves.iter().copied())
                ),
            ));
        }
    }
}

impl Index<'_> {
    pub(super) fn known(&self, wanted: impl Fn(ActorKind) -> bool) -> String {
        list(
            self.actors
                .iter()
                .filter(|(_, k)| wanted(**k))
                .map(|(id, _)| *id),
        )
    }
}

/// Up to ten ids, quoted, for "known: ..." hints.
pub(super) fn list<'a>(ids: impl Iterator<Item = &'a str>) -> String {
    let ids: Vec<&str> = ids.collect();
    if ids.is_empty() {
        return "none".into();
    }
    let mut shown: Vec<String> = ids.iter().take(10).map(|id| format!("\"{id}\"")).collect();
    if ids.len() > 10 {
        shown.push(format!("… ({} more)", ids.len() - 10));
    }
    shown.join(", ")
}

pub(super) fn check_actor(
    index: &Index<'_>,
    found: &mut Found,
    path: ItemPath,
    id: &str,
    what: &str,
    wanted: impl Fn(ActorKind) -> bool + Copy,
) {
    match index.actors.get(id) {
        Some(kind) if wanted(*kind) => {}
        Some(kind) => found.push((
            path,
            format!(
                "\"{id}\" is {}, not {what}; known: {}",
                describe(*kind),
                index.known(wanted)
            ),
        )),
        None => found.push((
            path,
            format!("no {what} \"{id}\"; known: {}", index.known(wanted)),
        )),
    }
}

fn describe(kind: ActorKind) -> &'static str {
    match kind {
        ActorKind::Csirt => "a CSIRT",
        ActorKind::Authority(AuthorityKind::FinancialSupervisor) => "a financial supervisor",
        ActorKind::Authority(AuthorityKind::DataProtection) => "a data-protection authority",
        ActorKind::Authority(AuthorityKind::Nis2Authority) => "a NIS2 authority",
        ActorKind::Entity => "an entity",
    }
}
