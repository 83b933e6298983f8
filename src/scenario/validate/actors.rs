//! CSIRTs, authorities and entities: staffing, office hours, peers, reporting duties.

use std::collections::BTreeSet;

use crate::scenario::bounds;
use crate::scenario::locate::ItemPath;
use crate::scenario::model::{AuthorityKind, CsirtKind, Hours, Obligation, Scenario, Sector};

use super::actor::{ActorKind, is_csirt, is_entity};
use super::index::Index;
use super::problem::Found;
use super::range::check_range;
use super::require::require_actor;

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
            require_actor(index, found, dpath.field("to"), to, what, wanted);
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
