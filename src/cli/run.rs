//! `tabletop run FILE [--seed N] [--until DURATION] [--journal PATH]`: play headless and
//! print a summary a facilitator can read.

use std::fmt::Write as _;
use std::io::{BufWriter, Write};
use std::path::Path;

use super::Failure;
use crate::host::{FrameBudget, Host, Intent, Speed};
use crate::scenario::{Duration, LoadError, Minute, load_path, time::format_offset};
use crate::session::load_commands;
use crate::sim::{
    Event, Outcome, Plan, ReportOutcome, ReportStatus, Simulation, Verdict, narrate, write_jsonl,
};
use crate::words::count;

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
    /// The private key to sign the session with.
    pub sign: Option<&'a Path>,
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
    let signer = super::signing::signer(options.sign)?;
    let file = options.file.display().to_string();
    let mut host =
        match options.session {
            Some(path) => Host::start_signed(scenario, &file, path, options.seed, signer)
                .map_err(|e| bad(&e))?,
            None => Host::plain(scenario, &file, options.seed)
                .map_err(|e| bad(&format!("{file}: {e}")))?,
        };
    for stamped in script {
        host.give_at(stamped.at, stamped.command).map_err(|e| {
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
    let last = options
        .until
        .map_or(host.sim().end(), |until| until.minutes);
    match options.pace {
        Some(times) => play_paced(&mut host, Speed::Times(times.max(1)), last),
        None => host.play_through(last).map_err(|e| bad(&e))?,
    }
    if let Some(notice) = host.take_notice().filter(|n| n.error) {
        return Err(Failure::BadInput(notice.text));
    }
    finish(host.into_simulation(), options.journal)
}

/// `--pace`: the host plays at `speed` times real time up to minute `last`, a frame every
/// 50 ms of wall time, as the console's clock would.
fn play_paced(host: &mut Host, speed: Speed, last: Minute) {
    #[allow(
        clippy::disallowed_methods,
        reason = "a paced run is a face: it turns wall time into simulated time"
    )]
    let now = std::time::Instant::now;
    // A headless run plays through: no one is there to resume after an auto-pause.
    host.handle(Intent::PauseOn {
        inject: false,
        decision: false,
    });
    host.play_at(speed, Some(last));
    let mut tick = now();
    while host.clock().playing {
        std::thread::sleep(std::time::Duration::from_millis(50));
        let wall = tick.elapsed();
        tick = now();
        let frame = now();
        host.advance(wall, FrameBudget::default(), &mut || frame.elapsed());
    }
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
    // Every command ends here and the process exits next: freeing a national exercise's
    // millions of journal entries one by one would take longer than printing the summary,
    // for memory the system takes back at once. The simulation holds no file to flush.
    std::mem::forget(sim);
    Ok(())
}

/// "T+1d 2h  Sat 18:30": simulated offset and wall-clock time.
fn when(plan: &Plan, t: Minute) -> String {
    format!("{:>12}  {}", format_offset(t), plan.start.plus(t).short())
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
    objectives(&mut out, plan, &outcome, sim.is_finished());
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
    // Only the lines shown are written: a national exercise has hundreds of thousands.
    let key = || sim.journal().iter().filter(|e| e.event.is_followed());
    let count = key().count();
    let _ = writeln!(out, "Timeline");
    if count == 0 {
        let _ = writeln!(out, "  nothing happened");
    }
    for e in key().take(TIMELINE_LINES) {
        let _ = writeln!(out, "  {}  {}", when(plan, e.t), narrate::describe(plan, e));
    }
    if count > TIMELINE_LINES {
        let _ = writeln!(
            out,
            "  … {} more key events (write them all with --journal)",
            count - TIMELINE_LINES
        );
    }
}

fn incidents(out: &mut String, plan: &Plan, outcome: &Outcome) {
    let _ = writeln!(out, "\nIncidents");
    if outcome.incidents.is_empty() {
        let _ = writeln!(out, "  none detected");
    }
    for i in &outcome.incidents {
        let severity = i
            .severity
            .map_or_else(|| "not yet classified".to_owned(), |s| s.label().to_owned());
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
        let _ = writeln!(out, "  {}  {} at {entity}", when(plan, *t), effect.label());
    }
}

fn reports(out: &mut String, plan: &Plan, outcome: &Outcome) {
    let _ = writeln!(out, "\nReports");
    if outcome.reports.is_empty() {
        let _ = writeln!(out, "  none due or sent");
    }
    // Columns as wide as their longest cell: recipients' ids and times vary in length (a
    // counted group "payflow-customers", "T+3d 11h 27m").
    let rows: Vec<[String; 6]> = outcome.reports.iter().map(report_row).collect();
    let mut widths = [0usize; 6];
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    for [entity, report, to, due, sent, status] in &rows {
        let _ = writeln!(
            out,
            "  {entity:<w0$} {report:<w1$} → {to:<w2$} {due:<w3$} {sent:<w4$} {status}",
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2],
            w3 = widths[3],
            w4 = widths[4],
        );
    }
    let _ = plan;
}

/// One line of the Reports list, cell by cell.
fn report_row(r: &ReportOutcome) -> [String; 6] {
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
    [
        r.entity.to_string(),
        r.report.label().to_owned(),
        r.to.to_string(),
        due,
        sent,
        status,
    ]
}

fn desks(out: &mut String, outcome: &Outcome) {
    let _ = writeln!(out, "\nCSIRT desks");
    for d in &outcome.desks {
        let _ = writeln!(
            out,
            "  {:<22} {}  {}  wait mean {} max {}  analyst time {}  longest queue {}  queued at end {}  level {}",
            d.csirt,
            count(d.analysts, "analyst"),
            count(d.items, "work item"),
            Duration::minutes(d.waited_mean_minutes),
            Duration::minutes(d.waited_max_minutes),
            Duration::minutes(d.analyst_minutes),
            d.max_queue,
            d.queue_at_end,
            d.crisis_level.label()
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
            Event::QuestionAnswered { decision, by, text } => {
                Some(format!("  question {decision}: \"{text}\" (by {by})"))
            }
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

fn objectives(out: &mut String, plan: &Plan, outcome: &Outcome, finished: bool) {
    let _ = writeln!(out, "\nObjectives");
    if outcome.objectives.is_empty() {
        let _ = writeln!(out, "  none defined");
    }
    for o in &outcome.objectives {
        let standing = o.standing(finished);
        let at = match &o.verdict {
            Verdict::Met { at, .. } | Verdict::Missed { at, .. } => Some(*at),
            Verdict::Pending => None,
        };
        let at = at.map_or_else(String::new, |t| {
            format!("  ({})", when(plan, t).trim_start())
        });
        let label = standing.word.to_uppercase();
        let _ = writeln!(out, "  {label:<15} {:<8} {}{at}", o.id, o.title);
        if let Some(reason) = standing.reason {
            let _ = writeln!(out, "  {:<15} {:<8} {reason}", "", "");
        }
    }
}
