//! References: "this id must name a thing of this kind". One helper per shape of reference
//! ([`require`] for ids of one kind, [`require_actor`] for actors of some kinds), each
//! building the "no X; known: …" problem with the near miss, so every section words it
//! alike.

use crate::scenario::locate::ItemPath;
use crate::scenario::model::{ReportKind, Service};
use crate::scenario::spelling::near_miss;

use super::actor::ActorKind;
use super::index::Index;
use super::problem::{Found, ProblemKind, Scope, Unknown};
use super::vocabulary::{Ids, Vocabulary};
use crate::scenario::spelling::ron_word;

/// What a reference must name, and where it is looked for.
#[derive(Clone, Copy)]
pub(super) struct Wanted<'s> {
    what: &'static str,
    scope: &'s Scope,
    then: &'static str,
}

impl<'s> Wanted<'s> {
    /// An id of `what` anywhere in the scenario.
    pub(super) const fn named(what: &'static str) -> Self {
        Self {
            what,
            scope: &Scope::Scenario,
            then: "",
        }
    }

    /// An id of `what` looked for in `scope` only.
    pub(super) const fn within(what: &'static str, scope: &'s Scope) -> Self {
        Self {
            what,
            scope,
            then: "",
        }
    }

    /// Says what follows when the id names nothing.
    pub(super) const fn then(self, then: &'static str) -> Self {
        Self { then, ..self }
    }
}

/// Requires `id` to be one of `known`; otherwise adds "no {what} \"{id}\"{scope}; known: …"
/// at `path`, with the near miss. Whether it is.
pub(super) fn require(
    found: &mut Found,
    path: &ItemPath,
    wanted: Wanted<'_>,
    id: &str,
    known: &impl Ids,
) -> bool {
    if known.has(id) {
        return true;
    }
    found.add(path.clone(), unknown(wanted, id, || known.ids()));
    false
}

/// A near miss is looked for among at most this many known ids, so that a large untrusted
/// file with many unknown references stays linear.
const NEAR_AMONG_AT_MOST: usize = 64;

/// The problem of an id that names nothing of `wanted`, offering the ids `known` lists.
pub(super) fn unknown<'a, I: Iterator<Item = &'a str>>(
    wanted: Wanted<'_>,
    id: &str,
    known: impl Fn() -> I,
) -> ProblemKind {
    ProblemKind::Unknown(Unknown {
        what: wanted.what,
        id: id.to_owned(),
        scope: wanted.scope.clone(),
        known: list(known()),
        near: (known().nth(NEAR_AMONG_AT_MOST).is_none())
            .then(|| near_miss(id, known()).map(str::to_owned))
            .flatten(),
        then: wanted.then,
    })
}

/// Requires `id` to name an actor of a kind `accepts`; otherwise adds "no {what} …" or
/// "\"{id}\" is an entity, not {what}; known: …" at `path`.
pub(super) fn require_actor(
    vocabulary: &impl Vocabulary,
    found: &mut Found,
    path: ItemPath,
    id: &str,
    what: &'static str,
    accepts: impl Fn(ActorKind) -> bool + Copy,
) {
    let known = || {
        vocabulary
            .actors_by_id()
            .filter(move |(_, k)| accepts(*k))
            .map(|(id, _)| id)
    };
    match vocabulary.actor_kind(id) {
        Some(kind) if accepts(kind) => {}
        Some(kind) => found.add(
            path,
            ProblemKind::WrongActor {
                id: id.to_owned(),
                is: kind,
                wanted: what,
                known: list(known()),
            },
        ),
        None => found.add(path, unknown(Wanted::named(what), id, known)),
    }
}

/// Requires a report to be built in or defined by one of the scenario's regimes.
pub(super) fn require_report(
    vocabulary: &impl Vocabulary,
    found: &mut Found,
    path: &ItemPath,
    report: &ReportKind,
) {
    if let Some(name) = report.defined_name()
        && !vocabulary.defined_reports().any(|known| known == name)
    {
        found.add(
            path.clone(),
            unknown(
                Wanted::named("report defined by the scenario's regimes"),
                name,
                || vocabulary.defined_reports(),
            ),
        );
    }
}

/// Requires CSIRT `csirt` to offer `service`, for items that need it (an id that names no
/// CSIRT is `require_actor`'s problem).
pub(super) fn require_service(
    vocabulary: &impl Vocabulary,
    found: &mut Found,
    path: &ItemPath,
    csirt: &str,
    service: Service,
) {
    if vocabulary.csirt_offers(csirt, service) == Some(false) {
        found.push((
            path.clone(),
            format!("CSIRT \"{csirt}\" does not offer {}; add it to its `services` or use another CSIRT", ron_word(&service)),
        ));
    }
}

/// Requires `campaign` to name one of the scenario's campaigns.
pub(super) fn require_campaign(
    vocabulary: &impl Vocabulary,
    found: &mut Found,
    path: &ItemPath,
    campaign: &str,
) {
    require(
        found,
        path,
        Wanted::named("campaign"),
        campaign,
        vocabulary.campaign_ids(),
    );
}

/// Requires `cve` to be declared in the scenario's `vulnerabilities`.
pub(super) fn require_cve(
    vocabulary: &impl Vocabulary,
    found: &mut Found,
    path: &ItemPath,
    cve: &str,
) {
    const VULNERABILITIES: Scope = Scope::List("vulnerabilities");
    require(
        found,
        path,
        Wanted::within("vulnerability", &VULNERABILITIES),
        cve,
        vocabulary.cve_ids(),
    );
}

impl Index<'_> {
    /// Requires `cve` to be declared in `vulnerabilities`.
    pub(super) fn cve(&self, found: &mut Found, path: &ItemPath, cve: &str) {
        require_cve(self, found, path, cve);
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
