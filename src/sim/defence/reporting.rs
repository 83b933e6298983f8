//! Classifying an incident and the reports the law and the organisation's own policy ask
//! for: the legal clocks of DORA, NIS2 and GDPR, writing each report, sending it.

use super::super::ctx::Ctx;
use super::super::journal::{Event, Severity};
use super::super::maturity::report_delay;
use super::super::plan::{ActorIx, EntityPlan, Regime, StageEffect};
use super::super::rng::Purpose;
use super::super::state::{Defender, Due, Incident, Knowledge, Marked, Parcel, ReportState};
use crate::scenario::{
    ImpactKind, Minute, ReportKind,
    time::{MINUTES_PER_DAY, MINUTES_PER_HOUR},
};

const HOUR: Minute = MINUTES_PER_HOUR;
const DAY: Minute = MINUTES_PER_DAY;
/// "One month" in NIS2 Art. 23(4)(e) and DORA Art. 19(4)(c), counted as 30 days.
const MONTH: Minute = 30 * DAY;

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
    let parts = [ctx.plan.actor(actor).key, campaign_key, report as u64, 0];
    let at = from
        + ctx.draw(
            Purpose::ReportDelay,
            parts,
            &report_delay(entity.monitoring, report),
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
fn open_clock(
    ctx: &mut Ctx<'_>,
    actor: ActorIx,
    incident: &mut Incident,
    report: ReportKind,
    to: ActorIx,
    due: Minute,
) {
    if incident.reports.contains_key(&report) {
        return;
    }
    let plan = ctx.plan;
    let Some(entity) = plan.entity(actor) else {
        return;
    };
    incident.reports.insert(
        report,
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
            report,
            to: plan.actor_ref(to),
            incident: incident.number,
            due,
        },
    );
    let campaign_key = plan.campaigns[incident.campaign as usize].key;
    schedule_send(
        ctx,
        entity,
        actor,
        campaign_key,
        report,
        incident.number,
        ctx.now,
    );
    ctx.agenda.push(
        due,
        Due::ReportDeadline {
            entity: actor,
            incident: incident.number,
            report,
        },
    );
}

/// Classifies an incident by the worst stage completed so far; a major incident opens the
/// legal clocks of the organisation's regimes (DORA, NIS2, GDPR).
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
    let was_major = incident.major;
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
    let data_breach = completed
        .iter()
        .any(|s| c.stages[*s].effect == StageEffect::Impact(ImpactKind::DataTheft));
    for &(regime, to) in &entity.duties {
        match regime {
            Regime::Dora if incident.major && !was_major => {
                let due = (ctx.now + 4 * HOUR).min(aware + DAY).max(ctx.now);
                open_clock(ctx, actor, incident, ReportKind::DoraInitial, to, due);
            }
            Regime::Nis2 if incident.major && !was_major => {
                open_clock(
                    ctx,
                    actor,
                    incident,
                    ReportKind::Nis2EarlyWarning,
                    to,
                    aware + DAY,
                );
                open_clock(
                    ctx,
                    actor,
                    incident,
                    ReportKind::Nis2Notification,
                    to,
                    aware + 3 * DAY,
                );
            }
            Regime::Gdpr if data_breach => {
                open_clock(
                    ctx,
                    actor,
                    incident,
                    ReportKind::GdprBreach,
                    to,
                    aware + 3 * DAY,
                );
            }
            _ => {}
        }
    }
}

/// The organisation sends a report it owes; the next report in the regime's series is
/// due from then.
pub fn send_report(
    ctx: &mut Ctx<'_>,
    actor: ActorIx,
    defender: &mut Defender,
    knowledge: &Knowledge,
    number: u32,
    report: ReportKind,
) {
    let plan = ctx.plan;
    let Some(entity) = plan.entity(actor) else {
        return;
    };
    let Some(incident) = defender.incidents.get_mut(number as usize - 1) else {
        return;
    };
    let Some(state) = incident.reports.get_mut(&report) else {
        return;
    };
    if state.sent.is_some() {
        return;
    }
    state.sent = Some(ctx.now);
    let (to, due) = (state.to, state.due);
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
    ctx.journal.record(
        ctx.now,
        Event::ReportSent {
            entity: plan.actor_ref(actor),
            report,
            to: plan.actor_ref(to),
            incident: number,
            due,
            late_minutes: due.map_or(0, |d| (ctx.now - d).max(0)),
            indicators: indicators
                .iter()
                .map(|m| plan.indicator_ref(m.indicator))
                .collect(),
        },
    );
    let parcel = Parcel::Report {
        from: actor,
        report,
        incident: number,
        campaign,
        indicators,
        via: None,
        major,
    };
    ctx.post
        .send(ctx.agenda, ctx.journal, ctx.now, actor, to, parcel);
    // Follow-up reports: their clocks start when the previous one is sent.
    let follow_up = match report {
        ReportKind::DoraInitial => Some((ReportKind::DoraIntermediate, 3 * DAY)),
        ReportKind::DoraIntermediate => Some((ReportKind::DoraFinal, MONTH)),
        ReportKind::Nis2Notification => Some((ReportKind::Nis2Final, MONTH)),
        _ => None,
    };
    if let Some((next, within)) = follow_up {
        open_clock(ctx, actor, incident, next, to, ctx.now + within);
    }
}
