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
    /// A file's path, or its bare name.
    FilePath,
    Hostname,
    Account,
    /// A bank account; `iban` when the value has an IBAN's shape.
    BankAccount {
        iban: bool,
    },
    /// An indicator the formats have no type for; its label says what it is.
    Other,
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
            IndicatorKind::FilePath => Self::FilePath,
            IndicatorKind::Hostname => Self::Hostname,
            IndicatorKind::Account => Self::Account,
            IndicatorKind::BankAccount => Self::BankAccount {
                iban: is_iban(value),
            },
            IndicatorKind::Other => Self::Other,
        }
    }
}

/// Whether `value` has an IBAN's shape: two letters, two check digits, 11 to 30 letters
/// or digits (spaces between groups allowed), and the ISO 13616 mod-97 check holds.
fn is_iban(value: &str) -> bool {
    let compact: String = value.chars().filter(|c| !c.is_whitespace()).collect();
    let bytes = compact.as_bytes();
    if !(15..=34).contains(&bytes.len())
        || !bytes[..2].iter().all(u8::is_ascii_uppercase)
        || !bytes[2..4].iter().all(u8::is_ascii_digit)
        || !bytes[4..].iter().all(u8::is_ascii_alphanumeric)
    {
        return false;
    }
    let rearranged = compact[4..].chars().chain(compact[..4].chars());
    let mut remainder: u32 = 0;
    for c in rearranged {
        let Some(digit) = c.to_digit(36) else {
            return false;
        };
        for d in if digit >= 10 {
            vec![digit / 10, digit % 10]
        } else {
            vec![digit]
        } {
            remainder = (remainder * 10 + d) % 97;
        }
    }
    remainder == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_iban_is_told_by_its_check_digits() {
        assert!(is_iban("NL91ABNA0417164300"));
        assert!(is_iban("NL91 ABNA 0417 1643 00"));
        assert!(is_iban("DE89370400440532013000"));
        assert!(!is_iban("NL92ABNA0417164300"), "a wrong check digit");
        assert!(!is_iban("0417164300"), "a national number");
        assert!(!is_iban("NL91ABNA04171643€0"));
    }

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
