//! The deterministic core: a bevy_ecs world stepped from one due item to the next.
//!
//! [`Simulation`] is the whole public face: build it from a scenario and a seed, submit
//! commands, advance it, read the journal, the checksums and the outcome. The CLI, the
//! tests and the app use nothing else. This module never reads a clock, a file or a
//! terminal, and never iterates a hash map.

mod adversary;
mod answering;
mod apply;
mod before_start;
mod channels;
mod checkpoint;
mod checksum;
mod command;
mod ctx;
mod decided;
mod defence;
mod delivery;
mod desk;
mod digested;
mod discussion;
mod effects;
mod guards;
mod injects;
pub mod journal;
mod knowledge;
mod maturity;
pub mod narrate;
mod observe;
mod outcome;
pub mod plan;
mod players;
mod reports;
pub mod rng;
mod state;
mod stirred;
mod supply;
mod terms;
#[cfg(test)]
mod testkit;
pub mod view;
mod weight;

use std::sync::Arc;

use bevy_ecs::message::{MessageRegistry, Messages};
use bevy_ecs::prelude::*;
use bevy_ecs::schedule::{LogLevel, ScheduleBuildSettings, ScheduleLabel, SingleThreadedExecutor};

pub use checksum::Checksum;
pub use command::{Command, CommandError, PlayerAction, Rating, Stamped};
pub use injects::InjectStatus;
pub use journal::{Entry, Event, write_jsonl};
pub use observe::Verdict;
pub use outcome::{
    DeskOutcome, IncidentOutcome, ObjectiveOutcome, Open, Outcome, ReportOutcome, ReportStatus,
    Standing,
};
pub use plan::{Plan, PlanError, Variants};
pub use weight::Weight;

use crate::scenario::{Minute, Scenario, time::MINUTES_PER_HOUR};
use adversary::Exposure;
use apply::{AppliedCommands, PendingCommands};
use desk::DirtyDesks;
use injects::InjectBook;
use journal::Journal;
use observe::ObjectiveBook;
use state::{
    Actor, ActorEntities, Agenda, Clock, Defender, Desk, Due, DueNow, Intrusions, Knowledge,
    PlanRes, StreamsRes,
};

/// The simulation's version: bumped by every change that alters journal bytes or state
/// checksums for the same scenario, seed and commands. Sessions record it; replaying one
/// recorded by another version is refused by name instead of reported as a divergence.
///
/// 5: an actor's large sets and work queue are digested as they change (`digested`).
/// 6: the state checksum's digests are XXH3-128, not BLAKE3 (`checksum`). Both changed
/// every checksum and no journal byte.
pub const ENGINE_VERSION: u32 = 6;

/// State checksums are taken every simulated hour.
pub const CHECKSUM_INTERVAL: Minute = MINUTES_PER_HOUR;

/// The engine's systems, in the order they run every step.
#[derive(SystemSet, Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Phase {
    /// Outside influence first (determinism rule 4).
    Commands,
    /// Take what is due this minute from the agenda.
    Dispatch,
    Injects,
    Adversary,
    Defence,
    Delivery,
    Desks,
    /// Triggers and objectives watch what this minute produced.
    Observe,
}

#[derive(ScheduleLabel, Clone, Debug, PartialEq, Eq, Hash)]
struct Tick;

#[derive(ScheduleLabel, Clone, Debug, PartialEq, Eq, Hash)]
struct Checkpoint;

fn take_due(
    clock: Res<Clock>,
    mut agenda: ResMut<Agenda>,
    mut due: ResMut<DueNow>,
    mut exposures: ResMut<Messages<Exposure>>,
) {
    exposures.update();
    due.0 = agenda.take_due(clock.now);
}

/// Builds the schedule; with `strict`, order ambiguities between systems are errors.
fn build_schedule(strict: bool) -> Schedule {
    let mut schedule = Schedule::new(Tick);
    schedule.set_executor(SingleThreadedExecutor::new());
    schedule.set_build_settings(ScheduleBuildSettings {
        ambiguity_detection: if strict {
            LogLevel::Error
        } else {
            LogLevel::Ignore
        },
        ..Default::default()
    });
    schedule.configure_sets(
        (
            Phase::Commands,
            Phase::Dispatch,
            Phase::Injects,
            Phase::Adversary,
            Phase::Defence,
            Phase::Delivery,
            Phase::Desks,
            Phase::Observe,
        )
            .chain(),
    );
    schedule.add_systems((
        apply::apply_commands
            .run_if(apply::commands_due)
            .in_set(Phase::Commands),
        take_due.in_set(Phase::Dispatch),
        injects::fire_injects.in_set(Phase::Injects),
        adversary::advance_campaigns.in_set(Phase::Adversary),
        defence::defend.in_set(Phase::Defence),
        delivery::deliver.in_set(Phase::Delivery),
        desk::work_desks.in_set(Phase::Desks),
        observe::observe.in_set(Phase::Observe),
    ));
    schedule
}

/// Why a simulation could not be built.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error(transparent)]
    Plan(#[from] PlanError),
    #[error("the engine's schedule is invalid: {0}")]
    Schedule(String),
}

/// A run of a scenario with a seed: the only way to drive the simulation.
pub struct Simulation {
    world: World,
    schedule: Schedule,
    /// Refreshes the incremental state digest before a checksum is read.
    checkpoint: Schedule,
    plan: Arc<Plan>,
    seed: u64,
    /// Every minute before this one has been processed; commands may start here.
    frontier: Minute,
    next_command_seq: u64,
    next_checkpoint: Minute,
    checksums: Vec<(Minute, Checksum)>,
    finished: bool,
}

impl Simulation {
    pub fn new(scenario: &Scenario, seed: u64) -> Result<Self, BuildError> {
        Self::from_plan(Arc::new(Plan::build(scenario)?), seed)
    }

    /// Plays the named variant of each listed procedure (see `Plan::build_with`).
    pub fn with_variants(
        scenario: &Scenario,
        seed: u64,
        variants: &plan::Variants,
    ) -> Result<Self, BuildError> {
        Self::from_plan(Arc::new(Plan::build_with(scenario, variants)?), seed)
    }

    /// A run of an already compiled plan: sweeps compile once and play many seeds.
    pub fn from_plan(plan: Arc<Plan>, seed: u64) -> Result<Self, BuildError> {
        Self::build(plan, seed, false)
    }

    /// As `new`, with schedule ambiguity detection as an error (for tests).
    pub fn new_strict(scenario: &Scenario, seed: u64) -> Result<Self, BuildError> {
        Self::build(Arc::new(Plan::build(scenario)?), seed, true)
    }

    fn build(plan: Arc<Plan>, seed: u64, strict: bool) -> Result<Self, BuildError> {
        let mut world = World::new();
        MessageRegistry::register_message::<Exposure>(&mut world);
        let mut agenda = Agenda::default();
        let mut actors = Vec::with_capacity(plan.actors.len());
        for (ix, actor) in plan.actors.iter().enumerate() {
            let ix = plan::ix(ix);
            let mut entity =
                world.spawn((Actor(ix), Knowledge::default(), checksum::Digest::default()));
            match actor.role {
                plan::ActorRole::Csirt(c) => {
                    entity.insert(Desk::new(plan.csirts[c as usize].analysts));
                }
                plan::ActorRole::Entity(_) => {
                    entity.insert(Defender::default());
                }
                plan::ActorRole::Authority(_) => {}
            }
            actors.push(entity.id());
        }
        for (c, campaign) in plan.campaigns.iter().enumerate() {
            let campaign_ix = plan::ix(c);
            // A campaign begun before the exercise is played from its start: see
            // `play_before_start`.
            agenda.push(
                campaign.start,
                Due::CampaignStart {
                    campaign: campaign_ix,
                },
            );
        }
        desk::schedule_disclosures(&plan, &mut agenda);
        for csirt in &plan.csirts {
            if let Some(every) = csirt.scan_every
                && csirt.offers(crate::scenario::Service::Scanning)
            {
                agenda.push(
                    every,
                    Due::Scan {
                        csirt: csirt.actor,
                        only: None,
                        requested: false,
                    },
                );
            }
        }
        let book = InjectBook::new(&plan, &mut agenda);
        world.insert_resource(Journal::default());
        world.insert_resource(Clock::default());
        world.insert_resource(PlanRes(plan.clone()));
        world.insert_resource(StreamsRes(rng::Streams::new(seed)));
        world.insert_resource(stirred::Stirred::every(&actors));
        world.insert_resource(ActorEntities(actors));
        world.insert_resource(Intrusions::default());
        world.insert_resource(DueNow::default());
        world.insert_resource(DirtyDesks::default());
        world.insert_resource(PendingCommands::default());
        world.insert_resource(AppliedCommands::default());
        world.insert_resource(ObjectiveBook::new(&plan));
        world.insert_resource(observe::Watchers::of(&plan, &book));
        world.insert_resource(book);
        world.insert_resource(agenda);
        world.insert_resource(checkpoint::WorldDigest::default());
        world.insert_resource(state::ChannelOutages::default());
        world.insert_resource(state::Advisories::default());
        world.insert_resource(state::CampaignStates {
            campaigns: vec![state::CampaignState::default(); plan.campaigns.len()],
            impacts: std::collections::BTreeMap::new(),
            cursor: 0,
        });
        let mut checkpoint = Schedule::new(Checkpoint);
        checkpoint.set_executor(SingleThreadedExecutor::new());
        checkpoint.add_systems(checkpoint::refresh_digests);
        let mut schedule = build_schedule(strict);
        schedule
            .initialize(&mut world)
            .map_err(|e| BuildError::Schedule(format!("{e}")))?;
        let mut sim = Self {
            world,
            schedule,
            checkpoint,
            plan,
            seed,
            frontier: 0,
            next_command_seq: 0,
            next_checkpoint: CHECKSUM_INTERVAL,
            checksums: Vec::new(),
            finished: false,
        };
        sim.open();
        Ok(sim)
    }

    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The last minute of the exercise.
    pub fn end(&self) -> Minute {
        self.plan.end
    }

    /// The clock: every minute before it has been played.
    pub fn now(&self) -> Minute {
        self.frontier.min(self.plan.end)
    }

    /// The last minute played: what a face shows as the exercise's clock, so the events
    /// of the minute on display have happened (after playing the event at T+5h, the clock
    /// reads T+5h, not T+5h 01m). T+0 before anything is played.
    pub fn played_to(&self) -> Minute {
        (self.frontier - 1).clamp(0, self.plan.end)
    }

    /// The earliest minute a new command can be stamped with.
    pub fn earliest_command_time(&self) -> Minute {
        self.frontier
    }

    pub fn is_finished(&self) -> bool {
        self.finished
    }

    /// Queues a command for minute `at`; returns its sequence number.
    pub fn submit(&mut self, at: Minute, command: Command) -> Result<u64, CommandError> {
        if at < self.frontier {
            return Err(CommandError::InThePast {
                at,
                earliest: self.frontier,
            });
        }
        if at > self.plan.end || self.finished {
            return Err(CommandError::AfterTheEnd {
                at,
                end: self.plan.end,
            });
        }
        let seq = self.next_command_seq;
        self.submit_with_seq(at, seq, command)?;
        Ok(seq)
    }

    /// Queues a recorded command with its original sequence number (replay).
    pub fn submit_with_seq(
        &mut self,
        at: Minute,
        seq: u64,
        command: Command,
    ) -> Result<(), CommandError> {
        if at < self.frontier {
            return Err(CommandError::InThePast {
                at,
                earliest: self.frontier,
            });
        }
        self.next_command_seq = self.next_command_seq.max(seq + 1);
        self.world
            .resource_mut::<PendingCommands>()
            .0
            .insert((at, seq), command);
        Ok(())
    }

    /// The sequence number the next submitted command will get.
    pub fn next_command_seq(&self) -> u64 {
        self.next_command_seq
    }

    /// The next minute at which something is due, if any before the end.
    pub fn next_event_time(&self) -> Option<Minute> {
        let agenda = self.world.resource::<Agenda>().next_time();
        let commands = self.world.resource::<PendingCommands>().next_time();
        [agenda, commands]
            .into_iter()
            .flatten()
            .min()
            .filter(|t| *t <= self.plan.end)
    }

    fn record_checkpoints_before(&mut self, t: Minute) {
        while self.next_checkpoint < t && self.next_checkpoint <= self.plan.end {
            let checksum = self.state_checksum();
            self.checksums.push((self.next_checkpoint, checksum));
            self.next_checkpoint += CHECKSUM_INTERVAL;
        }
    }

    fn process_minute(&mut self, t: Minute) {
        self.record_checkpoints_before(t);
        self.world.resource_mut::<Clock>().now = t;
        self.schedule.run(&mut self.world);
        self.frontier = t + 1;
    }

    /// Plays the next minute at which something is due. Returns false once finished.
    pub fn step(&mut self) -> bool {
        if self.finished {
            return false;
        }
        match self.next_event_time() {
            Some(t) => self.process_minute(t.max(self.frontier)),
            None => self.finish(),
        }
        !self.finished
    }

    /// Plays every minute before `t` (capped at the end of the exercise).
    pub fn advance_to(&mut self, t: Minute) {
        while !self.finished {
            match self.next_event_time() {
                Some(next) if next < t => self.process_minute(next.max(self.frontier)),
                _ => break,
            }
        }
        if t > self.plan.end {
            self.finish();
        } else if !self.finished {
            // Every minute before `t` is played: its checkpoints can be taken.
            self.record_checkpoints_before(t);
            self.frontier = self.frontier.max(t);
        }
    }

    /// Plays to the end of the exercise.
    pub fn run_to_end(&mut self) {
        self.advance_to(self.plan.end + 1);
    }

    fn finish(&mut self) {
        if self.finished {
            return;
        }
        let end = self.plan.end;
        self.record_checkpoints_before(end + 1);
        let plan = self.plan.clone();
        self.world
            .resource_scope(|world, mut book: Mut<ObjectiveBook>| {
                let mut journal = world.resource_mut::<Journal>();
                observe::conclude(&plan, end, &mut book, &mut journal);
                journal.record(end, Event::ExerciseEnded {});
            });
        self.frontier = end + 1;
        self.finished = true;
    }

    pub fn journal(&self) -> &[Entry] {
        self.world.resource::<Journal>().entries()
    }

    /// Checksums taken so far, one per simulated hour.
    pub fn checksums(&self) -> &[(Minute, Checksum)] {
        &self.checksums
    }

    /// Commands applied so far, in order.
    pub fn applied_commands(&self) -> &[Stamped] {
        &self.world.resource::<AppliedCommands>().0
    }

    /// A digest of the whole simulated state, over a canonical encoding.
    pub fn state_checksum(&mut self) -> Checksum {
        self.checkpoint.run(&mut self.world);
        checkpoint::world_checksum(&self.world)
    }

    /// What happened, for summaries and sweeps.
    pub fn outcome(&self) -> Outcome {
        outcome::collect(&self.world, &self.plan)
    }

    /// The objectives' verdicts and why the open ones are open, without the rest of the
    /// outcome.
    pub fn objectives(&self) -> Vec<ObjectiveOutcome> {
        outcome::objectives(&self.world, &self.plan)
    }

    /// Quietly teaches the first actor the first indicator, without a journal line: a
    /// deliberate divergence of state, so tests can show that checksums catch one.
    #[cfg(feature = "test-hooks")]
    pub fn desync_for_tests(&mut self) {
        let first = self.world.resource::<ActorEntities>().0.first().copied();
        if let Some(entity) = first
            && let Some(mut knowledge) = self.world.get_mut::<Knowledge>(entity)
        {
            let learned = state::Learned {
                context: state::Context::default(),
                at: self.frontier,
                from: None,
                tlp: crate::scenario::Tlp::Red,
            };
            knowledge.indicators.insert(0, learned);
            self.world.resource_mut::<stirred::Stirred>().mark(entity);
        }
    }

    /// What one actor knows and does, by actor id.
    pub fn actor_view(&self, id: &str) -> Option<view::ActorView> {
        let ix = self.plan.by_id.get(id).copied()?;
        view::actor(&self.world, &self.plan, ix)
    }

    /// Every actor and link, with organisations' states, for the situation map.
    pub fn network_view(&self) -> view::NetworkView {
        view::network(&self.world, &self.plan)
    }

    /// The MSEL as it stands: every inject with its status.
    pub fn inject_views(&self) -> Vec<view::InjectView> {
        view::injects(&self.world, &self.plan)
    }

    /// What a role's player may see: their actor's knowledge, inbox, prompts and deadlines.
    pub fn role_view(&self, role: &str) -> Option<view::RoleView> {
        let role = self.plan.role(role)?;
        view::role(
            &self.world,
            &self.plan,
            self.journal(),
            role,
            None,
            self.played_to(),
        )
    }

    /// A role's view brought up to date: the journal is read only from where `previous`
    /// left off, so an open window costs what happened since its last refresh. Pass a view
    /// of this run only (a rebuilt or rewound simulation needs a fresh `role_view`).
    pub fn refresh_role_view(&self, previous: view::RoleView) -> Option<view::RoleView> {
        let role = self.plan.role(&previous.id)?;
        view::role(
            &self.world,
            &self.plan,
            self.journal(),
            role,
            Some(previous),
            self.played_to(),
        )
    }

    /// The public picture for the projector: clock, crisis levels, news, objectives met.
    pub fn projector_view(&self) -> view::ProjectorView {
        view::projector(
            &self.world,
            &self.plan,
            self.journal(),
            None,
            self.played_to(),
        )
    }

    /// The projector's view brought up to date from an earlier one of this run.
    pub fn refresh_projector_view(&self, previous: view::ProjectorView) -> view::ProjectorView {
        view::projector(
            &self.world,
            &self.plan,
            self.journal(),
            Some(previous),
            self.played_to(),
        )
    }

    /// Checks a player's action before it is given: `Ok` says what it will do, `Err` why
    /// it would be refused (including indicators the TLP check would hold back). The
    /// engine applies the same rules when the command comes.
    pub fn check_action(&self, role: &str, action: &PlayerAction) -> Result<String, String> {
        let role = self
            .plan
            .role(role)
            .ok_or_else(|| format!("no role \"{role}\""))?;
        let holdings = players::WorldHoldings {
            world: &self.world,
            actors: self.world.resource::<ActorEntities>(),
        };
        players::preview(&self.plan, &holdings, role, action)
    }

    /// Status of every inject: the MSEL as it stands.
    pub fn inject_statuses(&self) -> Vec<(String, InjectStatus)> {
        let book = self.world.resource::<InjectBook>();
        book.plans
            .iter()
            .zip(&book.states)
            .map(|(p, s)| (p.id.to_string(), s.status))
            .collect()
    }
}

#[cfg(test)]
mod tests;
