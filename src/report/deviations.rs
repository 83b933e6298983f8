//! Why an objective was missed: the earliest deviating line of the journal on its chain.
//!
//! An improvement-plan row that names only the organisation that missed the deadline
//! sends the hot wash after the wrong people. What went wrong earlier is usually one of
//! three things an exercise is there to expose: a share held back by its TLP marking, an
//! analyst who started only when the on-call analyst got to it, a decision nobody took
//! (its default applied). The row cites the earliest of them, by journal sequence number.
//!
//! "On its chain" is read from the objective itself: the actors its check names (for a
//! sector, every organisation of it; for coverage, every member) and the indicators it
//! names. A held-back share counts when it names one of those indicators, or one of those
//! actors or their CSIRTs at either end (information that did not reach them); an on-call
//! delay when the work was for or by a named actor; a default decision when a named actor
//! was asked. Only lines between the event that started the objective's clock and the
//! miss count.

use std::collections::BTreeSet;

use crate::scenario::Minute;
use crate::sim::journal::{Entry, Event, Ref};
use crate::sim::narrate;
use crate::sim::plan::{ActorIx, CheckPlan, IndicatorIx, ObjectivePlan, Pattern, Plan, WhoIx};

/// What kind of deviation a cited line is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeviationKind {
    /// A share refused because the indicator's TLP marking forbids passing it on.
    HeldBackByTlp,
    /// Work started by the on-call analyst after a wait outside office hours.
    OnCallDelay,
    /// A decision nobody answered in time: its default applied.
    DecidedByDefault,
}

/// The cited journal line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deviation {
    pub seq: u64,
    pub t: Minute,
    pub kind: DeviationKind,
    /// The line in words: "fin-csirt's on-call analyst started triage after 2h 30m".
    pub text: String,
}

/// The actors and indicators an objective's check names, with the CSIRTs of its
/// organisations.
struct Chain {
    /// Named by the check.
    actors: BTreeSet<ActorIx>,
    /// The CSIRTs of the named organisations: information passes through them.
    csirts: BTreeSet<ActorIx>,
    indicators: BTreeSet<IndicatorIx>,
}

impl Chain {
    fn of(plan: &Plan, check: &CheckPlan) -> Self {
        let mut chain = Self {
            actors: BTreeSet::new(),
            csirts: BTreeSet::new(),
            indicators: BTreeSet::new(),
        };
        match check {
            CheckPlan::Deadline {
                after, expected, ..
            } => {
                chain.pattern(plan, after);
                chain.pattern(plan, expected);
            }
            CheckPlan::Coverage {
                members,
                indicator,
                after,
                ..
            } => {
                chain.actors.extend(members.iter().copied());
                chain.indicators.insert(*indicator);
                chain.pattern(plan, after);
            }
            CheckPlan::Absence(pattern) => chain.pattern(plan, pattern),
            CheckPlan::Ordering { first, then } => {
                chain.pattern(plan, first);
                chain.pattern(plan, then);
            }
        }
        chain.csirts = chain
            .actors
            .iter()
            .filter_map(|&a| plan.entity(a).map(|e| e.csirt))
            .collect();
        chain
    }

    fn who(&mut self, plan: &Plan, who: &WhoIx) {
        match who {
            WhoIx::Entity(a) => {
                self.actors.insert(*a);
            }
            WhoIx::Sector(sector) => {
                let members = (0..plan.actors.len())
                    .filter_map(|ix| u32::try_from(ix).ok())
                    .filter(|&ix| plan.entity(ix).is_some_and(|e| e.sector == *sector));
                self.actors.extend(members);
            }
            WhoIx::Any => {}
        }
    }

    fn pattern(&mut self, plan: &Plan, pattern: &Pattern) {
        match pattern {
            Pattern::CrisisRaised { csirt, .. } | Pattern::CrisisTriggered { csirt, .. } => {
                self.actors.insert(*csirt);
            }
            Pattern::Detected(who) | Pattern::Classified(who) => self.who(plan, who),
            Pattern::ReportSent { by, .. } => self.who(plan, by),
            Pattern::Impact { at, .. } | Pattern::Stage { at, .. } => self.who(plan, at),
            Pattern::Feedback { from, to } | Pattern::Shared { from, to } => {
                self.actors.extend([*from, *to]);
            }
            Pattern::Knows { actor, indicator } => {
                self.actors.insert(*actor);
                self.indicators.insert(*indicator);
            }
            Pattern::StepDone { .. }
            | Pattern::NthImpact { .. }
            | Pattern::Inject(_)
            | Pattern::ObjectiveMet(_)
            | Pattern::ObjectiveMissed(_) => {}
        }
    }

    fn names(&self, r: &Ref) -> bool {
        self.actors.contains(&r.ix)
    }

    fn reaches(&self, r: &Ref) -> bool {
        self.names(r) || self.csirts.contains(&r.ix)
    }
}

/// The earliest deviation on the chain of `objective`, missed at the journal line
/// `missed` (its `evidence` starts the window when it has any).
pub fn earliest(
    plan: &Plan,
    journal: &[Entry],
    objective: &ObjectivePlan,
    missed: &Entry,
) -> Option<Deviation> {
    let Event::ObjectiveMissed { evidence, .. } = &missed.event else {
        return None;
    };
    let chain = Chain::of(plan, &objective.check);
    let from = evidence.iter().min().copied().unwrap_or(0);
    let window = journal
        .iter()
        .filter(|e| e.seq >= from && e.seq < missed.seq);
    for entry in window {
        let found = match &entry.event {
            Event::ShareRefused {
                from,
                to,
                indicator,
                tlp,
                ..
            } if chain.reaches(from)
                || chain.reaches(to)
                || chain.indicators.contains(&indicator.ix) =>
            {
                Some((
                    DeviationKind::HeldBackByTlp,
                    format!(
                        "{} held {indicator} back from {} (received under {tlp})",
                        narrate::actor(plan, from),
                        narrate::actor(plan, to)
                    ),
                ))
            }
            Event::WorkStarted {
                csirt,
                task,
                about,
                waited_minutes,
                on_call: true,
            } if *waited_minutes > 0 && (chain.names(csirt) || chain.names(about)) => Some((
                DeviationKind::OnCallDelay,
                format!(
                    "{}'s on-call analyst started {} for {} after {}",
                    narrate::actor(plan, csirt),
                    task.label(),
                    narrate::actor(plan, about),
                    narrate::span(*waited_minutes)
                ),
            )),
            Event::DecisionTaken {
                decision,
                option,
                by,
            } if &**by == "default" => {
                // Who was asked: the latest raising of this decision before it was taken.
                let asked = journal[..usize::try_from(entry.seq)
                    .unwrap_or(usize::MAX)
                    .min(journal.len())]
                    .iter()
                    .rev()
                    .find_map(|e| match &e.event {
                        Event::DecisionRaised {
                            decision: d, to, ..
                        } if d == decision => Some(to),
                        _ => None,
                    });
                asked
                    .is_some_and(|to| to.iter().any(|r| chain.names(r)))
                    .then(|| {
                        (
                            DeviationKind::DecidedByDefault,
                            format!("nobody answered {decision}: its default, {option}, applied"),
                        )
                    })
            }
            _ => None,
        };
        if let Some((kind, text)) = found {
            return Some(Deviation {
                seq: entry.seq,
                t: entry.t,
                kind,
                text,
            });
        }
    }
    None
}
