//! Event patterns (what a trigger or an objective waits for): every id they name exists.

use crate::scenario::bounds;
use crate::scenario::locate::ItemPath;
use crate::scenario::model::{EventPattern, Who};

use super::actor::{is_any, is_csirt, is_entity};
use super::index::Index;
use super::problem::{Found, Scope};
use super::require::{Wanted, require, require_actor, require_report};
use crate::scenario::spelling::ron_word;

pub(super) fn check_pattern(
    index: &Index<'_>,
    found: &mut Found,
    path: &ItemPath,
    pattern: &EventPattern,
) {
    let who = |found: &mut Found, who: &Who| match who {
        Who::Entity(id) => require_actor(index, found, path.clone(), id, "entity", is_entity),
        Who::Sector(sector) if !index.sectors.contains(sector) => {
            found.push((
                path.clone(),
                format!("no entity in sector {}", ron_word(sector)),
            ));
        }
        Who::Sector(_) | Who::Any => {}
    };
    let actor = |found: &mut Found, id: &str| {
        require_actor(index, found, path.clone(), id, "actor", is_any)
    };
    let indicator = |found: &mut Found, id: &str| {
        require(
            found,
            path,
            Wanted::named("indicator"),
            id,
            &index.indicators,
        );
    };
    match pattern {
        EventPattern::Detected(w) | EventPattern::Classified(w) => who(found, w),
        EventPattern::ReportSent { by, report } => {
            who(found, by);
            require_report(index, found, path, report);
        }
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
            if require(
                found,
                path,
                Wanted::named("campaign"),
                campaign,
                &index.campaigns,
            ) && let Some(stages) = index.campaigns.get(campaign.as_str())
            {
                let scope = Scope::Campaign(campaign.clone());
                require(found, path, Wanted::within("stage", &scope), stage, stages);
            }
            who(found, at);
        }
        EventPattern::StepDone { sop, step } => {
            if require(found, path, Wanted::named("procedure"), sop, &index.sops)
                && let Some(steps) = index.sops.get(sop.as_str())
            {
                let scope = Scope::Procedure(sop.clone());
                require(found, path, Wanted::within("step", &scope), step, steps);
            }
        }
        EventPattern::NthImpact { count: 0, .. } => {
            found.push((
                path.clone(),
                "count 0; expected 1 for the first impact, 2 for the second…".into(),
            ));
        }
        EventPattern::NthImpact { count, .. } => {
            if let Some(message) = bounds::over(*count, bounds::ORGANISATIONS, "count") {
                found.push((path.clone(), message));
            }
        }
        EventPattern::CrisisRaised { csirt, .. } | EventPattern::CrisisTriggered { csirt, .. } => {
            require_actor(index, found, path.clone(), csirt, "CSIRT", is_csirt);
        }
        EventPattern::Inject(id) => {
            require(found, path, Wanted::named("inject"), id, &index.injects);
        }
        EventPattern::ObjectiveMet(id) | EventPattern::ObjectiveMissed(id) => {
            require(
                found,
                path,
                Wanted::named("objective"),
                id,
                &index.objectives,
            );
        }
    }
}
