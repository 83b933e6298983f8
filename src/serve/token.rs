//! Seat tokens: the secret in a join link.
//!
//! 128 bits from the operating system's random source, never from the simulation's keyed
//! streams (those are reproducible by design: anyone with the scenario and the seed could
//! recompute them). Compared in constant time, so a network peer cannot learn a token
//! byte by byte from response times.

use std::fmt;

use subtle::ConstantTimeEq;

/// Bytes of randomness in a token: 128 bits, as the issue and OWASP ask at least.
const TOKEN_BYTES: usize = 16;

/// A token as it appears in a link and a cookie: lower-case hex.
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Token(String);

#[derive(Debug, thiserror::Error)]
#[error("the operating system gave no randomness for a seat token: {0}")]
pub struct NoRandomness(String);

impl Token {
    pub fn new() -> Result<Self, NoRandomness> {
        let mut bytes = [0u8; TOKEN_BYTES];
        getrandom::fill(&mut bytes).map_err(|e| NoRandomness(e.to_string()))?;
        Ok(Self(bytes.iter().map(|b| format!("{b:02x}")).collect()))
    }

    /// A token read back from the seats file, if it has a token's shape.
    pub fn parse(text: &str) -> Option<Self> {
        (text.len() == TOKEN_BYTES * 2 && text.bytes().all(|b| b.is_ascii_hexdigit()))
            .then(|| Self(text.to_ascii_lowercase()))
    }

    /// Whether `offered` is this token, in time that does not depend on where they differ.
    pub fn matches(&self, offered: &str) -> bool {
        self.0.len() == offered.len() && bool::from(self.0.as_bytes().ct_eq(offered.as_bytes()))
    }

    /// The secret itself, for a link or a cookie; never for a log line.
    pub fn reveal(&self) -> &str {
        &self.0
    }
}

/// Never the secret: a token printed by mistake (a log line, a panic) shows nothing.
impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_128_bits_of_hex_and_differ() {
        let a = Token::new().expect("randomness");
        let b = Token::new().expect("randomness");
        assert_eq!(a.reveal().len(), 32);
        assert_ne!(a, b);
        assert!(Token::parse(a.reveal()).is_some());
        assert!(Token::parse("not-a-token").is_none());
    }

    #[test]
    fn only_the_same_token_matches() {
        let a = Token::new().expect("randomness");
        assert!(a.matches(a.reveal()));
        let mut other = a.reveal().to_owned();
        other.replace_range(31.., if other.ends_with('0') { "1" } else { "0" });
        assert!(!a.matches(&other));
        assert!(!a.matches(""));
        assert!(!a.matches(&format!("{}0", a.reveal())));
    }

    #[test]
    fn debug_text_hides_the_secret() {
        let a = Token::new().expect("randomness");
        let text = format!("{a:?}");
        assert!(!text.contains(a.reveal()));
    }
}
