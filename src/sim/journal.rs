//! The journal: every simulation event, in order, with its simulated minute.
//!
//! Events name actors and items by id in JSON, and keep their index for matching, so
//! triggers and objectives compare integers while the JSON Lines output stays readable.
//!
//! Long because: the `Event` enum is the journal's vocabulary, one variant per kind of
//! event with its fields, and each kind's JSON name beside it; split, they would drift.

use std::fmt;
use std::io::{self, Write};

use serde::{Serialize, Serializer};

use crate::scenario::{
    Channel, CrisisAction, CrisisLevel, CrisisTrigger, ImpactKind, Minute, ReportKind, Sector, Tlp,
};

use super::plan::{ActorIx, CampaignIx, IndicatorIx, Name, Plan, ix};
pub use super::terms::{DetectionSource, ScanMiss, Severity, Task};

/// An item of the plan: its index for the engine, its id for people.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Ref {
    pub ix: u32,
    pub id: Name,
}

impl Serialize for Ref {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.id)
    }
}

impl fmt::Display for Ref {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.id)
    }
}

/// Journal references to plan items: the index and the id, as events name them.
impl Plan {
    pub fn actor_ref(&self, ix: ActorIx) -> Ref {
        Ref {
            ix,
            id: self.actor(ix).id.clone(),
        }
    }

    pub fn campaign_ref(&self, ix: CampaignIx) -> Ref {
        Ref {
            ix,
            id: self.campaigns[ix as usize].id.clone(),
        }
    }

    pub fn stage_ref(&self, campaign: CampaignIx, stage: usize) -> Ref {
        Ref {
            ix: ix(stage),
            id: self.campaigns[campaign as usize].stages[stage].id.clone(),
        }
    }

    pub fn indicator_ref(&self, indicator: IndicatorIx) -> Ref {
        Ref {
            ix: indicator,
            id: self.indicators[indicator as usize].id.clone(),
        }
    }

    pub fn inject_ref(&self, inject: u32) -> Ref {
        Ref {
            ix: inject,
            id: self.injects[inject as usize].id.clone(),
        }
    }

    pub fn objective_ref(&self, objective: u32) -> Ref {
        Ref {
            ix: objective,
            id: self.objectives[objective as usize].id.clone(),
        }
    }
}

/// One simulation event. `kind` in JSON is the variant name in snake_case.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Event {
    ExerciseStarted {
        scenario: Name,
        seed: u64,
        start: String,
        end: Minute,
    },
    CampaignStarted {
        campaign: Ref,
        adversary: Name,
        targets: u32,
    },
    StageCompleted {
        campaign: Ref,
        stage: Ref,
        technique: Name,
        entity: Ref,
    },
    StageBlocked {
        campaign: Ref,
        stage: Ref,
        entity: Ref,
        indicators: Vec<Ref>,
    },
    Impact {
        campaign: Ref,
        stage: Ref,
        entity: Ref,
        effect: ImpactKind,
        /// How many impacts of this kind the exercise has seen, this one included.
        nth: u32,
    },
    Spread {
        campaign: Ref,
        from: Ref,
        to: Ref,
        entry: Ref,
    },
    Detected {
        entity: Ref,
        campaign: Ref,
        stage: Ref,
        incident: u32,
        source: DetectionSource,
    },
    TipReceived {
        entity: Ref,
        campaign: Ref,
        noticed: bool,
    },
    Classified {
        entity: Ref,
        incident: u32,
        severity: Severity,
        major: bool,
        taxonomy: &'static str,
    },
    Contained {
        entity: Ref,
        campaign: Ref,
        incident: u32,
    },
    ReportDue {
        entity: Ref,
        report: ReportKind,
        to: Ref,
        incident: u32,
        due: Minute,
    },
    ReportSent {
        entity: Ref,
        report: ReportKind,
        to: Ref,
        incident: u32,
        due: Option<Minute>,
        late_minutes: Minute,
        indicators: Vec<Ref>,
    },
    ReportOverdue {
        entity: Ref,
        report: ReportKind,
        to: Ref,
        incident: u32,
        due: Minute,
    },
    ReportReceived {
        by: Ref,
        from: Ref,
        report: ReportKind,
    },
    ReportForwarded {
        by: Ref,
        to: Ref,
        entity: Ref,
        report: ReportKind,
    },
    WorkQueued {
        csirt: Ref,
        task: Task,
        about: Ref,
        queue: u32,
    },
    WorkStarted {
        csirt: Ref,
        task: Task,
        about: Ref,
        waited_minutes: Minute,
        on_call: bool,
    },
    /// `turnaround_minutes`: from queueing to the end of the work.
    WorkFinished {
        csirt: Ref,
        task: Task,
        about: Ref,
        turnaround_minutes: Minute,
    },
    Feedback {
        from: Ref,
        to: Ref,
        indicators: Vec<Ref>,
    },
    Shared {
        from: Ref,
        to: Ref,
        indicators: Vec<Ref>,
        tlp: Tlp,
        warning: bool,
    },
    /// A CSIRT tells another of incidents it has heard of (sector and campaign, victims
    /// not named) with no indicator to pass: news, not a share.
    IncidentsPassedOn {
        from: Ref,
        to: Ref,
        incidents: u32,
    },
    ShareRefused {
        from: Ref,
        to: Ref,
        indicator: Ref,
        tlp: Tlp,
        reason: &'static str,
    },
    IndicatorLearned {
        actor: Ref,
        indicator: Ref,
        from: Option<Ref>,
        tlp: Tlp,
        /// Context that came with it: victim, sectoral, adversarial, cross-border.
        context: Vec<&'static str>,
    },
    /// A CSIRT or authority learns of an incident (the victim named only with victim context).
    IncidentNoted {
        actor: Ref,
        victim: Option<Ref>,
        sector: Sector,
        campaign: Ref,
        from: Option<Ref>,
    },
    /// A CSIRT learns that a campaign it knows from home is seen abroad.
    CrossBorderLink {
        csirt: Ref,
        peer: Ref,
        campaign: Ref,
    },
    WarningActedOn {
        entity: Ref,
        indicators: Vec<Ref>,
    },
    ChannelDown {
        actor: Ref,
        channel: Channel,
        until: Minute,
    },
    ChannelRestored {
        actor: Ref,
        channel: Channel,
    },
    /// A message could not go over the sender's first choice and went another way.
    ChannelFallback {
        from: Ref,
        to: Ref,
        failed: Channel,
        used: Channel,
    },
    ExploitFailed {
        campaign: Ref,
        stage: Ref,
        entity: Ref,
        cve: Name,
        reason: &'static str,
    },
    ScanFinding {
        csirt: Ref,
        entity: Ref,
        cve: Name,
    },
    /// A scan that was asked for found nothing new; `entity` is the one it was asked about.
    ScanFoundNothing {
        csirt: Ref,
        entity: Option<Ref>,
        reason: ScanMiss,
    },
    Patched {
        entity: Ref,
        cve: Name,
    },
    VulnerabilityReported {
        coordinator: Ref,
        cve: Name,
    },
    VendorContacted {
        coordinator: Ref,
        cve: Name,
        advisory_due: Minute,
    },
    /// Data stolen from a supplier holding its customers' data: a breach at `customer`
    /// without an intrusion there.
    SupplierBreach {
        campaign: Ref,
        stage: Ref,
        supplier: Ref,
        customer: Ref,
    },
    AdvisoryPublished {
        coordinator: Ref,
        cve: Name,
        affected: u32,
    },
    /// The exercise opens with a vulnerability reported before T+0 under embargo: the
    /// vendor was contacted at `since`, the advisory is due at `advisory_due`.
    UnderEmbargo {
        coordinator: Ref,
        cve: Name,
        since: Minute,
        advisory_due: Minute,
    },
    /// A proof of concept is public; `fixed` says whether an advisory with a fix was out.
    ProofOfConceptPublished {
        cve: Name,
        fixed: bool,
    },
    /// An organisation received the advisory, but its deployment is not covered by the fix
    /// yet; `fix_due` is when it will be (none within the exercise when absent).
    FixNotAvailable {
        entity: Ref,
        cve: Name,
        fix_due: Option<Minute>,
    },
    CrisisLevelChanged {
        csirt: Ref,
        from: CrisisLevel,
        to: CrisisLevel,
        reason: String,
    },
    /// What the CSIRT knows meets an escalation rule: an assessment is queued.
    CrisisTriggered {
        csirt: Ref,
        level: CrisisLevel,
        /// The rule's trigger, as the scenario writes it (serde names, like the rest).
        trigger: CrisisTrigger,
    },
    CrisisActionTaken {
        csirt: Ref,
        action: CrisisAction,
    },
    InfrastructureRotated {
        campaign: Ref,
        replaced: Vec<(Ref, Ref)>,
        known_by: u32,
    },
    Sighting {
        from: Ref,
        to: Ref,
        indicator: Ref,
        first_seen: Minute,
        place: Name,
    },
    StaffChanged {
        csirt: Ref,
        available: u32,
        analysts: u32,
    },
    InjectFired {
        inject: Ref,
        title: Name,
        to: Vec<Ref>,
        channel: Option<Channel>,
        subject: Option<Name>,
        /// Every message to players is marked as exercise traffic.
        marking: &'static str,
        by_facilitator: bool,
    },
    InjectDelayed {
        inject: Ref,
        until: Minute,
    },
    InjectSkipped {
        inject: Ref,
    },
    InjectCancelled {
        inject: Ref,
        reason: Name,
    },
    /// A guarded inject fired, but not to these addressees: its guard did not hold for them.
    InjectWithheld {
        inject: Ref,
        from: Vec<Ref>,
        reason: Name,
    },
    InjectComposed {
        inject: Ref,
    },
    Observation {
        author: Name,
        text: Name,
    },
    Rated {
        objective: Ref,
        rating: super::command::Rating,
        evaluator: Name,
        comment: Name,
    },
    /// An organisation was to contain a campaign ("contain now") but knows of no intrusion
    /// by it: nothing happens.
    NothingToContain {
        entity: Ref,
        campaign: Ref,
    },
    /// An organisation decided not to send a report it may owe.
    ReportWithheld {
        entity: Ref,
        report: ReportKind,
    },
    /// A player sent a report its organisation had decided to withhold.
    ReportReconsidered {
        entity: Ref,
        report: ReportKind,
    },
    /// An organisation took its systems offline: its service is down until `until`.
    TakenOffline {
        entity: Ref,
        until: Minute,
    },
    /// An organisation's systems are back online.
    BackOnline {
        entity: Ref,
    },
    /// A stage came due at an organisation whose systems were offline: it fails, and the
    /// intrusion there ends.
    StageFailedOffline {
        campaign: Ref,
        stage: Ref,
        entity: Ref,
    },
    /// An organisation marks what it shares and reports differently from now on.
    MarkingChanged {
        entity: Ref,
        from: Tlp,
        to: Tlp,
    },
    /// An evaluator rated how the players handled a decision or discussion question.
    AnswerRated {
        decision: Name,
        rating: super::command::Rating,
        evaluator: Name,
        comment: Name,
    },
    /// A role wrote to exercise control (the white cell).
    MessageToControl {
        role: Name,
        text: Name,
    },
    /// Exercise control wrote to a role.
    MessageFromControl {
        role: Name,
        by: Name,
        text: Name,
    },
    /// An addressee answers a free-text discussion question in its own words (the
    /// decision is named as `decision_raised` named it: "inject:question@addressee").
    QuestionAnswered {
        decision: Name,
        by: Name,
        text: Name,
    },
    /// A free-text discussion question's deadline passed and its addressee had not answered.
    QuestionUnanswered {
        decision: Name,
    },
    /// A procedure starts at its owner.
    SopStarted {
        sop: Ref,
        variant: Name,
        csirt: Ref,
        about: Ref,
        instance: u32,
    },
    StepFinished {
        sop: Ref,
        step: Ref,
        csirt: Ref,
        instance: u32,
        /// Minutes since the procedure started.
        elapsed: Minute,
        deadline: Option<Minute>,
        met: Option<bool>,
    },
    StepDeadlineMissed {
        sop: Ref,
        step: Ref,
        csirt: Ref,
        instance: u32,
    },
    /// A decision point waits for a player (or its default at `deadline`).
    DecisionRaised {
        decision: Name,
        /// Who is asked: the CSIRT running the procedure, or the inject's addressees.
        to: Vec<Ref>,
        prompt: Name,
        options: Vec<Name>,
        default: Name,
        deadline: Minute,
    },
    DecisionTaken {
        decision: Name,
        option: Name,
        /// "default" when the timeout passed, else who decided.
        by: Name,
    },
    CommandRefused {
        command: Name,
        reason: String,
    },
    /// A player's own action is accepted: what follows (shares, a scan, a report, a crisis
    /// level) is journaled as it happens.
    PlayerActed {
        role: Name,
        actor: Ref,
        action: &'static str,
        detail: String,
    },
    /// A player's action breaks a rule (TLP, services, what the actor holds): nothing happens.
    ActionRefused {
        role: Name,
        action: &'static str,
        reason: String,
    },
    ObjectiveMet {
        objective: Ref,
        evidence: Vec<u64>,
    },
    ObjectiveMissed {
        objective: Ref,
        evidence: Vec<u64>,
        reason: &'static str,
    },
    /// At the end: an objective whose starting event never happened.
    ObjectiveNotTriggered {
        objective: Ref,
        waiting_for: Name,
    },
    ExerciseEnded {},
}

/// The marking on every message the exercise sends to players.
pub const EXERCISE: &str = "EXERCISE";

/// One journal line: sequence number, simulated minute, event.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Entry {
    pub seq: u64,
    pub t: Minute,
    #[serde(flatten)]
    pub event: Event,
}

impl Entry {
    /// The `kind` string of the event, as in the JSON.
    pub fn kind(&self) -> &'static str {
        kind_of(&self.event)
    }
}

fn kind_of(event: &Event) -> &'static str {
    match event {
        Event::ExerciseStarted { .. } => "exercise_started",
        Event::CampaignStarted { .. } => "campaign_started",
        Event::StageCompleted { .. } => "stage_completed",
        Event::StageBlocked { .. } => "stage_blocked",
        Event::Impact { .. } => "impact",
        Event::Spread { .. } => "spread",
        Event::Detected { .. } => "detected",
        Event::TipReceived { .. } => "tip_received",
        Event::Classified { .. } => "classified",
        Event::Contained { .. } => "contained",
        Event::ReportDue { .. } => "report_due",
        Event::ReportSent { .. } => "report_sent",
        Event::ReportOverdue { .. } => "report_overdue",
        Event::ReportReceived { .. } => "report_received",
        Event::ReportForwarded { .. } => "report_forwarded",
        Event::WorkQueued { .. } => "work_queued",
        Event::WorkStarted { .. } => "work_started",
        Event::WorkFinished { .. } => "work_finished",
        Event::Feedback { .. } => "feedback",
        Event::Shared { .. } => "shared",
        Event::IncidentsPassedOn { .. } => "incidents_passed_on",
        Event::ShareRefused { .. } => "share_refused",
        Event::IndicatorLearned { .. } => "indicator_learned",
        Event::IncidentNoted { .. } => "incident_noted",
        Event::CrossBorderLink { .. } => "cross_border_link",
        Event::WarningActedOn { .. } => "warning_acted_on",
        Event::ChannelDown { .. } => "channel_down",
        Event::ChannelRestored { .. } => "channel_restored",
        Event::ChannelFallback { .. } => "channel_fallback",
        Event::ExploitFailed { .. } => "exploit_failed",
        Event::ScanFinding { .. } => "scan_finding",
        Event::ScanFoundNothing { .. } => "scan_found_nothing",
        Event::Patched { .. } => "patched",
        Event::VulnerabilityReported { .. } => "vulnerability_reported",
        Event::VendorContacted { .. } => "vendor_contacted",
        Event::AdvisoryPublished { .. } => "advisory_published",
        Event::UnderEmbargo { .. } => "under_embargo",
        Event::SupplierBreach { .. } => "supplier_breach",
        Event::ProofOfConceptPublished { .. } => "proof_of_concept_published",
        Event::FixNotAvailable { .. } => "fix_not_available",
        Event::CrisisLevelChanged { .. } => "crisis_level_changed",
        Event::CrisisActionTaken { .. } => "crisis_action_taken",
        Event::CrisisTriggered { .. } => "crisis_triggered",
        Event::InfrastructureRotated { .. } => "infrastructure_rotated",
        Event::Sighting { .. } => "sighting",
        Event::StaffChanged { .. } => "staff_changed",
        Event::InjectFired { .. } => "inject_fired",
        Event::InjectDelayed { .. } => "inject_delayed",
        Event::InjectSkipped { .. } => "inject_skipped",
        Event::InjectCancelled { .. } => "inject_cancelled",
        Event::InjectWithheld { .. } => "inject_withheld",
        Event::InjectComposed { .. } => "inject_composed",
        Event::Observation { .. } => "observation",
        Event::Rated { .. } => "rated",
        Event::AnswerRated { .. } => "answer_rated",
        Event::NothingToContain { .. } => "nothing_to_contain",
        Event::ReportWithheld { .. } => "report_withheld",
        Event::ReportReconsidered { .. } => "report_reconsidered",
        Event::MarkingChanged { .. } => "marking_changed",
        Event::TakenOffline { .. } => "taken_offline",
        Event::BackOnline { .. } => "back_online",
        Event::StageFailedOffline { .. } => "stage_failed_offline",
        Event::MessageToControl { .. } => "message_to_control",
        Event::MessageFromControl { .. } => "message_from_control",
        Event::QuestionAnswered { .. } => "question_answered",
        Event::QuestionUnanswered { .. } => "question_unanswered",
        Event::CommandRefused { .. } => "command_refused",
        Event::SopStarted { .. } => "sop_started",
        Event::StepFinished { .. } => "step_finished",
        Event::StepDeadlineMissed { .. } => "step_deadline_missed",
        Event::DecisionRaised { .. } => "decision_raised",
        Event::DecisionTaken { .. } => "decision_taken",
        Event::PlayerActed { .. } => "player_acted",
        Event::ActionRefused { .. } => "action_refused",
        Event::ObjectiveMet { .. } => "objective_met",
        Event::ObjectiveMissed { .. } => "objective_missed",
        Event::ObjectiveNotTriggered { .. } => "objective_not_triggered",
        Event::ExerciseEnded {} => "exercise_ended",
    }
}

/// The ordered journal of a run.
#[derive(Clone, Debug, Default, bevy_ecs::resource::Resource)]
pub struct Journal {
    entries: Vec<Entry>,
}

impl Journal {
    /// Appends an event at minute `t`; returns its sequence number.
    pub fn record(&mut self, t: Minute, event: Event) -> u64 {
        let seq = self.entries.len() as u64;
        self.entries.push(Entry { seq, t, event });
        seq
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Writes entries as JSON Lines: one object per line, `seq`, `t` and `kind` first.
pub fn write_jsonl<W: Write>(entries: &[Entry], mut out: W) -> io::Result<()> {
    for entry in entries {
        serde_json::to_writer(&mut out, entry).map_err(io::Error::other)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_carry_t_and_kind() {
        let mut journal = Journal::default();
        let csirt = Ref {
            ix: 0,
            id: "fin-csirt".into(),
        };
        journal.record(
            90,
            Event::StaffChanged {
                csirt,
                available: 2,
                analysts: 3,
            },
        );
        let mut out = Vec::new();
        write_jsonl(journal.entries(), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "{\"seq\":0,\"t\":90,\"kind\":\"staff_changed\",\"csirt\":\"fin-csirt\",\"available\":2,\"analysts\":3}\n"
        );
        assert_eq!(journal.entries()[0].kind(), "staff_changed");
    }
}
