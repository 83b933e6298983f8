//! The after-action report (HSEEP AAR/IP) of a recorded session: data first, then text.
//!
//! [`gather`] turns a replayed session into a [`Report`]: plain data, every figure taken
//! from the journal, the engine's outcome or the session file, nothing rendered yet.
//! [`markdown`] and [`html`] render that data through templates. All of it is pure: the
//! CLI loads and replays sessions, plays the baseline, writes files and prints.
//!
//! Every section carries an `empty` reason, set when it has nothing to show, so no
//! section ships blank: the reader learns why (no incident, no rating given, …).
//!
//! Extension point — a new section. The report is data first: add a section struct here
//! with an `empty: Option<String>` reason, fill it in `gather` from the journal events or
//! the session records it needs, and add one block to each template (Markdown and HTML).
//! Event kinds the report does not know yet still appear on the timeline, described from
//! their JSON (`sim::narrate::describe`), so a new engine feature is never silently dropped.

pub mod baseline;
pub mod chart;
mod compare;
pub mod deviations;
mod gather;
mod inputs;
mod render;
#[cfg(test)]
mod tests;

use serde::Serialize;

use crate::scenario::{Minute, Tlp};

pub use baseline::{Baseline, Tally};
pub use chart::StepChart;
pub use gather::gather;
pub use inputs::{Inputs, ParentRun};
pub use render::{Format, RenderError, html, markdown, render};

/// What the report does not cover yet because the engine does not model it.
pub const NOT_COVERED: &str =
    "SOP step timings and players' decisions: the engine does not record them yet";

/// The whole after-action report, as data.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub title: String,
    pub marking: Marking,
    pub overview: Overview,
    pub timeline: Timeline,
    pub objectives: Objectives,
    pub compliance: Compliance,
    pub desks: Desks,
    pub procedures: Procedures,
    pub knowledge: Knowledge,
    pub observations: Observations,
    pub ratings: Ratings,
    pub hotwash: Hotwash,
    pub improvement_plan: ImprovementPlan,
    pub baseline: BaselineSection,
    pub comparison: Comparison,
}

/// The report's own TLP marking, printed at its top and bottom.
#[derive(Clone, Debug, Serialize)]
pub struct Marking {
    /// "TLP:AMBER".
    pub label: &'static str,
    /// CSS class: "red", "amber", "green" or "clear".
    pub class: &'static str,
    /// The label's colour on black, as FIRST's TLP 2.0 prescribes.
    pub color: &'static str,
    /// Who may receive the report, in FIRST's TLP 2.0 words.
    pub rule: &'static str,
}

impl Marking {
    pub fn new(tlp: Tlp) -> Self {
        let (class, color, rule) = match tlp {
            Tlp::Red => (
                "red",
                "#FF2B2B",
                "For the eyes and ears of individual recipients only, no further disclosure.",
            ),
            Tlp::AmberStrict => (
                "amber",
                "#FFC000",
                "Limited disclosure, restricted to the recipient's organisation only.",
            ),
            Tlp::Amber => (
                "amber",
                "#FFC000",
                "Limited disclosure, recipients may share it on a need-to-know basis within their organisation and its clients.",
            ),
            Tlp::Green => (
                "green",
                "#33FF00",
                "Limited disclosure, recipients may share it within their community.",
            ),
            Tlp::Clear => ("clear", "#FFFFFF", "Disclosure is not limited."),
        };
        Self {
            label: tlp.label(),
            class,
            color,
            rule,
        }
    }
}

/// A simulated moment as the report shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct When {
    pub minute: Minute,
    /// "T+1d 2h".
    pub offset: String,
    /// "Sat 18:30".
    pub wall: String,
}

/// One journal event, cited by its sequence number.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EventLine {
    pub seq: u64,
    pub when: When,
    pub kind: &'static str,
    pub text: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct CommandLine {
    pub seq: u64,
    pub when: When,
    pub kind: &'static str,
    pub summary: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Count {
    pub label: String,
    pub count: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct Overview {
    pub session: String,
    pub program: String,
    /// Whether the session's records are chained, in words: what the file itself proves.
    pub integrity: String,
    pub scenario_name: String,
    pub scenario_path: String,
    pub scenario_summary: String,
    pub digest: String,
    pub seed: u64,
    pub start: String,
    pub end: String,
    pub duration: String,
    pub played_to: When,
    pub finished: bool,
    /// One sentence on how far the recording reaches and how it was verified.
    pub recording: String,
    pub commands: Vec<CommandLine>,
    pub commands_by_kind: Vec<Count>,
    pub journal_events: usize,
    pub incidents: usize,
    pub impacts: usize,
    /// "3 met, 2 missed, 1 not triggered, 0 pending".
    pub objectives_summary: String,
    /// Set for a what-if branch: where it comes from.
    pub parent: Option<String>,
    /// For a signed session (or one checked with `--verify`): whether its signatures were
    /// verified, by which key and up to which minute. `None` for an unsigned session.
    pub signature: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Timeline {
    pub entries: Vec<EventLine>,
    pub empty: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ObjectiveRow {
    pub id: String,
    pub title: String,
    /// "met", "missed", "not triggered" (its trigger never happened), "pending" (a recording
    /// that stops before the end) or "open at the end" (its deadline falls after the end).
    pub verdict: &'static str,
    pub decided: Option<When>,
    pub reason: Option<String>,
    pub evidence: Vec<EventLine>,
    /// HSEEP letters given by evaluators, in order ("S", "M").
    pub ratings: Vec<&'static str>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Objectives {
    pub met: usize,
    pub missed: usize,
    /// Pending, or open at the end.
    pub pending: usize,
    pub not_triggered: usize,
    pub rows: Vec<ObjectiveRow>,
    pub empty: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ReportRow {
    pub entity: String,
    pub regime: String,
    pub report: String,
    pub to: String,
    pub incident: u32,
    pub due: Option<When>,
    pub sent: Option<When>,
    /// "on time", "late", "overdue", "not yet due" or "sent" (no deadline).
    pub status: &'static str,
    pub late_by: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Compliance {
    pub rows: Vec<ReportRow>,
    pub totals: String,
    pub empty: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct DeskRow {
    pub csirt: String,
    pub analysts: u32,
    pub items: u32,
    pub wait_mean: String,
    pub wait_max: String,
    pub analyst_time: String,
    pub max_queue: u32,
    pub queued_at_end: u32,
}

#[derive(Clone, Debug, Serialize)]
pub struct Desks {
    pub rows: Vec<DeskRow>,
    pub staffing: Vec<EventLine>,
    pub queue_chart: Option<StepChart>,
    pub empty: Option<String>,
}

/// One step of a standard operating procedure, as played.
#[derive(Clone, Debug, Serialize)]
pub struct StepRow {
    /// When the step was finished.
    pub when: When,
    pub csirt: String,
    /// "intake#1 (share-first)": the procedure, its instance and variant.
    pub procedure: String,
    pub step: String,
    /// Time since the procedure started.
    pub elapsed: String,
    pub deadline: Option<String>,
    /// "met", "missed" or "–" (no deadline).
    pub status: &'static str,
}

/// A decision point: what was asked, and what was chosen by whom.
#[derive(Clone, Debug, Serialize)]
pub struct DecisionRow {
    pub raised: When,
    /// Who was asked (the CSIRT of a procedure, an inject's addressees).
    pub asked: String,
    pub decision: String,
    pub prompt: String,
    pub options: String,
    pub default: String,
    pub deadline: When,
    pub taken: Option<When>,
    pub option: Option<String>,
    /// Who decided: a role ("DuckSends CISO (player)"), the facilitator for the player,
    /// or "default (no answer)".
    pub by: Option<String>,
    /// What the answer set off in the same minute, as journal lines.
    pub followed: Option<String>,
}

/// A player's own action (share, warning, scan, report, crisis level) and what came of it.
#[derive(Clone, Debug, Serialize)]
pub struct PlayerActionRow {
    pub seq: u64,
    pub when: When,
    pub role: String,
    pub action: String,
    /// What it did, or why it was refused.
    pub outcome: String,
    pub refused: bool,
}

/// SOP step timings and decisions (CSIRTs Network WG4 procedures).
#[derive(Clone, Debug, Serialize)]
pub struct Procedures {
    pub steps: Vec<StepRow>,
    /// Steps whose deadline passed before they were finished.
    pub missed: Vec<EventLine>,
    pub decisions: Vec<DecisionRow>,
    pub actions: Vec<PlayerActionRow>,
    pub empty: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Learning {
    pub when: When,
    pub actor: String,
    /// Who passed it on, or "own detection".
    pub from: String,
    pub tlp: &'static str,
}

#[derive(Clone, Debug, Serialize)]
pub struct IndicatorSpread {
    pub id: String,
    pub kind: String,
    pub value: String,
    pub knowers: usize,
    pub learnings: Vec<Learning>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Knowledge {
    /// Number of actors in the exercise: the most who could know an indicator.
    pub actors: usize,
    pub indicators: Vec<IndicatorSpread>,
    /// Indicators nobody learned.
    pub never_known: Vec<String>,
    /// Shares TLP held back.
    pub refused: Vec<EventLine>,
    pub chart: Option<StepChart>,
    pub empty: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Note {
    pub when: When,
    pub author: String,
    pub text: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Observations {
    pub rows: Vec<Note>,
    pub empty: Option<String>,
    /// Trainees' messages to exercise control and control's answers, in order. Shown
    /// only when there are some, so reports of sessions without a white cell stay as
    /// they were.
    pub messages: Vec<ControlMessage>,
}

/// One white-cell message: `from` a role to control, or from a controller to a role.
#[derive(Clone, Debug, Serialize)]
pub struct ControlMessage {
    pub when: When,
    pub from: String,
    pub to: String,
    pub text: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct RatingRow {
    pub when: When,
    pub objective: String,
    pub title: String,
    pub letter: &'static str,
    pub label: &'static str,
    pub evaluator: String,
    pub comment: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Ratings {
    pub rows: Vec<RatingRow>,
    pub empty: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Answer {
    pub participant: String,
    pub role: String,
    pub answer: String,
    /// In a signed session, added after its last signature.
    pub unsigned: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct Question {
    pub question: String,
    pub answers: Vec<Answer>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Hotwash {
    pub questions: Vec<Question>,
    pub answers: usize,
    pub empty: Option<String>,
}

/// One row of the improvement plan: the issue is drafted, the rest is for people to fill.
#[derive(Clone, Debug, Serialize)]
pub struct ImprovementRow {
    pub number: usize,
    /// The objective id or the report it comes from.
    pub source: String,
    pub issue: String,
    /// The organisation the objective or report concerns.
    pub responsible: String,
    /// For a missed objective: the journal line of the earliest deviation on its chain.
    pub cause: Option<u64>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ImprovementPlan {
    pub rows: Vec<ImprovementRow>,
    pub empty: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct BaselineRow {
    pub id: String,
    pub title: String,
    pub session: &'static str,
    pub met: u64,
    pub missed: u64,
    pub pending: u64,
    /// "34%".
    pub hit_rate: String,
    /// Where this session stands: "better than 66% of baseline runs", …
    pub standing: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct BaselineSection {
    /// "seeds 0–99".
    pub seeds: Option<String>,
    pub runs: u64,
    pub rows: Vec<BaselineRow>,
    pub empty: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct VerdictChange {
    pub id: String,
    pub title: String,
    pub parent: String,
    pub branch: String,
    pub changed: bool,
}

/// The first journal line where a branch and its parent differ.
#[derive(Clone, Debug, Serialize)]
pub struct Divergence {
    pub seq: u64,
    pub when: When,
    /// The parent's line there, or None if its journal ends first.
    pub parent: Option<EventLine>,
    pub branch: Option<EventLine>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Comparison {
    pub parent: Option<String>,
    pub branch_at: Option<When>,
    /// Notes on the seed and on whether the parent file changed since branching.
    pub notes: Vec<String>,
    pub objectives: Vec<VerdictChange>,
    pub changed: usize,
    pub divergence: Option<Divergence>,
    /// Set when the two journals are identical.
    pub identical: bool,
    pub empty: Option<String>,
}
