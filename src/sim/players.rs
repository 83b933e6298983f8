//! Players' own actions ([`Command::Act`](super::Command::Act)): checked against what the
//! role may do and the rules of the world (TLP, services, what the actor holds), then
//! carried out as the simulation would carry out the same act of a procedure.
//!
//! A share or warning the TLP check would block entirely is refused as a whole; one it
//! blocks in part goes out with the rest, and each indicator held back is journaled.
//!
//! The same check runs twice: in a face, before a command is given (so the player reads
//! the refusal at once, [`Simulation::check_action`](super::Simulation::check_action)),
//! and in the engine when the command is applied (so a session edited by hand cannot
//! break the rules either).

use std::collections::BTreeSet;

use bevy_ecs::prelude::*;

use super::command::PlayerAction;
use super::plan::{ActorIx, Plan, RolePlan};
use super::state::{ActorEntities, Defender, Desk, Knowledge, Marked};
use crate::scenario::{CrisisLevel, ReportKind, Service, Tlp};
use crate::words::count;

/// Read access to actors' state, from a system's queries or from the world.
pub trait Holdings {
    fn knowledge(&self, actor: ActorIx) -> Option<&Knowledge>;
    fn desk(&self, actor: ActorIx) -> Option<&Desk>;
    fn defender(&self, actor: ActorIx) -> Option<&Defender>;
}

/// [`Holdings`] over the world, for faces checking an action before giving it.
pub struct WorldHoldings<'w> {
    pub world: &'w World,
    pub actors: &'w ActorEntities,
}

impl Holdings for WorldHoldings<'_> {
    fn knowledge(&self, actor: ActorIx) -> Option<&Knowledge> {
        self.world.get(*self.actors.0.get(actor as usize)?)
    }
    fn desk(&self, actor: ActorIx) -> Option<&Desk> {
        self.world.get(*self.actors.0.get(actor as usize)?)
    }
    fn defender(&self, actor: ActorIx) -> Option<&Defender> {
        self.world.get(*self.actors.0.get(actor as usize)?)
    }
}

/// [`Holdings`] over a system's read-only queries.
pub struct QueryHoldings<'a, 'w, 's> {
    pub actors: &'a ActorEntities,
    pub knowledge: &'a Query<'w, 's, &'static Knowledge>,
    pub desks: &'a Query<'w, 's, &'static Desk>,
    pub defenders: &'a Query<'w, 's, &'static Defender>,
}

impl Holdings for QueryHoldings<'_, '_, '_> {
    fn knowledge(&self, actor: ActorIx) -> Option<&Knowledge> {
        self.knowledge.get(*self.actors.0.get(actor as usize)?).ok()
    }
    fn desk(&self, actor: ActorIx) -> Option<&Desk> {
        self.desks.get(*self.actors.0.get(actor as usize)?).ok()
    }
    fn defender(&self, actor: ActorIx) -> Option<&Defender> {
        self.defenders.get(*self.actors.0.get(actor as usize)?).ok()
    }
}

/// An indicator held back from a share, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Withheld {
    pub to: ActorIx,
    pub indicator: u32,
    pub tlp: Tlp,
    pub reason: &'static str,
}

/// A share after the TLP check: what goes, what is held back.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outgoing {
    pub to: ActorIx,
    pub marked: Vec<Marked>,
    pub withheld: Vec<Withheld>,
}

/// What a vetted action does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Deed {
    Send {
        parcels: Vec<Outgoing>,
        warning: bool,
    },
    Scan {
        csirt: ActorIx,
        only: Option<ActorIx>,
    },
    Report {
        entity: ActorIx,
        incident: u32,
        report: ReportKind,
    },
    Raise {
        csirt: ActorIx,
        level: CrisisLevel,
    },
}

/// An action that may go ahead: what it does and a sentence for the journal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Vetted {
    pub deed: Deed,
    pub detail: String,
}

/// What `from` may pass to `to` of `indicators`, under `tlp`, by the same rule the
/// procedures follow (`Learned::marking_for`). Unknown ids are errors; refused items are
/// withheld.
pub fn parcel(
    plan: &Plan,
    held: &Knowledge,
    from: ActorIx,
    to: ActorIx,
    indicators: &[String],
    tlp: Tlp,
) -> Result<Outgoing, String> {
    let relation = plan.relation(from, to);
    let mut parcel = Outgoing {
        to,
        ..Outgoing::default()
    };
    for id in indicators {
        let Some(&ix) = plan.indicator_by_id.get(id) else {
            return Err(format!("no indicator \"{id}\""));
        };
        let Some(learned) = held.indicators.get(&ix) else {
            return Err(format!(
                "{} does not know indicator \"{id}\"",
                plan.actor(from).name
            ));
        };
        match learned.marking_for(relation, tlp) {
            Ok(tlp) => parcel.marked.push(Marked {
                indicator: ix,
                tlp,
                context: learned.context.sanitised(),
            }),
            Err(held) => parcel.withheld.push(Withheld {
                to,
                indicator: ix,
                tlp: held,
                reason: held.refusal(),
            }),
        }
    }
    Ok(parcel)
}

/// Checks a role's action; `Err` says why it cannot be taken at all.
pub fn vet(
    plan: &Plan,
    holdings: &impl Holdings,
    role: &RolePlan,
    action: &PlayerAction,
) -> Result<Vetted, String> {
    let actor = role.actor;
    let me = &plan.actor(actor).name;
    if !role.actions.contains(&action.kind()) {
        return Err(format!(
            "the role \"{}\" may not {}",
            role.title,
            action.kind().label()
        ));
    }
    let lookup = |id: &str| {
        plan.by_id
            .get(id)
            .copied()
            .ok_or_else(|| format!("no actor \"{id}\""))
    };
    match action {
        PlayerAction::Share {
            to,
            indicators,
            tlp,
        } => {
            let to = lookup(to)?;
            if to == actor {
                return Err("a share needs another actor as recipient".into());
            }
            if indicators.is_empty() {
                return Err("choose at least one indicator to share".into());
            }
            let held = holdings
                .knowledge(actor)
                .ok_or_else(|| format!("{me} holds no knowledge"))?;
            let parcel = parcel(plan, held, actor, to, indicators, *tlp)?;
            if parcel.marked.is_empty() {
                return Err(withheld(plan, std::slice::from_ref(&parcel)));
            }
            let detail = format!(
                "shared {} with {} under {tlp}",
                count(parcel.marked.len(), "indicator"),
                plan.actor(to).name
            );
            Ok(Vetted {
                deed: Deed::Send {
                    parcels: vec![parcel],
                    warning: false,
                },
                detail,
            })
        }
        PlayerAction::Warn { indicators, tlp } => {
            let csirt = plan
                .csirt(actor)
                .ok_or_else(|| format!("{me} is not a CSIRT"))?;
            if indicators.is_empty() {
                return Err("choose at least one indicator for the warning".into());
            }
            let held = holdings
                .knowledge(actor)
                .ok_or_else(|| format!("{me} holds no knowledge"))?;
            let parcels = csirt
                .constituency
                .iter()
                .map(|to| parcel(plan, held, actor, *to, indicators, *tlp))
                .collect::<Result<Vec<_>, _>>()?;
            let reached = parcels.iter().filter(|p| !p.marked.is_empty()).count();
            if reached == 0 {
                return Err(if parcels.is_empty() {
                    format!("{me} has no constituency to warn")
                } else {
                    withheld(plan, &parcels)
                });
            }
            let sent: BTreeSet<u32> = parcels
                .iter()
                .flat_map(|p| p.marked.iter().map(|m| m.indicator))
                .collect();
            let detail = format!(
                "warned {} with {} under {tlp}",
                count(reached, "organisation"),
                count(sent.len(), "indicator")
            );
            Ok(Vetted {
                deed: Deed::Send {
                    parcels,
                    warning: true,
                },
                detail,
            })
        }
        PlayerAction::RequestScan { entity } => {
            if let Some(csirt) = plan.csirt(actor) {
                if !csirt.offers(Service::Scanning) {
                    return Err(format!("{me} does not offer Scanning"));
                }
                let only = entity.as_deref().map(lookup).transpose()?;
                if let Some(target) = only
                    && !csirt.constituency.contains(&target)
                {
                    return Err(format!(
                        "{} is not in {me}'s constituency",
                        plan.actor(target).name
                    ));
                }
                let detail = match only {
                    Some(t) => format!("scanned {}", plan.actor(t).name),
                    None => "scanned the whole constituency".to_owned(),
                };
                return Ok(Vetted {
                    deed: Deed::Scan { csirt: actor, only },
                    detail,
                });
            }
            let own = plan
                .entity(actor)
                .ok_or_else(|| format!("{me} cannot ask for a scan"))?;
            if entity
                .as_deref()
                .is_some_and(|e| e != &*plan.actor(actor).id)
            {
                return Err("an organisation can only ask for a scan of itself".into());
            }
            let csirt = own.csirt;
            if !plan
                .csirt(csirt)
                .is_some_and(|c| c.offers(Service::Scanning))
            {
                return Err(format!(
                    "{} does not offer Scanning",
                    plan.actor(csirt).name
                ));
            }
            Ok(Vetted {
                deed: Deed::Scan {
                    csirt,
                    only: Some(actor),
                },
                detail: format!("asked {} for a scan", plan.actor(csirt).name),
            })
        }
        PlayerAction::Report { incident, report } => {
            let defender = holdings
                .defender(actor)
                .ok_or_else(|| format!("{me} sends no incident reports"))?;
            let known = defender.incidents.len();
            let Some(inc) = (*incident as usize)
                .checked_sub(1)
                .and_then(|n| defender.incidents.get(n))
            else {
                return Err(format!(
                    "{me} has no incident #{incident} (it knows of {})",
                    count(known, "incident")
                ));
            };
            let owed_to: Vec<_> = inc.reports.of(report).collect();
            if owed_to.is_empty() {
                let mut owed: Vec<&str> = inc.reports.iter().map(|(k, _)| k.label()).collect();
                owed.dedup();
                return Err(format!(
                    "incident #{incident} owes no {}; owed: {}",
                    report.label(),
                    if owed.is_empty() {
                        "none".to_owned()
                    } else {
                        owed.join(", ")
                    }
                ));
            }
            let unsent: Vec<&str> = owed_to
                .iter()
                .filter(|s| s.sent.is_none())
                .map(|s| &*plan.actor(s.to).name)
                .collect();
            if unsent.is_empty() {
                let sent = owed_to.iter().filter_map(|s| s.sent).min().unwrap_or(0);
                return Err(format!(
                    "the {} of incident #{incident} was sent at {}",
                    report.label(),
                    crate::scenario::time::format_offset(sent)
                ));
            }
            Ok(Vetted {
                deed: Deed::Report {
                    entity: actor,
                    incident: *incident,
                    report: report.clone(),
                },
                detail: format!(
                    "sent the {} of incident #{incident} to {}",
                    report.label(),
                    unsent.join(" and ")
                ),
            })
        }
        PlayerAction::RaiseCrisis { level } => {
            let csirt = plan
                .csirt(actor)
                .ok_or_else(|| format!("{me} is not a CSIRT"))?;
            if !csirt.escalation.iter().any(|e| e.level == *level) {
                return Err(format!(
                    "{me} has no {} level in its escalation rules",
                    level.label()
                ));
            }
            let current = holdings
                .desk(actor)
                .map_or(CrisisLevel::Normal, |d| d.crisis.level.0);
            if *level <= current {
                return Err(format!("{me} is already at {}", current.label()));
            }
            Ok(Vetted {
                deed: Deed::Raise {
                    csirt: actor,
                    level: *level,
                },
                detail: format!("raised {me}'s crisis level to {}", level.label()),
            })
        }
    }
}

/// The refusals a face shows before the command is given: the action as a whole, or the
/// indicators its TLP check would hold back.
pub fn preview(
    plan: &Plan,
    holdings: &impl Holdings,
    role: &RolePlan,
    action: &PlayerAction,
) -> Result<String, String> {
    let vetted = vet(plan, holdings, role, action)?;
    if let Deed::Send { parcels, .. } = &vetted.deed
        && parcels.iter().any(|p| !p.withheld.is_empty())
    {
        return Err(withheld(plan, parcels));
    }
    Ok(vetted.detail)
}

/// What the TLP check held back, and why, as a player reads it.
fn withheld(plan: &Plan, parcels: &[Outgoing]) -> String {
    let lines: Vec<String> = parcels
        .iter()
        .flat_map(|p| &p.withheld)
        .map(|w| {
            format!(
                "{} to {}: received under {}, {}",
                plan.indicators[w.indicator as usize].id,
                plan.actor(w.to).name,
                w.tlp,
                w.reason
            )
        })
        .collect();
    format!("refused by TLP: {}", lines.join("; "))
}
