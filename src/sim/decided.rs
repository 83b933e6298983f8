//! What an organisation's players decided in the exercise's discussions that changes how
//! it acts from then on, kept with the organisation's other state.

use std::collections::BTreeSet;

use crate::scenario::{Minute, ReportKind, Tlp};

/// What an organisation decided in the exercise's discussions: reports it will not send,
/// a new marking for what it shares. Hashed only once something was decided, so the
/// checksums of a run without such decisions stay what they always were.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Decided {
    pub withheld: BTreeSet<ReportKind>,
    /// Replaces the scenario's `indicator_tlp` once set.
    pub marking: Option<Tlp>,
    /// Its systems are offline until this minute (exclusive).
    pub offline_until: Option<Minute>,
}

impl Decided {
    /// Whether its systems are offline at `now`.
    pub fn is_offline(&self, now: Minute) -> bool {
        self.offline_until.is_some_and(|until| now < until)
    }
}

impl std::hash::Hash for Decided {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        if *self != Self::default() {
            self.withheld.hash(state);
            self.marking.hash(state);
            self.offline_until.hash(state);
        }
    }
}
