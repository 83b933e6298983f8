//! Trainees at their own laptops: the exercise served to browsers.
//!
//! The host stays on the thread that owns it (the headless `tabletop serve` loop, or the
//! console); the server runs axum on a small tokio runtime of its own thread and talks to
//! the host only through [`hub`]: intents in, one already-serialised snapshot per role
//! out. A seat's page sends intents; the host vets each as a command, `by` the role, and
//! writes it to the session before it takes effect, so a session played from browsers
//! replays bit for bit like any other.
//!
//! Seats and their secrets ([`seatbook`]) live beside the session, never in it; a POST
//! retried after a lost connection is answered once ([`accepted`]).

mod accepted;
mod answers;
mod assets;
pub mod cards;
mod http;
mod hub;
mod listen;
mod pump;
mod room;
mod seatbook;
mod snapshot;
mod tls;
mod token;
pub mod whitecell;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, mpsc};

use tokio::sync::watch;

pub use hub::{Connection, Shared};
pub use hub::{PageKey, Seat};
pub use listen::{Asked, Listen, ListenError, Transport};
pub use pump::HostSide;
pub use seatbook::{SeatBook, SeatKind, SeatsError, path_for as seats_path, seat_label, seat_name};
pub use tls::{TlsError, fingerprint, path_for as certificate_path};
pub use token::Token;

use crate::host::Host;

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(transparent)]
    Seats(#[from] SeatsError),
    #[error("{0}")]
    Accepted(String),
    #[error("cannot listen on {address}: {reason}")]
    Bind { address: String, reason: String },
    #[error("the server could not start: {0}")]
    Runtime(String),
}

/// The host's end and the handlers' end of one served exercise.
pub fn hub(host: &Host, seats: SeatBook) -> Result<HostSide, ServeError> {
    let accepted = match host.session_path() {
        Some(session) => {
            accepted::Accepted::open(session, host.given()).map_err(ServeError::Accepted)?
        }
        None => accepted::Accepted::default(),
    };
    let (asks, asked) = mpsc::channel();
    let mut senders = BTreeMap::new();
    let mut receivers = BTreeMap::new();
    let pages = host
        .scenario()
        .roles
        .iter()
        .map(|role| PageKey::Role(role.id.to_string()))
        .chain([PageKey::Control, PageKey::Projector]);
    for page in pages {
        let (sender, receiver) = watch::channel(Arc::new(snapshot::Snapshot {
            id: 0,
            json: "{}".to_owned(),
        }));
        senders.insert(page.clone(), sender);
        receivers.insert(page, receiver);
    }
    let shared = Arc::new(Shared::new(asks, receivers, seats));
    let mut side = HostSide::new(asked, senders, accepted, shared);
    side.pump_now(host);
    Ok(side)
}

/// The seats book of a host: beside its session, or in memory for a run that records
/// nothing. Every role gets a trainee's seat and the room a projector's; `staff` are the
/// evaluators and controllers named (see [`seatbook::staff`]), each under a name no role
/// has, since the session records their notes under it.
pub fn seats_for(host: &Host, staff: &[seatbook::Wanted]) -> Result<SeatBook, SeatsError> {
    if let Some(taken) = name_taken(host.scenario(), staff) {
        return Err(SeatsError::NameTaken(taken.to_owned()));
    }
    let roles = &host.scenario().roles;
    let wanted: Vec<seatbook::Wanted> = roles
        .iter()
        .map(|r| (SeatKind::Trainee, r.id.to_string()))
        .chain([(SeatKind::Projector, seatbook::PROJECTOR.to_owned())])
        .chain(staff.iter().cloned())
        .collect();
    match host.session_path() {
        Some(session) => SeatBook::open(session, &wanted),
        None => SeatBook::in_memory(&wanted),
    }
}

pub use seatbook::{Wanted, staff};

/// An evaluator's or controller's name that is a role's id or the projector's seat: the
/// session records notes under the name, so it must say who wrote them.
pub fn name_taken<'a>(
    scenario: &crate::scenario::Scenario,
    staff: &'a [Wanted],
) -> Option<&'a str> {
    staff
        .iter()
        .map(|(_, name)| name.as_str())
        .find(|name| *name == seatbook::PROJECTOR || scenario.roles.iter().any(|r| r.id == *name))
}

/// A running server; it stops when dropped.
pub struct Server {
    address: SocketAddr,
    bound_url: String,
    public_url: String,
    /// The certificate's SHA-256 fingerprint, when encrypting.
    fingerprint: Option<String>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    /// Listens where `listen` says (port 0: any free port) and serves `shared`'s seats.
    /// Join links advertise its public URL if given, else the bound address.
    pub fn start(shared: Arc<Shared>, listen: &Listen) -> Result<Self, ServeError> {
        let bind = listen.bind;
        let listener = std::net::TcpListener::bind(bind).map_err(|e| ServeError::Bind {
            address: bind.to_string(),
            reason: e.to_string(),
        })?;
        let address = listener.local_addr().map_err(|e| ServeError::Bind {
            address: bind.to_string(),
            reason: e.to_string(),
        })?;
        listener
            .set_nonblocking(true)
            .map_err(|e| ServeError::Runtime(e.to_string()))?;
        let scheme = if listen.is_tls() { "https" } else { "http" };
        let bound_url = format!("{scheme}://{address}");
        let public_url = listen
            .public_url
            .clone()
            .unwrap_or_else(|| bound_url.clone());
        let origins = vec![bound_url.clone(), public_url.clone()];
        let exposed = matches!(listen.transport, Transport::Plain { exposed: true });
        let app = http::App::new(shared, origins, listen.is_tls(), exposed);
        let identity = match &listen.transport {
            Transport::Tls(identity) => Some(identity.clone()),
            Transport::Plain { .. } => None,
        };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| ServeError::Runtime(e.to_string()))?;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("tabletop-serve".to_owned())
            .spawn(move || {
                runtime.block_on(async move {
                    let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
                        return;
                    };
                    let router = http::router(app);
                    match identity {
                        Some(identity) => {
                            let Ok(listener) = tls::TlsListener::new(listener, &identity) else {
                                return;
                            };
                            let service =
                                router.into_make_service_with_connect_info::<http::Peer>();
                            tokio::select! {
                                _ = axum::serve(listener, service) => {}
                                _ = stopped => {}
                            }
                        }
                        None => {
                            let service =
                                router.into_make_service_with_connect_info::<http::Peer>();
                            tokio::select! {
                                _ = axum::serve(listener, service) => {}
                                _ = stopped => {}
                            }
                        }
                    }
                });
            })
            .map_err(|e| ServeError::Runtime(e.to_string()))?;
        Ok(Self {
            address,
            bound_url,
            public_url,
            fingerprint: listen.fingerprint().map(str::to_owned),
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// `http://` or `https://` and the address bound.
    pub fn bound_url(&self) -> &str {
        &self.bound_url
    }

    pub fn fingerprint(&self) -> Option<&str> {
        self.fingerprint.as_deref()
    }

    /// A seat's join link: the token rides in the fragment, which browsers never send to
    /// a server, so it stays out of every access log and referrer.
    pub fn link(&self, token: &Token) -> String {
        format!("{}/join#{}", self.public_url, token.reveal())
    }

    /// Stops serving: open streams close, the port is free when this returns.
    pub fn stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

impl Shared {
    /// Revokes every live link of `role` and hands out a new one: the old link's open
    /// pages stop receiving at once and its requests get 401 from now on (and after a
    /// resume).
    pub fn revoke(&self, role: &str) -> Result<Token, SeatsError> {
        let (_, token) = self.seats().revoke(role)?;
        self.announce_revocation();
        Ok(token)
    }

    /// The live links' seats and tokens, in the order they were handed out.
    pub fn live_seats(&self) -> Vec<(SeatKind, String, Token)> {
        self.seats()
            .live()
            .map(|(_, seat)| (seat.kind, seat.role.clone(), seat.token.clone()))
            .collect()
    }

    /// Every token ever handed out for this exercise (revoked ones too).
    pub fn every_token(&self) -> Vec<Token> {
        self.seats().all_tokens().cloned().collect()
    }
}

/// Every live seat's card: its title, its link, the certificate's fingerprint.
pub fn seat_cards(host: &Host, shared: &Shared, server: &Server) -> Vec<cards::Card> {
    shared
        .live_seats()
        .into_iter()
        .map(|(kind, name, token)| cards::Card {
            label: seat_label(kind, &name),
            title: match kind {
                SeatKind::Trainee => host
                    .scenario()
                    .roles
                    .iter()
                    .find(|r| r.id == name)
                    .map_or_else(|| name.clone(), |r| r.title.clone()),
                SeatKind::Evaluator => format!("Evaluator: {name}"),
                SeatKind::Controller => format!("Controller (white cell): {name}"),
                SeatKind::Projector => "The room's projector".to_owned(),
            },
            kind: kind.label().to_owned(),
            link: server.link(&token),
        })
        .collect()
}

/// Writes the seat cards beside the session (owner-readable only) and says where.
pub fn write_cards(
    host: &Host,
    shared: &Shared,
    server: &Server,
) -> Result<std::path::PathBuf, String> {
    let cards = seat_cards(host, shared, server);
    let html = cards::page(&host.scenario().name, &cards, server.fingerprint())?;
    let path = cards::path_for(host.session_path());
    cards::write(&path, &html)?;
    Ok(path)
}

/// Whether `path` holds a recorded session (rather than a scenario): serve resumes it.
pub fn is_session(path: &Path) -> bool {
    use std::io::Read as _;
    let mut start = [0u8; 64];
    let Ok(mut file) = std::fs::File::open(path) else {
        return false;
    };
    let n = file.read(&mut start).unwrap_or(0);
    String::from_utf8_lossy(&start[..n])
        .trim_start()
        .starts_with("Header(")
}
