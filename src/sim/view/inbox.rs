//! A role's inbox and open prompts, read from the journal lines addressed to its actor:
//! what the trainee sees arrive, in the words a trainee reads ("you" only for what the
//! trainee did).

use super::super::injects::InjectBook;
use super::super::journal::{DetectionSource, Entry, Event};
use super::super::plan::{ActorIx, DecisionName, Plan, RolePlan};
use crate::scenario::time::format_offset;
use crate::scenario::{self, Minute};

/// What kind of item lands in a role's inbox.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InboxKind {
    /// An inject's message.
    Message,
    /// Indicators received (shared, a warning, feedback, an advisory).
    Indicators,
    Sighting,
    /// An incident report received.
    Report,
    /// A decision asked of this actor (owned by this role or not).
    Decision,
    /// Something the actor itself did or that happened at it (a detection, a report sent).
    Own,
    /// A player's action refused, and why.
    Refusal,
}

impl InboxKind {
    /// The tag a trainee reads beside an inbox line (the console's role window and the
    /// trainee's page say the same).
    pub const fn label(self) -> &'static str {
        match self {
            Self::Message => "message",
            Self::Indicators => "indicators",
            Self::Sighting => "sighting",
            Self::Report => "report",
            Self::Decision => "decision",
            Self::Own => "yours",
            Self::Refusal => "REFUSED",
        }
    }
}

/// One line of a role's inbox.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InboxItem {
    pub at: Minute,
    pub kind: InboxKind,
    pub from: String,
    pub subject: String,
    pub body: String,
}

/// A question or decision point this role answers, still open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prompt {
    /// As `Command::Decide` names it.
    pub decision: String,
    pub prompt: String,
    /// (id, label); none for a discussion question answered in the players' own words.
    pub options: Vec<(String, String)>,
    /// The option taken when nobody answers; empty for a free-text question.
    pub default: String,
    pub raised: Minute,
    pub deadline: Minute,
    /// What it is about, in words: "DuckSends' report (procedure fin-intake, run 1)", or
    /// the inject's message ("journalist, De Financiële Krant: Customers say …").
    pub concerns: String,
}

impl Prompt {
    /// Whether it is answered in the players' own words (`Command::Answer`) rather than by
    /// picking an option (`Command::Decide`).
    pub fn is_free_text(&self) -> bool {
        self.options.is_empty()
    }
}

/// An inject question's answers as (id, label).
fn answers(options: &[scenario::Answer]) -> Vec<(String, String)> {
    options
        .iter()
        .map(|o| (o.id.clone(), o.label.clone()))
        .collect()
}

/// The options of a decision, with labels, by its journaled name.
pub fn options_of(plan: &Plan, book: &InjectBook, decision: &str) -> Vec<(String, String)> {
    let labelled = |options: Vec<(&str, &str)>| {
        options
            .into_iter()
            .map(|(id, label)| (id.to_owned(), label.to_owned()))
            .collect()
    };
    let Some(name) = DecisionName::parse(decision) else {
        return Vec::new();
    };
    if let DecisionName::Step {
        csirt, sop, step, ..
    } = name
    {
        let owner = plan.by_id.get(csirt).copied();
        return plan
            .sops
            .iter()
            .filter(|s| &*s.id == sop && Some(s.owner) == owner)
            .flat_map(|s| &s.steps)
            .find(|s| &*s.id == step)
            .and_then(|s| match &s.action {
                scenario::Action::Decide(d) => Some(labelled(
                    d.options
                        .iter()
                        .map(|o| (o.id.as_str(), o.label.as_str()))
                        .collect(),
                )),
                _ => None,
            })
            .unwrap_or_default();
    }
    if let (None, DecisionName::Discussion { question, .. }) = (book.index_of(decision), name) {
        return book
            .inject_of(decision)
            .and_then(|ix| {
                let spec = &book.plans[ix as usize].spec;
                spec.discussion.iter().find(|q| q.id == question)
            })
            .map(|q| answers(&q.options))
            .unwrap_or_default();
    }
    book.index_of(decision)
        .and_then(|ix| book.plans[ix as usize].spec.question.as_ref())
        .map(|q| answers(&q.options))
        .unwrap_or_default()
}

/// Who closed a decision, as the role's player reads it: a discussion question may be
/// answered by another role played for the same organisation.
fn answered_by(role: &RolePlan, by: &str) -> String {
    match by {
        "default" => "the default applied".to_owned(),
        "facilitator" => "answered by the facilitator".to_owned(),
        _ if by == &*role.id => "answered by you".to_owned(),
        _ => format!("answered by the role {by}"),
    }
}

fn is(actor: ActorIx, r: &super::super::journal::Ref) -> bool {
    r.ix == actor
}

/// The inbox and the open prompts, from the journal lines addressed to the role's actor.
pub(super) fn read_journal(
    plan: &Plan,
    book: &InjectBook,
    journal: &[Entry],
    role: &RolePlan,
    (inbox, prompts): (&mut Vec<InboxItem>, &mut Vec<Prompt>),
) {
    let me = role.actor;
    let name = |r: &super::super::journal::Ref| plan.actor(r.ix).name.to_string();
    let value = |r: &super::super::journal::Ref| plan.indicators[r.ix as usize].value.to_string();
    let push =
        |inbox: &mut Vec<InboxItem>, at, kind, from: String, subject: String, body: String| {
            inbox.push(InboxItem {
                at,
                kind,
                from,
                subject,
                body,
            });
        };
    // "You" means the trainee: a report is "you" only when this role's own action sent it
    // (its player_report comes first, in the same minute); otherwise the organisation sent
    // it by itself and the inbox says so by name.
    let mut reported_at: Option<Minute> = None;
    for entry in journal {
        let t = entry.t;
        match &entry.event {
            Event::InjectFired { inject, to, .. } if to.iter().any(|r| is(me, r)) => {
                let spec = &book.plans[inject.ix as usize].spec;
                match &spec.message {
                    Some(m) => push(
                        inbox,
                        t,
                        InboxKind::Message,
                        format!("{} ({})", m.from, m.channel.label()),
                        m.subject.clone(),
                        m.body.clone(),
                    ),
                    None if spec.question.is_none() => {
                        push(
                            inbox,
                            t,
                            InboxKind::Message,
                            "exercise control".into(),
                            spec.title.clone(),
                            String::new(),
                        );
                    }
                    None => {}
                }
            }
            Event::IndicatorLearned {
                actor,
                indicator,
                from: Some(from),
                tlp,
                ..
            } if is(me, actor) => {
                // Indicators passed together arrive together: one inbox line.
                let subject = format!("indicators from {}", name(from));
                match inbox.last_mut() {
                    Some(last)
                        if last.at == t
                            && last.kind == InboxKind::Indicators
                            && last.subject == subject =>
                    {
                        last.body
                            .push_str(&format!(", {} ({tlp})", value(indicator)));
                    }
                    _ => push(
                        inbox,
                        t,
                        InboxKind::Indicators,
                        name(from),
                        subject,
                        format!("{} ({tlp})", value(indicator)),
                    ),
                }
            }
            Event::Sighting {
                from,
                to,
                indicator,
                first_seen,
                place,
            } if is(me, to) => push(
                inbox,
                t,
                InboxKind::Sighting,
                name(from),
                format!("sighting of {}", value(indicator)),
                format!(
                    "first seen {}{}",
                    scenario::time::format_offset(*first_seen),
                    if place.is_empty() {
                        String::new()
                    } else {
                        format!(" at {place}")
                    }
                ),
            ),
            Event::ReportReceived { by, from, report } if is(me, by) => push(
                inbox,
                t,
                InboxKind::Report,
                name(from),
                format!("{} received", report.label()),
                String::new(),
            ),
            Event::Feedback {
                from,
                to,
                indicators,
            } if is(me, to) => push(
                inbox,
                t,
                InboxKind::Indicators,
                name(from),
                "feedback on your report".into(),
                indicators.iter().map(value).collect::<Vec<_>>().join(", "),
            ),
            Event::Detected {
                entity,
                incident,
                source,
                ..
            } if is(me, entity) => push(
                inbox,
                t,
                InboxKind::Own,
                // Who told it: its own monitoring, or (for a breach at a supplier, or a
                // tip) someone outside.
                match source {
                    DetectionSource::SupplierNotice => "your supplier's notice".into(),
                    DetectionSource::Tip => "a tip from outside".into(),
                    _ => "your security monitoring".into(),
                },
                format!("incident #{incident} detected"),
                format!("through {}", source.label()),
            ),
            Event::Classified {
                entity,
                incident,
                severity,
                major,
                ..
            } if is(me, entity) => push(
                inbox,
                t,
                InboxKind::Own,
                "your incident team".into(),
                format!("incident #{incident} classified {}", severity.label()),
                if *major {
                    "major".into()
                } else {
                    "not major".into()
                },
            ),
            Event::ReportSent {
                entity, report, to, ..
            } if is(me, entity) => push(
                inbox,
                t,
                InboxKind::Own,
                if reported_at.take() == Some(t) {
                    "you".into()
                } else {
                    name(entity)
                },
                format!("{} sent to {}", report.label(), name(to)),
                String::new(),
            ),
            Event::ScanFinding { csirt, entity, cve } if is(me, csirt) || is(me, entity) => push(
                inbox,
                t,
                InboxKind::Own,
                name(csirt),
                format!("scan finding at {}", name(entity)),
                cve.to_string(),
            ),
            Event::UnderEmbargo {
                coordinator,
                cve,
                since,
                advisory_due,
            } if is(me, coordinator) => push(
                inbox,
                t,
                InboxKind::Own,
                "coordinated disclosure".into(),
                format!("{cve} under embargo since {}", format_offset(*since)),
                format!("the advisory is due {}", format_offset(*advisory_due)),
            ),
            // Public: everyone reads of it.
            Event::ProofOfConceptPublished { cve, fixed } => push(
                inbox,
                t,
                InboxKind::Own,
                "public sources".into(),
                format!("proof of concept for {cve} published"),
                if *fixed {
                    "an advisory with a fix is out".into()
                } else {
                    "no fix is out yet".into()
                },
            ),
            Event::FixNotAvailable {
                entity,
                cve,
                fix_due,
            } if is(me, entity) => push(
                inbox,
                t,
                InboxKind::Own,
                "vendor advisory".into(),
                format!("no fix yet for your deployment of {cve}"),
                match fix_due {
                    Some(at) => format!("the fix for it is due {}", format_offset(*at)),
                    None => "the vendor has not said when".into(),
                },
            ),
            Event::CrisisLevelChanged {
                csirt, to, reason, ..
            } if is(me, csirt) => push(
                inbox,
                t,
                InboxKind::Own,
                "crisis management".into(),
                format!("crisis level now {}", to.label()),
                reason.clone(),
            ),
            Event::StaffChanged {
                csirt,
                available,
                analysts,
            } if is(me, csirt) => push(
                inbox,
                t,
                InboxKind::Own,
                "team lead".into(),
                format!("{available} of {analysts} analysts available"),
                String::new(),
            ),
            Event::ChannelDown {
                actor,
                channel,
                until,
            } if is(me, actor) => push(
                inbox,
                t,
                InboxKind::Own,
                "IT".into(),
                format!("{} is down", channel.label()),
                format!("until {}", scenario::time::format_offset(*until)),
            ),
            Event::ShareRefused {
                from,
                to,
                indicator,
                tlp,
                reason,
            } if is(me, from) => push(
                inbox,
                t,
                InboxKind::Refusal,
                "TLP check".into(),
                format!("{} not passed to {}", value(indicator), name(to)),
                format!("received under {tlp}: {reason}"),
            ),
            Event::PlayerActed {
                role: by,
                detail,
                action,
                ..
            } if **by == *role.id => {
                if *action == "player_report" {
                    reported_at = Some(t);
                }
                push(
                    inbox,
                    t,
                    InboxKind::Own,
                    "you".into(),
                    detail.clone(),
                    String::new(),
                );
            }
            Event::ActionRefused {
                role: by,
                action,
                reason,
            } if **by == *role.id => push(
                inbox,
                t,
                InboxKind::Refusal,
                "exercise rules".into(),
                format!(
                    "{} refused",
                    action.trim_start_matches("player_").replace('_', " ")
                ),
                reason.clone(),
            ),
            Event::DecisionRaised {
                decision,
                to,
                prompt,
                default,
                deadline,
                ..
            } if to.iter().any(|r| is(me, r)) => {
                let owned = role.owns(plan, decision);
                let options = options_of(plan, book, decision);
                let default_label = options
                    .iter()
                    .find(|(id, _)| **id == **default)
                    .map_or(default.to_string(), |(_, label)| label.clone());
                // Who asks: the procedure, or whoever speaks in the inject's message.
                let asker = match DecisionName::parse(decision) {
                    Some(DecisionName::Step { sop, .. }) => format!("your procedure {sop}"),
                    _ => book
                        .inject_of(decision)
                        .and_then(|ix| book.plans[ix as usize].spec.message.as_ref())
                        .map_or_else(|| "exercise control".to_owned(), |m| m.from.clone()),
                };
                push(
                    inbox,
                    t,
                    InboxKind::Decision,
                    asker,
                    prompt.to_string(),
                    if owned && options.is_empty() {
                        format!(
                            "yours to answer in your own words by {}",
                            scenario::time::format_offset(*deadline)
                        )
                    } else if owned {
                        format!(
                            "yours to answer by {}; otherwise: {default_label}",
                            scenario::time::format_offset(*deadline)
                        )
                    } else {
                        "asked of your organisation; another role answers it".into()
                    },
                );
                if owned {
                    prompts.push(Prompt {
                        decision: decision.to_string(),
                        prompt: prompt.to_string(),
                        options,
                        default: default.to_string(),
                        raised: t,
                        deadline: *deadline,
                        concerns: String::new(),
                    });
                }
            }
            Event::DecisionTaken {
                decision,
                option,
                by,
            } => {
                if let Some(p) = prompts.iter().position(|p| *p.decision == **decision) {
                    let prompt = prompts.remove(p);
                    let who = answered_by(role, by);
                    let label = prompt
                        .options
                        .iter()
                        .find(|(id, _)| **id == **option)
                        .map_or(option.to_string(), |(_, label)| label.clone());
                    push(
                        inbox,
                        t,
                        InboxKind::Decision,
                        "decided".into(),
                        prompt.prompt,
                        format!("{label} — {who}"),
                    );
                }
            }
            Event::QuestionAnswered { decision, by, text } => {
                if let Some(p) = prompts.iter().position(|p| *p.decision == **decision) {
                    let prompt = prompts.remove(p);
                    let who = answered_by(role, by);
                    push(
                        inbox,
                        t,
                        InboxKind::Decision,
                        "answered".into(),
                        prompt.prompt,
                        format!("\"{text}\" — {who}"),
                    );
                }
            }
            Event::QuestionUnanswered { decision } => {
                if let Some(p) = prompts.iter().position(|p| *p.decision == **decision) {
                    let prompt = prompts.remove(p);
                    push(
                        inbox,
                        t,
                        InboxKind::Decision,
                        "unanswered".into(),
                        prompt.prompt,
                        "the time for it passed without an answer".into(),
                    );
                }
            }
            _ => {}
        }
    }
}
