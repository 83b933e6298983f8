//! Building the [`Report`] from a replayed session: every figure from the journal, the
//! engine's outcome or the session file.
//!
//! Long because: one pass over a replayed session gathers every section's figures; the
//! sections share their lookups (actors, incidents, decisions). Splitting it by section is
//! the next step for this room.

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
    Answer, BaselineRow, BaselineSection, CommandLine, Compliance, Count, DecisionRow, DeskRow,
    Desks, EventLine, Hotwash, ImprovementPlan, ImprovementRow, IndicatorSpread, Knowledge,
    Learning, Marking, Note, ObjectiveRow, Objectives, Observations, Overview, PlayerActionRow,
    Procedures, Question, RatingRow, Ratings, Report, ReportRow, StepRow, Timeline,
};
use crate::sim::narrate::{self, span};

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
        hotwash: hotwash(inputs.session),
        improvement_plan: improvement_plan(inputs.sim, &outcome),
        baseline: baseline(&outcome, inputs.baseline),
        comparison: super::compare::comparison(inputs),
        objectives,
    }
}

fn command_summary(command: &Command) -> String {
    match command {
        Command::FireInject { inject } => format!("fire inject {inject}"),
        Command::DelayInject { inject, by } => format!("delay inject {inject} by {by}"),
        Command::SkipInject { inject } => format!("skip inject {inject}"),
        Command::ComposeInject { inject } => {
            format!("compose inject {}: {}", inject.id, inject.title)
        }
        Command::Observe { author, text } => format!("observation by {author}: {text}"),
        Command::Decide {
            decision,
            option,
            by,
        } => format!("{by} answers {decision}: {option}"),
        Command::Rate {
            objective,
            rating,
            evaluator,
            ..
        } => format!("{evaluator} rates {objective} {}", rating.letter()),
        Command::Share {
            from,
            to,
            indicators,
            tlp,
        } => format!("{from} shares {} with {to} at {tlp}", indicators.join(", ")),
        Command::Act { role, action } => format!("{role} (player) {}", act_summary(action)),
        #[allow(
            unreachable_patterns,
            reason = "command kinds added later are summarised by their label"
        )]
        other => other.label().replace('_', " "),
    }
}

fn act_summary(action: &PlayerAction) -> String {
    match action {
        PlayerAction::Share {
            to,
            indicators,
            tlp,
        } => format!("shares {} with {to} at {tlp}", indicators.join(", ")),
        PlayerAction::Warn { indicators, tlp } => {
            format!(
                "warns the constituency of {} at {tlp}",
                indicators.join(", ")
            )
        }
        PlayerAction::RequestScan { entity: Some(e) } => format!("requests a scan of {e}"),
        PlayerAction::RequestScan { entity: None } => "requests a scan".to_owned(),
        PlayerAction::Report { incident, report } => {
            format!("sends the {} of incident #{incident}", report.label())
        }
        PlayerAction::RaiseCrisis { level } => {
            format!("raises the crisis level to {}", level.label())
        }
    }
}

fn overview(inputs: &Inputs<'_>, outcome: &Outcome, objectives: &Objectives) -> Overview {
    let sim = inputs.sim;
    let plan = sim.plan();
    let session = inputs.session;
    let played_to = played_to(sim);
    let commands: Vec<CommandLine> = session
        .commands
        .iter()
        .map(|c| CommandLine {
            seq: c.seq,
            when: when(plan, c.at),
            kind: c.command.label(),
            summary: command_summary(&c.command),
        })
        .collect();
    let mut by_kind: BTreeMap<&str, usize> = BTreeMap::new();
    for c in &commands {
        *by_kind.entry(c.kind).or_default() += 1;
    }
    let checksums = inputs.checksums_verified + usize::from(sim.is_finished());
    let recording = if sim.is_finished() {
        format!(
            "Replayed to the end of the exercise; {checksums} recorded state checksums verified."
        )
    } else {
        format!(
            "The recording stops at {}, before the end of the exercise ({}); {checksums} recorded state checksums verified. Figures cover the exercise up to there.",
            format_offset(played_to),
            format_offset(plan.end)
        )
    };
    let parent = session.header.parent.as_ref().map(|p| {
        format!(
            "a what-if branch of {} at {} ({})",
            p.path,
            format_offset(p.at),
            if p.seed == session.header.seed {
                "same seed".to_owned()
            } else {
                format!("new seed; the parent's was {}", p.seed)
            }
        )
    });
    Overview {
        session: session.path.display().to_string(),
        program: session.header.program.clone(),
        integrity: if session.chained {
            "chained: each record is linked to the one before, so no line was changed, inserted, removed or moved since it was recorded (a chain is not a signature: whoever rewrites the whole file can recompute it)".to_owned()
        } else {
            "unchained: recorded in session format 1, before records were chained; a changed observation, rating or answer in it cannot be detected".to_owned()
        },
        scenario_name: plan.name.to_string(),
        scenario_path: session.header.scenario.clone(),
        scenario_summary: inputs.scenario.summary.trim().to_owned(),
        digest: session.header.digest.clone(),
        seed: session.header.seed,
        start: plan.start.describe(),
        end: plan.start.plus(plan.end).describe(),
        duration: Duration::minutes(plan.end).to_string(),
        played_to: when(plan, played_to),
        finished: sim.is_finished(),
        recording,
        commands_by_kind: by_kind
            .into_iter()
            .map(|(label, count)| Count {
                label: label.replace('_', " "),
                count,
            })
            .collect(),
        commands,
        journal_events: sim.journal().len(),
        incidents: outcome.incidents.len(),
        impacts: outcome.impacts.len(),
        objectives_summary: format!(
            "{} met, {} missed, {} not triggered, {} pending",
            objectives.met, objectives.missed, objectives.not_triggered, objectives.pending
        ),
        parent,
    }
}

fn timeline(plan: &Plan, journal: &[Entry]) -> Timeline {
    let entries: Vec<EventLine> = journal
        .iter()
        .filter(|e| e.event.is_key())
        .map(|e| line(plan, e))
        .collect();
    Timeline {
        empty: entries
            .is_empty()
            .then(|| "The journal holds no event: the session was not played.".to_owned()),
        entries,
    }
}

fn objectives(plan: &Plan, journal: &[Entry], outcome: &Outcome, finished: bool) -> Objectives {
    let mut ratings: BTreeMap<&str, Vec<&'static str>> = BTreeMap::new();
    for entry in journal {
        if let Event::Rated {
            objective, rating, ..
        } = &entry.event
        {
            ratings
                .entry(&objective.id)
                .or_default()
                .push(rating.letter());
        }
    }
    let cite = |seqs: &[u64]| -> Vec<EventLine> {
        seqs.iter()
            .filter_map(|&seq| journal.get(usize::try_from(seq).ok()?))
            .map(|e| line(plan, e))
            .collect()
    };
    let rows: Vec<ObjectiveRow> = outcome
        .objectives
        .iter()
        .map(|o| {
            let (decided, reason, evidence) = match &o.verdict {
                Verdict::Met { at, evidence } => (Some(when(plan, *at)), None, cite(evidence)),
                Verdict::Missed {
                    at,
                    evidence,
                    reason,
                } => (
                    Some(when(plan, *at)),
                    Some((*reason).to_owned()),
                    cite(evidence),
                ),
                Verdict::Pending => (None, o.standing(finished).reason, Vec::new()),
            };
            ObjectiveRow {
                id: o.id.to_string(),
                title: o.title.to_string(),
                verdict: o.standing(finished).word,
                decided,
                reason,
                evidence,
                ratings: ratings.get(&*o.id).cloned().unwrap_or_default(),
            }
        })
        .collect();
    let count = |v: &str| rows.iter().filter(|r| r.verdict == v).count();
    Objectives {
        met: count("met"),
        missed: count("missed"),
        pending: count("pending") + count("open at the end"),
        not_triggered: count("not triggered"),
        empty: rows
            .is_empty()
            .then(|| "The scenario defines no objectives.".to_owned()),
        rows,
    }
}

fn regime_rank(regime: &str) -> u8 {
    match regime {
        "NIS2 Art. 23" => 0,
        "DORA Art. 19" => 1,
        "GDPR Art. 33" => 2,
        _ => 3,
    }
}

fn compliance(sim: &Simulation, outcome: &Outcome) -> Compliance {
    let plan = sim.plan();
    let played_to = played_to(sim);
    let mut rows: Vec<(usize, ReportRow)> = outcome
        .reports
        .iter()
        .map(|r| {
            let mut status = match r.status {
                ReportStatus::OnTime => "on time",
                ReportStatus::Late => "late",
                ReportStatus::Overdue => "overdue",
                ReportStatus::Open => "not yet due",
                ReportStatus::Sent => "sent",
            };
            // The engine judges against the end of the exercise; a recording that stops
            // earlier has not reached deadlines after its last minute.
            if status == "overdue" && r.due.is_some_and(|d| d >= played_to) {
                status = "not yet due";
            }
            let late_by = match (status, r.due, r.sent) {
                ("late", Some(due), Some(sent)) => Some(span(sent - due)),
                ("overdue", Some(due), None) => {
                    Some(format!("not sent; {} past due", span(played_to - due)))
                }
                _ => None,
            };
            let position = plan
                .by_id
                .get(&*r.entity)
                .map_or(usize::MAX, |&ix| ix as usize);
            (
                position,
                ReportRow {
                    entity: actor_name(plan, &r.entity),
                    regime: r.report.regime(),
                    report: r.report.label(),
                    to: actor_name(plan, &r.to),
                    incident: r.incident,
                    due: r.due.map(|d| when(plan, d)),
                    sent: r.sent.map(|s| when(plan, s)),
                    status,
                    late_by,
                },
            )
        })
        .collect();
    rows.sort_by_key(|(position, r)| (*position, regime_rank(r.regime), r.incident));
    let rows: Vec<ReportRow> = rows.into_iter().map(|(_, r)| r).collect();
    let count = |s: &str| rows.iter().filter(|r| r.status == s).count();
    let with_deadline = rows.iter().filter(|r| r.due.is_some()).count();
    let totals = format!(
        "{with_deadline} reports with a legal deadline: {} on time, {} late, {} overdue, {} not yet due; {} sent without a deadline.",
        count("on time"),
        count("late"),
        count("overdue"),
        count("not yet due"),
        count("sent")
    );
    let empty = rows.is_empty().then(|| {
        if outcome.incidents.is_empty() {
            "No organisation detected an incident, so no report fell due and none was sent."
                .to_owned()
        } else {
            "Incidents were detected, but no report fell due or was sent before the recording ends."
                .to_owned()
        }
    });
    Compliance {
        rows,
        totals,
        empty,
    }
}

fn desks(sim: &Simulation, outcome: &Outcome) -> Desks {
    let plan = sim.plan();
    let journal = sim.journal();
    let rows: Vec<DeskRow> = outcome
        .desks
        .iter()
        .map(|d| DeskRow {
            csirt: actor_name(plan, &d.csirt),
            analysts: d.analysts,
            items: d.items,
            wait_mean: span(d.waited_mean_minutes),
            wait_max: span(d.waited_max_minutes),
            analyst_time: span(d.analyst_minutes),
            max_queue: d.max_queue,
            queued_at_end: d.queue_at_end,
        })
        .collect();
    let staffing = journal
        .iter()
        .filter(|e| matches!(e.event, Event::StaffChanged { .. }))
        .map(|e| line(plan, e))
        .collect();
    // Queue length over time: up when work is queued, down when an analyst takes it.
    let mut queues: BTreeMap<u32, Vec<(Minute, i64)>> = BTreeMap::new();
    for entry in journal {
        let (csirt, delta) = match &entry.event {
            Event::WorkQueued { csirt, .. } => (csirt.ix, 1),
            Event::WorkStarted { csirt, .. } => (csirt.ix, -1),
            _ => continue,
        };
        let changes = queues.entry(csirt).or_default();
        let value = changes.last().map_or(0, |(_, v)| *v) + delta;
        match changes.last_mut() {
            Some((t, v)) if *t == entry.t => *v = value,
            _ => changes.push((entry.t, value)),
        }
    }
    let queue_chart = (!queues.is_empty()).then(|| {
        let y_max = queues
            .values()
            .flat_map(|c| c.iter().map(|(_, v)| *v))
            .max()
            .unwrap_or(1);
        let series: Vec<Steps> = queues
            .into_iter()
            .map(|(csirt, changes)| Steps {
                label: plan.actor(csirt).name.to_string(),
                changes,
            })
            .collect();
        step_chart(
            "Work waiting in each CSIRT's queue",
            "Step chart: number of work items (triage, analysis) waiting for an analyst at each CSIRT over the exercise.",
            "items waiting",
            &series,
            played_to(sim),
            y_max,
        )
    });
    let work = rows.iter().map(|r| r.items).sum::<u32>();
    let empty = if rows.is_empty() {
        Some("The scenario has no CSIRT.".to_owned())
    } else if work == 0 {
        Some(
            "No work reached any CSIRT desk: nobody reported or shared anything with a CSIRT."
                .to_owned(),
        )
    } else {
        None
    };
    Desks {
        rows,
        staffing,
        queue_chart,
        empty,
    }
}

fn procedures(plan: &Plan, journal: &[Entry]) -> Procedures {
    let mut variants: BTreeMap<(String, u32), String> = BTreeMap::new();
    let mut steps = Vec::new();
    let mut missed = Vec::new();
    let mut decisions: Vec<DecisionRow> = Vec::new();
    let mut actions: Vec<PlayerActionRow> = Vec::new();
    let role_title = |id: &str| {
        plan.role(id)
            .map_or_else(|| id.to_owned(), |r| r.title.to_string())
    };
    let player_row =
        |entry: &Entry, role: &str, action: &str, outcome: String, refused| PlayerActionRow {
            seq: entry.seq,
            when: when(plan, entry.t),
            role: role_title(role),
            action: action.trim_start_matches("player_").replace('_', " "),
            outcome,
            refused,
        };
    for (i, entry) in journal.iter().enumerate() {
        match &entry.event {
            Event::PlayerActed {
                role,
                action,
                detail,
                ..
            } => actions.push(player_row(entry, role, action, detail.clone(), false)),
            Event::ActionRefused {
                role,
                action,
                reason,
            } => actions.push(player_row(
                entry,
                role,
                action,
                format!("refused: {reason}"),
                true,
            )),
            Event::SopStarted {
                sop,
                variant,
                instance,
                ..
            } => {
                variants.insert((sop.id.to_string(), *instance), variant.to_string());
            }
            Event::StepFinished {
                sop,
                step,
                csirt,
                instance,
                elapsed,
                deadline,
                met,
            } => steps.push(StepRow {
                when: when(plan, entry.t),
                csirt: narrate::actor(plan, csirt),
                procedure: match variants.get(&(sop.id.to_string(), *instance)) {
                    Some(variant) => format!("{sop}#{instance} ({variant})"),
                    None => format!("{sop}#{instance}"),
                },
                step: step.id.to_string(),
                elapsed: span(*elapsed),
                deadline: deadline.map(span),
                status: match (deadline, met) {
                    (Some(_), Some(true)) => "met",
                    (Some(_), _) => "missed",
                    (None, _) => "–",
                },
            }),
            Event::StepDeadlineMissed { .. } => missed.push(line(plan, entry)),
            Event::DecisionRaised {
                decision,
                to,
                prompt,
                options,
                default,
                deadline,
            } => decisions.push(DecisionRow {
                raised: when(plan, entry.t),
                asked: to
                    .iter()
                    .map(|a| narrate::actor(plan, a))
                    .collect::<Vec<_>>()
                    .join(", "),
                decision: decision.to_string(),
                prompt: prompt.to_string(),
                options: options
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
                default: default.to_string(),
                deadline: when(plan, *deadline),
                taken: None,
                option: None,
                by: None,
                followed: None,
            }),
            Event::DecisionTaken {
                decision,
                option,
                by,
            } => {
                // The earliest open decision point of that name is the one answered.
                if let Some(row) = decisions
                    .iter_mut()
                    .find(|d| d.decision == **decision && d.taken.is_none())
                {
                    row.taken = Some(when(plan, entry.t));
                    row.option = Some(option.to_string());
                    row.by = Some(match &**by {
                        "default" => "default (no answer)".to_owned(),
                        "facilitator" => "facilitator (for the player)".to_owned(),
                        role => format!("{} (player)", role_title(role)),
                    });
                    row.followed = Some(followed(plan, &journal[i + 1..], entry.t));
                }
            }
            _ => {}
        }
    }
    let empty = (steps.is_empty()
        && decisions.is_empty()
        && missed.is_empty()
        && actions.is_empty())
    .then(|| {
        if plan.sops.is_empty() {
            "The scenario defines no standard operating procedure, so no step was timed and no decision was asked.".to_owned()
        } else {
            "No procedure was triggered before the recording ends: no step was timed and no decision was asked.".to_owned()
        }
    });
    Procedures {
        steps,
        missed,
        decisions,
        actions,
        empty,
    }
}

/// The key events an answer set off in its minute, up to the next decision.
fn followed(plan: &Plan, after: &[Entry], t: Minute) -> String {
    let lines: Vec<String> = after
        .iter()
        .take_while(|e| {
            e.t == t
                && !matches!(
                    e.event,
                    Event::DecisionTaken { .. } | Event::DecisionRaised { .. }
                )
        })
        // The answered step finishing is the decision itself, not what followed it.
        .filter(|e| e.event.is_key() && !matches!(e.event, Event::StepFinished { .. }))
        .take(4)
        .map(|e| format!("#{} {}", e.seq, narrate::describe(plan, e)))
        .collect();
    if lines.is_empty() {
        "nothing at once".to_owned()
    } else {
        lines.join("; ")
    }
}

fn knowledge(sim: &Simulation, scenario: &Scenario) -> Knowledge {
    let plan = sim.plan();
    let journal = sim.journal();
    let mut values: BTreeMap<&str, (String, String)> = BTreeMap::new();
    for adversary in &scenario.adversaries {
        for campaign in &adversary.campaigns {
            for i in &campaign.indicators {
                values.insert(i.id.as_str(), (i.kind.label().to_owned(), defang(&i.value)));
            }
        }
    }
    let mut learnings: Vec<Vec<(Minute, Learning)>> = vec![Vec::new(); plan.indicators.len()];
    for entry in journal {
        if let Event::IndicatorLearned {
            actor,
            indicator,
            from,
            tlp,
            ..
        } = &entry.event
            && let Some(list) = learnings.get_mut(indicator.ix as usize)
        {
            list.push((
                entry.t,
                Learning {
                    when: when(plan, entry.t),
                    actor: narrate::actor(plan, actor),
                    from: from
                        .as_ref()
                        .map_or_else(|| "own detection".to_owned(), |f| narrate::actor(plan, f)),
                    tlp: tlp.label(),
                },
            ));
        }
    }
    let mut indicators = Vec::new();
    let mut never_known = Vec::new();
    let mut series = Vec::new();
    for (plan_indicator, list) in plan.indicators.iter().zip(learnings) {
        let id = plan_indicator.id.to_string();
        if list.is_empty() {
            never_known.push(id);
            continue;
        }
        let mut changes: Vec<(Minute, i64)> = Vec::new();
        for (n, (t, _)) in list.iter().enumerate() {
            let count = i64::try_from(n + 1).unwrap_or(i64::MAX);
            match changes.last_mut() {
                Some((last, v)) if *last == *t => *v = count,
                _ => changes.push((*t, count)),
            }
        }
        series.push(Steps {
            label: id.clone(),
            changes,
        });
        let (kind, value) = values.get(id.as_str()).cloned().unwrap_or_default();
        indicators.push(IndicatorSpread {
            knowers: list.len(),
            learnings: list.into_iter().map(|(_, l)| l).collect(),
            id,
            kind,
            value,
        });
    }
    let refused = journal
        .iter()
        .filter(|e| matches!(e.event, Event::ShareRefused { .. }))
        .map(|e| line(plan, e))
        .collect();
    let actors = plan.actors.len();
    let chart = (!series.is_empty()).then(|| {
        step_chart(
            "Actors knowing each indicator",
            "Step chart: for each indicator, how many actors of the exercise knew it at each moment.",
            "actors knowing",
            &series,
            played_to(sim),
            i64::try_from(actors).unwrap_or(i64::MAX),
        )
    });
    let empty = indicators.is_empty().then(|| {
        if plan.indicators.is_empty() {
            "The scenario defines no indicators.".to_owned()
        } else {
            "No actor learned any indicator: no intrusion was detected and nothing was shared."
                .to_owned()
        }
    });
    Knowledge {
        actors,
        indicators,
        never_known,
        refused,
        chart,
        empty,
    }
}

/// Defangs an observable the way CSIRTs write them in reports, so that no reader's tool
/// turns it into a live link: `evil[.]com`, `hxxps://`, `user[@]evil[.]com`.
fn defang(value: &str) -> String {
    value
        .replace("http", "hxxp")
        .replace('.', "[.]")
        .replace('@', "[@]")
}

fn observations(plan: &Plan, journal: &[Entry]) -> Observations {
    let rows: Vec<Note> = journal
        .iter()
        .filter_map(|e| match &e.event {
            Event::Observation { author, text } => Some(Note {
                when: when(plan, e.t),
                author: author.to_string(),
                text: text.to_string(),
            }),
            _ => None,
        })
        .collect();
    Observations {
        empty: rows.is_empty().then(|| {
            "No observation was written during the session (the facilitator's `Observe` command)."
                .to_owned()
        }),
        rows,
    }
}

fn ratings(plan: &Plan, journal: &[Entry]) -> Ratings {
    let rows: Vec<RatingRow> = journal
        .iter()
        .filter_map(|e| match &e.event {
            Event::Rated {
                objective,
                rating,
                evaluator,
                comment,
            } => Some(RatingRow {
                when: when(plan, e.t),
                objective: objective.id.to_string(),
                title: plan
                    .objectives
                    .get(objective.ix as usize)
                    .map_or_else(String::new, |o| o.title.to_string()),
                letter: rating.letter(),
                // "performed with some challenges", without the "(S)" the letter gives.
                label: rating
                    .label()
                    .split(" (")
                    .next()
                    .unwrap_or_else(|| rating.label()),
                evaluator: evaluator.to_string(),
                comment: comment.to_string(),
            }),
            _ => None,
        })
        .collect();
    Ratings {
        empty: rows.is_empty().then(|| {
            "No evaluator rated an objective during the session (the `Rate` command, HSEEP P/S/M/U)."
                .to_owned()
        }),
        rows,
    }
}

fn hotwash(session: &LoadedSession) -> Hotwash {
    let mut questions: Vec<Question> = Vec::new();
    for a in &session.hotwash {
        let answer = Answer {
            participant: a.participant.clone(),
            role: a.role.clone(),
            answer: a.answer.clone(),
        };
        match questions.iter_mut().find(|q| q.question == a.question) {
            Some(q) => q.answers.push(answer),
            None => questions.push(Question {
                question: a.question.clone(),
                answers: vec![answer],
            }),
        }
    }
    Hotwash {
        questions,
        answers: session.hotwash.len(),
        empty: session.hotwash.is_empty().then(|| {
            "No hot-wash feedback was added to this session (`tabletop feedback SESSION --file ANSWERS`)."
                .to_owned()
        }),
    }
}

/// Who a pattern is about, if it names one organisation, a sector or all of them.
fn pattern_subject(plan: &Plan, pattern: &Pattern) -> Option<String> {
    let who = |w: &WhoIx| match w {
        WhoIx::Entity(ix) => plan.actor(*ix).name.to_string(),
        WhoIx::Sector(sector) => format!("Organisations of the {} sector", sector.label()),
        WhoIx::Any => "every organisation".to_owned(),
    };
    match pattern {
        Pattern::Detected(w) | Pattern::Classified(w) => Some(who(w)),
        Pattern::ReportSent { by, .. } => Some(who(by)),
        Pattern::Impact { at, .. } | Pattern::Stage { at, .. } => Some(who(at)),
        Pattern::Feedback { from, .. } | Pattern::Shared { from, .. } => {
            Some(plan.actor(*from).name.to_string())
        }
        Pattern::Knows { actor, .. } => Some(plan.actor(*actor).name.to_string()),
        #[allow(
            unreachable_patterns,
            reason = "patterns added later name no one until taught to"
        )]
        _ => None,
    }
}

/// The organisation an objective concerns: who has to act for it to be met. For a
/// deadline, who must produce the expected event; for coverage, who learns first and must
/// spread the indicator; for an absence, who must not suffer the event.
fn responsible(plan: &Plan, check: &CheckPlan) -> String {
    let subject = match check {
        CheckPlan::Deadline {
            after, expected, ..
        } => pattern_subject(plan, expected).or_else(|| pattern_subject(plan, after)),
        CheckPlan::Coverage { after, .. } => pattern_subject(plan, after),
        CheckPlan::Absence(pattern) => pattern_subject(plan, pattern),
        // "This before that": who must make the first happen in time.
        CheckPlan::Ordering { first, then } => {
            pattern_subject(plan, first).or_else(|| pattern_subject(plan, then))
        }
        #[allow(
            unreachable_patterns,
            reason = "objective kinds added later name no one until taught to"
        )]
        _ => None,
    };
    subject.unwrap_or_else(|| "the exercise's organisations".to_owned())
}

fn improvement_plan(sim: &Simulation, outcome: &Outcome) -> ImprovementPlan {
    let plan = sim.plan();
    let mut rows = Vec::new();
    for (o, objective_plan) in outcome.objectives.iter().zip(&plan.objectives) {
        if let Verdict::Missed { at, reason, .. } = &o.verdict {
            let missed = sim.journal().iter().find(|e| {
                matches!(&e.event, Event::ObjectiveMissed { objective, .. } if objective.id == o.id)
            });
            let cause =
                missed.and_then(|m| deviations::earliest(plan, sim.journal(), objective_plan, m));
            let mut issue = format!("{} — missed at {}: {reason}.", o.title, format_offset(*at));
            if let Some(d) = &cause {
                issue.push_str(&format!(
                    " Earliest deviation on its chain: #{} at {}: {}.",
                    d.seq,
                    format_offset(d.t),
                    d.text
                ));
            }
            rows.push(ImprovementRow {
                number: rows.len() + 1,
                source: format!("objective {}", o.id),
                issue,
                responsible: responsible(plan, &objective_plan.check),
                cause: cause.map(|d| d.seq),
            });
        }
    }
    for row in compliance(sim, outcome).rows {
        let issue = match (row.status, &row.due, &row.sent, &row.late_by) {
            ("late", Some(due), Some(sent), Some(late_by)) => format!(
                "{} to {} sent {late_by} late (due {}, sent {}).",
                row.report, row.to, due.offset, sent.offset
            ),
            ("overdue", Some(due), None, _) => format!(
                "{} to {} never sent (due {}).",
                row.report, row.to, due.offset
            ),
            _ => continue,
        };
        rows.push(ImprovementRow {
            number: rows.len() + 1,
            source: format!("{}, incident #{}", row.regime, row.incident),
            issue,
            responsible: row.entity,
            cause: None,
        });
    }
    for entry in sim.journal() {
        if let Event::StepDeadlineMissed {
            sop,
            step,
            csirt,
            instance,
        } = &entry.event
        {
            rows.push(ImprovementRow {
                number: rows.len() + 1,
                source: format!("procedure {sop}#{instance}"),
                issue: format!(
                    "Step {step} of {sop} missed its deadline at {}.",
                    format_offset(entry.t)
                ),
                responsible: narrate::actor(plan, csirt),
                cause: None,
            });
        }
    }
    ImprovementPlan {
        empty: rows.is_empty().then(|| {
            "No objective was missed, no report was late and no procedure step overran: the engine found nothing to improve. Add items from the hot wash and the evaluators' ratings.".to_owned()
        }),
        rows,
    }
}

fn percent(part: u64, whole: u64) -> String {
    if whole == 0 {
        return "–".to_owned();
    }
    // Rounded to the nearest whole percent, in integers.
    format!("{}%", (part * 200 + whole) / (whole * 2))
}

fn baseline(outcome: &Outcome, baseline: Option<&Baseline>) -> BaselineSection {
    let Some(baseline) = baseline else {
        return BaselineSection {
            seeds: None,
            runs: 0,
            rows: Vec::new(),
            empty: Some(
                "Not computed: run `tabletop report` with `--baseline N` to place this session among N unguided runs (same scenario, seeds 0 to N−1, no commands).".to_owned(),
            ),
        };
    };
    let runs = baseline.seeds.end - baseline.seeds.start;
    let rows: Vec<BaselineRow> = outcome
        .objectives
        .iter()
        .filter_map(|o| {
            let (_, tally) = baseline.objectives.iter().find(|(id, _)| **id == *o.id)?;
            let session = verdict_word(&o.verdict);
            let total = tally.runs();
            let standing = match session {
                "met" if tally.met == total => "as every baseline run".to_owned(),
                "met" => format!(
                    "better than {} of baseline runs",
                    percent(total - tally.met, total)
                ),
                _ if tally.met == 0 => "no baseline run met it either".to_owned(),
                _ => format!("worse than {} of baseline runs", percent(tally.met, total)),
            };
            Some(BaselineRow {
                id: o.id.to_string(),
                title: o.title.to_string(),
                session,
                met: tally.met,
                missed: tally.missed,
                pending: tally.pending,
                hit_rate: percent(tally.met, total),
                standing,
            })
        })
        .collect();
    BaselineSection {
        seeds: Some(format!(
            "seeds {}–{}",
            baseline.seeds.start,
            baseline.seeds.end.saturating_sub(1)
        )),
        runs,
        empty: rows
            .is_empty()
            .then(|| "The scenario defines no objectives to compare.".to_owned()),
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn observables_are_defanged() {
        assert_eq!(
            defang("ducksends-secure-login.com"),
            "ducksends-secure-login[.]com"
        );
        assert_eq!(defang("https://a.b/x"), "hxxps://a[.]b/x");
        assert_eq!(defang("41d3f785"), "41d3f785");
    }

    #[test]
    fn percentages_round_in_integers() {
        assert_eq!(percent(1, 3), "33%");
        assert_eq!(percent(2, 3), "67%");
        assert_eq!(percent(1, 2), "50%");
        assert_eq!(percent(0, 0), "–");
    }
}
