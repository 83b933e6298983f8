//! Crisis levels (NIS2 Art. 11.5.b), what raises them and what they require.

use serde::{Deserialize, Serialize};

use super::sector::Sector;

/// Crisis levels (11.5.b), least to most serious.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum CrisisLevel {
    Normal,
    Alert,
    Crisis,
}

impl CrisisLevel {
    pub const fn label(self) -> &'static str {
        match self {
            Self::Normal => "normal",
            Self::Alert => "alert",
            Self::Crisis => "crisis",
        }
    }
}

/// A rule: when `when` holds, the CSIRT raises the level to `level` and does `actions`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Escalation {
    pub level: CrisisLevel,
    pub when: CrisisTrigger,
    #[serde(default)]
    pub actions: Vec<CrisisAction>,
}

/// What the CSIRT must know for a crisis level to be raised.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CrisisTrigger {
    /// It knows of incidents at `count` or more organisations (of `sector`, and only
    /// essential ones if `essential_only`).
    EntitiesHit {
        count: u32,
        #[serde(default)]
        sector: Option<Sector>,
        #[serde(default)]
        essential_only: bool,
    },
    /// A peer in another country reports a sighting of an indicator of a campaign it
    /// already knows from home.
    CrossBorder,
    /// Only an inject (`RaiseCrisis`), an `EscalateCrisis` step or a player raises it.
    Manual,
}

impl CrisisTrigger {
    /// The rule in words: "incidents at 2 or more essential finance organisations".
    pub fn describe(&self) -> String {
        match self {
            Self::EntitiesHit {
                count,
                sector,
                essential_only,
            } => {
                let essential = if *essential_only { "essential " } else { "" };
                let sector = sector.map_or(String::new(), |s| format!("{} ", s.label()));
                let noun = if *count == 1 {
                    "organisation"
                } else {
                    "organisations"
                };
                let more = if *count == 1 { "" } else { " or more" };
                format!("incidents at {count}{more} {essential}{sector}{noun}")
            }
            Self::CrossBorder => "a cross-border sighting of a known campaign".to_owned(),
            Self::Manual => "a manual decision".to_owned(),
        }
    }
}

/// What a crisis level requires.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CrisisAction {
    /// A crisis team reinforces the CSIRT's analysts.
    CrisisTeam { extra_analysts: u32 },
    /// Every CSIRT of the network is told what this CSIRT knows (TLP:GREEN).
    InformNetwork,
    /// A public advisory: every organisation in the CSIRT's country learns the indicators
    /// the CSIRT may pass on to anyone (marked CLEAR or GREEN, or its own), keeping their
    /// marking.
    PublicCommunication,
}

impl CrisisAction {
    /// What the level requires, in words: "a crisis team of 2 extra analysts".
    pub fn describe(&self) -> String {
        match self {
            Self::CrisisTeam { extra_analysts: 1 } => "a crisis team of 1 extra analyst".to_owned(),
            Self::CrisisTeam { extra_analysts } => {
                format!("a crisis team of {extra_analysts} extra analysts")
            }
            Self::InformNetwork => "inform the CSIRTs Network".to_owned(),
            Self::PublicCommunication => "a public advisory".to_owned(),
        }
    }
}
