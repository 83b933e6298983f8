//! Classifying an incident and the reports the law and the organisation's own policy ask
//! for: the clocks of its regimes (the built-in NIS2, DORA and GDPR, or one the scenario
//! defines, all played from their definitions in `plan::regimes`), writing each report,
//! sending it to each recipient owed.

use super::super::ctx::Ctx;
use super::super::journal::{Event, Severity};
use super::super::maturity::report_delay;
use super::super::plan::{ActorIx, Duty, EntityPlan, RegimePlan, ReportPlan, StageEffect};
use super::super::rng::{Purpose, report_key};
use super::super::state::{Defender, Due, Incident, Knowledge, Marked, Parcel, ReportState};
use crate::scenario::{Clock, ImpactKind, Minute, ReportKind, Trigger};

/// How severe an incident is, by the worst effect a stage had.
pub fn stage_severity(effect: &StageEffect) -> Severity {
    match effect {
        StageEffect::None | StageEffect::Spread { .. } => Severity::Low,
        StageEffect::CredentialTheft => Severity::Medium,
        StageEffect::Impact(ImpactKind::DataTheft | ImpactKind::Fraud | ImpactKind::Ddos) => {
            Severity::High
        }
        StageEffect::Impact(ImpactKind::Encryption | ImpactKind::Outage) => Severity::Critical,
    }
}

/// ENISA reference incident taxonomy class/type for the worst effect seen.
fn taxonomy(worst: &StageEffect) -> &'static str {
    match worst {
        StageEffect::None | StageEffect::Spread { .. } => "fraud/phishing",
        StageEffect::CredentialTheft => "intrusions/unprivileged-account-compromise",
        StageEffect::Impact(ImpactKind::DataTheft) => "information-content-security/data-leak",
        StageEffect::Impact(ImpactKind::Fraud) => "fraud/masquerade",
        StageEffect::Impact(ImpactKind::Encryption) => "malicious-code/infected-system",
        StageEffect::Impact(ImpactKind::Outage) => "availability/outage",
        StageEffect::Impact(ImpactKind::Ddos) => "availability/ddos",
    }
}

pub fn schedule_send(
    ctx: &mut Ctx<'_>,
    entity: &EntityPlan,
    actor: ActorIx,
    campaign_key: u64,
    report: ReportKind,
    incident: u32,
    from: Minute,
) {
    let parts = [
        ctx.plan.actor(actor).key,
        campaign_key,
        report_key(&report),
        0,
    ];
    let at = from
        + ctx.draw(
            Purpose::ReportDelay,
            parts,
            &report_delay(entity.monitoring, ctx.plan.report_phase(&report)),
        );
    ctx.agenda.push(
        at,
        Due::SendReport {
            entity: actor,
            incident,
            report,
        },
    );
}

/// Opens a legal clock: records the due report, schedules its writing and its deadline.
/// A report owed to several recipients is written once and sent to all of them, so only
/// its first recipient schedules the writing and the deadline.
fn open_clock(
    ctx: &mut Ctx<'_>,
    actor: ActorIx,
    incident: &mut Incident,
    report: &ReportKind,
    to: ActorIx,
    due: Minute,
) {
    if incident.reports.has(report, to) {
        return;
    }
    let plan = ctx.plan;
    let Some(entity) = plan.entity(actor) else {
        return;
    };
    let first = incident.reports.of(report).next().is_none();
    incident.reports.insert(
        report.clone(),
        ReportState {
            to,
            due: Some(due),
            sent: None,
        },
    );
    ctx.journal.record(
        ctx.now,
        Event::ReportDue {
            entity: plan.actor_ref(actor),
            report: report.clone(),
            to: plan.actor_ref(to),
            incident: incident.number,
            due,
        },
    );
    if !first {
        return;
    }
    let campaign_key = plan.campaigns[incident.campaign as usize].key;
    schedule_send(
        ctx,
        entity,
        actor,
        campaign_key,
        report.clone(),
        incident.number,
        ctx.now,
    );
    ctx.agenda.push(
        due,
        Due::ReportDeadline {
            entity: actor,
            incident: incident.number,
            report: report.clone(),
        },
    );
}

/// When a report opened now is due: the earliest of its deadlines; never before now when
/// one of them counts from now (the classification, or the report just sent).
fn due_time(now: Minute, aware: Minute, report: &ReportPlan) -> Option<Minute> {
    let earliest = report
        .due
        .iter()
        .map(|d| {
            let from = match d.from {
                Clock::Awareness => aware,
                Clock::Classification | Clock::Sent(_) => now,
            };
            from.saturating_add(d.within.minutes)
        })
        .min()?;
    Some(if report.due.iter().any(|d| d.from.counts_from_opening()) {
        earliest.max(now)
    } else {
        earliest
    })
}

/// Whether what the incident has come to starts the regime's clock.
fn starts(regime: &RegimePlan, major: bool, impacts: &[ImpactKind]) -> bool {
    regime.starts.iter().any(|t| match t {
        Trigger::Significant => major,
        Trigger::Impact(kind) => impacts.contains(kind),
    })
}

/// Classifies an incident by the worst stage completed so far; what it has come to may
/// start the clocks of the organisation's regimes (a significant incident for NIS2 and
/// DORA, a breach of personal data for GDPR).
pub fn classify(
    ctx: &mut Ctx<'_>,
    actor: ActorIx,
    defender: &mut Defender,
    number: u32,
    completed: &[usize],
) {
    let plan = ctx.plan;
    let Some(incident) = defender.incidents.get_mut(number as usize - 1) else {
        return;
    };
    let c = &plan.campaigns[incident.campaign as usize];
    let worst = completed
        .iter()
        .map(|s| &c.stages[*s].effect)
        .max_by_key(|e| stage_severity(e))
        .unwrap_or(&StageEffect::None);
    // Any confirmed intrusion is at least of medium severity.
    let severity = stage_severity(worst).max(Severity::Medium);
    // A reclassification is journaled only when the severity rises; the legal clocks
    // below are checked every time (a breach of personal data found after a fraud of the
    // same severity still starts the GDPR clock).
    if incident.severity.is_none_or(|old| old < severity) {
        incident.severity = Some(severity);
        incident.major = severity >= Severity::High;
        ctx.journal.record(
            ctx.now,
            Event::Classified {
                entity: plan.actor_ref(actor),
                incident: number,
                severity,
                major: incident.major,
                taxonomy: taxonomy(worst),
            },
        );
    }
    let Some(entity) = plan.entity(actor) else {
        return;
    };
    let aware = incident.aware_at;
    let impacts: Vec<ImpactKind> = completed
        .iter()
        .filter_map(|s| match c.stages[*s].effect {
            StageEffect::Impact(kind) => Some(kind),
            _ => None,
        })
        .collect();
    for &(duty, to) in &entity.duties {
        let Duty::Regime(r) = duty else { continue };
        let regime = &plan.regimes[r as usize];
        if !starts(regime, incident.major, &impacts) {
            continue;
        }
        // Reports opened by the clock's start; a report already owed keeps its deadline.
        for report in regime.reports.iter().filter(|p| p.after.is_none()) {
            if let Some(due) = due_time(ctx.now, aware, report) {
                open_clock(ctx, actor, incident, &report.report, to, due);
            }
        }
    }
}

/// The organisation sends a report it owes, to each of its recipients; the next reports
/// of the regime are due from then.
pub fn send_report(
    ctx: &mut Ctx<'_>,
    actor: ActorIx,
    defender: &mut Defender,
    knowledge: &Knowledge,
    number: u32,
    report: &ReportKind,
) {
    let plan = ctx.plan;
    let Some(entity) = plan.entity(actor) else {
        return;
    };
    let Some(incident) = defender.incidents.get_mut(number as usize - 1) else {
        return;
    };
    let now = ctx.now;
    let mut recipients = Vec::new();
    for state in incident.reports.of_mut(report) {
        if state.sent.is_none() {
            state.sent = Some(now);
            recipients.push((state.to, state.due));
        }
    }
    if recipients.is_empty() {
        return;
    }
    let campaign = incident.campaign;
    let major = incident.major;
    // What it knows of the campaign goes with the report: its own sightings carry victim
    // context (the CSIRT strips it before passing the indicators on).
    let indicators: Vec<Marked> = knowledge
        .indicators
        .iter()
        .filter(|(i, _)| plan.indicators[**i as usize].campaign == campaign)
        .map(|(i, l)| Marked {
            indicator: *i,
            tlp: if l.from.is_none() {
                defender.decided.marking.unwrap_or(entity.indicator_tlp)
            } else {
                l.tlp
            },
            context: l.context,
        })
        .collect();
    for &(to, due) in &recipients {
        ctx.journal.record(
            now,
            Event::ReportSent {
                entity: plan.actor_ref(actor),
                report: report.clone(),
                to: plan.actor_ref(to),
                incident: number,
                due,
                late_minutes: due.map_or(0, |d| (now - d).max(0)),
                indicators: indicators
                    .iter()
                    .map(|m| plan.indicator_ref(m.indicator))
                    .collect(),
            },
        );
        let parcel = Parcel::Report {
            from: actor,
            report: report.clone(),
            incident: number,
            campaign,
            indicators: indicators.clone(),
            via: None,
            major,
        };
        ctx.post
            .send(ctx.agenda, ctx.journal, now, actor, to, parcel);
    }
    // Follow-up reports: their clocks start when the one they follow is sent.
    for &(duty, to) in &entity.duties {
        let Duty::Regime(r) = duty else { continue };
        if !recipients.iter().any(|&(sent_to, _)| sent_to == to) {
            continue;
        }
        let regime = &plan.regimes[r as usize];
        for next in regime
            .reports
            .iter()
            .filter(|p| p.after.as_ref() == Some(report))
        {
            if let Some(due) = due_time(now, incident.aware_at, next) {
                open_clock(ctx, actor, incident, &next.report, to, due);
            }
        }
    }
}
