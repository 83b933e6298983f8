//! The built-in reporting regimes (NIS2, DORA, GDPR, read from `assets/regimes.ron`) and
//! finding the regime an obligation names.
//!
//! The built-in library is data in the scenario format's own notation: the simulation plays
//! it with the same mechanism as a regime a scenario defines, and a designer reads it as the
//! worked example of how to write one.

use std::sync::OnceLock;

use super::model::{Obligation, Regime, Scenario};

/// The library's source, compiled in so every machine plays the same deadlines.
const LIBRARY: &str = include_str!("../../assets/regimes.ron");

/// The built-in regimes, in the library's order.
pub fn built_in() -> &'static [Regime] {
    static REGIMES: OnceLock<Vec<Regime>> = OnceLock::new();
    REGIMES.get_or_init(|| {
        // The library ships inside the binary and a unit test parses it, so a failure here
        // is a build defect, never a user's input.
        ron::from_str(LIBRARY).expect("assets/regimes.ron is a valid list of regimes")
    })
}

/// The regime with this id: the scenario's own, or a built-in one.
pub fn find<'a>(scenario: &'a Scenario, id: &str) -> Option<&'a Regime> {
    scenario
        .regimes
        .iter()
        .chain(built_in())
        .find(|r| r.id == id)
}

impl Obligation {
    /// The id of the regime owed; `None` for a voluntary notification, which owes nothing.
    pub fn regime(&self) -> Option<&str> {
        match self {
            Self::Nis2 { .. } => Some("nis2"),
            Self::Dora { .. } => Some("dora"),
            Self::Gdpr { .. } => Some("gdpr"),
            Self::Voluntary { .. } => None,
            Self::Owes { regime, .. } => Some(regime),
        }
    }

    /// Who receives the reports.
    pub fn to(&self) -> &str {
        match self {
            Self::Nis2 { to }
            | Self::Dora { to }
            | Self::Gdpr { to }
            | Self::Voluntary { to }
            | Self::Owes { to, .. } => to,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Clock, ReportKind};

    #[test]
    fn the_library_holds_nis2_dora_and_gdpr_with_their_deadlines() {
        let ids: Vec<&str> = built_in().iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["nis2", "dora", "gdpr"]);
        let dora = &built_in()[1];
        assert_eq!(dora.reports[0].report, ReportKind::DoraInitial);
        assert_eq!(dora.reports[0].due.len(), 2);
        assert_eq!(
            dora.reports[2].due[0].from,
            Clock::Sent(ReportKind::DoraIntermediate)
        );
        assert_eq!(built_in()[2].reports[0].due[0].within.minutes, 72 * 60);
    }
}
