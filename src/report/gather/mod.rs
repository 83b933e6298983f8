//! Building the [`Report`] from a replayed session: every figure from the journal, the
//! engine's outcome or the session file.
//!
//! One file per section of the report; this door holds the lookups they share and
//! `gather`, which calls each in turn.

use std::collections::BTreeMap;

use crate::scenario::{Duration, Minute, Scenario, time::format_offset};
use crate::session::LoadedSession;
use crate::sim::plan::{CheckPlan, Pattern, WhoIx};
use crate::sim::{
    Command, Entry, Event, Outcome, Plan, PlayerAction, ReportStatus, Simulation, Verdict,
};

use super::baseline::Baseline;
use super::chart::{Steps, step_chart};
use super::deviations;
use super::inputs::{Inputs, line, when};
use super::{
    Answer, BaselineRow, BaselineSection, CommandLine, Compliance, ControlMessage, Count,
    DecisionRow, DeskRow, Desks, EventLine, Hotwash, ImprovementPlan, ImprovementRow,
    IndicatorSpread, Knowledge, Learning, Marking, Note, ObjectiveRow, Objectives, Observations,
    Overview, PlayerActionRow, Procedures, Question, RatingRow, Ratings, Report, ReportRow,
    StepRow, Timeline,
};
use crate::sim::narrate::{self, span};

mod compliance;
mod desks;
mod improvement;
mod knowledge;
mod objectives;
mod overview;
mod voices;

use compliance::compliance;
use desks::{desks, procedures};
use improvement::{baseline, improvement_plan};
use knowledge::knowledge;
use objectives::objectives;
use overview::{overview, timeline};
use voices::{hotwash, observations, ratings};

/// The last minute the replay played.
fn played_to(sim: &Simulation) -> Minute {
    if sim.is_finished() {
        sim.end()
    } else {
        (sim.now() - 1).max(0)
    }
}

fn actor_name(plan: &Plan, id: &str) -> String {
    plan.by_id
        .get(id)
        .map_or_else(|| id.to_owned(), |&ix| plan.actor(ix).name.to_string())
}

fn verdict_word(verdict: &Verdict) -> &'static str {
    match verdict {
        Verdict::Met { .. } => "met",
        Verdict::Missed { .. } => "missed",
        Verdict::Pending => "pending",
    }
}

/// Builds the report. Pure: reads the inputs, returns data.
pub fn gather(inputs: &Inputs<'_>) -> Report {
    let plan = inputs.sim.plan();
    let outcome = inputs.sim.outcome();
    let journal = inputs.sim.journal();
    let objectives = objectives(plan, journal, &outcome, inputs.sim.is_finished());
    Report {
        title: format!("After-action report — {}", plan.name),
        marking: Marking::new(inputs.tlp),
        overview: overview(inputs, &outcome, &objectives),
        timeline: timeline(plan, journal),
        compliance: compliance(inputs.sim, &outcome),
        desks: desks(inputs.sim, &outcome),
        procedures: procedures(plan, journal),
        knowledge: knowledge(inputs.sim, inputs.scenario),
        observations: observations(plan, journal),
        ratings: ratings(plan, journal),
        hotwash: hotwash(inputs.session, inputs.answers_signed()),
        improvement_plan: improvement_plan(inputs.sim, &outcome),
        baseline: baseline(&outcome, inputs.baseline),
        comparison: super::compare::comparison(inputs),
        objectives,
    }
}
