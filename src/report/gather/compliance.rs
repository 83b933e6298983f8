//! Reporting compliance: every report owed, when it was due and when it went.

#[allow(
    clippy::wildcard_imports,
    reason = "the door's imports are this room's vocabulary"
)]
use super::*;

pub(super) fn regime_rank(regime: &str) -> u8 {
    match regime {
        "NIS2 Art. 23" => 0,
        "DORA Art. 19" => 1,
        "GDPR Art. 33" => 2,
        _ => 3,
    }
}

pub(super) fn compliance(sim: &Simulation, outcome: &Outcome) -> Compliance {
    let plan = sim.plan();
    let played_to = played_to(sim);
    // Reports an organisation decided not to send (and did not send after all): a missed
    // deadline then reads as the choice it was.
    let mut withheld = std::collections::BTreeMap::new();
    for entry in sim.journal() {
        match &entry.event {
            crate::sim::Event::ReportWithheld { entity, report } => {
                withheld.insert((entity.id.to_string(), report.clone()), entry.t);
            }
            crate::sim::Event::ReportReconsidered { entity, report } => {
                withheld.remove(&(entity.id.to_string(), report.clone()));
            }
            _ => {}
        }
    }
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
                ("overdue", Some(due), None) => Some(
                    match withheld.get(&(r.entity.to_string(), r.report.clone())) {
                        Some(at) => format!(
                            "not sent: withheld by decision at {}; {} past due",
                            crate::scenario::time::format_offset(*at),
                            span(played_to - due)
                        ),
                        None => format!("not sent; {} past due", span(played_to - due)),
                    },
                ),
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
                    regime: plan.regime_name(&r.report).to_owned(),
                    report: r.report.label().to_owned(),
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
    rows.sort_by_key(|(position, r)| (*position, regime_rank(&r.regime), r.incident));
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
