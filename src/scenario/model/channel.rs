//! The channels messages travel on.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Channel {
    Phone,
    Email,
    Portal,
    Media,
    InPerson,
}

impl Channel {
    /// The channel as people name it: "e-mail", "in person".
    pub const fn label(self) -> &'static str {
        match self {
            Self::Phone => "phone",
            Self::Email => "e-mail",
            Self::Portal => "portal",
            Self::Media => "media",
            Self::InPerson => "in person",
        }
    }
}
