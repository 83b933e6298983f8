//! Inject guards: what must be true of the world for a scripted inject to fire, so an
//! MSEL written before the exercise never tells an organisation something that did not
//! happen to it (a ransom note to a bank that was never encrypted).

use serde::{Deserialize, Serialize};

use super::Id;
use super::patterns::ImpactKind;

/// One condition an inject needs when it fires. `entity` names the organisation it is
/// asked of; left out, it is asked of each organisation the inject is addressed to, and
/// the inject reaches only those for which it holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Guard {
    /// A campaign (any, or `campaign`) completed at least one stage at the organisation.
    Compromised {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        entity: Option<Id>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        campaign: Option<Id>,
    },
    /// Compromised, and the organisation has not contained that intrusion (yet).
    NotContained {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        entity: Option<Id>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        campaign: Option<Id>,
    },
    /// A stage with this effect completed at the organisation (e.g. it was encrypted).
    Hit {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        entity: Option<Id>,
        effect: ImpactKind,
    },
}

impl Guard {
    /// The organisation the guard names, if it names one (else: each addressee).
    pub fn entity(&self) -> Option<&str> {
        match self {
            Self::Compromised { entity, .. }
            | Self::NotContained { entity, .. }
            | Self::Hit { entity, .. } => entity.as_deref(),
        }
    }

    /// The campaign the guard names, if it names one.
    pub fn campaign(&self) -> Option<&str> {
        match self {
            Self::Compromised { campaign, .. } | Self::NotContained { campaign, .. } => {
                campaign.as_deref()
            }
            Self::Hit { .. } => None,
        }
    }

    /// What must hold, of `who` (an organisation's id or name), in words: "ducksends was
    /// hit by encryption (ransomware)".
    pub fn describe(&self, who: &str) -> String {
        let by = self
            .campaign()
            .map(|c| format!(" by campaign \"{c}\""))
            .unwrap_or_default();
        match self {
            Self::Compromised { .. } => format!("{who} was compromised{by}"),
            Self::NotContained { .. } => {
                format!("{who} was compromised{by} and has not contained it")
            }
            Self::Hit { effect, .. } => format!("{who} was hit by {}", effect.label()),
        }
    }
}
