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
mod assets;
mod http;
mod hub;
mod pump;
mod seatbook;
mod snapshot;
mod token;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, mpsc};

use tokio::sync::watch;

pub use hub::{Connection, Shared};
pub use pump::HostSide;
pub use seatbook::{SeatBook, SeatsError, path_for as seats_path};
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
    for role in &host.scenario().roles {
        let (sender, receiver) = watch::channel(Arc::new(snapshot::Snapshot {
            id: 0,
            json: "{}".to_owned(),
        }));
        senders.insert(role.id.clone(), sender);
        receivers.insert(role.id.clone(), receiver);
    }
    let shared = Arc::new(Shared::new(asks, receivers, seats));
    let mut side = HostSide::new(asked, senders, accepted, shared);
    side.pump_now(host);
    Ok(side)
}

/// The seats book of a host: beside its session, or in memory for a run that records
/// nothing.
pub fn seats_for(host: &Host) -> Result<SeatBook, SeatsError> {
    let roles: Vec<String> = host.scenario().roles.iter().map(|r| r.id.clone()).collect();
    match host.session_path() {
        Some(session) => SeatBook::open(session, &roles),
        None => SeatBook::in_memory(&roles),
    }
}

/// A running server; it stops when dropped.
pub struct Server {
    address: SocketAddr,
    public_url: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    /// Listens on `bind` (port 0: any free port) and serves `shared`'s seats. Join links
    /// advertise `public_url` if given, else the bound address.
    pub fn start(
        shared: Arc<Shared>,
        bind: SocketAddr,
        public_url: Option<&str>,
    ) -> Result<Self, ServeError> {
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
        let bound_url = format!("http://{address}");
        let public_url =
            public_url.map_or_else(|| bound_url.clone(), |u| u.trim_end_matches('/').to_owned());
        let origins = vec![bound_url, public_url.clone()];
        let app = http::App::new(shared, origins, public_url.starts_with("https://"));
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
                    let service =
                        http::router(app).into_make_service_with_connect_info::<SocketAddr>();
                    let serving = axum::serve(listener, service);
                    tokio::select! {
                        _ = serving => {}
                        _ = stopped => {}
                    }
                });
            })
            .map_err(|e| ServeError::Runtime(e.to_string()))?;
        Ok(Self {
            address,
            public_url,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    pub fn address(&self) -> SocketAddr {
        self.address
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

    /// The live links' tokens by role, in the order they were handed out.
    pub fn live_seats(&self) -> Vec<(String, Token)> {
        self.seats()
            .live()
            .map(|(_, role, token)| (role.to_owned(), token.clone()))
            .collect()
    }

    /// Every token ever handed out for this exercise (revoked ones too).
    pub fn every_token(&self) -> Vec<Token> {
        self.seats().all_tokens().cloned().collect()
    }
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
