//! Event patterns (what a trigger or an objective waits for): every id they name exists.

use crate::scenario::locate::ItemPath;
use crate::scenario::model::{EventPattern, Who};

use super::index::{Index, is_any, is_csirt, is_entity};
use super::problem::Found;
use super::require::{check_actor, list};

pub(super) fn check_pattern(
    index: &Index<'_>,
    found: &mut Found,
    path: &ItemPath,
    pattern: &EventPattern,
) {
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
