//! CSIRTs, authorities and entities: staffing, office hours, peers, reporting duties.

use std::collections::{BTreeMap, BTreeSet};

use crate::scenario::bounds;
use crate::scenario::locate::ItemPath;
use crate::scenario::model::{CsirtKind, Hours, Organisation, Recipient, Scenario, Sector};
use crate::scenario::regimes;
use crate::scenario::spelling::ron_word;

use super::actor::{ActorKind, is_any, is_csirt, is_entity};
use super::index::Index;
use super::problem::Found;
use super::range::check_range;
use super::require::{Wanted, require_actor, unknown};
use super::vocabulary::Vocabulary;

pub(super) fn check_csirts(s: &Scenario, index: &Index<'_>, found: &mut Found) {
    for (i, csirt) in s.csirts.iter().enumerate() {
        let path = ItemPath::root().field("csirts").index(i);
        if let Some(message) = bounds::over(csirt.analysts, bounds::ANALYSTS, "analysts") {
            found.push((path.field("analysts"), message));
        }
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
        if let Some(zone) = csirt.time_zone
            && s.time_zone.is_none()
        {
            found.push((
                path.field("time_zone"),
                format!(
                    "office hours in {zone} need the exercise's own zone: give the scenario's `time_zone` (the zone its `start` is local time in)"
                ),
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
                require_actor(index, found, ppath, peer, "CSIRT", is_csirt);
            }
        }
    }
    for (i, authority) in s.authorities.iter().enumerate() {
        if let Some(to) = &authority.forwards_to {
            let path = ItemPath::root()
                .field("authorities")
                .index(i)
                .field("forwards_to");
            require_actor(index, found, path, to, "CSIRT", is_csirt);
        }
    }
}

pub(super) fn check_entities(s: &Scenario, index: &Index<'_>, found: &mut Found) {
    // Organisations by id with their sector, for regimes whose reports go to a bank (or
    // to a counted group of a supplier's customers).
    let counted: Vec<(String, Sector)> = s
        .entities
        .iter()
        .flat_map(|e| {
            e.customers
                .iter()
                .enumerate()
                .map(|(n, group)| (e.customers_id(n), group.sector))
        })
        .collect();
    let sectors: BTreeMap<&str, Sector> = s
        .entities
        .iter()
        .map(|e| (e.id.as_str(), e.sector))
        .chain(counted.iter().map(|(id, sector)| (id.as_str(), *sector)))
        .collect();
    for (i, entity) in s.entities.iter().enumerate() {
        let path = ItemPath::root().field("entities").index(i);
        require_actor(
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
                require_actor(index, found, spath, supplier, "entity", is_entity);
            }
        }
        check_obligations(s, index, &sectors, entity, &path, found);
        check_counted_customers(entity, &path, found);
    }
}

/// Counted groups of customers: each stands for at least one organisation and at most
/// the bound. (That the id the simulation gives it is free is checked as the ids are
/// gathered: `index.rs`.)
fn check_counted_customers(entity: &Organisation, path: &ItemPath, found: &mut Found) {
    for (n, group) in entity.customers.iter().enumerate() {
        let gpath = path.field("customers").index(n);
        if group.count == 0 {
            found.push((
                gpath.field("count"),
                "a group of no customers; expected a count of at least 1".into(),
            ));
        }
        if let Some(message) = bounds::over(group.count, bounds::ORGANISATIONS, "count") {
            found.push((gpath.field("count"), message));
        }
    }
}

/// An organisation's reporting duties: each names a regime that exists, a recipient of
/// the kind the regime goes to, at most once per recipient, and a regime that applies to
/// the organisation's sector.
fn check_obligations(
    s: &Scenario,
    index: &Index<'_>,
    sectors: &BTreeMap<&str, Sector>,
    entity: &Organisation,
    path: &ItemPath,
    found: &mut Found,
) {
    let mut owed = BTreeSet::new();
    for (n, duty) in entity.reporting.iter().enumerate() {
        let dpath = path.field("reporting").index(n);
        let to = duty.to();
        let Some(id) = duty.regime() else {
            require_actor(index, found, dpath.field("to"), to, "CSIRT", is_csirt);
            if !owed.insert(("voluntary", to)) {
                found.push((
                    dpath,
                    format!("a voluntary notification to \"{to}\" is listed twice"),
                ));
            }
            continue;
        };
        let Some(regime) = regimes::find(s, id) else {
            let known: BTreeSet<&str> = s
                .regimes
                .iter()
                .chain(regimes::built_in())
                .map(|r| r.id.as_str())
                .collect();
            found.add(
                dpath.field("regime"),
                unknown(Wanted::named("reporting regime"), id, || {
                    known.iter().copied()
                }),
            );
            continue;
        };
        match index.actor_kind(to) {
            None => require_actor(index, found, dpath.field("to"), to, "recipient", is_any),
            Some(kind)
                if regime
                    .goes_to
                    .iter()
                    .any(|r| accepts(*r, kind, sectors.get(to))) => {}
            Some(kind) => found.push((
                dpath.field("to"),
                format!(
                    "\"{to}\" is {}, but {} reports go to {}",
                    kind.describe(),
                    regime.name,
                    regime
                        .goes_to
                        .iter()
                        .map(|r| describe(*r))
                        .collect::<Vec<_>>()
                        .join(" or ")
                ),
            )),
        }
        if !owed.insert((regime.id.as_str(), to)) {
            found.push((
                dpath.clone(),
                format!("{} to \"{to}\" is listed twice", regime.name),
            ));
        }
        if !regime.sectors.is_empty() && !regime.sectors.contains(&entity.sector) {
            found.push((
                dpath,
                format!(
                    "{} applies to the {} sector only, and this organisation is in {}",
                    regime.name,
                    regime
                        .sectors
                        .iter()
                        .map(ron_word)
                        .collect::<Vec<_>>()
                        .join(", "),
                    ron_word(&entity.sector)
                ),
            ));
        }
    }
}

/// Whether an actor of this kind (an organisation of this sector) may receive reports
/// meant for `recipient`.
fn accepts(recipient: Recipient, kind: ActorKind, sector: Option<&Sector>) -> bool {
    match recipient {
        Recipient::Csirt => kind == ActorKind::Csirt,
        Recipient::Authority(a) => kind == ActorKind::Authority(a),
        Recipient::Organisation(wanted) => kind == ActorKind::Entity && sector == Some(&wanted),
    }
}

/// "a CSIRT", "a data-protection authority", "an organisation of the Finance sector".
fn describe(recipient: Recipient) -> String {
    match recipient {
        Recipient::Csirt => ActorKind::Csirt.describe().to_owned(),
        Recipient::Authority(a) => ActorKind::Authority(a).describe().to_owned(),
        Recipient::Organisation(sector) => {
            format!("an organisation of the {} sector", ron_word(&sector))
        }
    }
}
