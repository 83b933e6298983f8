//! Semantic checks: every cross-reference resolves, every range makes sense, no trigger
//! waits on itself. Each problem names its item path; the loader adds line and column.

use std::collections::{BTreeMap, BTreeSet};

use super::locate::ItemPath;
use super::model::{
    AuthorityKind, Capacities, Check, CrisisTrigger, CsirtKind, Effect, EventPattern,
    FORMAT_VERSION, Hours, InjectEffect, Obligation, Scenario, Sector, Service, Target, When, Who,
};
use super::time::{Duration, DurationRange};

type Found = Vec<(ItemPath, String)>;

/// What kind of actor an id names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ActorKind {
    Csirt,
    Authority(AuthorityKind),
    Entity,
}

struct Index<'a> {
    actors: BTreeMap<&'a str, ActorKind>,
    campaigns: BTreeMap<&'a str, BTreeSet<&'a str>>,
    indicators: BTreeSet<&'a str>,
    injects: BTreeSet<&'a str>,
    objectives: BTreeSet<&'a str>,
    sectors: BTreeSet<Sector>,
    services: BTreeMap<&'a str, BTreeSet<Service>>,
    cves: BTreeSet<&'a str>,
    /// Each organisation's CSIRT.
    entity_csirt: BTreeMap<&'a str, &'a str>,
    /// CSIRTs with crisis levels (escalation rules).
    escalates: BTreeSet<&'a str>,
    /// Step ids of every procedure (all variants together).
    sops: BTreeMap<&'a str, BTreeSet<&'a str>>,
}

impl Index<'_> {
    /// Checks that `csirt` offers `service`, for items that need it.
    fn offers(&self, found: &mut Found, path: &ItemPath, csirt: &str, service: Service) {
        if let Some(services) = self.services.get(csirt)
            && !services.contains(&service)
        {
            found.push((
                path.clone(),
                format!("CSIRT \"{csirt}\" does not offer {service:?}; add it to its `services` or use another CSIRT"),
            ));
        }
    }

    fn cve(&self, found: &mut Found, path: &ItemPath, cve: &str) {
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
    fn known(&self, wanted: impl Fn(ActorKind) -> bool) -> String {
        list(
            self.actors
                .iter()
                .filter(|(_, k)| wanted(**k))
                .map(|(id, _)| *id),
        )
    }
}

/// Up to ten ids, quoted, for "known: ..." hints.
fn list<'a>(ids: impl Iterator<Item = &'a str>) -> String {
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

pub fn validate(scenario: &Scenario) -> Found {
    let mut found = Found::new();
    let root = ItemPath::root();
    if scenario.version != FORMAT_VERSION {
        let message = if scenario.version > FORMAT_VERSION {
            format!(
                "format version {} is newer than this program reads ({FORMAT_VERSION}); update tabletop",
                scenario.version
            )
        } else {
            format!(
                "unknown format version {}; expected {FORMAT_VERSION}",
                scenario.version
            )
        };
        found.push((root.field("version"), message));
    }
    if scenario.name.trim().is_empty() {
        found.push((
            root.field("name"),
            "empty name; expected the exercise's title".into(),
        ));
    }
    if scenario.duration.minutes <= 0 {
        found.push((
            root.field("duration"),
            "zero duration; expected e.g. \"5d\"".into(),
        ));
    }
    let index = build_index(scenario, &mut found);
    check_csirts(scenario, &index, &mut found);
    check_entities(scenario, &index, &mut found);
    check_adversaries(scenario, &index, &mut found);
    check_injects(scenario, &index, &mut found);
    check_objectives(scenario, &index, &mut found);
    check_trigger_cycles(scenario, &mut found);
    check_network(scenario, &index, &mut found);
    check_sops(scenario, &index, &mut found);
    check_roles(scenario, &index, &mut found);
    found
}

/// Procedures: owners, variants, step references, cycles, decisions, and deadlines that
/// the quickest path through the procedure could meet at all.
fn check_sops(s: &Scenario, index: &Index<'_>, found: &mut Found) {
    use super::model::{Action, Recipients};
    let mut variants: BTreeMap<(&str, Option<&str>), usize> = BTreeMap::new();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for sop in &s.sops {
        *counts.entry(sop.id.as_str()).or_default() += 1;
    }
    for (i, sop) in s.sops.iter().enumerate() {
        let path = ItemPath::root().field("sops").index(i);
        check_actor(
            index,
            found,
            path.field("owner"),
            &sop.owner,
            "CSIRT",
            is_csirt,
        );
        if counts.get(sop.id.as_str()).is_some_and(|n| *n > 1) && sop.variant.is_none() {
            found.push((
                path.field("variant"),
                format!(
                    "procedure \"{}\" has several variants: name each one",
                    sop.id
                ),
            ));
        }
        if let Some(first) = variants.insert((sop.id.as_str(), sop.variant.as_deref()), i) {
            found.push((
                path.field("variant"),
                format!("variant already defined by sops[{first}]"),
            ));
        }
        if sop.steps.is_empty() {
            found.push((
                path.field("steps"),
                "no steps; expected at least one Step(...)".into(),
            ));
        }
        let ids: BTreeMap<&str, usize> = sop
            .steps
            .iter()
            .enumerate()
            .map(|(n, st)| (st.id.as_str(), n))
            .collect();
        let mut seen = BTreeSet::new();
        for (n, step) in sop.steps.iter().enumerate() {
            let spath = path.field("steps").index(n);
            if !seen.insert(step.id.as_str()) {
                found.push((
                    spath.field("id"),
                    format!("duplicate step id \"{}\"", step.id),
                ));
            }
            check_range(found, spath.field("duration"), &step.duration, true);
            for (d, dep) in step.after.iter().enumerate() {
                if !ids.contains_key(dep.as_str()) {
                    found.push((
                        spath.field("after").index(d),
                        format!("no step \"{dep}\" in this procedure; known: {}; the step could never start", list(ids.keys().copied())),
                    ));
                } else if dep == &step.id {
                    found.push((
                        spath.field("after").index(d),
                        "a step cannot wait for itself".into(),
                    ));
                }
            }
            let mut actions = vec![&step.action];
            if let Action::Decide(decision) = &step.action {
                check_choice(
                    found,
                    (&spath.field("action"), &spath.field("action")),
                    decision.options.iter().map(|o| o.id.as_str()),
                    &decision.default,
                    decision.timeout,
                );
                actions.extend(decision.options.iter().flat_map(|o| o.actions.iter()));
            }
            for action in actions {
                match action {
                    Action::ShareIndicators {
                        with: Recipients::Actors(ids),
                        ..
                    } => {
                        for id in ids {
                            check_actor(index, found, spath.field("action"), id, "actor", is_any);
                        }
                    }
                    Action::NotifyAuthority { to } => {
                        check_actor(index, found, spath.field("action"), to, "authority", |k| {
                            matches!(k, ActorKind::Authority(_))
                        });
                    }
                    Action::RequestScan => {
                        index.offers(found, &spath.field("action"), &sop.owner, Service::Scanning)
                    }
                    _ => {}
                }
            }
        }
        // Cycles, then the quickest finish of every step against its deadline.
        let mut earliest: BTreeMap<usize, i64> = BTreeMap::new();
        let mut visiting = BTreeSet::new();
        for n in 0..sop.steps.len() {
            if quickest(sop, &ids, n, &mut earliest, &mut visiting).is_none() {
                found.push((
                    path.field("steps").index(n).field("after"),
                    format!(
                        "step \"{}\" is part of a dependency cycle and can never start",
                        sop.steps[n].id
                    ),
                ));
            }
        }
        for (n, step) in sop.steps.iter().enumerate() {
            if let (Some(deadline), Some(quickest)) = (step.deadline, earliest.get(&n))
                && deadline.minutes < *quickest
            {
                found.push((
                    path.field("steps").index(n).field("deadline"),
                    format!(
                        "deadline {deadline} is shorter than the quickest path to this step ({}); it can never be met",
                        super::time::Duration::minutes(*quickest)
                    ),
                ));
            }
        }
    }
}

/// The quickest time from the start of `sop` to the end of step `n` (minimum durations
/// along the longest dependency chain), or None inside a cycle.
fn quickest(
    sop: &super::model::Sop,
    ids: &BTreeMap<&str, usize>,
    n: usize,
    memo: &mut BTreeMap<usize, i64>,
    visiting: &mut BTreeSet<usize>,
) -> Option<i64> {
    if let Some(done) = memo.get(&n) {
        return Some(*done);
    }
    if !visiting.insert(n) {
        return None;
    }
    let step = &sop.steps[n];
    let mut start = 0;
    for dep in &step.after {
        if let Some(&d) = ids.get(dep.as_str())
            && d != n
        {
            start = start.max(quickest(sop, ids, d, memo, visiting)?);
        }
    }
    visiting.remove(&n);
    let end = start + step.duration.min().minutes;
    memo.insert(n, end);
    Some(end)
}

fn is_cve_id(text: &str) -> bool {
    let mut parts = text.split('-');
    matches!(
        (parts.next(), parts.next(), parts.next(), parts.next()),
        (Some("CVE"), Some(year), Some(number), None)
            if year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit())
                && number.len() >= 4 && number.bytes().all(|b| b.is_ascii_digit())
    )
}

/// The CSIRT network's data: services, scanning, crisis levels, vulnerabilities and their
/// disclosure, rotation, channels, and supply chains without cycles.
fn check_network(s: &Scenario, index: &Index<'_>, found: &mut Found) {
    let root = ItemPath::root();
    for (i, csirt) in s.csirts.iter().enumerate() {
        let path = root.field("csirts").index(i);
        let mut seen = BTreeSet::new();
        for (n, service) in csirt.services.iter().enumerate() {
            if !seen.insert(*service) {
                found.push((
                    path.field("services").index(n),
                    format!("{service:?} is listed twice"),
                ));
            }
        }
        if let Some(every) = csirt.scan_every {
            if every.minutes < 60 {
                found.push((
                    path.field("scan_every"),
                    format!("scanning every {every} is too often; expected at least \"1h\""),
                ));
            }
            index.offers(
                found,
                &path.field("scan_every"),
                &csirt.id,
                Service::Scanning,
            );
        }
        for (n, rule) in csirt.escalation.iter().enumerate() {
            let rpath = path.field("escalation").index(n);
            if rule.level == super::model::CrisisLevel::Normal {
                found.push((
                    rpath.field("level"),
                    "escalation to Normal; expected Alert or Crisis".into(),
                ));
            }
            match &rule.when {
                CrisisTrigger::EntitiesHit { count: 0, .. } => {
                    found.push((
                        rpath.field("when"),
                        "EntitiesHit with count 0; expected at least 1".into(),
                    ));
                }
                CrisisTrigger::EntitiesHit {
                    sector: Some(sector),
                    ..
                } if !index.sectors.contains(sector) => {
                    found.push((
                        rpath.field("when"),
                        format!("no entity in sector {sector:?}"),
                    ));
                }
                _ => {}
            }
        }
    }
    let mut cves = BTreeSet::new();
    for (i, vulnerability) in s.vulnerabilities.iter().enumerate() {
        let path = root.field("vulnerabilities").index(i);
        if !is_cve_id(&vulnerability.cve) {
            found.push((
                path.field("cve"),
                format!(
                    "\"{}\" is not a CVE id; expected e.g. \"CVE-2026-12345\"",
                    vulnerability.cve
                ),
            ));
        }
        if !cves.insert(vulnerability.cve.as_str()) {
            found.push((
                path.field("cve"),
                format!("\"{}\" is listed twice", vulnerability.cve),
            ));
        }
        if let Some(disclosure) = &vulnerability.disclosure {
            let dpath = path.field("disclosure");
            check_actor(
                index,
                found,
                dpath.field("coordinator"),
                &disclosure.coordinator,
                "CSIRT",
                is_csirt,
            );
            index.offers(
                found,
                &dpath.field("coordinator"),
                &disclosure.coordinator,
                Service::Cvd,
            );
            let at = disclosure.reported.resolve(&s.start);
            if at < 0 || at > s.duration.minutes {
                found.push((
                    dpath.field("reported"),
                    format!(
                        "{} is outside the exercise (T+0 to T+{})",
                        disclosure.reported, s.duration
                    ),
                ));
            }
        }
    }
    let mut graph: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (i, entity) in s.entities.iter().enumerate() {
        let path = root.field("entities").index(i);
        for (n, (service, cve)) in entity.vulnerable.iter().enumerate() {
            let vpath = path.field("vulnerable").index(n);
            if !entity.exposed.iter().any(|e| e == service) {
                found.push((
                    vpath.clone(),
                    format!(
                        "\"{service}\" is not among the exposed services; known: {}",
                        list(entity.exposed.iter().map(String::as_str))
                    ),
                ));
            }
            index.cve(found, &vpath, cve);
        }
        if entity.channels.is_empty() {
            found.push((
                path.field("channels"),
                "no channels; expected e.g. [Portal, Email, Phone]".into(),
            ));
        }
        graph.insert(
            entity.id.as_str(),
            entity.suppliers.iter().map(String::as_str).collect(),
        );
    }
    for (a, adversary) in s.adversaries.iter().enumerate() {
        for (c, campaign) in adversary.campaigns.iter().enumerate() {
            let cpath = root
                .field("adversaries")
                .index(a)
                .field("campaigns")
                .index(c);
            for (st, stage) in campaign.stages.iter().enumerate() {
                if let Some(cve) = &stage.exploits {
                    index.cve(
                        found,
                        &cpath.field("stages").index(st).field("exploits"),
                        cve,
                    );
                }
            }
            if let Some(rotation) = &campaign.rotation {
                let rpath = cpath.field("rotation");
                let own: BTreeSet<&str> =
                    campaign.indicators.iter().map(|i| i.id.as_str()).collect();
                if rotation.known_by == 0 {
                    found.push((
                        rpath.field("known_by"),
                        "known_by 0 would rotate at once; expected at least 1".into(),
                    ));
                }
                if rotation.replace.is_empty() {
                    found.push((rpath.field("replace"), "nothing to replace; expected e.g. [(\"phish-domain\", \"phish-domain-2\")]".into()));
                }
                for (n, (old, new)) in rotation.replace.iter().enumerate() {
                    for id in [old, new] {
                        if !own.contains(id.as_str()) {
                            found.push((
                                rpath.field("replace").index(n),
                                format!(
                                    "no indicator \"{id}\" in this campaign; known: {}",
                                    list(own.iter().copied())
                                ),
                            ));
                        }
                    }
                }
            }
        }
    }
    // A supply chain that cycles: report each cycle once, at its first entity.
    let mut reported = BTreeSet::new();
    for (i, entity) in s.entities.iter().enumerate() {
        if let Some(cycle) = cycle_through(&graph, entity.id.as_str()) {
            // The path ends where it starts; without that repetition every rotation of
            // the cycle has the same members.
            let mut key = cycle[..cycle.len() - 1].to_vec();
            key.sort_unstable();
            if reported.insert(key) {
                found.push((
                    root.field("entities").index(i).field("suppliers"),
                    format!(
                        "supply chain cycle: {}; suppliers must not depend on their customers",
                        cycle.join(" → ")
                    ),
                ));
            }
        }
    }
}

/// A path of suppliers from `start` back to `start`, if there is one.
fn cycle_through<'a>(
    graph: &BTreeMap<&'a str, Vec<&'a str>>,
    start: &'a str,
) -> Option<Vec<&'a str>> {
    let mut stack: Vec<(&str, usize)> = vec![(start, 0)];
    let mut visited = BTreeSet::new();
    while let Some((node, next)) = stack.last_mut() {
        let children = graph.get(node).map_or(&[][..], Vec::as_slice);
        if let Some(&child) = children.get(*next) {
            *next += 1;
            if child == start {
                let mut path: Vec<&str> = stack.iter().map(|(n, _)| *n).collect();
                path.push(start);
                return Some(path);
            }
            if visited.insert(child) {
                stack.push((child, 0));
            }
        } else {
            stack.pop();
        }
    }
    None
}

/// CSIRTs, authorities and entities share one set of ids: any of them can be addressed.
const ACTORS: &str = "CSIRT, authority or entity";

fn unique<'a>(
    found: &mut Found,
    seen: &mut BTreeMap<&'a str, ItemPath>,
    id: &'a str,
    path: ItemPath,
    what: &str,
    scope: &str,
) {
    if id.trim().is_empty() {
        found.push((path.field("id"), format!("empty {what} id")));
        return;
    }
    if let Some(first) = seen.get(id) {
        found.push((
            path.field("id"),
            format!("duplicate id \"{id}\", already used by {first}; expected an id that no other {scope} has"),
        ));
    } else {
        seen.insert(id, path);
    }
}

fn build_index<'a>(s: &'a Scenario, found: &mut Found) -> Index<'a> {
    let root = ItemPath::root();
    let mut actor_ids = BTreeMap::new();
    let mut actors = BTreeMap::new();
    for (i, c) in s.csirts.iter().enumerate() {
        unique(
            found,
            &mut actor_ids,
            &c.id,
            root.field("csirts").index(i),
            "CSIRT",
            ACTORS,
        );
        actors.insert(c.id.as_str(), ActorKind::Csirt);
    }
    for (i, a) in s.authorities.iter().enumerate() {
        unique(
            found,
            &mut actor_ids,
            &a.id,
            root.field("authorities").index(i),
            "authority",
            ACTORS,
        );
        actors
            .entry(a.id.as_str())
            .or_insert(ActorKind::Authority(a.kind));
    }
    for (i, e) in s.entities.iter().enumerate() {
        unique(
            found,
            &mut actor_ids,
            &e.id,
            root.field("entities").index(i),
            "entity",
            ACTORS,
        );
        actors.entry(e.id.as_str()).or_insert(ActorKind::Entity);
    }
    let mut campaign_ids = BTreeMap::new();
    let mut indicator_ids = BTreeMap::new();
    let mut campaigns = BTreeMap::new();
    let mut adversary_ids = BTreeMap::new();
    for (a, adversary) in s.adversaries.iter().enumerate() {
        let apath = root.field("adversaries").index(a);
        unique(
            found,
            &mut adversary_ids,
            &adversary.id,
            apath.clone(),
            "adversary",
            "adversary",
        );
        for (c, campaign) in adversary.campaigns.iter().enumerate() {
            let cpath = apath.field("campaigns").index(c);
            unique(
                found,
                &mut campaign_ids,
                &campaign.id,
                cpath.clone(),
                "campaign",
                "campaign",
            );
            let mut stage_ids = BTreeMap::new();
            for (st, stage) in campaign.stages.iter().enumerate() {
                unique(
                    found,
                    &mut stage_ids,
                    &stage.id,
                    cpath.field("stages").index(st),
                    "stage",
                    "stage of this campaign",
                );
            }
            for (n, indicator) in campaign.indicators.iter().enumerate() {
                let path = cpath.field("indicators").index(n);
                unique(
                    found,
                    &mut indicator_ids,
                    &indicator.id,
                    path,
                    "indicator",
                    "indicator",
                );
            }
            campaigns.insert(campaign.id.as_str(), stage_ids.keys().copied().collect());
        }
    }
    let mut inject_ids = BTreeMap::new();
    for (i, inject) in s.injects.iter().enumerate() {
        unique(
            found,
            &mut inject_ids,
            &inject.id,
            root.field("injects").index(i),
            "inject",
            "inject",
        );
    }
    let mut objective_ids = BTreeMap::new();
    for (i, objective) in s.objectives.iter().enumerate() {
        let path = root.field("objectives").index(i);
        unique(
            found,
            &mut objective_ids,
            &objective.id,
            path,
            "objective",
            "objective",
        );
    }
    Index {
        actors,
        campaigns,
        indicators: indicator_ids.keys().copied().collect(),
        injects: inject_ids.keys().copied().collect(),
        objectives: objective_ids.keys().copied().collect(),
        sectors: s.entities.iter().map(|e| e.sector).collect(),
        services: s
            .csirts
            .iter()
            .map(|c| (c.id.as_str(), c.services.iter().copied().collect()))
            .collect(),
        cves: s.vulnerabilities.iter().map(|v| v.cve.as_str()).collect(),
        entity_csirt: s
            .entities
            .iter()
            .map(|e| (e.id.as_str(), e.csirt.as_str()))
            .collect(),
        escalates: s
            .csirts
            .iter()
            .filter(|c| !c.escalation.is_empty())
            .map(|c| c.id.as_str())
            .collect(),
        sops: {
            let mut sops: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
            for sop in &s.sops {
                sops.entry(sop.id.as_str())
                    .or_default()
                    .extend(sop.steps.iter().map(|st| st.id.as_str()));
            }
            sops
        },
    }
}

fn check_range(found: &mut Found, path: ItemPath, range: &DurationRange, allow_zero: bool) {
    if range.min() > range.max() {
        found.push((
            path,
            format!(
                "minimum {} is more than maximum {}; expected (min, max), e.g. (\"{}\", \"{}\")",
                range.min(),
                range.max(),
                range.max(),
                range.min()
            ),
        ));
    } else if !allow_zero && range.max().minutes == 0 {
        found.push((path, "zero duration; expected at least 1m".into()));
    }
}

fn check_actor(
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

fn is_csirt(kind: ActorKind) -> bool {
    kind == ActorKind::Csirt
}

fn is_entity(kind: ActorKind) -> bool {
    kind == ActorKind::Entity
}

fn is_any(_: ActorKind) -> bool {
    true
}

fn check_csirts(s: &Scenario, index: &Index<'_>, found: &mut Found) {
    for (i, csirt) in s.csirts.iter().enumerate() {
        let path = ItemPath::root().field("csirts").index(i);
        if csirt.analysts == 0 {
            found.push((
                path.field("analysts"),
                "zero analysts; a CSIRT needs at least 1".into(),
            ));
        }
        if csirt.kind == CsirtKind::Sectoral && csirt.sector.is_none() {
            found.push((
                path.field("sector"),
                "a sectoral CSIRT needs a sector".into(),
            ));
        }
        check_range(found, path.field("triage"), &csirt.triage, false);
        check_range(found, path.field("analysis"), &csirt.analysis, false);
        if let Hours::Office {
            open,
            close,
            days,
            on_call,
        } = &csirt.hours
        {
            if open >= close {
                found.push((
                    path.field("hours"),
                    format!("opens at {open} but closes at {close}"),
                ));
            }
            if days.is_empty() {
                found.push((
                    path.field("hours"),
                    "no working days; use `Always` or list days".into(),
                ));
            }
            if on_call.is_some_and(|d| d.minutes == 0) {
                found.push((
                    path.field("hours"),
                    "on-call delay is zero; omit it or use `Always`".into(),
                ));
            }
        }
        for (p, peer) in csirt.peers.iter().enumerate() {
            let ppath = path.field("peers").index(p);
            if *peer == csirt.id {
                found.push((ppath, "a CSIRT cannot be its own peer".into()));
            } else {
                check_actor(index, found, ppath, peer, "CSIRT", is_csirt);
            }
        }
    }
    for (i, authority) in s.authorities.iter().enumerate() {
        if let Some(to) = &authority.forwards_to {
            let path = ItemPath::root()
                .field("authorities")
                .index(i)
                .field("forwards_to");
            check_actor(index, found, path, to, "CSIRT", is_csirt);
        }
    }
}

fn check_entities(s: &Scenario, index: &Index<'_>, found: &mut Found) {
    for (i, entity) in s.entities.iter().enumerate() {
        let path = ItemPath::root().field("entities").index(i);
        check_actor(
            index,
            found,
            path.field("csirt"),
            &entity.csirt,
            "CSIRT",
            is_csirt,
        );
        for (n, supplier) in entity.suppliers.iter().enumerate() {
            let spath = path.field("suppliers").index(n);
            if *supplier == entity.id {
                found.push((spath, "an entity cannot be its own supplier".into()));
            } else {
                check_actor(index, found, spath, supplier, "entity", is_entity);
            }
        }
        let mut regimes = BTreeSet::new();
        for (n, duty) in entity.reporting.iter().enumerate() {
            let dpath = path.field("reporting").index(n);
            let (regime, to, what, wanted): (&str, &str, &str, fn(ActorKind) -> bool) = match duty {
                Obligation::Nis2 { to } => ("Nis2", to, "CSIRT or NIS2 authority", |k| {
                    matches!(
                        k,
                        ActorKind::Csirt | ActorKind::Authority(AuthorityKind::Nis2Authority)
                    )
                }),
                Obligation::Dora { to } => ("Dora", to, "financial supervisor", |k| {
                    k == ActorKind::Authority(AuthorityKind::FinancialSupervisor)
                }),
                Obligation::Gdpr { to } => ("Gdpr", to, "data-protection authority", |k| {
                    k == ActorKind::Authority(AuthorityKind::DataProtection)
                }),
                Obligation::Voluntary { to } => ("Voluntary", to, "CSIRT", is_csirt),
            };
            check_actor(index, found, dpath.field("to"), to, what, wanted);
            if !regimes.insert(regime) {
                found.push((dpath.clone(), format!("{regime} is listed twice")));
            }
            if regime == "Dora" && entity.sector != Sector::Finance {
                found.push((
                    dpath,
                    "DORA applies to financial entities only (sector: Finance)".into(),
                ));
            }
        }
    }
}

fn check_targets(
    index: &Index<'_>,
    found: &mut Found,
    path: &ItemPath,
    targets: &[Target],
    relative_allowed: bool,
) {
    if targets.is_empty() {
        found.push((
            path.clone(),
            "no targets; expected e.g. [Entity(\"ducksends\")] or [Sector(Finance)]".into(),
        ));
    }
    for (t, target) in targets.iter().enumerate() {
        let tpath = path.index(t);
        match target {
            Target::Entity(id) => check_actor(index, found, tpath, id, "entity", is_entity),
            Target::Sector(sector) => {
                if !index.sectors.contains(sector) {
                    found.push((tpath, format!("no entity in sector {sector:?}")));
                }
            }
            Target::Suppliers | Target::Customers if !relative_allowed => found.push((
                tpath,
                "Suppliers and Customers only make sense inside a Spread effect".into(),
            )),
            Target::Suppliers | Target::Customers => {}
        }
    }
}

fn check_adversaries(s: &Scenario, index: &Index<'_>, found: &mut Found) {
    let end = s.duration.minutes;
    for (a, adversary) in s.adversaries.iter().enumerate() {
        let apath = ItemPath::root().field("adversaries").index(a);
        if adversary.campaigns.is_empty() {
            found.push((
                apath.field("campaigns"),
                "no campaigns; an adversary needs at least one".into(),
            ));
        }
        for (c, campaign) in adversary.campaigns.iter().enumerate() {
            let cpath = apath.field("campaigns").index(c);
            if campaign.stages.is_empty() {
                found.push((
                    cpath.field("stages"),
                    "empty campaign: no stages; expected at least one Stage(...)".into(),
                ));
            }
            let start = campaign.start.resolve(&s.start);
            if start < 0 || start > end {
                found.push((
                    cpath.field("start"),
                    format!(
                        "starts at {} but the exercise runs from T+0 to T+{}",
                        campaign.start, s.duration
                    ),
                ));
            }
            check_targets(
                index,
                found,
                &cpath.field("targets"),
                &campaign.targets,
                false,
            );
            let own: BTreeSet<&str> = campaign.indicators.iter().map(|i| i.id.as_str()).collect();
            let stages: BTreeSet<&str> = campaign.stages.iter().map(|st| st.id.as_str()).collect();
            for (st, stage) in campaign.stages.iter().enumerate() {
                let spath = cpath.field("stages").index(st);
                check_range(found, spath.field("duration"), &stage.duration, false);
                if !is_technique_id(&stage.technique) {
                    found.push((
                        spath.field("technique"),
                        format!("\"{}\" is not an ATT&CK technique id; expected e.g. \"T1566\" or \"T1566.002\"", stage.technique),
                    ));
                }
                for (n, indicator) in stage.indicators.iter().enumerate() {
                    if !own.contains(indicator.as_str()) {
                        found.push((
                            spath.field("indicators").index(n),
                            format!(
                                "no indicator \"{indicator}\" in this campaign; known: {}",
                                list(own.iter().copied())
                            ),
                        ));
                    }
                }
                if let Effect::Spread { targets, entry } = &stage.effect {
                    let epath = spath.field("effect");
                    check_targets(index, found, &epath.field("targets"), targets, true);
                    if !stages.contains(entry.as_str()) {
                        found.push((
                            epath.field("entry"),
                            format!(
                                "no stage \"{entry}\" in this campaign; known: {}",
                                list(stages.iter().copied())
                            ),
                        ));
                    }
                }
            }
        }
    }
}

fn is_technique_id(text: &str) -> bool {
    let Some(rest) = text.strip_prefix('T') else {
        return false;
    };
    let (main, sub) = rest
        .split_once('.')
        .map_or((rest, None), |(m, s)| (m, Some(s)));
    main.len() == 4
        && main.bytes().all(|b| b.is_ascii_digit())
        && sub.is_none_or(|s| s.len() == 3 && s.bytes().all(|b| b.is_ascii_digit()))
}

fn check_pattern(index: &Index<'_>, found: &mut Found, path: &ItemPath, pattern: &EventPattern) {
    let who = |found: &mut Found, who: &Who| match who {
        Who::Entity(id) => check_actor(index, found, path.clone(), id, "entity", is_entity),
        Who::Sector(sector) if !index.sectors.contains(sector) => {
            found.push((path.clone(), format!("no entity in sector {sector:?}")));
        }
        Who::Sector(_) | Who::Any => {}
    };
    let actor =
        |found: &mut Found, id: &str| check_actor(index, found, path.clone(), id, "actor", is_any);
    let indicator = |found: &mut Found, id: &str| {
        if !index.indicators.contains(id) {
            found.push((
                path.clone(),
                format!(
                    "no indicator \"{id}\"; known: {}",
                    list(index.indicators.iter().copied())
                ),
            ));
        }
    };
    match pattern {
        EventPattern::Detected(w) | EventPattern::Classified(w) => who(found, w),
        EventPattern::ReportSent { by, .. } => who(found, by),
        EventPattern::Impact { at, .. } => who(found, at),
        EventPattern::Feedback { from, to } | EventPattern::Shared { from, to } => {
            actor(found, from);
            actor(found, to);
        }
        EventPattern::Knows {
            actor: id,
            indicator: ind,
        } => {
            actor(found, id);
            indicator(found, ind);
        }
        EventPattern::Stage {
            campaign,
            stage,
            at,
        } => {
            match index.campaigns.get(campaign.as_str()) {
                None => found.push((
                    path.clone(),
                    format!(
                        "no campaign \"{campaign}\"; known: {}",
                        list(index.campaigns.keys().copied())
                    ),
                )),
                Some(stages) if !stages.contains(stage.as_str()) => found.push((
                    path.clone(),
                    format!(
                        "no stage \"{stage}\" in campaign \"{campaign}\"; known: {}",
                        list(stages.iter().copied())
                    ),
                )),
                Some(_) => {}
            }
            who(found, at);
        }
        EventPattern::StepDone { sop, step } => match index.sops.get(sop.as_str()) {
            None => found.push((
                path.clone(),
                format!(
                    "no procedure \"{sop}\"; known: {}",
                    list(index.sops.keys().copied())
                ),
            )),
            Some(steps) if !steps.contains(step.as_str()) => found.push((
                path.clone(),
                format!(
                    "no step \"{step}\" in procedure \"{sop}\"; known: {}",
                    list(steps.iter().copied())
                ),
            )),
            Some(_) => {}
        },
        EventPattern::NthImpact { count: 0, .. } => {
            found.push((
                path.clone(),
                "count 0; expected 1 for the first impact, 2 for the second…".into(),
            ));
        }
        EventPattern::NthImpact { .. } => {}
        EventPattern::CrisisRaised { csirt, .. } | EventPattern::CrisisTriggered { csirt, .. } => {
            check_actor(index, found, path.clone(), csirt, "CSIRT", is_csirt);
        }
        EventPattern::Inject(id) => {
            if !index.injects.contains(id.as_str()) {
                found.push((
                    path.clone(),
                    format!(
                        "no inject \"{id}\"; known: {}",
                        list(index.injects.iter().copied())
                    ),
                ));
            }
        }
        EventPattern::ObjectiveMet(id) | EventPattern::ObjectiveMissed(id) => {
            if !index.objectives.contains(id.as_str()) {
                found.push((
                    path.clone(),
                    format!(
                        "no objective \"{id}\"; known: {}",
                        list(index.objectives.iter().copied())
                    ),
                ));
            }
        }
    }
}

fn check_injects(s: &Scenario, index: &Index<'_>, found: &mut Found) {
    let end = s.duration.minutes;
    for (i, inject) in s.injects.iter().enumerate() {
        let path = ItemPath::root().field("injects").index(i);
        let wpath = path.field("when");
        match &inject.when {
            When::At(at) => {
                let t = at.resolve(&s.start);
                if t > end {
                    found.push((
                        wpath,
                        format!("{at} is after the end of the exercise (T+{})", s.duration),
                    ));
                } else if t < 0 {
                    found.push((wpath, format!("{at} is before the exercise starts")));
                }
            }
            When::After { on, delay } => {
                check_pattern(index, found, &wpath, on);
                if delay.minutes > end {
                    found.push((
                        wpath,
                        format!("delay {delay} is longer than the exercise ({})", s.duration),
                    ));
                }
            }
            When::Unless {
                after,
                expected,
                within,
            } => {
                check_pattern(index, found, &wpath, after);
                check_pattern(index, found, &wpath, expected);
                if within.minutes == 0 {
                    found.push((
                        wpath,
                        "zero `within`; expected the time the players have, e.g. \"20h\"".into(),
                    ));
                }
            }
        }
        for (n, to) in inject.to.iter().enumerate() {
            check_actor(index, found, path.field("to").index(n), to, "actor", is_any);
        }
        if inject.message.is_none() && inject.effects.is_empty() && inject.question.is_none() {
            found.push((
                path.clone(),
                "an inject needs a message, effects or a question".into(),
            ));
        }
        for (n, effect) in inject.effects.iter().enumerate() {
            check_effect(index, found, &path.field("effects").index(n), effect);
        }
        if let Some(question) = &inject.question {
            let qpath = path.field("question");
            if inject.to.is_empty() {
                found.push((
                    qpath.clone(),
                    "a question needs someone to ask: add the actors it is for to `to`".into(),
                ));
            }
            check_choice(
                found,
                (&qpath, &qpath.field("default")),
                question.options.iter().map(|o| o.id.as_str()),
                &question.default,
                question.timeout,
            );
            for (o, option) in question.options.iter().enumerate() {
                for (n, effect) in option.effects.iter().enumerate() {
                    let epath = qpath.field("options").index(o).field("effects").index(n);
                    check_effect(index, found, &epath, effect);
                }
            }
        }
    }
}

/// A decision point or an inject's question: options with distinct ids, a default among
/// them, and time to answer.
fn check_choice<'a>(
    found: &mut Found,
    (path, default_path): (&ItemPath, &ItemPath),
    options: impl Iterator<Item = &'a str>,
    default: &str,
    timeout: Duration,
) {
    let options: Vec<&str> = options.collect();
    if options.len() < 2 {
        found.push((
            path.clone(),
            format!(
                "{} option(s); expected at least two to choose from",
                options.len()
            ),
        ));
    }
    let mut seen = BTreeSet::new();
    for option in &options {
        if !seen.insert(*option) {
            found.push((path.clone(), format!("option \"{option}\" appears twice")));
        }
    }
    if !options.contains(&default) {
        found.push((
            default_path.clone(),
            format!(
                "default \"{default}\" is not one of the options; known: {}",
                list(options.iter().copied())
            ),
        ));
    }
    if timeout.minutes == 0 {
        found.push((
            path.clone(),
            "zero timeout; expected the time players have, e.g. \"1h\"".into(),
        ));
    }
}

/// Roles: unique ids, an actor that exists, decisions the actor owns, and actions its
/// kind and services allow.
fn check_roles(s: &Scenario, index: &Index<'_>, found: &mut Found) {
    use super::model::{Action, Inject, Sop};
    // Looked up once per decision a role names: indexed, so a large file stays linear.
    let injects: BTreeMap<&str, (&Inject, BTreeSet<&str>)> = s
        .injects
        .iter()
        .map(|j| {
            (
                j.id.as_str(),
                (j, j.to.iter().map(String::as_str).collect()),
            )
        })
        .collect();
    let mut decide_steps: BTreeMap<(&str, &str), Vec<&Sop>> = BTreeMap::new();
    for sop in &s.sops {
        for step in &sop.steps {
            if matches!(step.action, Action::Decide(_)) {
                decide_steps
                    .entry((sop.id.as_str(), step.id.as_str()))
                    .or_default()
                    .push(sop);
            }
        }
    }
    let mut ids = BTreeSet::new();
    for (i, role) in s.roles.iter().enumerate() {
        let path = ItemPath::root().field("roles").index(i);
        if !ids.insert(role.id.as_str()) {
            found.push((
                path.field("id"),
                format!("role \"{}\" is defined twice", role.id),
            ));
        }
        if matches!(role.id.as_str(), "facilitator" | "default") {
            found.push((
                path.field("id"),
                format!(
                    "\"{}\" names who answered in the journal; choose another role id",
                    role.id
                ),
            ));
        }
        check_actor(
            index,
            found,
            path.field("actor"),
            &role.actor,
            "actor",
            is_any,
        );
        let Some(&kind) = index.actors.get(role.actor.as_str()) else {
            continue;
        };
        for (n, decision) in role.decisions.iter().enumerate() {
            let dpath = path.field("decisions").index(n);
            if let Some((sop, step)) = decision.split_once('/') {
                let variants = decide_steps
                    .get(&(sop, step))
                    .map_or(&[][..], Vec::as_slice);
                let owner = variants
                    .iter()
                    .find(|p| p.owner == role.actor)
                    .or(variants.first())
                    .map(|p| p.owner.as_str());
                if variants.is_empty() {
                    found.push((
                        dpath,
                        format!("no decision step \"{step}\" in procedure \"{sop}\"; expected \"sop-id/step-id\" of a `Decide` step"),
                    ));
                } else if owner != Some(role.actor.as_str()) {
                    found.push((
                        dpath,
                        format!(
                            "procedure \"{sop}\" is run by \"{}\", not by the role's actor \"{}\"",
                            owner.unwrap_or(""),
                            role.actor
                        ),
                    ));
                }
            } else {
                match injects.get(decision.as_str()) {
                    Some((inject, _)) if inject.question.is_none() => found.push((
                        dpath,
                        format!("inject \"{decision}\" asks no `question`"),
                    )),
                    Some((_, to)) if !to.contains(role.actor.as_str()) => found.push((
                        dpath,
                        format!(
                            "inject \"{decision}\" is not addressed to the role's actor \"{}\"",
                            role.actor
                        ),
                    )),
                    Some(_) => {}
                    None => found.push((
                        dpath,
                        format!("no inject \"{decision}\" and no \"sop-id/step-id\"; expected a decision the role answers"),
                    )),
                }
            }
        }
        let can = capacities(index, &role.actor, kind);
        for (n, action) in role.actions.iter().flatten().enumerate() {
            if let Err(why) = action.open_to(&role.actor, &can) {
                found.push((path.field("actions").index(n), why));
            }
        }
    }
}

/// What the actor can do, as far as roles go.
fn capacities(index: &Index<'_>, actor: &str, kind: ActorKind) -> Capacities {
    let offers = |csirt: &str, service| {
        index
            .services
            .get(csirt)
            .is_some_and(|s| s.contains(&service))
    };
    let csirt = kind == ActorKind::Csirt;
    let entity = kind == ActorKind::Entity;
    Capacities {
        csirt,
        entity,
        warnings: csirt && offers(actor, Service::Warnings),
        scanning: (csirt && offers(actor, Service::Scanning))
            || (entity
                && index
                    .entity_csirt
                    .get(actor)
                    .is_some_and(|c| offers(c, Service::Scanning))),
        escalation: csirt && index.escalates.contains(actor),
    }
}

fn check_effect(index: &Index<'_>, found: &mut Found, path: &ItemPath, effect: &InjectEffect) {
    match effect {
        InjectEffect::Tip {
            entity,
            campaign,
            chance_percent,
        } => {
            check_actor(index, found, path.clone(), entity, "entity", is_entity);
            if !index.campaigns.contains_key(campaign.as_str()) {
                found.push((
                    path.clone(),
                    format!(
                        "no campaign \"{campaign}\"; known: {}",
                        list(index.campaigns.keys().copied())
                    ),
                ));
            }
            if *chance_percent > 100 {
                found.push((
                    path.clone(),
                    format!("chance_percent {chance_percent} is more than 100"),
                ));
            }
        }
        InjectEffect::StaffUnavailable {
            csirt,
            analysts,
            duration,
        } => {
            check_actor(index, found, path.clone(), csirt, "CSIRT", is_csirt);
            if *analysts == 0 || duration.minutes == 0 {
                found.push((
                    path.clone(),
                    "expected at least 1 analyst for at least 1m".into(),
                ));
            }
        }
        InjectEffect::Sighting {
            from,
            to,
            indicator,
            ..
        } => {
            check_actor(index, found, path.clone(), from, "actor", is_any);
            check_actor(index, found, path.clone(), to, "actor", is_any);
            if !index.indicators.contains(indicator.as_str()) {
                found.push((
                    path.clone(),
                    format!(
                        "no indicator \"{indicator}\"; known: {}",
                        list(index.indicators.iter().copied())
                    ),
                ));
            }
        }
        InjectEffect::Reminder { entity } => {
            check_actor(index, found, path.clone(), entity, "entity", is_entity)
        }
        InjectEffect::ChannelDown {
            actor, duration, ..
        } => {
            check_actor(index, found, path.clone(), actor, "actor", is_any);
            if duration.minutes == 0 {
                found.push((path.clone(), "zero duration; expected e.g. \"6h\"".into()));
            }
        }
        InjectEffect::RequestScan { csirt, entity } => {
            check_actor(index, found, path.clone(), csirt, "CSIRT", is_csirt);
            check_actor(index, found, path.clone(), entity, "entity", is_entity);
            index.offers(found, path, csirt, Service::Scanning);
        }
        InjectEffect::RaiseCrisis { csirt, .. } => {
            check_actor(index, found, path.clone(), csirt, "CSIRT", is_csirt);
        }
    }
}

fn check_objectives(s: &Scenario, index: &Index<'_>, found: &mut Found) {
    for (i, objective) in s.objectives.iter().enumerate() {
        let path = ItemPath::root().field("objectives").index(i).field("check");
        match &objective.check {
            Check::Deadline {
                after,
                expected,
                within,
            } => {
                check_pattern(index, found, &path, after);
                check_pattern(index, found, &path, expected);
                if within.minutes == 0 {
                    found.push((path.clone(), "zero `within`; expected e.g. \"24h\"".into()));
                }
            }
            Check::Coverage {
                sector,
                indicator,
                after,
                within,
            } => {
                if !index.sectors.contains(sector) {
                    found.push((path.clone(), format!("no entity in sector {sector:?}")));
                }
                if !index.indicators.contains(indicator.as_str()) {
                    found.push((
                        path.clone(),
                        format!(
                            "no indicator \"{indicator}\"; known: {}",
                            list(index.indicators.iter().copied())
                        ),
                    ));
                }
                check_pattern(index, found, &path, after);
                if within.minutes == 0 {
                    found.push((path.clone(), "zero `within`; expected e.g. \"12h\"".into()));
                }
            }
            Check::Absence(pattern) => check_pattern(index, found, &path, pattern),
            Check::Ordering { first, then } => {
                check_pattern(index, found, &path, first);
                check_pattern(index, found, &path, then);
            }
        }
    }
}

/// A trigger node: an inject or an objective.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Node<'a> {
    Inject(&'a str),
    Objective(&'a str),
}

fn pattern_dependencies<'a>(pattern: &'a EventPattern, into: &mut Vec<Node<'a>>) {
    match pattern {
        EventPattern::Inject(id) => into.push(Node::Inject(id)),
        EventPattern::ObjectiveMet(id) | EventPattern::ObjectiveMissed(id) => {
            into.push(Node::Objective(id));
        }
        _ => {}
    }
}

/// Injects triggered by injects or objectives, and objectives judged on injects, must not
/// wait on themselves: such a trigger could never fire.
fn check_trigger_cycles(s: &Scenario, found: &mut Found) {
    let mut edges: BTreeMap<Node<'_>, Vec<Node<'_>>> = BTreeMap::new();
    let mut paths: BTreeMap<Node<'_>, ItemPath> = BTreeMap::new();
    for (i, inject) in s.injects.iter().enumerate() {
        let node = Node::Inject(&inject.id);
        let mut deps = Vec::new();
        match &inject.when {
            When::At(_) => {}
            When::After { on, .. } => pattern_dependencies(on, &mut deps),
            When::Unless {
                after, expected, ..
            } => {
                pattern_dependencies(after, &mut deps);
                pattern_dependencies(expected, &mut deps);
            }
        }
        edges.insert(node, deps);
        paths.insert(
            node,
            ItemPath::root().field("injects").index(i).field("when"),
        );
    }
    for (i, objective) in s.objectives.iter().enumerate() {
        let node = Node::Objective(&objective.id);
        let mut deps = Vec::new();
        match &objective.check {
            Check::Deadline {
                after, expected, ..
            } => {
                pattern_dependencies(after, &mut deps);
                pattern_dependencies(expected, &mut deps);
            }
            Check::Coverage { after, .. } => pattern_dependencies(after, &mut deps),
            Check::Absence(p) => pattern_dependencies(p, &mut deps),
            Check::Ordering { first, then } => {
                pattern_dependencies(first, &mut deps);
                pattern_dependencies(then, &mut deps);
            }
        }
        edges.insert(node, deps);
        paths.insert(
            node,
            ItemPath::root().field("objectives").index(i).field("check"),
        );
    }
    // Iterative depth-first search; each cycle is reported once, at its smallest member.
    let mut done: BTreeSet<Node<'_>> = BTreeSet::new();
    let mut reported: BTreeSet<Vec<Node<'_>>> = BTreeSet::new();
    for &start in edges.keys() {
        if done.contains(&start) {
            continue;
        }
        let mut stack: Vec<(Node<'_>, usize)> = vec![(start, 0)];
        let mut on_stack: Vec<Node<'_>> = vec![start];
        while let Some((node, next)) = stack.last_mut() {
            let deps = edges.get(node).map_or(&[][..], Vec::as_slice);
            if let Some(&dep) = deps.get(*next) {
                *next += 1;
                if let Some(at) = on_stack.iter().position(|n| *n == dep) {
                    let mut cycle = on_stack[at..].to_vec();
                    let smallest = cycle
                        .iter()
                        .enumerate()
                        .min_by_key(|(_, n)| **n)
                        .map_or(0, |(i, _)| i);
                    cycle.rotate_left(smallest);
                    if reported.insert(cycle.clone()) {
                        let names: Vec<String> = cycle
                            .iter()
                            .chain(std::iter::once(&cycle[0]))
                            .map(|n| match n {
                                Node::Inject(id) => format!("inject \"{id}\""),
                                Node::Objective(id) => format!("objective \"{id}\""),
                            })
                            .collect();
                        if let Some(path) = paths.get(&cycle[0]) {
                            found.push((
                                path.clone(),
                                format!(
                                    "trigger cycle: {}; none of them can ever fire",
                                    names.join(" → ")
                                ),
                            ));
                        }
                    }
                } else if !done.contains(&dep) && edges.contains_key(&dep) {
                    stack.push((dep, 0));
                    on_stack.push(dep);
                }
            } else {
                done.insert(*node);
                stack.pop();
                on_stack.pop();
            }
        }
    }
}
