//! The two pages that are not a role's: exercise control's (evaluators and controllers)
//! and the projector's, as JSON.
//!
//! Control reads what the facilitator's console shows, seats' secrets apart: the clock,
//! every CSIRT's crisis level, the objectives, the white cell's thread and the journal's
//! latest lines in the report's words ([`crate::sim::narrate`]). The projector's page is
//! the console's projector window: [`ProjectorView`], the public picture and nothing else.

use serde::Serialize;

use crate::host::Host;
use crate::scenario::time::format_offset;
use crate::sim::narrate::describe;
use crate::sim::view::ProjectorView;

use super::answers::AnswerCard;
use super::snapshot::{ClockCard, Snapshot};
use super::whitecell::Message;

/// Journal lines the control page holds: the last hours of a busy exercise.
const LOG_LINES: usize = 300;

#[derive(Serialize)]
struct Named {
    id: String,
    title: String,
}

#[derive(Serialize)]
struct Level {
    name: String,
    level: &'static str,
}

#[derive(Serialize)]
struct ObjectiveCard {
    id: String,
    title: String,
    /// When it was met, if it was.
    met: Option<String>,
}

#[derive(Serialize)]
struct Line {
    at: String,
    kind: &'static str,
    text: String,
}

#[derive(Serialize)]
struct ControlPage<'a> {
    exercise: &'a str,
    clock: ClockCard,
    crisis: Vec<Level>,
    objectives: Vec<ObjectiveCard>,
    roles: Vec<Named>,
    messages: &'a [Message],
    /// Decisions asked and their answers, newest first: what an evaluator rates.
    answers: &'a [AnswerCard],
    /// Newest first.
    log: Vec<Line>,
    hotwash: &'a [&'static str],
}

#[derive(Serialize)]
struct News {
    at: String,
    source: String,
    headline: String,
    body: String,
}

#[derive(Serialize)]
struct ProjectorPage<'a> {
    exercise: &'a str,
    clock: ClockCard,
    crisis: Vec<Level>,
    /// Newest first.
    news: Vec<News>,
    met: Vec<(String, String)>,
    objectives: usize,
}

fn clock(host: &Host) -> ClockCard {
    let sim = host.sim();
    ClockCard::new(
        host.clock(),
        host.now(),
        &sim.plan().start,
        host.is_playing(),
        sim.is_finished(),
    )
}

fn levels(view: &ProjectorView) -> Vec<Level> {
    view.crisis
        .iter()
        .map(|(name, level)| Level {
            name: name.to_string(),
            level: level.label(),
        })
        .collect()
}

fn hotwash(host: &Host) -> &'static [&'static str] {
    if host.sim().is_finished() {
        &crate::session::HOTWASH_QUESTIONS
    } else {
        &[]
    }
}

fn snapshot(journal_len: usize, json: Result<String, serde_json::Error>) -> Snapshot {
    Snapshot {
        id: journal_len as u64,
        json: json.unwrap_or_else(|_| "{}".to_owned()),
    }
}

/// Exercise control's page.
pub fn control(
    host: &Host,
    projector: &ProjectorView,
    messages: &[Message],
    answers: &[AnswerCard],
) -> Snapshot {
    let sim = host.sim();
    let plan = sim.plan();
    let journal = sim.journal();
    let objectives = plan
        .objectives
        .iter()
        .map(|o| ObjectiveCard {
            id: o.id.to_string(),
            title: o.title.to_string(),
            met: projector
                .met
                .iter()
                .find(|(title, _)| *title == o.title)
                .map(|(_, at)| format_offset(*at)),
        })
        .collect();
    let log = journal
        .iter()
        .rev()
        .take(LOG_LINES)
        .map(|entry| Line {
            at: format_offset(entry.t),
            kind: entry.kind(),
            text: describe(plan, entry),
        })
        .collect();
    let page = ControlPage {
        exercise: &host.scenario().name,
        clock: clock(host),
        crisis: levels(projector),
        objectives,
        roles: host
            .scenario()
            .roles
            .iter()
            .map(|r| Named {
                id: r.id.to_string(),
                title: r.title.clone(),
            })
            .collect(),
        messages,
        answers,
        log,
        hotwash: hotwash(host),
    };
    snapshot(journal.len(), serde_json::to_string(&page))
}

/// The projector's page.
pub fn projector(host: &Host, view: &ProjectorView) -> Snapshot {
    let page = ProjectorPage {
        exercise: &host.scenario().name,
        clock: clock(host),
        crisis: levels(view),
        news: view
            .news
            .iter()
            .rev()
            .map(|n| News {
                at: format_offset(n.at),
                source: n.source.clone(),
                headline: n.headline.clone(),
                body: n.body.clone(),
            })
            .collect(),
        met: view
            .met
            .iter()
            .map(|(title, at)| (title.to_string(), format_offset(*at)))
            .collect(),
        objectives: view.objectives,
    };
    snapshot(host.sim().journal().len(), serde_json::to_string(&page))
}
