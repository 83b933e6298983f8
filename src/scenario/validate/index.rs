//! The ids a scenario declares, by kind, gathered once (duplicates reported on the way)
//! so that every later check looks a reference up instead of scanning a list.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use crate::scenario::locate::ItemPath;
use crate::scenario::model::{Scenario, Sector, Service};

use super::actor::ActorKind;
use super::problem::Found;

pub(super) struct Index<'a> {
    /// Every actor's id: those the file declares, and the ids the simulation gives counted
    /// groups of customers ("payflow-customers"), so a report can be owed to one.
    pub(super) actors: BTreeMap<Cow<'a, str>, ActorKind>,
    pub(super) campaigns: BTreeMap<&'a str, BTreeSet<&'a str>>,
    pub(super) indicators: BTreeSet<&'a str>,
    pub(super) injects: BTreeSet<&'a str>,
    pub(super) objectives: BTreeSet<&'a str>,
    pub(super) sectors: BTreeSet<Sector>,
    pub(super) services: BTreeMap<&'a str, BTreeSet<Service>>,
    pub(super) cves: BTreeSet<&'a str>,
    /// Each organisation's CSIRT.
    pub(super) entity_csirt: BTreeMap<&'a str, &'a str>,
    /// CSIRTs with crisis levels (escalation rules).
    pub(super) escalates: BTreeSet<&'a str>,
    /// Step ids of every procedure (all variants together).
    pub(super) sops: BTreeMap<&'a str, BTreeSet<&'a str>>,
    /// The names of the reports the scenario's regimes define.
    pub(super) reports: BTreeSet<&'a str>,
}

/// CSIRTs, authorities and entities share one set of ids: any of them can be addressed.
const ACTORS: &str = "CSIRT, authority or entity";

pub(super) fn unique<'a>(
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
    if let Err(why) = crate::scenario::plain::check_id(id) {
        found.push((path.field("id"), why));
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

pub(super) fn build_index<'a>(s: &'a Scenario, found: &mut Found) -> Index<'a> {
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
        actors.insert(Cow::Borrowed(c.id.as_str()), ActorKind::Csirt);
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
            .entry(Cow::Borrowed(a.id.as_str()))
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
        actors
            .entry(Cow::Borrowed(e.id.as_str()))
            .or_insert(ActorKind::Entity);
    }
    for (i, e) in s.entities.iter().enumerate() {
        for n in 0..e.customers.len() {
            let id = e.customers_id(n);
            if actors.contains_key(id.as_str()) {
                found.push((
                    root.field("entities").index(i).field("customers").index(n),
                    format!("the simulation calls this group \"{id}\", which is already an actor's id; rename that actor"),
                ));
                continue;
            }
            actors.insert(Cow::Owned(id), ActorKind::Entity);
        }
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
        reports: s
            .regimes
            .iter()
            .flat_map(|r| &r.reports)
            .filter_map(|p| p.report.defined_name())
            .collect(),
    }
}
