//! CSIRT desks and their procedures: queues, waits, step timings, decisions.

#[allow(
    clippy::wildcard_imports,
    reason = "the door's imports are this room's vocabulary"
)]
use super::*;

pub(super) fn desks(sim: &Simulation, outcome: &Outcome) -> Desks {
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

pub(super) fn procedures(plan: &Plan, journal: &[Entry]) -> Procedures {
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
                options: if options.is_empty() {
                    "free text (a discussion question)".to_owned()
                } else {
                    options
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                },
                default: if options.is_empty() {
                    "–".to_owned()
                } else {
                    default.to_string()
                },
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
            // A free-text answer is quoted word for word; it changes nothing in the world.
            Event::QuestionAnswered { decision, by, text } => {
                if let Some(row) = decisions
                    .iter_mut()
                    .find(|d| d.decision == **decision && d.taken.is_none())
                {
                    row.taken = Some(when(plan, entry.t));
                    row.option = Some(format!("“{text}”"));
                    row.by = Some(match &**by {
                        "facilitator" => "facilitator (for the player)".to_owned(),
                        role => format!("{} (player)", role_title(role)),
                    });
                    row.followed = Some("a discussion answer: recorded, nothing changes".into());
                }
            }
            Event::QuestionUnanswered { decision } => {
                if let Some(row) = decisions
                    .iter_mut()
                    .find(|d| d.decision == **decision && d.taken.is_none())
                {
                    row.taken = Some(when(plan, entry.t));
                    row.option = Some("(no answer)".into());
                    row.by = Some("nobody answered by the deadline".into());
                    row.followed = Some("nothing".into());
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
pub(super) fn followed(plan: &Plan, after: &[Entry], t: Minute) -> String {
    let lines: Vec<String> = after
        .iter()
        .take_while(|e| {
            e.t == t
                && !matches!(
                    e.event,
                    Event::DecisionTaken { .. }
                        | Event::DecisionRaised { .. }
                        | Event::QuestionAnswered { .. }
                        | Event::QuestionUnanswered { .. }
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
