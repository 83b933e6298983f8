//! `tabletop run FILE [--seed N] [--until DURATION] [--journal PATH]`: play headless and
//! print a summary a facilitator can read.

use std::fmt::Write as _;
use std::io::{BufWriter, Write};
use std::path::Path;

use super::Failure;
use crate::report;
use crate::scenario::{Duration, LoadError, Minute, load_path, time::format_offset};
use crate::session::{Recorder, load_commands};
use crate::sim::{Command, Event, Outcome, Plan, ReportStatus, Simulation, Verdict, write_jsonl};

/// More timeline lines than this are summarised; the journal has them all.
const TIMELINE_LINES: usize = 80;

/// What `tabletop run` was asked to do.
pub struct RunOptions<'a> {
    pub file: &'a Path,
    pub seed: u64,
    pub until: Option<Duration>,
    pub journal: Option<&'a Path>,
    pub session: Option<&'a Path>,
    pub commands: Option<&'a Path>,
    pub pace: Option<u32>,
}

pub fn run(options: &RunOptions<'_>) -> Result<(), Failure> {
    let scenario = match load_path(options.file) {
        Ok((scenario, _)) => scenario,
        Err(LoadError::Invalid(diagnostics)) => {
            return Err(Failure::BadInput(diagnostics.to_string()));
        }
        Err(error) => return Err(Failure::BadInput(error.to_string())),
    };
    let script = match options.commands {
        Some(path) => load_commands(path).map_err(|e| Failure::BadInput(e.to_string()))?,
        None => Vec::new(),
    };
    let bad = |e: &dyn std::fmt::Display| Failure::BadInput(e.to_string());
    let mut driver = match options.session {
        Some(path) => Driver::Recording(
            Recorder::start(
                path,
                &options.file.display().to_string(),
                &scenario,
                options.seed,
            )
            .map_err(|e| bad(&e))?,
        ),
        None => Driver::Plain(
            Simulation::new(&scenario, options.seed)
                .map_err(|e| bad(&format!("{}: {e}", options.file.display())))?,
        ),
    };
    for stamped in script {
        driver.submit(stamped.at, stamped.command).map_err(|e| {
            Failure::BadInput(format!(
                "{}: command #{} at {}: {e}",
                options
                    .commands
                    .map_or_else(String::new, |p| p.display().to_string()),
                stamped.seq,
                format_offset(stamped.at)
            ))
        })?;
    }
    let stop = options
        .until
        .map_or(driver.sim().end() + 1, |until| until.minutes + 1);
    match options.pace {
        // Live pace: one simulated hour at a time, sleeping in between.
        Some(speed) => {
            let pause = std::time::Duration::from_secs_f64(3600.0 / f64::from(speed.max(1)));
            let mut t = driver.sim().now();
            while t < stop && !driver.sim().is_finished() {
                t = (t + 60).min(stop);
                driver.advance_to(t).map_err(|e| bad(&e))?;
                std::thread::sleep(pause);
            }
        }
        None => driver.advance_to(stop).map_err(|e| bad(&e))?,
    }
    finish(driver.into_simulation(), options.journal)
}

/// Writes the journal if asked and prints the summary.
pub fn finish(mut sim: Simulation, journal: Option<&Path>) -> Result<(), Failure> {
    if let Some(path) = journal {
        let out = std::fs::File::create(path).map_err(|e| {
            Failure::Usage(format!(
                "cannot write the journal to {}: {e}",
                path.display()
            ))
        })?;
        let mut out = BufWriter::new(out);
        write_jsonl(sim.journal(), &mut out)
            .and_then(|()| out.flush())
            .map_err(|e| {
                Failure::Usage(format!(
                    "cannot write the journal to {}: {e}",
                    path.display()
                ))
            })?;
    }
    print!("{}", summary(&mut sim));
    Ok(())
}

/// A run with or without a session being recorded.
pub enum Driver {
    Plain(Simulation),
    Recording(Recorder),
}

impl Driver {
    pub fn sim(&self) -> &Simulation {
        match self {
            Self::Plain(sim) => sim,
            Self::Recording(recorder) => recorder.simulation(),
        }
    }

    fn submit(&mut self, at: Minute, command: Command) -> Result<u64, String> {
        match self {
            Self::Plain(sim) => sim.submit(at, command).map_err(|e| e.to_string()),
            Self::Recording(recorder) => recorder.submit(at, command).map_err(|e| e.to_string()),
        }
    }

    pub fn advance_to(&mut self, t: Minute) -> Result<(), String> {
        match self {
            Self::Plain(sim) => {
                sim.advance_to(t);
                Ok(())
            }
            Self::Recording(recorder) => recorder.advance_to(t).map_err(|e| e.to_string()),
        }
    }

    pub fn into_simulation(self) -> Simulation {
        match self {
            Self::Plain(sim) => sim,
            Self::Recording(recorder) => recorder.into_simulation(),
        }
    }
}

/// "T+1d 2h  Sat 18:30": simulated offset and wall-clock time.
fn when(plan: &Plan, t: Minute) -> String {
    format!("{:>12}  {}", format_offset(t), plan.start.plus(t).short())
}

/// Whether an event belongs on the summary's timeline: what a facilitator follows.
/// Working steps, deliveries and individual learning stay in the journal.
fn on_timeline(event: &Event) -> bool {
    report::narrate::is_key(event)
        && !matches!(
            event,
            Event::ExerciseStarted { .. }
                | Event::ExerciseEnded {}
                | Event::StageCompleted { .. }
                | Event::Classified { major: false, .. }
                | Event::IncidentNoted { .. }
                | Event::Feedback { .. }
                | Event::StepFinished { .. }
                | Event::SopStarted { .. }
                | Event::ChannelFallback { .. }
                | Event::CrisisActionTaken { .. }
        )
}

pub fn summary(sim: &mut Simulation) -> String {
    let plan = sim.plan();
    let outcome = sim.outcome();
    let mut out = String::new();
    let played_to = if sim.is_finished() {
        plan.end
    } else {
        sim.now() - 1
    };
    let _ = writeln!(out, "{} — seed {}", plan.name, sim.seed());
    let _ = writeln!(
        out,
        "start {} · played to {} ({})\n",
        plan.start.describe(),
        format_offset(played_to),
        plan.start.plus(played_to).describe()
    );
    timeline(&mut out, sim);
    incidents(&mut out, plan, &outcome);
    reports(&mut out, plan, &outcome);
    desks(&mut out, &outcome);
    procedures(&mut out, sim);
    objectives(&mut out, plan, &outcome);
    let checksum = sim.state_checksum();
    let _ = writeln!(
        out,
        "\n{} journal events · state checksum {checksum}",
        sim.journal().len()
    );
    out
}

fn timeline(out: &mut String, sim: &Simulation) {
    let plan = sim.plan();
    let lines: Vec<String> = sim
        .journal()
        .iter()
        .filter(|e| on_timeline(&e.event))
        .map(|e| {
            format!(
                "  {}  {}",
                when(plan, e.t),
                report::narrate::describe(plan, e)
            )
        })
        .collect();
    let _ = writeln!(out, "Timeline");
    if lines.is_empty() {
        let _ = writeln!(out, "  nothing happened");
    }
    for line in lines.iter().take(TIMELINE_LINES) {
        let _ = writeln!(out, "{line}");
    }
    if lines.len() > TIMELINE_LINES {
        let _ = writeln!(
            out,
            "  … {} more key events (write them all with --journal)",
            lines.len() - TIMELINE_LINES
        );
    }
}

fn incidents(out: &mut String, plan: &Plan, outcome: &Outcome) {
    let _ = writeln!(out, "\nIncidents");
    if outcome.incidents.is_empty() {
        let _ = writeln!(out, "  none detected");
    }
    for i in &outcome.incidents {
        let severity = i.severity.map_or_else(
            || "not yet classified".to_owned(),
            |s| format!("{s:?}").to_lowercase(),
        );
        let _ = writeln!(
            out,
            "  {:<22} #{} {}  aware {}  {}{}{}",
            i.entity,
            i.number,
            i.campaign,
            when(plan, i.aware_at).trim_start(),
            severity,
            if i.major { ", major" } else { "" },
            if i.contained {
                ", contained"
            } else {
                ", not contained"
            },
        );
    }
    let _ = writeln!(out, "\nImpact");
    if outcome.impacts.is_empty() {
        let _ = writeln!(out, "  none");
    }
    for (t, entity, effect) in &outcome.impacts {
        let _ = writeln!(out, "  {}  {effect:?} at {entity}", when(plan, *t));
    }
}

fn reports(out: &mut String, plan: &Plan, outcome: &Outcome) {
    let _ = writeln!(out, "\nReports");
    if outcome.reports.is_empty() {
        let _ = writeln!(out, "  none due or sent");
    }
    for r in &outcome.reports {
        let due = r.due.map_or_else(
            || "no deadline".to_owned(),
            |d| format!("due {}", format_offset(d)),
        );
        let sent = r.sent.map_or_else(
            || "not sent".to_owned(),
            |s| format!("sent {}", format_offset(s)),
        );
        let status = match r.status {
            ReportStatus::OnTime => "on time".to_owned(),
            ReportStatus::Late => format!(
                "LATE by {}",
                Duration::minutes(r.sent.unwrap_or(0) - r.due.unwrap_or(0))
            ),
            ReportStatus::Overdue => "OVERDUE".to_owned(),
            ReportStatus::Open => "not yet due at the end".to_owned(),
            ReportStatus::Sent => "sent".to_owned(),
        };
        let _ = writeln!(
            out,
            "  {:<22} {:<18} → {:<12} {due:<14} {sent:<14} {status}",
            r.entity,
            format!("{:?}", r.report),
            r.to
        );
    }
    let _ = plan;
}

fn desks(out: &mut String, outcome: &Outcome) {
    let _ = writeln!(out, "\nCSIRT desks");
    for d in &outcome.desks {
        let _ = writeln!(
            out,
            "  {:<22} {} analysts  {} work items  wait mean {} max {}  analyst time {}  longest queue {}  queued at end {}  level {:?}",
            d.csirt,
            d.analysts,
            d.items,
            Duration::minutes(d.waited_mean_minutes),
            Duration::minutes(d.waited_max_minutes),
            Duration::minutes(d.analyst_minutes),
            d.max_queue,
            d.queue_at_end,
            d.crisis_level
        );
    }
}

/// Procedure steps against their deadlines, and the decisions taken (and by whom).
fn procedures(out: &mut String, sim: &Simulation) {
    let lines: Vec<String> = sim
        .journal()
        .iter()
        .filter_map(|e| match &e.event {
            Event::StepFinished {
                sop,
                step,
                csirt,
                instance,
                elapsed,
                deadline,
                met,
            } => Some(format!(
                "  {:<12} {}#{instance} {:<18} done after {:<10} {}",
                csirt.id,
                sop.id,
                step.id,
                Duration::minutes(*elapsed).to_string(),
                match (deadline, met) {
                    (Some(d), Some(true)) => format!("deadline {} met", Duration::minutes(*d)),
                    (Some(d), _) => format!("deadline {} MISSED", Duration::minutes(*d)),
                    _ => String::new(),
                }
            )),
            Event::DecisionTaken {
                decision,
                option,
                by,
            } => Some(format!("  decision {decision}: {option} (by {by})")),
            Event::PlayerActed { role, detail, .. } => Some(format!("  player {role}: {detail}")),
            Event::ActionRefused {
                role,
                action,
                reason,
            } => Some(format!("  player {role}: {action} REFUSED: {reason}")),
            _ => None,
        })
        .collect();
    if lines.is_empty() {
        return;
    }
    let _ = writeln!(out, "\nProcedures");
    for line in lines.iter().take(TIMELINE_LINES) {
        let _ = writeln!(out, "{line}");
    }
    if lines.len() > TIMELINE_LINES {
        let _ = writeln!(out, "  … {} more", lines.len() - TIMELINE_LINES);
    }
}

fn objectives(out: &mut String, plan: &Plan, outcome: &Outcome) {
    let _ = writeln!(out, "\nObjectives");
    if outcome.objectives.is_empty() {
        let _ = writeln!(out, "  none defined");
    }
    for o in &outcome.objectives {
        let (label, at) = match &o.verdict {
            Verdict::Met { at, .. } => ("MET    ", Some(*at)),
            Verdict::Missed { at, .. } => ("MISSED ", Some(*at)),
            Verdict::Pending => ("PENDING", None),
        };
        let at = at.map_or_else(String::new, |t| {
            format!("  ({})", when(plan, t).trim_start())
        });
        let _ = writeln!(out, "  {label} {:<8} {}{at}", o.id, o.title);
    }
}
