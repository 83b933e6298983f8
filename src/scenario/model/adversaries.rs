//! Adversaries, their campaigns, stages and indicators.

use serde::{Deserialize, Serialize};

use super::Id;
use super::organisations::Maturity;
use super::sector::Sector;
use crate::scenario::time::{At, Duration, DurationRange};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum AdversaryIntent {
    Financial,
    Espionage,
    Disruption,
    Hacktivism,
}

impl AdversaryIntent {
    pub const fn label(self) -> &'static str {
        match self {
            Self::Financial => "financial gain",
            Self::Espionage => "espionage",
            Self::Disruption => "disruption",
            Self::Hacktivism => "hacktivism",
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Adversary {
    pub id: Id,
    pub name: String,
    pub intent: AdversaryIntent,
    /// Skill: a highly capable adversary is detected less often.
    pub capability: Maturity,
    pub campaigns: Vec<Campaign>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum IndicatorKind {
    Domain,
    Ip,
    Url,
    FileHash,
    Email,
    /// A file's path or name on a victim's system ("C:\\Users\\Public\\loader.exe").
    FilePath,
    /// A host's name ("mail01.ducksends.local").
    Hostname,
    /// A user or service account ("svc-backup").
    Account,
    /// A bank account money went to (an IBAN or a national account number).
    BankAccount,
    /// Anything else; the indicator's `label` says what ("SWIFT BIC").
    Other,
}

impl IndicatorKind {
    pub const fn label(self) -> &'static str {
        match self {
            Self::Domain => "domain",
            Self::Ip => "IP address",
            Self::Url => "URL",
            Self::FileHash => "file hash",
            Self::Email => "e-mail address",
            Self::FilePath => "file path",
            Self::Hostname => "host name",
            Self::Account => "account",
            Self::BankAccount => "bank account",
            Self::Other => "other indicator",
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    pub id: Id,
    pub kind: IndicatorKind,
    /// The observable itself, e.g. "ducksends-secure-login.com".
    pub value: String,
    /// What it is, in words: required for an `Other` indicator ("SWIFT BIC"). Left out of
    /// the encoding when absent, so a scenario without it keeps its digest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

/// Who a campaign or a spreading stage goes after.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Target {
    /// One organisation by id.
    Entity(Id),
    /// Every organisation of a sector.
    Sector(Sector),
    /// The current victim's suppliers (only inside a `Spread` effect).
    Suppliers,
    /// The organisations that have the current victim as a supplier (only inside `Spread`).
    Customers,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Campaign {
    pub id: Id,
    pub name: String,
    /// When the first stage starts against the initial targets.
    #[serde(default = "at_start")]
    pub start: At,
    pub targets: Vec<Target>,
    pub indicators: Vec<Indicator>,
    /// Walked in order at each target, from the first stage (or a `Spread` entry stage).
    pub stages: Vec<Stage>,
    /// Infrastructure rotation once the campaign's indicators are widely known.
    #[serde(default)]
    pub rotation: Option<Rotation>,
}

/// The adversary swaps burnt infrastructure for new.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rotation {
    /// Rotation starts once this many actors know any of the replaced indicators.
    pub known_by: u32,
    /// Time the adversary needs to set up the new infrastructure.
    pub delay: Duration,
    /// `(old, new)` indicator ids: stages leave `new` instead of `old` from then on.
    pub replace: Vec<(Id, Id)>,
}

fn at_start() -> At {
    At::Offset(0)
}

/// How hard a stage is to notice for a defender who does not know its indicators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Difficulty {
    Easy,
    Moderate,
    Hard,
    VeryHard,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stage {
    pub id: Id,
    pub name: String,
    /// MITRE ATT&CK technique id, e.g. "T1566.002"; empty for a step ATT&CK has no id for
    /// (a physical break-in), which then carries a `label`.
    #[serde(default)]
    pub technique: String,
    /// What a stage without an ATT&CK technique is, in words ("physical break-in"): shown
    /// and journaled where the technique would be. Left out of the encoding when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Time the stage takes after the previous one (or after the campaign reaches the target).
    pub duration: DurationRange,
    /// The stage does not complete before this moment (e.g. ransomware at "Mon 03:00").
    #[serde(default)]
    pub not_before: Option<At>,
    /// Indicators the stage leaves: a defender who already knows one detects it far more often.
    #[serde(default)]
    pub indicators: Vec<Id>,
    pub detection: Difficulty,
    #[serde(default)]
    pub effect: Effect,
    /// A CVE id the stage exploits: it fails at targets without that vulnerability exposed
    /// and unpatched.
    #[serde(default)]
    pub exploits: Option<String>,
    /// Further CVE ids the stage chains with `exploits` (an authentication bypass, then a
    /// code execution): it fails unless every one is exposed and unpatched at the target.
    /// Left out of the encoding when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also_exploits: Vec<String>,
}

/// What a completed stage does to its victim.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Effect {
    /// A foothold, nothing visible yet.
    #[default]
    None,
    CredentialTheft,
    /// Personal data stolen: GDPR Art. 33 applies.
    DataTheft,
    Fraud,
    Encryption,
    Outage,
    Ddos,
    /// The campaign reaches further organisations, entering them at stage `entry`.
    Spread {
        targets: Vec<Target>,
        entry: Id,
    },
}
