//! The ATT&CK techniques a generated campaign strings together, as one table.
//!
//! The campaign recipes (`adversaries.rs`) name a technique by its slug through
//! [`technique`], which runs while compiling: a slug missing from the table fails the
//! build, never a generation.

use crate::scenario::{Difficulty, IndicatorKind, Minute};

use super::units::{DAY, HOUR};

/// One step of an attack chain before it becomes a `Stage`.
#[derive(Clone, Copy)]
pub(super) struct Technique {
    /// Short id, unique in the table; a stage's id is its position and this slug.
    pub(super) slug: &'static str,
    pub(super) name: &'static str,
    /// The MITRE ATT&CK id, e.g. `T1566.002`.
    pub(super) attack_id: &'static str,
    /// Shortest and longest time the step takes, in minutes.
    pub(super) duration: (Minute, Minute),
    pub(super) detection: Difficulty,
    pub(super) effect: Fx,
    /// Kinds of indicators the step leaves.
    pub(super) leaves: &'static [IndicatorKind],
    /// Whether the step can carry a campaign to suppliers or customers.
    pub(super) spreads: bool,
}

/// A technique's effect on its target: the scenario's `Effect` without the data a spread
/// carries, so that the table can be a constant.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Fx {
    None,
    CredentialTheft,
    DataTheft,
    Fraud,
    Encryption,
    Outage,
    Ddos,
}

/// A row of the table: slug, name, ATT&CK id, duration range, detection, effect, indicators.
const fn row(
    slug: &'static str,
    name: &'static str,
    attack_id: &'static str,
    duration: (Minute, Minute),
    detection: Difficulty,
    effect: Fx,
    leaves: &'static [IndicatorKind],
) -> Technique {
    Technique {
        slug,
        name,
        attack_id,
        duration,
        detection,
        effect,
        leaves,
        spreads: false,
    }
}

/// A row whose technique can carry a campaign to suppliers or customers.
const fn spreading(technique: Technique) -> Technique {
    Technique {
        spreads: true,
        ..technique
    }
}

use Difficulty::{Easy, Hard, Moderate, VeryHard};
use IndicatorKind::{Domain, Email, FileHash, Ip, Url};

/// Every technique the generator knows, roughly in kill-chain order: initial access first,
/// impact last.
const CATALOGUE: [Technique; 30] = [
    row(
        "phish-link",
        "Spear-phishing link to a fake login page",
        "T1566.002",
        (15, 4 * HOUR),
        Moderate,
        Fx::None,
        &[Domain, Email],
    ),
    row(
        "phish-attachment",
        "Spear-phishing attachment",
        "T1566.001",
        (30, 6 * HOUR),
        Moderate,
        Fx::None,
        &[Email, FileHash],
    ),
    row(
        "exploit-public-app",
        "Exploit of a public-facing application",
        "T1190",
        (HOUR, 12 * HOUR),
        Hard,
        Fx::None,
        &[Ip, Url],
    ),
    row(
        "vpn-access",
        "Log-in to external remote services (VPN)",
        "T1133",
        (HOUR, 8 * HOUR),
        Hard,
        Fx::None,
        &[Ip],
    ),
    row(
        "scanning",
        "Vulnerability scanning of exposed services",
        "T1595.002",
        (2 * HOUR, DAY),
        Easy,
        Fx::None,
        &[Ip],
    ),
    row(
        "poisoned-update",
        "Compromised software update",
        "T1195.002",
        (4 * HOUR, 2 * DAY),
        VeryHard,
        Fx::None,
        &[FileHash, Domain],
    ),
    row(
        "powershell-loader",
        "PowerShell loader",
        "T1059.001",
        (30, 3 * HOUR),
        Moderate,
        Fx::None,
        &[FileHash],
    ),
    row(
        "scheduled-task",
        "Persistence by scheduled task",
        "T1053.005",
        (HOUR, 6 * HOUR),
        Hard,
        Fx::None,
        &[FileHash],
    ),
    row(
        "web-c2",
        "Command and control over HTTPS",
        "T1071.001",
        (2 * HOUR, 12 * HOUR),
        VeryHard,
        Fx::None,
        &[Domain, Ip],
    ),
    row(
        "lsass-dump",
        "Credential dumping from LSASS memory",
        "T1003.001",
        (HOUR, 8 * HOUR),
        Hard,
        Fx::CredentialTheft,
        &[FileHash],
    ),
    row(
        "password-spraying",
        "Password spraying against the mail service",
        "T1110.003",
        (2 * HOUR, DAY),
        Moderate,
        Fx::CredentialTheft,
        &[Ip],
    ),
    row(
        "valid-accounts",
        "Log-in with stolen credentials",
        "T1078",
        (30, 4 * HOUR),
        Hard,
        Fx::CredentialTheft,
        &[Ip],
    ),
    spreading(row(
        "rdp-lateral",
        "Lateral movement over RDP",
        "T1021.001",
        (4 * HOUR, DAY),
        Moderate,
        Fx::None,
        &[],
    )),
    spreading(row(
        "smb-lateral",
        "Lateral movement over admin shares",
        "T1021.002",
        (4 * HOUR, DAY),
        Hard,
        Fx::None,
        &[FileHash],
    )),
    spreading(row(
        "trusted-relationship",
        "Abuse of a trusted relationship with partners",
        "T1199",
        (6 * HOUR, 2 * DAY),
        VeryHard,
        Fx::None,
        &[],
    )),
    spreading(row(
        "internal-phish",
        "Internal spear-phishing from hijacked mailboxes",
        "T1534",
        (6 * HOUR, DAY),
        Hard,
        Fx::None,
        &[FileHash],
    )),
    spreading(row(
        "tool-transfer",
        "Lateral tool transfer",
        "T1570",
        (2 * HOUR, 12 * HOUR),
        Moderate,
        Fx::None,
        &[FileHash],
    )),
    row(
        "deploy-tools",
        "Software-deployment tools taken over",
        "T1072",
        (2 * HOUR, 8 * HOUR),
        Moderate,
        Fx::None,
        &[],
    ),
    row(
        "impair-defences",
        "Security tools disabled",
        "T1562.001",
        (30, 3 * HOUR),
        Moderate,
        Fx::None,
        &[],
    ),
    row(
        "mailbox-access",
        "Collection from mailboxes",
        "T1114.002",
        (HOUR, 6 * HOUR),
        Hard,
        Fx::DataTheft,
        &[Ip],
    ),
    row(
        "local-data",
        "Collection of documents from file servers",
        "T1005",
        (2 * HOUR, DAY),
        VeryHard,
        Fx::None,
        &[],
    ),
    row(
        "exfiltration",
        "Exfiltration over the C2 channel",
        "T1041",
        (2 * HOUR, 12 * HOUR),
        Hard,
        Fx::DataTheft,
        &[Ip],
    ),
    row(
        "exfil-cloud",
        "Exfiltration to cloud storage",
        "T1567.002",
        (HOUR, 8 * HOUR),
        Moderate,
        Fx::DataTheft,
        &[Url],
    ),
    row(
        "payment-fraud",
        "Payment fraud from hijacked accounts",
        "T1657",
        (2 * HOUR, 12 * HOUR),
        Moderate,
        Fx::Fraud,
        &[],
    ),
    row(
        "inhibit-recovery",
        "Backups and shadow copies deleted",
        "T1490",
        (30, 2 * HOUR),
        Moderate,
        Fx::None,
        &[],
    ),
    row(
        "ransomware",
        "Ransomware: data encrypted for impact",
        "T1486",
        (30, 2 * HOUR),
        Easy,
        Fx::Encryption,
        &[FileHash],
    ),
    row(
        "wiper",
        "Data destruction",
        "T1485",
        (30, 2 * HOUR),
        Easy,
        Fx::Outage,
        &[],
    ),
    row(
        "defacement",
        "Defacement of the public web site",
        "T1491.002",
        (HOUR, 6 * HOUR),
        Easy,
        Fx::Outage,
        &[Url],
    ),
    row(
        "ddos",
        "Network denial of service",
        "T1498",
        (HOUR, 6 * HOUR),
        Easy,
        Fx::Ddos,
        &[Ip],
    ),
    row(
        "app-flood",
        "Application-layer flood",
        "T1499.002",
        (HOUR, 6 * HOUR),
        Easy,
        Fx::Outage,
        &[Ip],
    ),
];

/// The technique with this slug. Meant for const contexts (`const { technique("rdp") }`),
/// where a slug missing from the table is a compile error.
pub(super) const fn technique(slug: &str) -> Technique {
    let mut i = 0;
    while i < CATALOGUE.len() {
        if same(CATALOGUE[i].slug, slug) {
            return CATALOGUE[i];
        }
        i += 1;
    }
    panic!("no technique with this slug in the catalogue");
}

/// `a == b` for const fns (`str::eq` is not const).
const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_unique() {
        let mut slugs: Vec<&str> = CATALOGUE.iter().map(|t| t.slug).collect();
        slugs.sort_unstable();
        slugs.dedup();
        assert_eq!(slugs.len(), CATALOGUE.len());
    }
}
