//! Encryption for a room beyond this machine: the certificate, its fingerprint, and a
//! listener that hands axum connections only once their TLS handshake is done.
//!
//! An exercise network is rarely one with a certificate authority the trainees' laptops
//! trust, so the usual case is a self-signed certificate that each trainee checks by its
//! SHA-256 fingerprint, printed on the seat cards. It is made once per exercise and kept
//! beside the session (`x.ron` → `x.tls.pem`, the owner's alone like the seats file), so
//! the fingerprint on the printed cards still holds after a `resume`. An organisation
//! with its own certificate gives it with `--tls-cert` and `--tls-key`.

use std::io::Write as _;
use std::net::SocketAddr;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use sha2::Digest as _;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, mpsc};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::server::TlsStream;

/// A certificate file larger than this is not a server certificate chain.
const MAX_PEM_BYTES: u64 = 1024 * 1024;
/// A client that has not finished its handshake by then is dropped (a slow or silent
/// client must not hold a place for ever).
const HANDSHAKE_WITHIN: Duration = Duration::from_secs(10);
/// Handshakes under way at once: the rest wait in the kernel's backlog.
const MAX_HANDSHAKES: usize = 64;
/// The first line of a certificate this program made, followed by the names it is for.
const MADE_HERE: &str = "# tabletop self-signed certificate for: ";

#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("{path}: {reason}")]
    File { path: String, reason: String },
    #[error(
        "{path}: the certificate file may be read by others (mode {mode:o}); it holds the server's private key — `chmod 600 {path}` and start again"
    )]
    Exposed { path: String, mode: u32 },
    #[error("the certificate could not be made: {0}")]
    Make(String),
    #[error("the certificate and key do not go together: {0}")]
    Config(String),
}

/// The server's certificate, ready to serve, and what trainees compare.
#[derive(Clone)]
pub struct Identity {
    pub(super) config: Arc<rustls::ServerConfig>,
    fingerprint: String,
    /// Where it came from, for the facilitator: the organisation's file or the kept one.
    pub source: String,
}

impl std::fmt::Debug for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Identity")
            .field("fingerprint", &self.fingerprint)
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

impl Identity {
    /// The leaf certificate's SHA-256, as `openssl x509 -fingerprint -sha256` and the
    /// browsers' certificate viewers print it (colon-separated upper-case hex).
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// The organisation's certificate chain and private key, from PEM files.
    pub fn from_files(cert: &Path, key: &Path) -> Result<Self, TlsError> {
        let chain = read_pem(cert)?;
        let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&chain)
            .collect::<Result<_, _>>()
            .map_err(|e| file_error(cert, &format!("not a PEM certificate: {e}")))?;
        if certs.is_empty() {
            return Err(file_error(
                cert,
                "no certificate in it (expected -----BEGIN CERTIFICATE-----)",
            ));
        }
        let key_text = read_pem(key)?;
        refuse_exposed(key)?;
        let key_der = PrivateKeyDer::from_pem_slice(&key_text).map_err(|e| {
            file_error(
                key,
                &format!("not a PEM private key (PKCS#8, PKCS#1 or SEC1): {e}"),
            )
        })?;
        Self::new(certs, key_der, cert.display().to_string())
    }

    /// The certificate kept beside the session (made now if there is none, or if the one
    /// kept was made for other names), for `names`: the host names or addresses the join
    /// links advertise.
    pub fn kept(session: &Path, names: &[String]) -> Result<Self, TlsError> {
        let path = path_for(session);
        let wanted = names.join(", ");
        if path.exists() {
            let text = read_pem(&path)?;
            refuse_exposed(&path)?;
            let first = text.split(|b| *b == b'\n').next().unwrap_or_default();
            if String::from_utf8_lossy(first).trim_end() == format!("{MADE_HERE}{wanted}") {
                return Self::from_pem(&text, &path);
            }
        }
        let made = rcgen::generate_simple_self_signed(names.to_vec())
            .map_err(|e| TlsError::Make(e.to_string()))?;
        let text = format!(
            "{MADE_HERE}{wanted}\n{}{}",
            made.cert.pem(),
            made.signing_key.serialize_pem()
        );
        write_private(&path, text.as_bytes())?;
        Self::from_pem(text.as_bytes(), &path)
    }

    /// A certificate made for `names` and kept in memory only (a console run that records
    /// nothing): it changes with every start.
    pub fn ephemeral(names: &[String]) -> Result<Self, TlsError> {
        let made = rcgen::generate_simple_self_signed(names.to_vec())
            .map_err(|e| TlsError::Make(e.to_string()))?;
        let key = PrivateKeyDer::try_from(made.signing_key.serialize_der())
            .map_err(|e| TlsError::Make(e.to_string()))?;
        Self::new(
            vec![made.cert.der().clone()],
            key,
            "made for this run only".to_owned(),
        )
    }

    fn from_pem(text: &[u8], path: &Path) -> Result<Self, TlsError> {
        let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(text)
            .collect::<Result<_, _>>()
            .map_err(|e| file_error(path, &e.to_string()))?;
        let key =
            PrivateKeyDer::from_pem_slice(text).map_err(|e| file_error(path, &e.to_string()))?;
        Self::new(certs, key, path.display().to_string())
    }

    fn new(
        certs: Vec<CertificateDer<'static>>,
        key: PrivateKeyDer<'static>,
        source: String,
    ) -> Result<Self, TlsError> {
        let fingerprint = certs.first().map(|c| fingerprint(c)).unwrap_or_default();
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| TlsError::Config(e.to_string()))?
            .with_no_client_auth()
            .with_single_cert(certs, key)
            .map_err(|e| TlsError::Config(e.to_string()))?;
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Self {
            config: Arc::new(config),
            fingerprint,
            source,
        })
    }
}

/// SHA-256 of a DER certificate, colon-separated upper-case hex.
pub fn fingerprint(der: &[u8]) -> String {
    sha2::Sha256::digest(der)
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// The kept certificate of a session: `x.ron` → `x.tls.pem`.
pub fn path_for(session: &Path) -> PathBuf {
    let stem = session
        .file_stem()
        .map_or_else(|| "session".into(), |s| s.to_string_lossy().into_owned());
    session.with_file_name(format!("{stem}.tls.pem"))
}

fn file_error(path: &Path, reason: &str) -> TlsError {
    TlsError::File {
        path: path.display().to_string(),
        reason: reason.to_owned(),
    }
}

fn read_pem(path: &Path) -> Result<Vec<u8>, TlsError> {
    let meta = std::fs::metadata(path).map_err(|e| file_error(path, &e.to_string()))?;
    if !meta.is_file() {
        return Err(file_error(path, "not a regular file"));
    }
    if meta.len() > MAX_PEM_BYTES {
        return Err(file_error(
            path,
            &format!("larger than {MAX_PEM_BYTES} bytes: not a PEM certificate or key"),
        ));
    }
    std::fs::read(path).map_err(|e| file_error(path, &e.to_string()))
}

/// A private key others may read is refused, the way ssh treats one.
fn refuse_exposed(path: &Path) -> Result<(), TlsError> {
    let mode = std::fs::metadata(path)
        .map_err(|e| file_error(path, &e.to_string()))?
        .permissions()
        .mode()
        & 0o777;
    if mode & 0o077 != 0 {
        return Err(TlsError::Exposed {
            path: path.display().to_string(),
            mode,
        });
    }
    Ok(())
}

/// Written beside, synced, renamed into place; mode 0600 from the moment it exists.
fn write_private(path: &Path, bytes: &[u8]) -> Result<(), TlsError> {
    let io = |e: std::io::Error| file_error(path, &e.to_string());
    let temporary = path.with_extension("pem.new");
    let _ = std::fs::remove_file(&temporary);
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&temporary)
        .map_err(io)?;
    file.write_all(bytes).map_err(io)?;
    file.sync_all().map_err(io)?;
    std::fs::rename(&temporary, path).map_err(io)
}

/// A listener whose connections are TLS streams whose handshake is done. Handshakes run
/// in tasks of their own, a bounded number at a time and each within a time limit, so a
/// client that stalls in its handshake holds up nobody else's.
pub struct TlsListener {
    ready: mpsc::Receiver<(TlsStream<TcpStream>, SocketAddr)>,
    local: SocketAddr,
}

impl TlsListener {
    /// Must be called inside the server's runtime.
    pub fn new(listener: TcpListener, identity: &Identity) -> std::io::Result<Self> {
        let local = listener.local_addr()?;
        let acceptor = TlsAcceptor::from(Arc::clone(&identity.config));
        let (sender, ready) = mpsc::channel(MAX_HANDSHAKES);
        let places = Arc::new(Semaphore::new(MAX_HANDSHAKES));
        tokio::spawn(async move {
            loop {
                let Ok(place) = Arc::clone(&places).acquire_owned().await else {
                    return;
                };
                let (stream, peer) = match listener.accept().await {
                    Ok(accepted) => accepted,
                    Err(_) => {
                        // Out of file descriptors and the like: wait, do not spin.
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let acceptor = acceptor.clone();
                let sender = sender.clone();
                tokio::spawn(async move {
                    let _place = place;
                    let handshake =
                        tokio::time::timeout(HANDSHAKE_WITHIN, acceptor.accept(stream)).await;
                    if let Ok(Ok(tls)) = handshake {
                        let _ = sender.send((tls, peer)).await;
                    }
                });
            }
        });
        Ok(Self { ready, local })
    }
}

impl axum::serve::Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.ready.recv().await {
            Some(ready) => ready,
            // The accepting task ended (the runtime is stopping): nothing more comes.
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        Ok(self.local)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_certificate_is_the_same_after_a_restart_and_new_for_new_names() {
        let dir = tempfile::tempdir().expect("temp dir");
        let session = dir.path().join("x.ron");
        let names = vec!["exercise.example".to_owned(), "192.0.2.7".to_owned()];
        let first = Identity::kept(&session, &names).expect("made");
        let again = Identity::kept(&session, &names).expect("kept");
        assert_eq!(first.fingerprint(), again.fingerprint());
        assert_eq!(first.fingerprint().len(), 32 * 3 - 1);
        let mode = std::fs::metadata(path_for(&session))
            .expect("file")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        let other = Identity::kept(&session, &["other.example".to_owned()]).expect("new");
        assert_ne!(first.fingerprint(), other.fingerprint());
    }

    #[test]
    fn a_key_others_may_read_is_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let session = dir.path().join("x.ron");
        let names = vec!["localhost".to_owned()];
        Identity::kept(&session, &names).expect("made");
        let path = path_for(&session);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        let error = Identity::kept(&session, &names).expect_err("refused");
        assert!(error.to_string().contains("chmod 600"), "{error}");
        let error = Identity::from_files(&path, &path).expect_err("refused");
        assert!(error.to_string().contains("chmod 600"), "{error}");
    }

    #[test]
    fn a_file_that_is_not_pem_says_what_was_expected() {
        let dir = tempfile::tempdir().expect("temp dir");
        let cert = dir.path().join("cert.pem");
        std::fs::write(&cert, "hello").expect("write");
        let error = Identity::from_files(&cert, &cert).expect_err("refused");
        assert!(error.to_string().contains("BEGIN CERTIFICATE"), "{error}");
    }
}
