//! Whether an inject's guards hold when it fires: asked of the intrusions, so an inject
//! written before the exercise reaches only the organisations its story is true of.

use bevy_ecs::prelude::*;

use super::journal::Ref;
use super::plan::{ActorIx, CampaignIx, GuardPlan, GuardTest, Plan, StageEffect, ix};
use super::state::{Intrusion, IntrusionStatus, Intrusions};

/// The intrusions, read-only, as guards ask about them.
pub struct Intrusive<'a, 'w, 's, 'q> {
    pub index: &'a Intrusions,
    pub intrusions: &'a Query<'w, 's, &'q Intrusion>,
}

/// Who an inject reaches once its guards are asked, or why it does not fire at all.
pub enum Guarded {
    /// It fires, to `to`; `withheld` are the addressees a guard did not hold for.
    Fires {
        to: Vec<ActorIx>,
        withheld: Vec<ActorIx>,
        reason: Option<String>,
    },
    /// A guard does not hold: the inject is cancelled, for this reason.
    Cancelled(String),
}

/// Asks `guards` of the world for an inject addressed to `to`.
pub fn ask(
    plan: &Plan,
    world: &Intrusive<'_, '_, '_, '_>,
    guards: &[GuardPlan],
    to: &[ActorIx],
) -> Guarded {
    for guard in guards {
        if let Some(entity) = guard.entity
            && !holds(plan, world, guard.test, entity)
        {
            let who = &plan.actor(entity).id;
            return Guarded::Cancelled(format!(
                "only if {}; it is not so",
                guard.spec.describe(who)
            ));
        }
    }
    let each: Vec<&GuardPlan> = guards.iter().filter(|g| g.entity.is_none()).collect();
    if each.is_empty() {
        return Guarded::Fires {
            to: to.to_vec(),
            withheld: Vec::new(),
            reason: None,
        };
    }
    let (kept, withheld): (Vec<ActorIx>, Vec<ActorIx>) = to
        .iter()
        .partition(|a| each.iter().all(|g| holds(plan, world, g.test, **a)));
    let condition = each
        .iter()
        .map(|g| g.spec.describe("the addressee"))
        .collect::<Vec<_>>()
        .join(", and ");
    if kept.is_empty() {
        return Guarded::Cancelled(format!(
            "only to an addressee of whom this is true: {condition}; it is true of none"
        ));
    }
    Guarded::Fires {
        to: kept,
        reason: (!withheld.is_empty()).then(|| format!("only if {condition}")),
        withheld,
    }
}

/// Whether `test` holds of `entity` now. Only organisations are compromised or hit.
pub fn holds(
    plan: &Plan,
    world: &Intrusive<'_, '_, '_, '_>,
    test: GuardTest,
    entity: ActorIx,
) -> bool {
    let scope = |only: Option<CampaignIx>| -> Vec<CampaignIx> {
        only.map_or_else(|| (0..ix(plan.campaigns.len())).collect(), |c| vec![c])
    };
    let campaigns = match test {
        GuardTest::Compromised(c) | GuardTest::NotContained(c) => scope(c),
        GuardTest::Hit(_) => scope(None),
    };
    campaigns.into_iter().any(|campaign| {
        let Some(intrusion) = world
            .index
            .0
            .get(&(campaign, entity))
            .and_then(|e| world.intrusions.get(*e).ok())
        else {
            return false;
        };
        // Data stolen from a supplier is a hit here, not a compromise of its systems.
        let compromised =
            !intrusion.completed.is_empty() && intrusion.status != IntrusionStatus::AtSupplier;
        match test {
            GuardTest::Compromised(_) => compromised,
            GuardTest::NotContained(_) => {
                compromised
                    && matches!(
                        intrusion.status,
                        IntrusionStatus::Active | IntrusionStatus::Finished
                    )
            }
            GuardTest::Hit(effect) => intrusion.completed.iter().any(|s| {
                plan.campaigns[campaign as usize].stages[*s].effect == StageEffect::Impact(effect)
            }),
        }
    })
}

/// The addressees as the journal names them.
pub fn refs(plan: &Plan, actors: &[ActorIx]) -> Vec<Ref> {
    actors.iter().map(|a| plan.actor_ref(*a)).collect()
}

#[cfg(test)]
mod tests {
    use crate::scenario::{Effect, Guard, ImpactKind, InjectEffect};
    use crate::sim::journal::Event;
    use crate::sim::testkit::{self, ENTITY, inject, of_kind, organisation};

    /// The campaign encrypts the bank (its one stage ends within 2 h); a shop beside it is
    /// never touched. A note to both at T+1d, guarded by `guard`.
    fn note(guard: Guard) -> crate::scenario::Scenario {
        let mut s = testkit::scenario();
        s.entities.push(organisation(&s, "shop"));
        s.adversaries[0].campaigns[0].stages[0].effect = Effect::Encryption;
        let mut note = inject("ransom-note", "T+1d", Vec::<InjectEffect>::new());
        note.to = vec![ENTITY.into(), "shop".into()];
        note.message = Some(crate::scenario::Message {
            from: "the crew".into(),
            channel: crate::scenario::Channel::Email,
            subject: "Your files are encrypted".into(),
            body: String::new(),
        });
        note.only_if = vec![guard];
        s.injects.push(note);
        s
    }

    #[test]
    fn a_note_guarded_by_encryption_reaches_only_the_encrypted() {
        let sim = testkit::play(&note(Guard::Hit {
            entity: None,
            effect: ImpactKind::Encryption,
        }));
        let fired = of_kind(&sim, "inject_fired");
        assert!(
            matches!(&fired[..], [e] if matches!(&e.event, Event::InjectFired { to, .. }
                if to.iter().map(|r| &*r.id).eq([ENTITY]))),
            "{fired:?}"
        );
        let withheld = of_kind(&sim, "inject_withheld");
        assert!(
            matches!(&withheld[..], [e] if matches!(&e.event, Event::InjectWithheld { from, reason, .. }
                if from.iter().map(|r| &*r.id).eq(["shop"]) && reason.contains("encryption"))),
            "{withheld:?}"
        );
    }

    #[test]
    fn a_guard_that_does_not_hold_cancels_the_inject_and_says_why() {
        let sim = testkit::play(&note(Guard::Compromised {
            entity: Some("shop".into()),
            campaign: None,
        }));
        assert!(of_kind(&sim, "inject_fired").is_empty());
        let cancelled = of_kind(&sim, "inject_cancelled");
        assert!(
            matches!(&cancelled[..], [e] if matches!(&e.event, Event::InjectCancelled { reason, .. }
                if &**reason == "only if shop was compromised; it is not so")),
            "{cancelled:?}"
        );
    }
}
