//! Signed sessions: proof of who recorded an exercise.
//!
//! A signed session's header names its signer (the key's fingerprint, [`super::keys`]),
//! and a `Signature(upto: …, key: …, sig: …)` record follows the header, every checkpoint,
//! the end and each batch of hot-wash answers. It signs the chain link of the record just
//! before it ([`super::chain`]), which commits to every byte before it, so a session cut
//! off by a killed process still verifies up to its last signature. The signature record is
//! chained like any other.
//!
//! The signed message is the ASCII text [`MESSAGE_PREFIX`] followed by that link's 32 hex
//! digits: ed25519 over those bytes as they are (PureEdDSA), which
//! `openssl pkeyutl -verify -pubin -inkey KEY.pub.pem -rawin -in MSG -sigfile SIG` checks
//! with the 64 raw bytes of `sig` (written as hex). The prefix keeps a session signature
//! from being taken for a signature over anything else made with the same key.
//!
//! What a signature adds to the chain: only the holder of the private key could have made
//! it, so whoever rewrites the file and recomputes every link is caught. It does not say
//! the exercise was played honestly, hides nothing, and cannot stop the file from being
//! deleted or cut before a signature (it then verifies only up to there).

use crate::scenario::{Minute, time::format_offset};

use super::keys::{PublicKey, short};

/// What comes before the link in every signed message.
pub const MESSAGE_PREFIX: &str = "tabletop-session-signature-1:";

/// The bytes signed for the record whose link is `link`.
pub fn message(link: &str) -> Vec<u8> {
    format!("{MESSAGE_PREFIX}{link}").into_bytes()
}

/// Lower-case hex, as links and fingerprints are written.
pub fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A 64-byte signature from its 128 hex digits, or `None` if it is not one.
fn signature_bytes(hex: &str) -> Option<[u8; 64]> {
    let digits = hex.as_bytes();
    if digits.len() != 128 {
        return None;
    }
    let mut bytes = [0u8; 64];
    for (byte, pair) in bytes.iter_mut().zip(digits.chunks_exact(2)) {
        let text = std::str::from_utf8(pair).ok()?;
        *byte = u8::from_str_radix(text, 16).ok()?;
    }
    Some(bytes)
}

/// A fingerprint as people read it: its first digits and an ellipsis.
pub fn shown(fingerprint: &str) -> String {
    format!("{}…", short(fingerprint))
}

/// A signature record as the loader found it; nothing about it is checked yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignatureLine {
    /// Its line in the file (1-based).
    pub line: usize,
    /// The minute it says it covers.
    pub upto: Minute,
    /// The fingerprint of the key it says made it.
    pub key: String,
    /// The signature, as hex.
    pub sig: String,
    /// The link of the record before it: what it signs.
    pub signed_link: String,
    /// The minute the recording had reached before it: its last checkpoint or its end, or
    /// 0 (T+0) before the first.
    pub reached: Minute,
    /// Whether the end record came before it.
    pub after_end: bool,
    /// How many hot-wash answers came before it.
    pub answers_before: usize,
}

/// What a session says about its signatures, as loaded.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Signatures {
    /// The signer the header names, if it names one.
    pub signer: Option<String>,
    /// Every signature record, in file order.
    pub lines: Vec<SignatureLine>,
}

impl Signatures {
    /// The last signature record: how far the session claims to be signed.
    pub fn last(&self) -> Option<&SignatureLine> {
        self.lines.last()
    }
}

/// How far a session verified, and by which key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    /// The key's full fingerprint.
    pub fingerprint: String,
    /// The minute the last signature covers.
    pub upto: Minute,
    /// Whether the last signature covers the end of the exercise.
    pub ended: bool,
    /// The line of the last signature.
    pub line: usize,
    /// Records after it, not signed (a cut-off recording, or unsigned hot-wash answers).
    pub records_after: usize,
    /// Hot-wash answers before it.
    pub answers_signed: usize,
}

impl Verified {
    /// One line for the terminal: "verified up to T+4h by key 3fa2…".
    pub fn summary(&self) -> String {
        let reach = if self.ended {
            format!("to the end of the exercise ({})", format_offset(self.upto))
        } else {
            format!("up to {}", format_offset(self.upto))
        };
        let tail = match self.records_after {
            0 => String::new(),
            n => format!(
                "; the {n} record{} after line {} {} not signed (the recording was cut off there, or answers were added unsigned)",
                if n == 1 { "" } else { "s" },
                self.line,
                if n == 1 { "is" } else { "are" }
            ),
        };
        format!(
            "signature verified {reach} by key {}{tail}",
            shown(&self.fingerprint)
        )
    }
}

/// Why a session is refused under `--verify`.
#[derive(Debug, thiserror::Error)]
pub enum SignError {
    #[error(
        "{path}: unchained (session format 1): its records could have been changed unseen, so it cannot be verified; refused under --verify"
    )]
    Unchained { path: String },
    #[error("{path}: not signed (its header names no signer); refused under --verify")]
    Unsigned { path: String },
    #[error(
        "{path}: its header says it is signed by key {}, but it holds no signature: its signatures were removed, or it was cut off before the first; refused", shown(.signer)
    )]
    Stripped { path: String, signer: String },
    #[error("{path}:{line}: signed by key {}, not by the key given ({}); refused", shown(.found), shown(.expected))]
    OtherKey {
        path: String,
        line: usize,
        found: String,
        expected: String,
    },
    #[error(
        "{path}:{line}: the signature does not verify with key {}: the file was changed since it was signed; refused", shown(.key)
    )]
    Forged {
        path: String,
        line: usize,
        key: String,
    },
    #[error("{path}:{line}: {message}; refused")]
    Malformed {
        path: String,
        line: usize,
        message: String,
    },
}

/// Checks every signature of a session against `key`: the header must name it, every
/// signature record must be its and verify, and say the minute it follows. `last_line` is
/// the session's last whole line, to count the records after the last signature.
pub fn verify(
    path: &str,
    chained: bool,
    signatures: &Signatures,
    last_line: usize,
    key: &PublicKey,
) -> Result<Verified, SignError> {
    let path = path.to_owned();
    if !chained {
        return Err(SignError::Unchained { path });
    }
    let Some(signer) = &signatures.signer else {
        return Err(SignError::Unsigned { path });
    };
    if signer != key.fingerprint() {
        return Err(SignError::OtherKey {
            path,
            line: 1,
            found: signer.clone(),
            expected: key.fingerprint().to_owned(),
        });
    }
    let Some(last) = signatures.last() else {
        return Err(SignError::Stripped {
            path,
            signer: signer.clone(),
        });
    };
    for s in &signatures.lines {
        if s.key != key.fingerprint() {
            return Err(SignError::OtherKey {
                path,
                line: s.line,
                found: s.key.clone(),
                expected: key.fingerprint().to_owned(),
            });
        }
        let Some(bytes) = signature_bytes(&s.sig) else {
            return Err(SignError::Malformed {
                path,
                line: s.line,
                message: "a signature is 128 hex digits (64 bytes)".into(),
            });
        };
        if !key.verifies(&message(&s.signed_link), &bytes) {
            return Err(SignError::Forged {
                path,
                line: s.line,
                key: key.fingerprint().to_owned(),
            });
        }
        if s.upto != s.reached {
            return Err(SignError::Malformed {
                path,
                line: s.line,
                message: format!(
                    "the signature says it covers {} but follows the recording at {}",
                    format_offset(s.upto),
                    format_offset(s.reached)
                ),
            });
        }
    }
    Ok(Verified {
        fingerprint: signer.clone(),
        upto: last.upto,
        ended: last.after_end,
        line: last.line,
        records_after: last_line.saturating_sub(last.line),
        answers_signed: last.answers_before,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_read_back_from_their_hex() {
        let bytes: Vec<u8> = (0..64).collect();
        let hex = to_hex(&bytes);
        assert_eq!(hex.len(), 128);
        assert_eq!(signature_bytes(&hex).map(|b| b.to_vec()), Some(bytes));
        assert_eq!(signature_bytes(&hex[..126]), None);
        assert_eq!(signature_bytes(&hex.replace('0', "g")), None);
    }

    #[test]
    fn the_message_is_the_prefix_and_the_link() {
        assert_eq!(
            message("00ff"),
            b"tabletop-session-signature-1:00ff".to_vec()
        );
    }
}
