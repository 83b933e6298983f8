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
///
/// The optional parts are left out of the encoding when absent, so a scenario that does
/// not use them keeps its digest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Disclosure {
    /// The CSIRT coordinating the disclosure (it must offer `Cvd`).
    pub coordinator: Id,
    /// When the finder reports it. Before T+0, the exercise opens with the vendor already
    /// contacted and the embargo running.
    pub reported: At,
    /// Time the vendor gets to produce a fix before the advisory is published.
    pub embargo: Duration,
    /// The advisory and its fix come out at this fixed moment (a vendor's patch day)
    /// instead of when the embargo ends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advisory: Option<At>,
    /// A proof of concept goes public at this moment: the embargo is broken, and the
    /// coordinator publishes its advisory at once if it has not yet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proof_of_concept: Option<At>,
    /// The advisory's fix covers only some deployments (the cloud service, not the
    /// installations on premises).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partial_fix: Option<PartialFix>,
    /// Indicators of the campaigns exploiting it (ids from the adversaries' `indicators`)
    /// that the advisory lists: an organisation receiving it hunts for them in its logs and
    /// puts them into its defences, so one that patches also looks for traces.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indicators: Vec<Id>,
}

impl Disclosure {
    /// A disclosure with only its required parts: reported to `coordinator` at `reported`,
    /// `embargo` for the vendor.
    pub fn coordinated(coordinator: &str, reported: At, embargo: Duration) -> Self {
        Self {
            coordinator: coordinator.into(),
            reported,
            embargo,
            advisory: None,
            proof_of_concept: None,
            partial_fix: None,
            indicators: Vec::new(),
        }
    }
}

/// A fix that covers only some deployments of the product.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartialFix {
    /// The deployments (services, as organisations list them in `vulnerable`) the first
    /// fix covers, e.g. `["MOVEit Cloud"]`.
    pub covers: Vec<String>,
    /// When the fix for every other deployment comes out; absent, not within the exercise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rest: Option<At>,
}
