//! The host's side of the server: answers the seats' asks and publishes their snapshots,
//! on the thread that owns the host, between frames.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use tokio::sync::watch;

use super::accepted::Accepted;
use super::answers::Answers;
use super::hub::{Answer, Ask, PageKey, Shared, Wish};
use super::room;
use super::snapshot::{self, Snapshot};
use super::whitecell::{Message, Thread};
use crate::host::{Host, Intent, Reply};
use crate::scenario::time::format_offset;
use crate::session::{HOTWASH_QUESTIONS, HotwashAnswer};
use crate::sim::view::{ProjectorView, RoleView};
use crate::sim::{Command, Stamped};

/// Snapshots go out at most this often while the clock runs (an answer's goes at once):
/// fast enough that a page is never a second behind, slow enough that ×600 does not
/// flood a tablet.
const PUBLISH_EVERY: Duration = Duration::from_millis(150);

/// What makes a seat's page change: the journal, the clock, what waits for the clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Key {
    journal: usize,
    now: i64,
    playing: bool,
    speed: Option<u64>,
    queued: usize,
    ended: bool,
}

struct Feed {
    sender: watch::Sender<Arc<Snapshot>>,
    /// A trainee page's role view, brought up to date at each publish.
    view: Option<RoleView>,
    key: Option<Key>,
}

/// Owned by the host's thread.
pub struct HostSide {
    asks: mpsc::Receiver<Ask>,
    feeds: BTreeMap<PageKey, Feed>,
    /// The public picture, shared by the projector's and control's pages.
    projector: Option<ProjectorView>,
    thread: Thread,
    /// The decisions asked and their answers, for control's pages.
    answers: Answers,
    accepted: Accepted,
    /// Who on a seat answered a decision first: (role, decision) → their address.
    answered_by: BTreeMap<(String, String), SocketAddr>,
    last_publish: Option<Instant>,
    /// A seat's command was given when the journal had this length: the snapshot that
    /// shows its line goes out the moment the clock has played it, not at the next
    /// publishing tick (what the sender waits for is its own line).
    owed: Option<usize>,
    /// The page a publishing round cut short goes on from.
    round: Option<usize>,
    /// Longest a call may build pages for, outside what must go at once.
    budget: Option<Duration>,
    shared: Arc<Shared>,
}

impl HostSide {
    pub(super) fn new(
        asks: mpsc::Receiver<Ask>,
        senders: BTreeMap<PageKey, watch::Sender<Arc<Snapshot>>>,
        accepted: Accepted,
        shared: Arc<Shared>,
    ) -> Self {
        Self {
            asks,
            feeds: senders
                .into_iter()
                .map(|(page, sender)| {
                    (
                        page,
                        Feed {
                            sender,
                            view: None,
                            key: None,
                        },
                    )
                })
                .collect(),
            projector: None,
            thread: Thread::default(),
            answers: Answers::default(),
            accepted,
            answered_by: BTreeMap::new(),
            last_publish: None,
            owed: None,
            round: None,
            budget: None,
            shared,
        }
    }

    pub fn shared(&self) -> &Arc<Shared> {
        &self.shared
    }

    /// Answers every ask waiting and publishes what changed. Call once per frame.
    pub fn pump(&mut self, host: &mut Host) {
        let mut asked = false;
        while let Ok(ask) = self.asks.try_recv() {
            self.answer(host, ask);
            asked = true;
        }
        self.publish(host, asked);
    }

    /// As [`HostSide::pump`], first waiting up to `timeout` for an ask: a headless loop
    /// sleeps here, and wakes the moment a trainee clicks.
    pub fn wait(&mut self, host: &mut Host, timeout: Duration) {
        if let Ok(ask) = self.asks.recv_timeout(timeout) {
            self.answer(host, ask);
            self.pump(host);
            self.publish(host, true);
        } else {
            self.publish(host, false);
        }
    }

    fn answer(&mut self, host: &mut Host, ask: Ask) {
        let answer = self.decide(host, &ask);
        // The page may have gone away; the command stands either way.
        let _ = ask.reply.send(answer);
    }

    fn decide(&mut self, host: &mut Host, ask: &Ask) -> Answer {
        if !self.shared.seat_is_live(ask.seat.number) {
            return Answer::Refused("this link was revoked".to_owned());
        }
        let name = ask.seat.name.clone();
        if let Some(earlier) = self.accepted.earlier(&name, &ask.client) {
            let at = host
                .given()
                .iter()
                .find(|s| s.seq == earlier.seq)
                .map_or_else(String::new, |s| format_offset(s.at));
            return Answer::Accepted {
                seq: earlier.seq,
                at,
                check: None,
                again: true,
            };
        }
        let text = |t: &str| t.trim().to_owned();
        let intent = match &ask.what {
            Wish::Decide { decision, option } => {
                if let Some(first) = first_answer(host, &name, decision) {
                    let who = self
                        .answered_by
                        .get(&(name.clone(), decision.clone()))
                        .map_or_else(
                            || "someone on this seat".to_owned(),
                            |a| format!("the browser at {}", a.ip()),
                        );
                    return Answer::AlreadyAnswered(format!(
                        "{who} answered first: \"{first}\"; the first answer counts"
                    ));
                }
                Intent::Answer {
                    role: name.clone(),
                    decision: decision.clone(),
                    option: option.clone(),
                }
            }
            Wish::Answer { decision, text: t } => {
                if let Some(first) = first_answer(host, &name, decision) {
                    return Answer::AlreadyAnswered(format!(
                        "your seat answered first: \"{first}\"; the first answer counts"
                    ));
                }
                Intent::AnswerInWords {
                    role: name.clone(),
                    decision: decision.clone(),
                    text: text(t),
                }
            }
            Wish::Act(action) => Intent::Act {
                role: name.clone(),
                action: action.clone(),
            },
            Wish::ToControl { text: t } => Intent::Give(Command::ToControl {
                role: name.clone(),
                text: text(t),
            }),
            Wish::FromControl { role, text: t } => Intent::Give(Command::FromControl {
                role: role.clone(),
                by: name.clone(),
                text: text(t),
            }),
            Wish::Observe { text: t } => Intent::Give(Command::Observe {
                author: name.clone(),
                text: text(t),
            }),
            Wish::Rate {
                objective,
                rating,
                comment,
            } => Intent::Give(Command::Rate {
                objective: objective.clone(),
                rating: *rating,
                evaluator: name.clone(),
                comment: text(comment),
            }),
            Wish::RateAnswer {
                decision,
                rating,
                comment,
            } => Intent::Give(Command::RateAnswer {
                decision: decision.clone(),
                rating: *rating,
                evaluator: name.clone(),
                comment: text(comment),
            }),
            // Not a command: kept beside the commands, never replayed.
            Wish::Hotwash {
                participant,
                answers,
            } => return self.hotwash(host, ask, participant, answers),
        };
        let label = match &intent {
            Intent::Act { action, .. } => action.label(),
            Intent::Give(command) => command.label(),
            Intent::AnswerInWords { .. } => "answer",
            _ => "decide",
        };
        let seq = host.sim().next_command_seq();
        if let Err(e) = self.accepted.reserve(&name, &ask.client, seq, label) {
            return Answer::Refused(format!("not given: {e}"));
        }
        match host.handle(intent) {
            Reply::Given(given) => {
                self.accepted.confirm(&name, &ask.client, given.seq);
                self.owed.get_or_insert(host.sim().journal().len());
                if let Wish::Decide { decision, .. } | Wish::Answer { decision, .. } = &ask.what {
                    self.answered_by
                        .insert((name.clone(), decision.clone()), ask.from);
                }
                Answer::Accepted {
                    seq: given.seq,
                    at: format_offset(given.at),
                    check: given.check,
                    again: false,
                }
            }
            Reply::Refused(why) => Answer::Refused(why),
            Reply::Done | Reply::Moved(_) => Answer::Refused("nothing was given".to_owned()),
        }
    }

    /// A seat's hot-wash answers go to the session as records of their own (as
    /// `tabletop feedback` writes them), once per seat.
    fn hotwash(
        &mut self,
        host: &mut Host,
        ask: &Ask,
        participant: &str,
        answers: &[String],
    ) -> Answer {
        if !host.sim().is_finished() {
            return Answer::Refused("the hot wash opens when the exercise has ended".to_owned());
        }
        if self.shared.has_answered_hotwash(ask.seat.number) {
            return Answer::Refused("this seat has given its hot-wash answers".to_owned());
        }
        if answers.len() > HOTWASH_QUESTIONS.len() {
            return Answer::Refused("more answers than questions".to_owned());
        }
        let role = match ask.seat.kind {
            super::seatbook::SeatKind::Trainee => host
                .scenario()
                .roles
                .iter()
                .find(|r| r.id == ask.seat.name)
                .map_or_else(|| ask.seat.name.clone(), |r| r.title.clone()),
            kind => kind.label().to_owned(),
        };
        let records: Vec<HotwashAnswer> = HOTWASH_QUESTIONS
            .iter()
            .zip(answers)
            .filter(|(_, a)| !a.trim().is_empty())
            .map(|(question, answer)| HotwashAnswer {
                participant: participant.trim().to_owned(),
                role: role.clone(),
                question: (*question).to_owned(),
                answer: answer.trim().to_owned(),
            })
            .collect();
        match host.append_hotwash(&records) {
            Ok(()) => {
                self.shared.hotwash_answered(ask.seat.number);
                Answer::Kept(format!(
                    "Thank you: {} kept with the session for the after-action report",
                    crate::words::count(records.len(), "answer")
                ))
            }
            Err(e) => Answer::Refused(format!("not kept: {e}")),
        }
    }

    /// Publishes every role's page as it stands, whatever the time since the last.
    pub fn pump_now(&mut self, host: &Host) {
        self.publish(host, true);
    }

    /// Sends each role's page its new state if anything it shows changed.
    #[allow(
        clippy::disallowed_methods,
        reason = "pacing pushes to browsers is wall time outside the simulation"
    )]
    fn publish(&mut self, host: &Host, now_please: bool) {
        let due = self
            .last_publish
            .is_none_or(|at| at.elapsed() >= PUBLISH_EVERY);
        let played = self
            .owed
            .is_some_and(|len| host.sim().journal().len() > len);
        // Everything now: what was asked for, or a seat's own line just played.
        let whole = now_please || played;
        if !whole && !due && self.round.is_none() {
            return;
        }
        if played {
            self.owed = None;
        }
        let started = Instant::now();
        if whole || self.round.is_none() {
            self.last_publish = Some(started);
            self.round = Some(0);
        }
        let first = self.round.unwrap_or(0);
        let sim = host.sim();
        let key = Key {
            journal: sim.journal().len(),
            now: host.now(),
            playing: host.is_playing(),
            speed: host
                .clock()
                .speed
                .minutes_per_second()
                .map(|m| (m * 1000.0) as u64),
            queued: host.queued().len(),
            ended: sim.is_finished(),
        };
        self.thread.update(sim.journal());
        self.answers.update(sim.plan(), sim.journal());
        let projector = match self.projector.take() {
            Some(previous) => sim.refresh_projector_view(previous),
            None => sim.projector_view(),
        };
        let pending = pending_messages(host.queued());
        let mut next = first;
        for (page, feed) in self.feeds.iter_mut().skip(first) {
            next += 1;
            if feed.key == Some(key) {
                continue;
            }
            let snapshot = match page {
                PageKey::Role(role) => {
                    let view = match feed.view.take() {
                        Some(previous) => sim.refresh_role_view(previous),
                        None => sim.role_view(role),
                    };
                    let snapshot = view.as_ref().map(|view| {
                        let mut messages = self.thread.of(role);
                        messages.extend(pending.iter().filter(|m| m.role == *role).cloned());
                        snapshot::build(&snapshot::Inputs {
                            exercise: &host.scenario().name,
                            view,
                            clock: host.clock(),
                            playing: key.playing,
                            ended: key.ended,
                            start: &sim.plan().start,
                            queued: host.queued(),
                            journal_len: key.journal,
                            messages,
                        })
                    });
                    feed.view = view;
                    snapshot
                }
                PageKey::Control => {
                    let mut messages = self.thread.all().to_vec();
                    messages.extend(pending.iter().cloned());
                    Some(room::control(
                        host,
                        &projector,
                        &messages,
                        &self.answers.newest(),
                    ))
                }
                PageKey::Projector => Some(room::projector(host, &projector)),
            };
            if let Some(snapshot) = snapshot {
                feed.sender.send_replace(Arc::new(snapshot));
            }
            feed.key = Some(key);
            if !whole
                && self
                    .budget
                    .is_some_and(|budget| started.elapsed() >= budget)
            {
                break;
            }
        }
        self.projector = Some(projector);
        // A round cut short by the budget goes on at the next call, from the next page.
        self.round = (next < self.feeds.len()).then_some(next);
    }

    /// Bounds the wall time one call spends building pages (a console's frame): a round of
    /// publishing then spreads over several calls. A seat's own line just played, and an
    /// answer, still go out to every page at once.
    pub fn set_budget(&mut self, budget: Option<Duration>) {
        self.budget = budget;
    }
}

/// White-cell messages given but not yet played (the clock is paused): shown at once,
/// marked as waiting for the clock.
fn pending_messages(queued: &[Stamped]) -> Vec<Message> {
    queued
        .iter()
        .filter_map(|s| {
            let (role, by, to_control, text) = match &s.command {
                Command::ToControl { role, text } => (role, "", true, text),
                Command::FromControl { role, by, text } => (role, by.as_str(), false, text),
                _ => return None,
            };
            Some(Message {
                at: format!("{} (when the clock moves on)", format_offset(s.at)),
                role: role.clone(),
                by: by.to_owned(),
                to_control,
                text: text.clone(),
            })
        })
        .collect()
}

/// The option a role already chose for a decision, or the words it answered with, if it
/// did (from the session's commands, so it holds across a resume).
fn first_answer(host: &Host, role: &str, decision: &str) -> Option<String> {
    host.given().iter().find_map(|s| match &s.command {
        Command::Decide {
            decision: d,
            option: answer,
            by,
        }
        | Command::Answer {
            decision: d,
            text: answer,
            by,
        } if d == decision && by == role => Some(answer.clone()),
        _ => None,
    })
}
