//! The host's side of the server: answers the seats' asks and publishes their snapshots,
//! on the thread that owns the host, between frames.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use tokio::sync::watch;

use super::accepted::Accepted;
use super::hub::{Answer, Ask, Shared, Wish};
use super::snapshot::{self, Snapshot};
use crate::host::{Host, Intent, Reply};
use crate::scenario::time::format_offset;
use crate::sim::Command;
use crate::sim::view::RoleView;

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

struct RoleFeed {
    sender: watch::Sender<Arc<Snapshot>>,
    view: Option<RoleView>,
    key: Option<Key>,
}

/// Owned by the host's thread.
pub struct HostSide {
    asks: mpsc::Receiver<Ask>,
    feeds: BTreeMap<String, RoleFeed>,
    accepted: Accepted,
    /// Who on a seat answered a decision first: (role, decision) → their address.
    answered_by: BTreeMap<(String, String), SocketAddr>,
    last_publish: Option<Instant>,
    shared: Arc<Shared>,
}

impl HostSide {
    pub(super) fn new(
        asks: mpsc::Receiver<Ask>,
        senders: BTreeMap<String, watch::Sender<Arc<Snapshot>>>,
        accepted: Accepted,
        shared: Arc<Shared>,
    ) -> Self {
        Self {
            asks,
            feeds: senders
                .into_iter()
                .map(|(role, sender)| {
                    (
                        role,
                        RoleFeed {
                            sender,
                            view: None,
                            key: None,
                        },
                    )
                })
                .collect(),
            accepted,
            answered_by: BTreeMap::new(),
            last_publish: None,
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
        if !self.shared.seat_is_live(ask.seat) {
            return Answer::Refused("this link was revoked".to_owned());
        }
        if let Some(earlier) = self.accepted.earlier(&ask.role, &ask.client) {
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
        let intent = match &ask.what {
            Wish::Decide { decision, option } => {
                if let Some(first) = first_answer(host, &ask.role, decision) {
                    let who = self
                        .answered_by
                        .get(&(ask.role.clone(), decision.clone()))
                        .map_or_else(
                            || "someone on this seat".to_owned(),
                            |a| format!("the browser at {}", a.ip()),
                        );
                    return Answer::AlreadyAnswered(format!(
                        "{who} answered first: \"{first}\"; the first answer counts"
                    ));
                }
                Intent::Answer {
                    role: ask.role.clone(),
                    decision: decision.clone(),
                    option: option.clone(),
                }
            }
            Wish::Act(action) => Intent::Act {
                role: ask.role.clone(),
                action: action.clone(),
            },
        };
        let label = match &intent {
            Intent::Act { action, .. } => action.label(),
            _ => "decide",
        };
        let seq = host.sim().next_command_seq();
        if let Err(e) = self.accepted.reserve(&ask.role, &ask.client, seq, label) {
            return Answer::Refused(format!("not given: {e}"));
        }
        match host.handle(intent) {
            Reply::Given(given) => {
                self.accepted.confirm(&ask.role, &ask.client, given.seq);
                if let Wish::Decide { decision, .. } = &ask.what {
                    self.answered_by
                        .insert((ask.role.clone(), decision.clone()), ask.from);
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
        if !now_please && !due {
            return;
        }
        self.last_publish = Some(Instant::now());
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
        for (role, feed) in &mut self.feeds {
            if feed.key == Some(key) {
                continue;
            }
            let view = match feed.view.take() {
                Some(previous) => sim.refresh_role_view(previous),
                None => sim.role_view(role),
            };
            if let Some(view) = &view {
                let snapshot = snapshot::build(&snapshot::Inputs {
                    exercise: &host.scenario().name,
                    view,
                    clock: host.clock(),
                    playing: key.playing,
                    ended: key.ended,
                    start: &sim.plan().start,
                    queued: host.queued(),
                    journal_len: key.journal,
                });
                feed.sender.send_replace(Arc::new(snapshot));
            }
            feed.view = view;
            feed.key = Some(key);
        }
    }
}

/// The option a role already chose for a decision, if it did (from the session's
/// commands, so it holds across a resume).
fn first_answer(host: &Host, role: &str, decision: &str) -> Option<String> {
    host.given().iter().find_map(|s| match &s.command {
        Command::Decide {
            decision: d,
            option,
            by,
        } if d == decision && by == role => Some(option.clone()),
        _ => None,
    })
}
