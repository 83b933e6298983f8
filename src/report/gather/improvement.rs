//! The improvement plan and the baseline: what to change, and how this session compares.

#[allow(
    clippy::wildcard_imports,
    reason = "the door's imports are this room's vocabulary"
)]
use super::*;

/// Who a pattern is about, if it names one organisation, a sector or all of them.
pub(super) fn pattern_subject(plan: &Plan, pattern: &Pattern) -> Option<String> {
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
pub(super) fn responsible(plan: &Plan, check: &CheckPlan) -> String {
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

pub(super) fn improvement_plan(sim: &Simulation, outcome: &Outcome) -> ImprovementPlan {
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

pub(super) fn percent(part: u64, whole: u64) -> String {
    if whole == 0 {
        return "–".to_owned();
    }
    // Rounded to the nearest whole percent, in integers.
    format!("{}%", (part * 200 + whole) / (whole * 2))
}

pub(super) fn baseline(outcome: &Outcome, baseline: Option<&Baseline>) -> BaselineSection {
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
    fn percentages_round_in_integers() {
        assert_eq!(percent(1, 3), "33%");
        assert_eq!(percent(2, 3), "67%");
        assert_eq!(percent(1, 2), "50%");
        assert_eq!(percent(0, 0), "–");
    }
}
