//! Traffic Light Protocol 2.0 (FIRST): the one place that decides who may receive what.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A TLP 2.0 marking, least to most restrictive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Tlp {
    /// TLP:CLEAR: no limit on disclosure.
    Clear,
    /// TLP:GREEN: within the community (here: every actor of the exercise).
    Green,
    /// TLP:AMBER: inside the recipient's organisation and its clients/constituents, need to know.
    Amber,
    /// TLP:AMBER+STRICT: inside the recipient's organisation only.
    AmberStrict,
    /// TLP:RED: the named recipients only; never passed on.
    Red,
}

/// How the holder of a marked item stands to the actor it would pass the item to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Relation {
    /// The recipient is one of the holder's clients or constituents.
    Constituent,
    /// Any other member of the community (a peer CSIRT, an authority, another entity).
    Community,
}

impl Tlp {
    /// Whether an item the holder received under this marking may be passed on to a
    /// recipient in `relation` to the holder. Originators choose freely; this governs
    /// re-sharing, which is every share a CSIRT makes of what it was given.
    pub const fn permits(self, relation: Relation) -> bool {
        match self {
            Self::Clear | Self::Green => true,
            Self::Amber => matches!(relation, Relation::Constituent),
            Self::AmberStrict | Self::Red => false,
        }
    }

    /// Why an item received under this marking may not go further (for refusals).
    pub const fn refusal(self) -> &'static str {
        match self {
            Self::Amber => {
                "TLP:AMBER may reach only the holder's own organisation and its constituents"
            }
            Self::AmberStrict => "TLP:AMBER+STRICT may not leave the receiving organisation",
            Self::Red => "TLP:RED is for the named recipients only",
            Self::Clear | Self::Green => "not refused",
        }
    }

    /// The more restrictive of two markings: re-sharing never loosens a marking.
    pub fn strictest(self, other: Self) -> Self {
        self.max(other)
    }

    pub const fn label(self) -> &'static str {
        match self {
            Self::Clear => "TLP:CLEAR",
            Self::Green => "TLP:GREEN",
            Self::Amber => "TLP:AMBER",
            Self::AmberStrict => "TLP:AMBER+STRICT",
            Self::Red => "TLP:RED",
        }
    }
}

impl fmt::Display for Tlp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amber_reaches_constituents_but_not_peers() {
        assert!(Tlp::Amber.permits(Relation::Constituent));
        assert!(!Tlp::Amber.permits(Relation::Community));
        assert!(Tlp::Green.permits(Relation::Community));
        assert!(!Tlp::AmberStrict.permits(Relation::Constituent));
        assert!(!Tlp::Red.permits(Relation::Constituent));
    }

    #[test]
    fn re_sharing_never_loosens() {
        assert_eq!(Tlp::Green.strictest(Tlp::Amber), Tlp::Amber);
        assert_eq!(Tlp::Red.strictest(Tlp::Clear), Tlp::Red);
    }
}
