//! Where the server listens and whether it encrypts: one rule for `tabletop serve` and
//! the console's "Invite players".
//!
//! On loopback nothing crosses a wire, and plain HTTP is fine. Beyond it, the join links'
//! tokens and everything a seat may know would cross the room's network in clear text, so
//! TLS is on unless the facilitator says `--insecure-http`, and then every page says so
//! in red.

use std::net::SocketAddr;
use std::path::Path;

use super::tls::{Identity, TlsError};

/// How the server speaks.
#[derive(Clone, Debug)]
pub enum Transport {
    /// Plain HTTP; `exposed` when it listens beyond loopback (every page carries the red
    /// "unencrypted" banner).
    Plain {
        exposed: bool,
    },
    Tls(Identity),
}

/// Where and how to serve, decided.
#[derive(Clone, Debug)]
pub struct Listen {
    pub bind: SocketAddr,
    /// What join links advertise, without a trailing slash; `None`: the bound address.
    pub public_url: Option<String>,
    pub transport: Transport,
}

/// What the facilitator asked for.
#[derive(Clone, Copy, Debug, Default)]
pub struct Asked<'a> {
    pub bind: Option<SocketAddr>,
    pub public_url: Option<&'a str>,
    pub tls_cert: Option<&'a Path>,
    pub tls_key: Option<&'a Path>,
    /// Serve plain HTTP beyond loopback.
    pub insecure_http: bool,
    /// Encrypt on loopback too (to try the room's setup on one machine).
    pub tls: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ListenError {
    /// The options do not go together: exit 2.
    #[error("{0}")]
    Usage(String),
    /// A certificate or key file is bad: exit 1.
    #[error(transparent)]
    Tls(#[from] TlsError),
}

/// What the options say, checked, before any certificate is read or made.
struct Plan {
    bind: SocketAddr,
    public_url: Option<String>,
    tls: bool,
    exposed: bool,
}

impl Listen {
    /// Whether the options go together: checked before anything is written, so a wrong
    /// flag leaves no session behind.
    /// The organisation's certificate and key are read here too: a wrong file is reported
    /// before a session exists.
    pub fn check(asked: &Asked<'_>) -> Result<(), ListenError> {
        Self::plan(asked)?;
        if let (Some(cert), Some(key)) = (asked.tls_cert, asked.tls_key) {
            Identity::from_files(cert, key)?;
        }
        Ok(())
    }

    /// Decides from what was asked. The certificate is the organisation's, else the one
    /// kept beside `session`, else one made for this run only.
    pub fn decide(asked: &Asked<'_>, session: Option<&Path>) -> Result<Self, ListenError> {
        let Plan {
            bind,
            public_url,
            tls,
            exposed,
        } = Self::plan(asked)?;
        let transport = if tls {
            let names = vec![
                public_url
                    .as_deref()
                    .and_then(host_of)
                    .unwrap_or_else(|| bind.ip().to_string()),
            ];
            let identity = match (asked.tls_cert, asked.tls_key, session) {
                (Some(cert), Some(key), _) => Identity::from_files(cert, key)?,
                (_, _, Some(session)) => Identity::kept(session, &names)?,
                _ => Identity::ephemeral(&names)?,
            };
            Transport::Tls(identity)
        } else {
            Transport::Plain { exposed }
        };
        Ok(Self {
            bind,
            public_url,
            transport,
        })
    }

    fn plan(asked: &Asked<'_>) -> Result<Plan, ListenError> {
        let usage = |s: String| Err(ListenError::Usage(s));
        let bind = asked
            .bind
            .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 8480)));
        if bind.ip().is_unspecified() && asked.public_url.is_none() {
            return usage(format!(
                "--bind {bind} listens on every interface; give --public-url with the address trainees reach (a join link cannot point at {})",
                bind.ip()
            ));
        }
        if asked.tls_cert.is_some() != asked.tls_key.is_some() {
            return usage("give --tls-cert and --tls-key together".to_owned());
        }
        let wants_tls = asked.tls || asked.tls_cert.is_some();
        if asked.insecure_http && wants_tls {
            return usage("--insecure-http serves without encryption: leave out --tls, --tls-cert and --tls-key".to_owned());
        }
        let exposed = !bind.ip().is_loopback();
        let tls = wants_tls || (exposed && !asked.insecure_http);
        let public_url = asked.public_url.map(|u| u.trim_end_matches('/').to_owned());
        let scheme = if tls { "https://" } else { "http://" };
        if let Some(url) = &public_url
            && !url.starts_with(scheme)
        {
            return usage(if tls {
                format!(
                    "--public-url {url}: the server encrypts, so links start with https://{}",
                    if exposed {
                        " (for plain HTTP on the room's network, add --insecure-http; every page will say it is unencrypted)"
                    } else {
                        ""
                    }
                )
            } else {
                format!("--public-url {url}: expected http://HOST:PORT")
            });
        }
        Ok(Plan {
            bind,
            public_url,
            tls,
            exposed,
        })
    }

    pub fn is_tls(&self) -> bool {
        matches!(self.transport, Transport::Tls(_))
    }

    /// Plain HTTP beyond loopback (`--insecure-http`).
    pub fn is_exposed(&self) -> bool {
        matches!(self.transport, Transport::Plain { exposed: true })
    }

    /// The certificate's fingerprint, when encrypting.
    pub fn fingerprint(&self) -> Option<&str> {
        match &self.transport {
            Transport::Tls(identity) => Some(identity.fingerprint()),
            Transport::Plain { .. } => None,
        }
    }
}

/// The host of an `http(s)://HOST[:PORT][/…]` URL, without IPv6 brackets.
fn host_of(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split('/').next()?;
    let host = if let Some(v6) = authority.strip_prefix('[') {
        v6.split(']').next()?
    } else {
        authority.rsplit_once(':').map_or(authority, |(h, _)| h)
    };
    (!host.is_empty()).then(|| host.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asked(bind: &str) -> Asked<'static> {
        Asked {
            bind: Some(bind.parse().expect("address")),
            ..Asked::default()
        }
    }

    #[test]
    fn loopback_is_plain_and_the_room_is_encrypted_unless_told_otherwise() {
        let local = Listen::decide(&asked("127.0.0.1:0"), None).expect("plain");
        assert!(matches!(
            local.transport,
            Transport::Plain { exposed: false }
        ));

        let mut room = asked("192.0.2.10:8443");
        let listen = Listen::decide(&room, None).expect("tls");
        assert!(listen.is_tls());

        room.public_url = Some("http://192.0.2.10:8443");
        let refused = Listen::decide(&room, None).expect_err("plain links refused");
        assert!(refused.to_string().contains("--insecure-http"), "{refused}");

        room.insecure_http = true;
        let listen = Listen::decide(&room, None).expect("plain, said");
        assert!(matches!(
            listen.transport,
            Transport::Plain { exposed: true }
        ));
    }

    #[test]
    fn half_a_certificate_and_contradictions_are_usage_errors() {
        let mut a = asked("127.0.0.1:0");
        a.tls_cert = Some(Path::new("cert.pem"));
        assert!(matches!(
            Listen::decide(&a, None),
            Err(ListenError::Usage(_))
        ));
        let mut b = asked("127.0.0.1:0");
        b.tls = true;
        b.insecure_http = true;
        assert!(matches!(
            Listen::decide(&b, None),
            Err(ListenError::Usage(_))
        ));
    }

    #[test]
    fn the_certificate_names_the_host_the_links_advertise() {
        assert_eq!(
            host_of("https://exercise.example:8443/x").as_deref(),
            Some("exercise.example")
        );
        assert_eq!(
            host_of("https://[2001:db8::1]:8443").as_deref(),
            Some("2001:db8::1")
        );
        assert_eq!(host_of("https://10.0.0.5").as_deref(), Some("10.0.0.5"));
    }
}
