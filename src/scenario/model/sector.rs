//! The sectors organisations belong to.

use serde::{Deserialize, Serialize};

/// NIS2 Annex I and II sectors, coarsened to what exercises need.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Sector {
    /// Banking, payments, insurance, financial market infrastructure (DORA applies).
    Finance,
    Energy,
    Transport,
    Health,
    Water,
    DigitalInfrastructure,
    IctServices,
    PublicAdministration,
    Manufacturing,
    DigitalProviders,
    Other,
}

impl Sector {
    pub const ALL: [Self; 11] = [
        Self::Finance,
        Self::Energy,
        Self::Transport,
        Self::Health,
        Self::Water,
        Self::DigitalInfrastructure,
        Self::IctServices,
        Self::PublicAdministration,
        Self::Manufacturing,
        Self::DigitalProviders,
        Self::Other,
    ];

    pub const fn label(self) -> &'static str {
        match self {
            Self::Finance => "finance",
            Self::Energy => "energy",
            Self::Transport => "transport",
            Self::Health => "health",
            Self::Water => "drinking water",
            Self::DigitalInfrastructure => "digital infrastructure",
            Self::IctServices => "ICT services",
            Self::PublicAdministration => "public administration",
            Self::Manufacturing => "manufacturing",
            Self::DigitalProviders => "digital providers",
            Self::Other => "other",
        }
    }
}
