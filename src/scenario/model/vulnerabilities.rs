//! Vulnerabilities and their coordinated disclosure (NIS2 Art. 11.3.g).

use serde::{Deserialize, Serialize};

use super::Id;
use crate::scenario::time::{At, Duration};

/// A vulnerability in a product, and optionally its coordinated disclosure (11.3.g).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vulnerability {
    /// e.g. "CVE-2026-1234".
    pub cve: String,
    pub product: String,
    pub vendor: String,
    #[serde(default)]
    pub disclosure: Option<Disclosure>,
}

/// A vulnerability reported to a coordinating CSIRT: vendor contact, embargo, advisory.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Disclosure {
    /// The CSIRT coordinating the disclosure (it must offer `Cvd`).
    pub coordinator: Id,
    /// When the finder reports it.
    pub reported: At,
    /// Time the vendor gets to produce a fix before the advisory is published.
    pub embargo: Duration,
}
