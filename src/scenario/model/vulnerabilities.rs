//! Vulnerabilities and their coordinated disclosure (NIS2 Art. 11.3.g).

use serde::{Deserialize, Serialize};

use super::Id;
use crate::scenario::time::{At, Duration, WallClock, format_offset};

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

impl Disclosure {
    /// The disclosure's course in a facilitator's words, e.g. "reported to volunteers
    /// T-88d: under embargo when the exercise opens · advisory T+3d 12h (the vendor's
    /// date) · fixed first for OrbisRMM SaaS, the rest T+8d".
    pub fn course(&self, start: &WallClock) -> String {
        let when = |at: &At| format_offset(at.resolve(start));
        let reported = self.reported.resolve(start);
        let mut parts = vec![if reported < 0 {
            format!(
                "reported to {} {}: under embargo when the exercise opens",
                self.coordinator,
                when(&self.reported)
            )
        } else {
            format!("reported to {} {}", self.coordinator, when(&self.reported))
        }];
        parts.push(match &self.advisory {
            Some(at) => format!("advisory {} (the vendor's date)", when(at)),
            None => format!("advisory {} after the vendor is contacted", self.embargo),
        });
        if let Some(at) = &self.proof_of_concept {
            parts.push(format!("public proof of concept {}", when(at)));
        }
        if let Some(fix) = &self.partial_fix {
            parts.push(format!(
                "fixed first for {}, the rest {}",
                fix.covers.join(", "),
                fix.rest
                    .as_ref()
                    .map_or_else(|| "not within the exercise".to_owned(), when)
            ));
        }
        if !self.indicators.is_empty() {
            parts.push(format!(
                "lists {} indicators to hunt for",
                self.indicators.len()
            ));
        }
        parts.join(" · ")
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
