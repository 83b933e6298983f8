//! Player roles: an actor that exists, decisions it owns, actions its kind allows.

use std::collections::{BTreeMap, BTreeSet};

use crate::scenario::locate::ItemPath;
use crate::scenario::model::{Capacities, Scenario, Service};

use super::actor::{ActorKind, is_any};
use super::index::Index;
use super::problem::Found;
use super::require::require_actor;

/// Roles: unique ids, an actor that exists, decisions the actor owns, and actions its
/// kind and services allow.
pub(super) fn check_roles(s: &Scenario, index: &Index<'_>, found: &mut Found) {
    use crate::scenario::model::{Action, Inject, Sop};
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
        require_actor(
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
