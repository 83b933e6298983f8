//! The overview (what was played, by whom, with which commands) and the key-event timeline.

#[allow(
    clippy::wildcard_imports,
    reason = "the door's imports are this room's vocabulary"
)]
use super::*;
use crate::session::shown;
use crate::words::count;

pub(super) fn command_summary(command: &Command) -> String {
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
        Command::Answer { decision, text, by } => format!("{by} answers {decision}: \"{text}\""),
        Command::Rate {
            objective,
            rating,
            evaluator,
            ..
        } => format!("{evaluator} rates {objective} {}", rating.letter()),
        Command::RateAnswer {
            decision,
            rating,
            evaluator,
            ..
        } => format!(
            "{evaluator} rates the answer to {decision} {}",
            rating.letter()
        ),
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

pub(super) fn act_summary(action: &PlayerAction) -> String {
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

/// The overview's signature line: verified by which key up to which minute, or signed and
/// not checked; nothing for an unsigned session not checked.
fn signature(inputs: &Inputs<'_>, plan: &Plan) -> Option<String> {
    let at = |t: Minute, ended: bool| {
        let w = when(plan, t);
        if ended {
            format!("to the end of the exercise ({}, {})", w.offset, w.wall)
        } else {
            format!("up to {} ({})", w.offset, w.wall)
        }
    };
    if let Some(v) = inputs.verified {
        let tail = match v.records_after {
            0 => String::new(),
            n => format!(
                " Not signed: the {} after line {} (the recording was cut off there, or answers were added unsigned).",
                count(n, "record"),
                v.line
            ),
        };
        return Some(format!(
            "verified: signed by key {} {} (SHA-256 of the public key: {}); only the holder of its private key could have signed it.{tail}",
            shown(&v.fingerprint),
            at(v.upto, v.ended),
            v.fingerprint
        ));
    }
    let signatures = &inputs.session.signatures;
    let signer = signatures.signer.as_ref()?;
    let reach = signatures.last().map_or_else(
        || {
            "it holds no signature: they were removed, or it was cut off before the first"
                .to_owned()
        },
        |s| {
            format!(
                "its last signature says it covers {}",
                at(s.upto, s.after_end)
            )
        },
    );
    Some(format!(
        "signed by key {}, not verified (check it with: tabletop report --verify KEY.pub.pem); {reach}",
        shown(signer)
    ))
}

pub(super) fn overview(
    inputs: &Inputs<'_>,
    outcome: &Outcome,
    objectives: &Objectives,
) -> Overview {
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
        signature: signature(inputs, plan),
    }
}

pub(super) fn timeline(plan: &Plan, journal: &[Entry]) -> Timeline {
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
