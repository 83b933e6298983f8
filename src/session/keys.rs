//! Signing keys for sessions: ed25519 key pairs in PKCS#8 PEM, the files `openssl` and
//! other tools read, so a signature can be checked without tabletop.
//!
//! `tabletop keygen -o NAME` writes the private key to `NAME.pem` (mode 0600: its owner
//! only) and the public key to `NAME.pub.pem`, the one to hand out. A key is named by its
//! fingerprint: SHA-256 over the public key's DER (SubjectPublicKeyInfo) bytes, in hex —
//! what `openssl pkey -pubin -in NAME.pub.pem -outform DER | sha256sum` prints. Drawing
//! the key is the one place tabletop reads the operating system's randomness; it is outside
//! the simulation and nothing deterministic depends on it.

use std::io::Write;
use std::path::{Path, PathBuf};

use ed25519_dalek::pkcs8::{
    DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey, KeypairBytes,
    spki::der::pem::LineEnding,
};
use ed25519_dalek::{Signature, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

/// Key files are a few hundred bytes; anything larger is not one.
const MAX_KEY_FILE_BYTES: u64 = 64 * 1024;

/// Hex digits of a fingerprint shown to people; comparisons always use all 64.
pub const SHORT_FINGERPRINT: usize = 16;

/// What is wrong with a key file or with writing one. All of these are usage errors: the
/// command line named the wrong file.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("cannot read the key {path}: {reason}")]
    Unreadable { path: String, reason: String },
    #[error(
        "{path} is a public key; --sign needs the private key (NAME.pem, written by `tabletop keygen -o NAME`)"
    )]
    PublicForSigning { path: String },
    #[error(
        "{path} is a private key; --verify takes the public key (NAME.pub.pem): hand that one out and keep this one to yourself"
    )]
    PrivateForVerifying { path: String },
    #[error(
        "{path} is not an ed25519 key in PKCS#8 PEM ({reason}); make one with `tabletop keygen -o NAME` (or `openssl genpkey -algorithm ed25519`)"
    )]
    NotAKey { path: String, reason: String },
    #[error("cannot write the key {path}: {reason}")]
    Unwritable { path: String, reason: String },
    #[error("cannot draw a key: the operating system gave no randomness ({0})")]
    NoRandomness(String),
}

/// The fingerprint of a public key: SHA-256 of its DER encoding, 64 hex digits.
fn fingerprint_of(key: &VerifyingKey) -> String {
    // Encoding a 32-byte key into its fixed 44-byte DER cannot fail; hash the raw key if
    // it ever did, so the fingerprint still names the key.
    let der = key
        .to_public_key_der()
        .map_or_else(|_| key.as_bytes().to_vec(), |d| d.as_bytes().to_vec());
    Sha256::digest(&der)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The first [`SHORT_FINGERPRINT`] hex digits, for people to read and compare by eye.
pub fn short(fingerprint: &str) -> &str {
    fingerprint.get(..SHORT_FINGERPRINT).unwrap_or(fingerprint)
}

/// Reads a key file as text, within the size limit, regular files only.
fn read_key(path: &Path) -> Result<String, KeyError> {
    crate::files::read_regular_text(path, MAX_KEY_FILE_BYTES, "a key file (PEM)").map_err(|e| {
        KeyError::Unreadable {
            path: path.display().to_string(),
            reason: e.to_string(),
        }
    })
}

/// A private key that signs sessions (`--sign KEY`).
#[derive(Clone)]
pub struct Signer {
    key: SigningKey,
    fingerprint: String,
}

impl Signer {
    fn new(key: SigningKey) -> Self {
        let fingerprint = fingerprint_of(&key.verifying_key());
        Self { key, fingerprint }
    }

    /// Reads a private key file; a public key or anything else is refused by name.
    pub fn load(path: &Path) -> Result<Self, KeyError> {
        let text = read_key(path)?;
        let label = path.display().to_string();
        if text.contains("-----BEGIN PUBLIC KEY-----") {
            return Err(KeyError::PublicForSigning { path: label });
        }
        SigningKey::from_pkcs8_pem(&text)
            .map(Self::new)
            .map_err(|e| KeyError::NotAKey {
                path: label,
                reason: e.to_string(),
            })
    }

    /// The public key's fingerprint (64 hex digits).
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// The raw 64-byte ed25519 signature of `message`.
    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        use ed25519_dalek::Signer as _;
        self.key.sign(message).to_bytes()
    }
}

/// A public key that checks signatures (`--verify PUBKEY`).
#[derive(Clone)]
pub struct PublicKey {
    key: VerifyingKey,
    fingerprint: String,
}

impl PublicKey {
    /// Reads a public key file; a private key is refused, so it is not passed around.
    pub fn load(path: &Path) -> Result<Self, KeyError> {
        let text = read_key(path)?;
        let label = path.display().to_string();
        if text.contains("PRIVATE KEY-----") {
            return Err(KeyError::PrivateForVerifying { path: label });
        }
        let key = VerifyingKey::from_public_key_pem(&text).map_err(|e| KeyError::NotAKey {
            path: label,
            reason: e.to_string(),
        })?;
        Ok(Self {
            fingerprint: fingerprint_of(&key),
            key,
        })
    }

    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// Whether `signature` is this key's (strict ed25519: no malleable encodings).
    pub fn verifies(&self, message: &[u8], signature: &[u8; 64]) -> bool {
        self.key
            .verify_strict(message, &Signature::from_bytes(signature))
            .is_ok()
    }
}

/// The two files `keygen` wrote.
pub struct KeyPair {
    pub private: PathBuf,
    pub public: PathBuf,
    pub fingerprint: String,
}

/// Where `keygen -o NAME` puts the keys: `NAME.pem` and `NAME.pub.pem` (a `.pem` given
/// with NAME is not doubled).
pub fn key_paths(name: &Path) -> (PathBuf, PathBuf) {
    let text = name.display().to_string();
    let stem = text.strip_suffix(".pem").unwrap_or(&text);
    (
        PathBuf::from(format!("{stem}.pem")),
        PathBuf::from(format!("{stem}.pub.pem")),
    )
}

/// Creates `path` with `contents`, refusing to overwrite; `mode` applies from creation
/// on, so the private key is never readable by others, not even for a moment.
fn write_new(path: &Path, contents: &[u8], mode: u32) -> Result<(), KeyError> {
    use std::os::unix::fs::OpenOptionsExt;
    let unwritable = |reason: String| KeyError::Unwritable {
        path: path.display().to_string(),
        reason,
    };
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .open(path)
        .map_err(|e| {
            unwritable(if e.kind() == std::io::ErrorKind::AlreadyExists {
                "it already exists; keys are never overwritten (choose another name)".into()
            } else {
                e.to_string()
            })
        })?;
    file.write_all(contents)
        .and_then(|()| file.sync_all())
        .map_err(|e| unwritable(e.to_string()))
}

/// Draws a new key pair from the operating system's randomness and writes it.
pub fn keygen(name: &Path) -> Result<KeyPair, KeyError> {
    let (private, public) = key_paths(name);
    for path in [&private, &public] {
        if path.exists() {
            return Err(KeyError::Unwritable {
                path: path.display().to_string(),
                reason: "it already exists; keys are never overwritten (choose another name)"
                    .into(),
            });
        }
    }
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| KeyError::NoRandomness(e.to_string()))?;
    let signer = Signer::new(SigningKey::from_bytes(&seed));
    seed.fill(0);
    let encoding = |path: &Path, e: &dyn std::fmt::Display| KeyError::Unwritable {
        path: path.display().to_string(),
        reason: e.to_string(),
    };
    // PKCS#8 version 1 (the private key alone), as `openssl genpkey` writes it: OpenSSL
    // 3.0 does not read the version 2 form with the public key beside it.
    let private_pem = KeypairBytes {
        secret_key: signer.key.to_bytes(),
        public_key: None,
    }
    .to_pkcs8_pem(LineEnding::LF)
    .map_err(|e| encoding(&private, &e))?;
    let public_pem = signer
        .key
        .verifying_key()
        .to_public_key_pem(LineEnding::LF)
        .map_err(|e| encoding(&public, &e))?;
    write_new(&private, private_pem.as_bytes(), 0o600)?;
    if let Err(e) = write_new(&public, public_pem.as_bytes(), 0o644) {
        // Leave no private key without its public half behind.
        let _ = std::fs::remove_file(&private);
        return Err(e);
    }
    Ok(KeyPair {
        private,
        public,
        fingerprint: signer.fingerprint,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_pair_signs_and_verifies_and_each_file_is_refused_in_the_others_place() {
        let dir = tempfile::tempdir().unwrap();
        let pair = keygen(&dir.path().join("facilitator")).unwrap();
        assert!(pair.private.ends_with("facilitator.pem"));
        assert!(pair.public.ends_with("facilitator.pub.pem"));
        let signer = Signer::load(&pair.private).unwrap();
        let public = PublicKey::load(&pair.public).unwrap();
        assert_eq!(signer.fingerprint(), public.fingerprint());
        assert_eq!(public.fingerprint().len(), 64);
        let signature = signer.sign(b"hello");
        assert!(public.verifies(b"hello", &signature));
        assert!(!public.verifies(b"hellO", &signature));
        assert!(matches!(
            Signer::load(&pair.public),
            Err(KeyError::PublicForSigning { .. })
        ));
        assert!(matches!(
            PublicKey::load(&pair.private),
            Err(KeyError::PrivateForVerifying { .. })
        ));
        assert!(matches!(
            keygen(&dir.path().join("facilitator.pem")),
            Err(KeyError::Unwritable { .. })
        ));
    }
}
