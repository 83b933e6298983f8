//! "Invite players": the server `tabletop serve` runs, started inside the console. The
//! console's thread owns the host, as always; the server talks to it through the same
//! [`HostSide`], pumped once per frame.

use std::net::SocketAddr;

use crate::host::Host;
use crate::serve::{self, Asked, Connection, HostSide, Listen, SeatKind, Server};

/// Wall time a frame may spend on the trainees' pages' periodic updates.
const PAGES_PER_FRAME: std::time::Duration = std::time::Duration::from_millis(3);

/// The server while trainees are invited.
pub struct Serving {
    side: HostSide,
    server: Server,
}

impl Serving {
    /// Starts serving the host's seats on `bind`: plain HTTP on loopback; on the room's
    /// network, TLS with the certificate kept beside the session (links advertise
    /// `https://bind`).
    pub fn start(host: &Host, bind: SocketAddr) -> Result<Self, String> {
        if host.is_review() {
            return Err(
                "a session under review is read-only: there is nothing for trainees to play"
                    .to_owned(),
            );
        }
        let public_url = (!bind.ip().is_loopback()).then(|| format!("https://{bind}"));
        let asked = Asked {
            bind: Some(bind),
            public_url: public_url.as_deref(),
            ..Asked::default()
        };
        let listen = Listen::decide(&asked, host.session_path()).map_err(|e| e.to_string())?;
        let seats = serve::seats_for(host, &[]).map_err(|e| e.to_string())?;
        let mut side = serve::hub(host, seats).map_err(|e| e.to_string())?;
        // The console's frame comes first: the pages' periodic updates take at most a few
        // milliseconds of each frame and spread over the next ones.
        side.set_budget(Some(PAGES_PER_FRAME));
        let server = Server::start(side.shared().clone(), &listen).map_err(|e| e.to_string())?;
        Ok(Self { side, server })
    }

    /// Answers what the trainees asked since the last frame and pushes what changed.
    pub fn pump(&mut self, host: &mut Host) {
        self.side.pump(host);
    }

    pub fn address(&self) -> SocketAddr {
        self.server.address()
    }

    /// `http://` or `https://` and the address bound.
    pub fn url(&self) -> &str {
        self.server.bound_url()
    }

    /// The certificate's SHA-256 fingerprint, when encrypting.
    pub fn fingerprint(&self) -> Option<&str> {
        self.server.fingerprint()
    }

    /// Each seat's live join link: (kind, name, link).
    pub fn links(&self) -> Vec<(SeatKind, String, String)> {
        self.side
            .shared()
            .live_seats()
            .into_iter()
            .map(|(kind, name, token)| (kind, name, self.server.link(&token)))
            .collect()
    }

    /// Writes the printable seat cards beside the session; returns where.
    pub fn write_cards(&self, host: &Host) -> Result<std::path::PathBuf, String> {
        serve::write_cards(host, self.side.shared(), &self.server)
    }

    /// The browsers connected now.
    pub fn connections(&self) -> Vec<Connection> {
        self.side.shared().connections()
    }

    /// Revokes `role`'s links and returns its new one.
    pub fn revoke(&self, role: &str) -> Result<String, String> {
        self.side
            .shared()
            .revoke(role)
            .map(|token| self.server.link(&token))
            .map_err(|e| e.to_string())
    }
}

/// This machine's address on the room's network, as a first guess for the picker: the
/// source address the system would use toward an outside address. Connecting a UDP
/// socket sends nothing.
pub fn lan_guess() -> Option<std::net::IpAddr> {
    let socket = std::net::UdpSocket::bind("0.0.0.0:0").ok()?;
    socket.connect("192.0.2.1:9").ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_unspecified() && !ip.is_loopback()).then_some(ip)
}
