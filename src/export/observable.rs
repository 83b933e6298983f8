//! What an indicator's value is, as the formats need to know it: a scenario says "a file
//! hash" or "an IP address", MISP and STIX want "sha256" or "ipv6-addr".
//!
//! Scenario values are free text (nothing checks that a hash is hex), so a value that is
//! not what its kind says is [`Observable::Unrecognised`]: exported as text where the format
//! has a place for it, left out (and said so) where it has none, never guessed.

use std::net::IpAddr;

use crate::scenario::IndicatorKind;

/// A hash algorithm, recognised by the length of a hex digest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hash {
    Md5,
    Sha1,
    Sha256,
    Sha512,
}

impl Hash {
    /// The MISP attribute type.
    pub const fn misp(self) -> &'static str {
        match self {
            Self::Md5 => "md5",
            Self::Sha1 => "sha1",
            Self::Sha256 => "sha256",
            Self::Sha512 => "sha512",
        }
    }

    /// The STIX 2.1 hash-algorithm-ov name.
    pub const fn stix(self) -> &'static str {
        match self {
            Self::Md5 => "MD5",
            Self::Sha1 => "SHA-1",
            Self::Sha256 => "SHA-256",
            Self::Sha512 => "SHA-512",
        }
    }
}

/// An indicator's value, classified.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Observable {
    Domain,
    Ipv4,
    Ipv6,
    Url,
    Email,
    Hash(Hash),
    /// The value is not what its kind says (e.g. a "file hash" that is not a hex digest).
    Unrecognised,
}

impl Observable {
    /// Classifies `value`, written as an indicator of `kind`. Every kind of the scenario
    /// format is matched here: a kind added to the format fails to compile until it is.
    pub fn of(kind: IndicatorKind, value: &str) -> Self {
        match kind {
            IndicatorKind::Domain => Self::Domain,
            IndicatorKind::Url => Self::Url,
            IndicatorKind::Email => Self::Email,
            IndicatorKind::Ip => {
                // A network ("192.0.2.0/24") counts as its address.
                let address = value.split_once('/').map_or(value, |(a, _)| a);
                match address.trim().parse::<IpAddr>() {
                    Ok(IpAddr::V4(_)) => Self::Ipv4,
                    Ok(IpAddr::V6(_)) => Self::Ipv6,
                    Err(_) => Self::Unrecognised,
                }
            }
            IndicatorKind::FileHash => {
                if !value.chars().all(|c| c.is_ascii_hexdigit()) {
                    return Self::Unrecognised;
                }
                match value.len() {
                    32 => Self::Hash(Hash::Md5),
                    40 => Self::Hash(Hash::Sha1),
                    64 => Self::Hash(Hash::Sha256),
                    128 => Self::Hash(Hash::Sha512),
                    _ => Self::Unrecognised,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_classified_by_kind_and_shape() {
        assert_eq!(
            Observable::of(IndicatorKind::Ip, "198.51.100.23"),
            Observable::Ipv4
        );
        assert_eq!(
            Observable::of(IndicatorKind::Ip, "2001:db8::1"),
            Observable::Ipv6
        );
        assert_eq!(
            Observable::of(IndicatorKind::Ip, "192.0.2.0/24"),
            Observable::Ipv4
        );
        assert_eq!(
            Observable::of(IndicatorKind::Ip, "not an address"),
            Observable::Unrecognised
        );
        assert_eq!(
            Observable::of(IndicatorKind::FileHash, &"a".repeat(64)),
            Observable::Hash(Hash::Sha256)
        );
        assert_eq!(
            Observable::of(IndicatorKind::FileHash, "xyz"),
            Observable::Unrecognised
        );
        assert_eq!(
            Observable::of(IndicatorKind::Domain, "example.com"),
            Observable::Domain
        );
    }
}
