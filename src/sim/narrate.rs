//! One readable line per journal event: the one narration the report's timeline and
//! evidence, the console's log and the CLI summary all show (issue 13: one place per
//! journal event, beside `weight.rs`, which says how much each one matters).
//!
//! Actors appear by their display names ("DuckSends"), other items by their scenario ids.
//! Event kinds added to the engine later get a generic line built from their JSON, so the
//! report never drops an event it does not know yet.
//!
//! Long because: one match arm per event kind, in one match, so a new kind without its
//! line shows up here and nowhere else.

use super::journal::{Entry, Event, Ref};
use super::plan::Plan;
use crate::scenario::{Minute, time::format_offset};

/// The display name of an actor reference.
pub fn actor(plan: &Plan, r: &Ref) -> String {
    plan.actors
        .get(r.ix as usize)
        .filter(|a| a.id == r.id)
        .map_or_else(|| r.id.to_string(), |a| a.name.to_string())
}

/// "DuckSends'", "Zilverbank's".
pub fn possessive(name: &str) -> String {
    if name.ends_with('s') {
        format!("{name}'")
    } else {
        format!("{name}'s")
    }
}

fn actors(plan: &Plan, refs: &[Ref]) -> String {
    refs.iter()
        .map(|r| actor(plan, r))
        .collect::<Vec<_>>()
        .join(", ")
}

fn ids(refs: &[Ref]) -> String {
    if refs.is_empty() {
        return "none".to_owned();
    }
    refs.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// "2h 5m" for a span of minutes.
pub fn span(minutes: Minute) -> String {
    crate::scenario::Duration::minutes(minutes).to_string()
}

/// One line describing any journal event.
#[allow(
    clippy::too_many_lines,
    reason = "one arm per event kind reads best as one match"
)]
pub fn describe(plan: &Plan, entry: &Entry) -> String {
    let a = |r: &Ref| actor(plan, r);
    match &entry.event {
        Event::ExerciseStarted {
            scenario,
            seed,
            start,
            ..
        } => format!("exercise \"{scenario}\" starts ({start}, seed {seed})"),
        Event::CampaignStarted {
            campaign,
            adversary,
            targets,
        } => format!(
            "{adversary} starts campaign {campaign} against {}",
            crate::words::count(targets, "target")
        ),
        Event::StageCompleted {
            campaign,
            stage,
            technique,
            entity,
        } => format!(
            "{campaign}: stage {stage} ({technique}) completed at {}",
            a(entity)
        ),
        Event::StageBlocked {
            stage,
            entity,
            indicators,
            ..
        } => format!(
            "{} blocks stage {stage} (knew {})",
            a(entity),
            ids(indicators)
        ),
        Event::Impact {
            campaign,
            entity,
            effect,
            ..
        } => format!("IMPACT: {} at {} ({campaign})", effect.label(), a(entity)),
        Event::Spread {
            campaign, from, to, ..
        } => format!("{campaign} spreads from {} to {}", a(from), a(to)),
        Event::Detected {
            entity,
            campaign,
            stage,
            incident,
            source: s,
        } => format!(
            "{} detects {campaign} at stage {stage} through {} (incident #{incident})",
            a(entity),
            s.label()
        ),
        Event::TipReceived {
            entity,
            campaign,
            noticed,
        } => format!(
            "{} receives a tip about {campaign}{}",
            a(entity),
            if *noticed { " and acts on it" } else { "" }
        ),
        Event::Classified {
            entity,
            incident,
            severity: s,
            major,
            taxonomy,
        } => format!(
            "{} classifies incident #{incident}: {}{}, {taxonomy}",
            a(entity),
            s.label(),
            if *major { ", major" } else { "" }
        ),
        Event::Contained {
            entity, campaign, ..
        } => format!("{} contains {campaign}", a(entity)),
        Event::ReportDue {
            entity,
            report,
            to,
            due,
            ..
        } => format!(
            "{} {} to {} falls due at {}",
            possessive(&a(entity)),
            report.label(),
            a(to),
            format_offset(*due)
        ),
        Event::ReportSent {
            entity,
            report,
            to,
            late_minutes,
            ..
        } => format!(
            "{} sends its {} to {}{}",
            a(entity),
            report.label(),
            a(to),
            if *late_minutes > 0 {
                format!(" — late by {}", span(*late_minutes))
            } else {
                String::new()
            }
        ),
        Event::ReportOverdue {
            entity, report, to, ..
        } => format!(
            "{} {} to {} is overdue",
            possessive(&a(entity)),
            report.label(),
            a(to)
        ),
        Event::NothingToContain { entity, campaign } => format!(
            "{} is to contain {campaign} but knows of no intrusion by it: nothing happens",
            a(entity)
        ),
        Event::ReportWithheld { entity, report } => format!(
            "{} decides not to send its {} (the deadline, if it comes, is missed by choice)",
            a(entity),
            report.label()
        ),
        Event::ReportReconsidered { entity, report } => format!(
            "{} reverses its decision and sends its {} after all",
            a(entity),
            report.label()
        ),
        Event::TakenOffline { entity, until } => format!(
            "{} takes its systems offline until {}: its service is down",
            a(entity),
            format_offset(*until)
        ),
        Event::BackOnline { entity } => format!("{} is back online", a(entity)),
        Event::StageFailedOffline {
            campaign,
            stage,
            entity,
        } => format!(
            "{campaign}'s stage {stage} fails at {}: its systems are offline",
            a(entity)
        ),
        Event::MarkingChanged { entity, from, to } => format!(
            "{} marks what it shares {} from now on (was {})",
            a(entity),
            to.label(),
            from.label()
        ),
        Event::ReportReceived { by, from, report } => {
            format!("{} receives the {} of {}", a(by), report.label(), a(from))
        }
        Event::ReportForwarded {
            by,
            to,
            entity,
            report,
        } => format!(
            "{} forwards {} {} to {}",
            a(by),
            possessive(&a(entity)),
            report.label(),
            a(to)
        ),
        Event::WorkQueued {
            csirt,
            task: t,
            about,
            queue,
        } => format!(
            "{} queues {} for {} (queue {queue})",
            a(csirt),
            t.label(),
            a(about)
        ),
        Event::WorkStarted {
            csirt,
            task: t,
            about,
            waited_minutes,
            on_call,
        } => format!(
            "{} starts {} for {} after {}{}",
            a(csirt),
            t.label(),
            a(about),
            span(*waited_minutes),
            if *on_call { " (on call)" } else { "" }
        ),
        Event::WorkFinished {
            csirt,
            task: t,
            about,
            turnaround_minutes,
        } => format!(
            "{} finishes {} for {} ({} after queueing)",
            a(csirt),
            t.label(),
            a(about),
            span(*turnaround_minutes)
        ),
        Event::Feedback {
            from,
            to,
            indicators,
        } => format!(
            "{} gives feedback to {} (indicators: {})",
            a(from),
            a(to),
            ids(indicators)
        ),
        Event::Shared {
            from,
            to,
            indicators,
            tlp,
            warning,
        } => format!(
            "{} {} {}: {} at {tlp}",
            a(from),
            if *warning { "warns" } else { "shares with" },
            a(to),
            ids(indicators)
        ),
        Event::IncidentsPassedOn {
            from,
            to,
            incidents,
        } => format!(
            "{} tells {} of {} (victims not named; no indicator to pass)",
            a(from),
            a(to),
            crate::words::count(*incidents, "incident")
        ),
        Event::ShareRefused {
            from,
            to,
            indicator,
            tlp,
            reason,
        } => format!(
            "{} may not pass {indicator} ({tlp}) to {}: {reason}",
            a(from),
            a(to)
        ),
        Event::IndicatorLearned {
            actor: who,
            indicator,
            from,
            tlp,
            ..
        } => match from {
            Some(from) => format!("{} learns {indicator} from {} at {tlp}", a(who), a(from)),
            None => format!("{} learns {indicator} by its own detection", a(who)),
        },
        Event::Sighting {
            from,
            to,
            indicator,
            first_seen,
            place,
        } => format!(
            "{} reports a sighting of {indicator} to {} (at {place}, first seen {})",
            a(from),
            a(to),
            format_offset(*first_seen)
        ),
        Event::StaffChanged {
            csirt,
            available,
            analysts,
        } => format!("{}: {available} of {analysts} analysts available", a(csirt)),
        Event::InjectFired {
            inject,
            title,
            to,
            by_facilitator,
            ..
        } => format!(
            "INJECT {inject}: {title} ({}){}",
            if to.is_empty() {
                "no addressee".to_owned()
            } else {
                format!("to {}", actors(plan, to))
            },
            if *by_facilitator {
                ", fired by the facilitator"
            } else {
                ""
            }
        ),
        Event::InjectDelayed { inject, until } => {
            format!("inject {inject} delayed until {}", format_offset(*until))
        }
        Event::InjectSkipped { inject } => format!("inject {inject} skipped"),
        Event::InjectCancelled { inject, reason } => {
            format!("inject {inject} cancelled: {reason}")
        }
        Event::InjectWithheld {
            inject,
            from,
            reason,
        } => format!(
            "inject {inject} not sent to {}: {reason}",
            actors(plan, from)
        ),
        Event::InjectComposed { inject } => {
            format!("the facilitator composes inject {inject}")
        }
        Event::Observation { author, text } => format!("observation by {author}: {text}"),
        Event::MessageToControl { role, text } => {
            format!("{role} writes to exercise control: {text}")
        }
        Event::MessageFromControl { role, by, text } => {
            format!("exercise control ({by}) writes to {role}: {text}")
        }
        Event::Rated {
            objective,
            rating,
            evaluator,
            comment,
        } => format!(
            "{evaluator} rates {objective} {}: {comment}",
            rating.letter()
        ),
        Event::AnswerRated {
            decision,
            rating,
            evaluator,
            comment,
        } => format!(
            "{evaluator} rates the answer to {decision} {}: {comment}",
            rating.letter()
        ),
        Event::CommandRefused { command, reason } => {
            format!("command {command} refused: {reason}")
        }
        Event::ObjectiveMet { objective, .. } => format!("objective {objective} MET"),
        Event::ObjectiveMissed {
            objective, reason, ..
        } => format!("objective {objective} MISSED: {reason}"),
        Event::ObjectiveNotTriggered {
            objective,
            waiting_for,
        } => format!("objective {objective} NOT TRIGGERED: it waited for {waiting_for}"),
        Event::SopStarted {
            sop,
            variant,
            csirt,
            about,
            instance,
        } => format!(
            "{} starts procedure {sop}#{instance} ({variant}) for {}",
            a(csirt),
            a(about)
        ),
        Event::StepFinished {
            sop,
            step,
            csirt,
            instance,
            elapsed,
            deadline,
            met,
        } => format!(
            "{} finishes step {step} of {sop}#{instance} after {}{}",
            a(csirt),
            span(*elapsed),
            match (deadline, met) {
                (Some(d), Some(true)) => format!(" (deadline {} met)", span(*d)),
                (Some(d), _) => format!(" (deadline {} MISSED)", span(*d)),
                _ => String::new(),
            }
        ),
        Event::StepDeadlineMissed {
            sop,
            step,
            csirt,
            instance,
        } => format!(
            "{} misses the deadline of step {step} of {sop}#{instance}",
            a(csirt)
        ),
        Event::DecisionRaised {
            decision,
            to,
            prompt,
            options,
            default,
            deadline,
        } if options.is_empty() => format!(
            "QUESTION {decision} for {}: {prompt} (answer in their own words by {})",
            to.iter().map(a).collect::<Vec<_>>().join(", "),
            format_offset(*deadline)
        ),
        Event::DecisionRaised {
            decision,
            to,
            prompt,
            default,
            deadline,
            ..
        } => format!(
            "DECISION {decision} for {}: {prompt} (default {default} at {})",
            to.iter().map(a).collect::<Vec<_>>().join(", "),
            format_offset(*deadline)
        ),
        Event::QuestionAnswered { decision, by, text } => {
            format!("question {decision} answered by {by}: \"{text}\"")
        }
        Event::QuestionUnanswered { decision } => {
            format!("question {decision}: no answer by its deadline")
        }
        Event::DecisionTaken {
            decision,
            option,
            by,
        } => {
            if &**by == "default" {
                format!("decision {decision}: {option} (the default, nobody answered)")
            } else {
                format!("decision {decision}: {option} (by {by})")
            }
        }
        Event::CrisisLevelChanged {
            csirt,
            from,
            to,
            reason,
        } => format!(
            "{} changes the crisis level from {} to {}: {reason}",
            a(csirt),
            from.label(),
            to.label()
        ),
        Event::IncidentNoted {
            actor,
            victim,
            sector,
            campaign,
            ..
        } => match victim {
            Some(victim) => format!(
                "{} learns of the {campaign} incident at {}",
                a(actor),
                a(victim)
            ),
            None => format!(
                "{} learns of a {campaign} incident in the {} sector (victim not named)",
                a(actor),
                sector.label()
            ),
        },
        Event::CrossBorderLink {
            csirt,
            peer,
            campaign,
        } => {
            format!(
                "{} links {campaign} across the border (told by {})",
                a(csirt),
                a(peer)
            )
        }
        Event::WarningActedOn { entity, indicators } => {
            format!("{} puts {} into its defences", a(entity), ids(indicators))
        }
        Event::ChannelDown {
            actor,
            channel,
            until,
        } => format!(
            "{}: {} down until {}",
            a(actor),
            channel.label(),
            crate::scenario::time::format_offset(*until)
        ),
        Event::ChannelRestored { actor, channel } => {
            format!("{}: {} back", a(actor), channel.label())
        }
        Event::ChannelFallback {
            from,
            to,
            failed,
            used,
        } => {
            // Words rather than an arrow: the console's proportional font has no "→".
            format!(
                "{} reaches {} by {}: {} is down",
                a(from),
                a(to),
                used.label(),
                failed.label()
            )
        }
        Event::ExploitFailed {
            entity,
            cve,
            reason,
            ..
        } => format!("the exploit of {cve} fails at {} ({reason})", a(entity)),
        Event::ScanFinding { csirt, entity, cve } => {
            format!("{}'s scan finds {cve} exposed at {}", a(csirt), a(entity))
        }
        Event::ScanFoundNothing {
            csirt,
            entity,
            reason,
        } => format!(
            "{}'s scan{} finds nothing new: {}",
            a(csirt),
            entity
                .as_ref()
                .map(|e| format!(" of {}", a(e)))
                .unwrap_or_default(),
            reason.label()
        ),
        Event::Patched { entity, cve } => format!("{} patches {cve}", a(entity)),
        Event::VulnerabilityReported { coordinator, cve } => format!(
            "{cve} is reported to {} for coordinated disclosure",
            a(coordinator)
        ),
        Event::VendorContacted {
            coordinator,
            cve,
            advisory_due,
        } => format!(
            "{} contacts the vendor of {cve}; the advisory is due {}",
            a(coordinator),
            crate::scenario::time::format_offset(*advisory_due)
        ),
        Event::AdvisoryPublished {
            coordinator,
            cve,
            affected,
        } => {
            format!(
                "{} publishes the advisory for {cve} ({affected} affected organisations)",
                a(coordinator)
            )
        }
        Event::SupplierBreach {
            supplier, customer, ..
        } => format!(
            "{} data is stolen from its supplier {}",
            possessive(&a(customer)),
            a(supplier)
        ),
        Event::UnderEmbargo {
            coordinator,
            cve,
            since,
            advisory_due,
        } => format!(
            "{cve} has been under embargo since {}, coordinated by {}; the advisory is due {}",
            crate::scenario::time::format_offset(*since),
            a(coordinator),
            crate::scenario::time::format_offset(*advisory_due)
        ),
        Event::ProofOfConceptPublished { cve, fixed } => {
            if *fixed {
                format!("a proof of concept for {cve} is published")
            } else {
                format!(
                    "a proof of concept for {cve} is published before any fix: the embargo is broken"
                )
            }
        }
        Event::FixNotAvailable {
            entity,
            cve,
            fix_due,
        } => match fix_due {
            Some(at) => format!(
                "{} has no fix for its deployment of {cve} until {}",
                a(entity),
                crate::scenario::time::format_offset(*at)
            ),
            None => format!(
                "{} has no fix for its deployment of {cve}: the fix does not cover it",
                a(entity)
            ),
        },
        Event::CrisisTriggered {
            csirt,
            level,
            trigger,
        } => {
            format!(
                "{} must assess raising the crisis level to {} ({})",
                a(csirt),
                level.label(),
                trigger.describe()
            )
        }
        Event::CrisisActionTaken { csirt, action } => {
            format!("{}: {}", a(csirt), action.describe())
        }
        Event::InfrastructureRotated {
            campaign,
            replaced,
            known_by,
        } => format!(
            "{campaign} rotates its infrastructure ({}) after {} knew it",
            replaced
                .iter()
                .map(|(old, new)| format!("{new} replaces {old}"))
                .collect::<Vec<_>>()
                .join(", "),
            crate::words::count(known_by, "actor")
        ),
        Event::PlayerActed {
            role,
            actor,
            detail,
            ..
        } => format!("{} ({role}, player): {detail}", a(actor)),
        Event::ActionRefused {
            role,
            action,
            reason,
        } => format!(
            "{role}'s {} refused: {reason}",
            action.trim_start_matches("player_").replace('_', " ")
        ),
        Event::ExerciseEnded {} => "exercise ends".to_owned(),
        #[allow(
            unreachable_patterns,
            reason = "event kinds added to the engine later get a generic line"
        )]
        _ => generic(entry),
    }
}

/// "kind: field value, …" from the event's JSON, for kinds without a line of their own.
fn generic(entry: &Entry) -> String {
    let mut text = entry.kind().replace('_', " ");
    if let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(entry) {
        let details: Vec<String> = fields
            .iter()
            .filter(|(k, _)| !matches!(k.as_str(), "seq" | "t" | "kind"))
            .map(|(k, v)| match v {
                serde_json::Value::String(s) => format!("{k} {s}"),
                other => format!("{k} {other}"),
            })
            .collect();
        if !details.is_empty() {
            text.push_str(": ");
            text.push_str(&details.join(", "));
        }
    }
    text
}
