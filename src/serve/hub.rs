//! What the server's handlers and the host's thread share: asks going in, snapshots
//! coming out, the seats, and who is connected.
//!
//! The host is owned by one thread (the headless `serve` loop, or the console's frame);
//! handlers never touch it. They send an [`Ask`] with a reply channel and wait; the host
//! thread answers between frames ([`super::HostSide::pump`]). Snapshots travel the other
//! way on one watch channel per role, already serialised. The two small locks here (the
//! seats, the connection list) are held for a lookup, never across an await, a render or a
//! serialisation.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::mpsc;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Instant, SystemTime};

use tokio::sync::{oneshot, watch};

use super::seatbook::{SeatBook, SeatKind};
use super::snapshot::Snapshot;
use crate::sim::{PlayerAction, Rating};

/// A live seat, as a request's cookie opens it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Seat {
    /// Its index in the seats book: the same for the whole exercise.
    pub number: usize,
    pub kind: SeatKind,
    /// The role a trainee plays; an evaluator's or controller's name (what the session
    /// records as the author); "projector".
    pub name: String,
}

/// Which page's snapshots a seat receives.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum PageKey {
    /// A trainee's: what one role may know.
    Role(String),
    /// Evaluators' and controllers': what the facilitator sees, seats' secrets apart.
    Control,
    /// The room's projector: the public picture.
    Projector,
}

impl Seat {
    pub fn page(&self) -> PageKey {
        match self.kind {
            SeatKind::Trainee => PageKey::Role(self.name.clone()),
            SeatKind::Evaluator | SeatKind::Controller => PageKey::Control,
            SeatKind::Projector => PageKey::Projector,
        }
    }

    /// Whether this seat may ask for `wish`: the one place the seats' rights are written
    /// down. A trainee plays its role and writes to control; an evaluator writes notes and
    /// ratings; a controller also writes to trainees; the projector only watches.
    pub fn may(&self, wish: &Wish) -> Result<(), &'static str> {
        let allowed = matches!(
            (self.kind, wish),
            (
                SeatKind::Trainee,
                Wish::Decide { .. }
                    | Wish::Answer { .. }
                    | Wish::Act(_)
                    | Wish::ToControl { .. }
                    | Wish::Hotwash { .. },
            ) | (
                SeatKind::Evaluator | SeatKind::Controller,
                Wish::Observe { .. }
                    | Wish::Rate { .. }
                    | Wish::RateAnswer { .. }
                    | Wish::Hotwash { .. },
            ) | (SeatKind::Controller, Wish::FromControl { .. })
        );
        if allowed {
            return Ok(());
        }
        Err(match self.kind {
            SeatKind::Trainee => {
                "a trainee's seat may play its role and write to exercise control; notes, ratings and messages to other roles are exercise control's"
            }
            SeatKind::Evaluator => "an evaluator's seat may only write observations and ratings",
            SeatKind::Controller => {
                "a controller's seat may write observations, ratings and messages to trainees; it does not play a role"
            }
            SeatKind::Projector => "the projector's seat may only show the public picture",
        })
    }
}

/// What a seat asks of the host.
#[derive(Debug)]
pub struct Ask {
    pub seat: Seat,
    /// The page's id for this intent: a retry with the same id is answered, not redone.
    pub client: String,
    pub from: SocketAddr,
    pub what: Wish,
    pub reply: oneshot::Sender<Answer>,
}

#[derive(Debug)]
pub enum Wish {
    Decide {
        decision: String,
        option: String,
    },
    /// A trainee answers a free-text discussion question in their own words.
    Answer {
        decision: String,
        text: String,
    },
    Act(PlayerAction),
    /// A trainee writes to the white cell.
    ToControl {
        text: String,
    },
    /// A controller writes to a role's seat.
    FromControl {
        role: String,
        text: String,
    },
    /// An evaluator's or controller's note.
    Observe {
        text: String,
    },
    Rate {
        objective: String,
        rating: Rating,
        comment: String,
    },
    /// A rating of how the players answered a decision or discussion question.
    RateAnswer {
        decision: String,
        rating: Rating,
        comment: String,
    },
    /// A seat's hot-wash answers, after the end: one per question the page showed, in
    /// order; an empty one was skipped.
    Hotwash {
        participant: String,
        answers: Vec<String>,
    },
}

/// Longest id or name an intent may carry, and most indicators in one share.
const MAX_NAME: usize = 256;
const MAX_INDICATORS: usize = 1000;
/// Longest free text a seat may write (a message, a note, a hot-wash answer), and most
/// hot-wash answers in one form.
pub const MAX_TEXT: usize = 4000;
const MAX_ANSWERS: usize = 32;

impl Wish {
    /// Why an intent is too large to pass on to the host, if it is.
    pub fn too_big(&self) -> Option<&'static str> {
        let long = |s: &str| s.len() > MAX_NAME;
        let names_too_long = match self {
            Self::Decide { decision, option } => long(decision) || long(option),
            Self::Answer { decision, text } => {
                if long(decision) {
                    true
                } else {
                    return too_long(text);
                }
            }
            Self::Act(PlayerAction::Share { to, indicators, .. }) => {
                if indicators.len() > MAX_INDICATORS {
                    return Some("too many indicators in one share");
                }
                long(to) || indicators.iter().any(|i| long(i))
            }
            Self::Act(PlayerAction::Warn { indicators, .. }) => {
                if indicators.len() > MAX_INDICATORS {
                    return Some("too many indicators in one warning");
                }
                indicators.iter().any(|i| long(i))
            }
            Self::Act(PlayerAction::RequestScan { entity }) => entity.as_deref().is_some_and(long),
            Self::Act(PlayerAction::Report { .. } | PlayerAction::RaiseCrisis { .. }) => false,
            Self::ToControl { text } | Self::Observe { text } => {
                return too_long(text);
            }
            Self::FromControl { role, text } => {
                if long(role) {
                    true
                } else {
                    return too_long(text);
                }
            }
            Self::Rate {
                objective: name,
                comment,
                ..
            }
            | Self::RateAnswer {
                decision: name,
                comment,
                ..
            } => {
                if long(name) {
                    true
                } else {
                    return too_long(comment);
                }
            }
            Self::Hotwash {
                participant,
                answers,
            } => {
                if answers.len() > MAX_ANSWERS {
                    return Some("too many answers in one form");
                }
                if answers.iter().all(|a| a.trim().is_empty()) {
                    return Some("answer at least one question");
                }
                if let Some(why) = too_long(participant) {
                    return Some(why);
                }
                if long(participant) {
                    true
                } else {
                    return answers
                        .iter()
                        .filter(|a| !a.trim().is_empty())
                        .find_map(|a| too_long(a));
                }
            }
        };
        names_too_long.then_some("a name in the request is longer than any in the scenario")
    }
}

/// Why a free text cannot be passed on: empty, too long, or carrying control characters
/// other than line breaks and tabs (they would garble the journal's readers).
fn too_long(text: &str) -> Option<&'static str> {
    if text.trim().is_empty() {
        Some("write something first")
    } else if text.chars().count() > MAX_TEXT {
        Some("a text of at most 4000 characters")
    } else if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        Some("the text carries control characters")
    } else {
        None
    }
}

/// The host's answer to an ask.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// Written to the session as command `seq`, for minute `at` (in words). `check` says
    /// what an action will do, or why the engine will refuse it (it is recorded anyway).
    Accepted {
        seq: u64,
        at: String,
        check: Option<Result<String, String>>,
        /// The same client id was accepted before: nothing was given this time.
        again: bool,
    },
    /// Kept, but not as a command (hot-wash answers): what the page says.
    Kept(String),
    /// Someone on this seat answered the decision first.
    AlreadyAnswered(String),
    /// Nothing was given, and why (the exercise has ended, a session that cannot be
    /// written, the server is stopping).
    Refused(String),
}

/// One browser connected to a seat's event stream, for the facilitator's list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Connection {
    pub seat: usize,
    pub kind: SeatKind,
    /// The seat's name: its role, or the evaluator's or controller's name.
    pub role: String,
    pub address: SocketAddr,
    pub since: SystemTime,
}

/// A seat's request allowance: a token bucket.
#[derive(Clone, Copy, Debug)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// Requests a seat may make in a burst, and per second after it.
const BURST: f64 = 60.0;
const PER_SECOND: f64 = 20.0;
/// Allowances remembered at once (seats and addresses).
const MAX_ALLOWANCES: usize = 10_000;
/// Event streams one seat may hold open (tabs and devices).
pub const STREAMS_PER_SEAT: usize = 8;

/// Shared between the server's tasks and the host's thread.
pub struct Shared {
    pub(super) asks: mpsc::Sender<Ask>,
    views: BTreeMap<PageKey, watch::Receiver<Arc<Snapshot>>>,
    seats: Mutex<SeatBook>,
    /// Bumped at each revocation: open streams look again whether their seat still holds.
    revoked: watch::Sender<u64>,
    connections: Mutex<BTreeMap<u64, Connection>>,
    next_connection: Mutex<u64>,
    buckets: Mutex<BTreeMap<Allowance, Bucket>>,
    /// Seats whose hot-wash answers are in the session.
    hotwashed: Mutex<std::collections::BTreeSet<usize>>,
}

/// Whose request allowance a request draws on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Allowance {
    Seat(usize),
    /// Link openings, by address: bounds guessing before any seat is known.
    Address(std::net::IpAddr),
}

/// Locks a mutex even if a panicking thread poisoned it: the data are lookups that a
/// half-done update cannot leave inconsistent (a map insert or remove).
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Shared {
    pub(super) fn new(
        asks: mpsc::Sender<Ask>,
        views: BTreeMap<PageKey, watch::Receiver<Arc<Snapshot>>>,
        seats: SeatBook,
    ) -> Self {
        Self {
            asks,
            views,
            seats: Mutex::new(seats),
            revoked: watch::channel(0).0,
            connections: Mutex::new(BTreeMap::new()),
            next_connection: Mutex::new(0),
            buckets: Mutex::new(BTreeMap::new()),
            hotwashed: Mutex::new(std::collections::BTreeSet::new()),
        }
    }

    /// The seat a token opens.
    pub fn seat_of(&self, token: &str) -> Option<Seat> {
        lock(&self.seats).find(token).map(|(number, record)| Seat {
            number,
            kind: record.kind,
            name: record.role.clone(),
        })
    }

    pub fn has_answered_hotwash(&self, seat: usize) -> bool {
        lock(&self.hotwashed).contains(&seat)
    }

    pub(super) fn hotwash_answered(&self, seat: usize) {
        lock(&self.hotwashed).insert(seat);
    }

    pub fn seat_is_live(&self, seat: usize) -> bool {
        lock(&self.seats).role_of(seat).is_some()
    }

    pub fn view(&self, page: &PageKey) -> Option<watch::Receiver<Arc<Snapshot>>> {
        self.views.get(page).cloned()
    }

    pub fn revocations(&self) -> watch::Receiver<u64> {
        self.revoked.subscribe()
    }

    pub(super) fn seats(&self) -> MutexGuard<'_, SeatBook> {
        lock(&self.seats)
    }

    /// Tells every open stream to look whether its seat still holds.
    pub(super) fn announce_revocation(&self) {
        self.revoked.send_modify(|n| *n += 1);
    }

    /// Takes one request from the seat's allowance; `false` when it is spent.
    pub fn allow(&self, seat: usize) -> bool {
        self.take(Allowance::Seat(seat))
    }

    /// Takes one link opening from the address's allowance.
    pub fn allow_address(&self, address: std::net::IpAddr) -> bool {
        self.take(Allowance::Address(address))
    }

    #[allow(
        clippy::disallowed_methods,
        reason = "request rates are wall time outside the simulation"
    )]
    fn take(&self, key: Allowance) -> bool {
        let now = Instant::now();
        let mut buckets = lock(&self.buckets);
        if buckets.len() >= MAX_ALLOWANCES && !buckets.contains_key(&key) {
            // Forget allowances that have filled up again: they carry no information.
            buckets.retain(|_, b| {
                b.tokens + now.duration_since(b.at).as_secs_f64() * PER_SECOND < BURST
            });
            if buckets.len() >= MAX_ALLOWANCES {
                return false;
            }
        }
        let bucket = buckets.entry(key).or_insert(Bucket {
            tokens: BURST,
            at: now,
        });
        let refill = now.duration_since(bucket.at).as_secs_f64() * PER_SECOND;
        bucket.tokens = (bucket.tokens + refill).min(BURST);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            true
        } else {
            false
        }
    }

    /// Registers an open stream; `None` when the seat has as many as it may.
    #[allow(
        clippy::disallowed_methods,
        reason = "when a browser connected is for the facilitator, outside the simulation"
    )]
    pub fn connect(self: &Arc<Self>, seat: &Seat, address: SocketAddr) -> Option<Linked> {
        let mut connections = lock(&self.connections);
        if connections
            .values()
            .filter(|c| c.seat == seat.number)
            .count()
            >= STREAMS_PER_SEAT
        {
            return None;
        }
        let id = {
            let mut next = lock(&self.next_connection);
            *next += 1;
            *next
        };
        connections.insert(
            id,
            Connection {
                seat: seat.number,
                kind: seat.kind,
                role: seat.name.clone(),
                address,
                since: SystemTime::now(),
            },
        );
        Some(Linked {
            shared: Arc::clone(self),
            id,
        })
    }

    /// The browsers connected now, by seat.
    pub fn connections(&self) -> Vec<Connection> {
        lock(&self.connections).values().cloned().collect()
    }
}

/// An open stream's place in the connection list; dropping it (the browser went away, the
/// stream ended) takes it off.
pub struct Linked {
    shared: Arc<Shared>,
    id: u64,
}

impl Drop for Linked {
    fn drop(&mut self) {
        lock(&self.shared.connections).remove(&self.id);
    }
}
