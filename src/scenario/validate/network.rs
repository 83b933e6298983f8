//! The CSIRT network: services, scanning, crisis levels, the vulnerabilities stages
//! exploit, rotation, channels, and supply chains without cycles. (Vulnerabilities and
//! their disclosure are `disclosure.rs`.)

use crate::scenario::bounds;
use std::collections::{BTreeMap, BTreeSet};

use crate::scenario::locate::ItemPath;
use crate::scenario::model::{CrisisTrigger, Scenario, Service};

use super::index::Index;
use super::problem::{Found, Scope};
use super::require::{Wanted, list, require, require_service};
use crate::scenario::spelling::ron_word;

/// The CSIRT network's data: services, scanning, crisis levels, the vulnerabilities
/// stages exploit, rotation, channels, and supply chains without cycles.
pub(super) fn check_network(s: &Scenario, index: &Index<'_>, found: &mut Found) {
    let root = ItemPath::root();
    for (i, csirt) in s.csirts.iter().enumerate() {
        let path = root.field("csirts").index(i);
        let mut seen = BTreeSet::new();
        for (n, service) in csirt.services.iter().enumerate() {
            if !seen.insert(*service) {
                found.push((
                    path.field("services").index(n),
                    format!("{} is listed twice", ron_word(service)),
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
            require_service(
                index,
                found,
                &path.field("scan_every"),
                &csirt.id,
                Service::Scanning,
            );
        }
        for (n, rule) in csirt.escalation.iter().enumerate() {
            let rpath = path.field("escalation").index(n);
            if rule.level == crate::scenario::model::CrisisLevel::Normal {
                found.push((
                    rpath.field("level"),
                    "escalation to Normal; expected Alert or Crisis".into(),
                ));
            }
            if let CrisisTrigger::EntitiesHit { count, .. } = &rule.when
                && let Some(message) = bounds::over(*count, bounds::ORGANISATIONS, "count")
            {
                found.push((rpath.field("when"), message));
            }
            for (a, action) in rule.actions.iter().enumerate() {
                if let crate::scenario::model::CrisisAction::CrisisTeam { extra_analysts } = action
                    && let Some(message) =
                        bounds::over(*extra_analysts, bounds::ANALYSTS, "extra_analysts")
                {
                    found.push((rpath.field("actions").index(a), message));
                }
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
                        format!("no entity in sector {}", ron_word(sector)),
                    ));
                }
                _ => {}
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
                let spath = cpath.field("stages").index(st);
                if let Some(cve) = &stage.exploits {
                    index.cve(found, &spath.field("exploits"), cve);
                }
                for (n, cve) in stage.also_exploits.iter().enumerate() {
                    let path = spath.field("also_exploits").index(n);
                    index.cve(found, &path, cve);
                    if stage.exploits.is_none() {
                        found.push((
                            path,
                            "a chain needs its first link: expected `exploits` too".into(),
                        ));
                    } else if stage.exploits.as_ref() == Some(cve)
                        || stage.also_exploits[..n].contains(cve)
                    {
                        found.push((path, format!("\"{cve}\" is already in the chain")));
                    }
                }
            }
            if let Some(rotation) = &campaign.rotation {
                let rpath = cpath.field("rotation");
                let own: BTreeSet<&str> =
                    campaign.indicators.iter().map(|i| i.id.as_str()).collect();
                if let Some(message) = bounds::over(rotation.known_by, bounds::ACTORS, "known_by") {
                    found.push((rpath.field("known_by"), message));
                }
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
                        require(
                            found,
                            &rpath.field("replace").index(n),
                            Wanted::within("indicator", &Scope::ThisCampaign),
                            id,
                            &own,
                        );
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
