//! What one seat's page receives: its role's view, in the words the page shows, as JSON.
//!
//! Built on the host's thread from the role's [`RoleView`] (the one boundary of what a
//! trainee may know, shared with the console's role window) and serialised there once per
//! change, so every tab of the seat shares one string and no handler serialises while
//! holding anything. Labels come from the domain types' own `label()`s; the values the
//! page sends back (a TLP, a report kind, a crisis level) are the serde names the
//! commands use.

use serde::Serialize;

use crate::host::Clock;
use crate::scenario::time::{countdown, format_offset};
use crate::scenario::{ActionKind, Minute, ReportKind, Tlp, WallClock};
use crate::sim::Stamped;
use crate::sim::view::{ActorKind, RoleView};

use super::whitecell::Message;

/// Every TLP a trainee may choose, least to most restrictive.
const TLPS: [Tlp; 5] = [
    Tlp::Clear,
    Tlp::Green,
    Tlp::Amber,
    Tlp::AmberStrict,
    Tlp::Red,
];

/// A seat's page state, ready to push: `id` is the journal's length when it was taken
/// (the server-sent event id, so a reconnect says how far it had read).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snapshot {
    pub id: u64,
    pub json: String,
}

#[derive(Serialize)]
struct Page<'a> {
    exercise: &'a str,
    role: RoleCard<'a>,
    clock: ClockCard,
    crisis_level: Option<&'static str>,
    prompts: Vec<PromptCard>,
    can: Can,
    indicators: Vec<IndicatorCard>,
    recipients: Vec<Choice>,
    tlps: Vec<Choice>,
    owed: Vec<OwedCard>,
    raisable: Vec<Choice>,
    deadlines: Vec<DeadlineCard>,
    inbox: Vec<InboxCard>,
    incidents: Vec<String>,
    /// This role's thread with exercise control.
    messages: Vec<Message>,
    /// The hot-wash questions, once the exercise has ended.
    hotwash: &'a [&'static str],
}

#[derive(Serialize)]
struct RoleCard<'a> {
    id: &'a str,
    title: &'a str,
    briefing: &'a str,
    actor: &'a str,
    kind: &'static str,
}

/// The clock as every page shows it.
#[derive(Serialize)]
pub(super) struct ClockCard {
    now: Minute,
    offset: String,
    wall: String,
    playing: bool,
    /// Simulated minutes per wall second; `None` at full speed.
    minutes_per_second: Option<f64>,
    speed: String,
    ended: bool,
}

impl ClockCard {
    pub(super) fn new(
        clock: &Clock,
        now: Minute,
        start: &WallClock,
        playing: bool,
        ended: bool,
    ) -> Self {
        Self {
            now,
            offset: format_offset(now),
            wall: start.plus(now).describe(),
            playing,
            minutes_per_second: clock.speed.minutes_per_second(),
            speed: clock.speed.label(),
            ended,
        }
    }
}

#[derive(Serialize)]
struct Choice {
    id: String,
    label: String,
}

#[derive(Serialize)]
struct PromptCard {
    decision: String,
    prompt: String,
    concerns: String,
    options: Vec<Choice>,
    default_label: String,
    /// A discussion question answered in the players' own words (no options).
    free_text: bool,
    deadline: String,
    minutes_left: Minute,
    /// An answer this seat gave that waits for the clock: (option label, when it counts).
    answered: Option<String>,
}

#[derive(Serialize)]
struct Can {
    share: bool,
    warn: bool,
    scan: bool,
    /// A CSIRT names what to scan; an organisation asks for itself.
    scan_target: bool,
    report: bool,
    raise: bool,
}

#[derive(Serialize)]
struct IndicatorCard {
    id: String,
    value: String,
    tlp: String,
    tlp_label: &'static str,
    from: String,
    since: String,
    context: String,
}

#[derive(Serialize)]
struct OwedCard {
    incident: u32,
    /// The report as the page sends it back: a built-in report's serde name, or
    /// `{"Defined": name}` for a regime the scenario defines.
    report: ReportKind,
    label: String,
    to: String,
    due: String,
}

#[derive(Serialize)]
struct DeadlineCard {
    what: String,
    due: String,
    state: String,
    overdue: bool,
}

#[derive(Serialize)]
struct InboxCard {
    at: String,
    kind: &'static str,
    refused: bool,
    from: String,
    subject: String,
    body: String,
}

/// The serde name of a domain value, as a command carries it.
fn serde_name<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => name,
        _ => String::new(),
    }
}

/// What the page of `view`'s seat shows.
pub struct Inputs<'a> {
    pub exercise: &'a str,
    pub view: &'a RoleView,
    pub clock: &'a Clock,
    pub playing: bool,
    pub ended: bool,
    pub start: &'a WallClock,
    /// Commands given but not yet played (answers wait for the clock while paused).
    pub queued: &'a [Stamped],
    pub journal_len: usize,
    pub messages: Vec<Message>,
}

pub fn build(inputs: &Inputs<'_>) -> Snapshot {
    let view = inputs.view;
    let now = view.now;
    let when = |t: Minute| format!("{} ({})", format_offset(t), inputs.start.plus(t).describe());
    let can = |kind| view.actions.contains(&kind);
    let prompts = view
        .prompts
        .iter()
        .map(|p| {
            let label_of = |id: &str| {
                p.options
                    .iter()
                    .find(|(o, _)| o == id)
                    .map_or_else(|| id.to_owned(), |(_, label)| label.clone())
            };
            let answered = inputs.queued.iter().find_map(|s| match &s.command {
                crate::sim::Command::Decide {
                    decision,
                    option: answer,
                    by,
                }
                | crate::sim::Command::Answer {
                    decision,
                    text: answer,
                    by,
                } if *decision == p.decision && *by == *view.id => Some(format!(
                    "\"{}\" is recorded; it {} at {} when the clock moves on",
                    label_of(answer),
                    if p.is_free_text() {
                        "reaches exercise control"
                    } else {
                        "takes effect"
                    },
                    when(s.at)
                )),
                _ => None,
            });
            PromptCard {
                decision: p.decision.clone(),
                prompt: p.prompt.clone(),
                concerns: p.concerns.clone(),
                options: p
                    .options
                    .iter()
                    .map(|(id, label)| Choice {
                        id: id.clone(),
                        label: label.clone(),
                    })
                    .collect(),
                default_label: label_of(&p.default),
                free_text: p.is_free_text(),
                deadline: when(p.deadline),
                minutes_left: p.deadline.saturating_sub(now),
                answered,
            }
        })
        .collect();
    let deadlines = view
        .deadlines
        .iter()
        .map(|d| {
            let state = match d.done {
                Some(done) if done <= d.due => format!("done at {}", when(done)),
                Some(done) => format!("done LATE at {}", when(done)),
                None if d.due < now => "OVERDUE".to_owned(),
                None => countdown(now, d.due),
            };
            DeadlineCard {
                what: d.what.clone(),
                due: when(d.due),
                overdue: d.done.is_none() && d.due < now,
                state,
            }
        })
        .collect();
    let mut incidents: Vec<_> = view.incidents.iter().collect();
    incidents.sort_by_key(|(_, _, at)| std::cmp::Reverse(*at));
    let page = Page {
        exercise: inputs.exercise,
        role: RoleCard {
            id: &view.id,
            title: &view.title,
            briefing: &view.briefing,
            actor: &view.actor_name,
            kind: match view.kind {
                ActorKind::Csirt => "CSIRT",
                ActorKind::Authority => "authority",
                ActorKind::Entity => "organisation",
            },
        },
        clock: ClockCard::new(
            inputs.clock,
            now,
            inputs.start,
            inputs.playing,
            inputs.ended,
        ),
        crisis_level: view.crisis_level.map(|l| l.label()),
        prompts,
        can: Can {
            share: can(ActionKind::Share),
            warn: can(ActionKind::Warn),
            scan: can(ActionKind::RequestScan),
            scan_target: view.kind == ActorKind::Csirt,
            report: can(ActionKind::Report),
            raise: can(ActionKind::RaiseCrisis),
        },
        indicators: view
            .indicators
            .iter()
            .map(|k| IndicatorCard {
                id: k.id.to_string(),
                value: k.value.to_string(),
                tlp: serde_name(&k.tlp),
                tlp_label: k.tlp.label(),
                from: k.from.as_deref().unwrap_or("your own detection").to_owned(),
                since: format_offset(k.at),
                context: k.context.join(", "),
            })
            .collect(),
        recipients: view
            .recipients
            .iter()
            .map(|(id, name)| Choice {
                id: id.to_string(),
                label: name.to_string(),
            })
            .collect(),
        tlps: TLPS
            .iter()
            .map(|t| Choice {
                id: serde_name(t),
                label: t.label().to_owned(),
            })
            .collect(),
        owed: view
            .owed
            .iter()
            .map(|o| OwedCard {
                incident: o.incident,
                report: o.report.clone(),
                label: o.report.label().to_owned(),
                to: o.to.to_string(),
                due: o
                    .due
                    .map_or_else(|| "no deadline yet".to_owned(), |d| countdown(now, d)),
            })
            .collect(),
        raisable: view
            .raisable
            .iter()
            .map(|l| Choice {
                id: serde_name(l),
                label: l.label().to_owned(),
            })
            .collect(),
        deadlines,
        inbox: view
            .inbox
            .iter()
            .rev()
            .map(|item| InboxCard {
                at: format_offset(item.at),
                kind: item.kind.label(),
                refused: item.kind == crate::sim::view::InboxKind::Refusal,
                from: item.from.clone(),
                subject: item.subject.clone(),
                body: item.body.clone(),
            })
            .collect(),
        incidents: incidents
            .into_iter()
            .map(|(victim, from, at)| {
                format!(
                    "{} — known since {}{}",
                    victim
                        .as_deref()
                        .unwrap_or("an organisation you cannot name"),
                    format_offset(*at),
                    from.as_deref()
                        .map_or_else(String::new, |f| format!(", from {f}"))
                )
            })
            .collect(),
        messages: inputs.messages.clone(),
        hotwash: if inputs.ended {
            &crate::session::HOTWASH_QUESTIONS
        } else {
            &[]
        },
    };
    Snapshot {
        id: inputs.journal_len as u64,
        json: serde_json::to_string(&page).unwrap_or_else(|_| "{}".to_owned()),
    }
}
