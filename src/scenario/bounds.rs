//! Every count a scenario gives has a bound, stated here with its reason. Scenarios come
//! from other teams: `analysts: 4294967295` must be an error with file:line:col, not a
//! 34 GB allocation or a desk that wraps round to zero analysts.

/// The largest value a count may take, and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bound {
    pub max: u32,
    pub why: &'static str,
}

/// Analysts of a CSIRT, a crisis team's reinforcement, or analysts made unavailable.
pub const ANALYSTS: Bound = Bound {
    max: 10_000,
    why: "the largest national CSIRTs have a few hundred staff, and a desk keeps a slot per analyst",
};

/// Organisations hit before a crisis level is raised, or the n-th impact of a kind.
pub const ORGANISATIONS: Bound = Bound {
    max: 1_000_000,
    why: "more organisations than NIS2 brings into scope in the whole EU (about 160,000)",
};

/// Actors that must know an indicator before the adversary rotates it.
pub const ACTORS: Bound = Bound {
    max: 1_000_000,
    why: "more actors than a scenario file can hold",
};

/// A chance in percent.
pub const PERCENT: Bound = Bound {
    max: 100,
    why: "a chance in percent",
};

/// Copies of discussion questions one inject raises: its questions times its addressees.
/// Counted, not given: a file of a few megabytes could otherwise ask a million questions of
/// ten thousand organisations and fill memory with copies nobody will read.
pub const DISCUSSION_COPIES: Bound = Bound {
    max: 100_000,
    why: "an exercise discusses a handful of questions per inject, even when it goes to every organisation of a national exercise",
};

/// How long before T+0 a campaign may start, in minutes: a year. The time before T+0 is
/// played (by events, not minute by minute), and a compromise older than a year is a
/// story for the briefing, not for the simulation.
pub const PLAYED_BEFORE_START: i64 = 365 * 24 * 60;

/// Every integer field of the scenario format with its bound (`Scenario.version` must
/// equal the format version). `tests/reference.rs` traces the format and fails on an
/// integer field missing here.
pub const FIELDS: [(&str, &str, Bound); 9] = [
    (
        "Scenario",
        "version",
        Bound {
            max: crate::scenario::FORMAT_VERSION,
            why: "the scenario format this program reads",
        },
    ),
    ("Csirt", "analysts", ANALYSTS),
    ("CrisisAction::CrisisTeam", "extra_analysts", ANALYSTS),
    ("InjectEffect::StaffUnavailable", "analysts", ANALYSTS),
    ("CrisisTrigger::EntitiesHit", "count", ORGANISATIONS),
    ("EventPattern::NthImpact", "count", ORGANISATIONS),
    ("Rotation", "known_by", ACTORS),
    ("InjectEffect::Tip", "chance_percent", PERCENT),
    ("Customers", "count", ORGANISATIONS),
];

/// The problem with `value` as the `what` of a scenario, if it is over its bound.
pub fn over(value: u32, bound: Bound, what: &str) -> Option<String> {
    (value > bound.max).then(|| format!("{what} {value} is more than {}: {}", bound.max, bound.why))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_count_over_its_bound_says_the_bound_and_why() {
        assert_eq!(over(10_000, ANALYSTS, "analysts"), None);
        let message = over(u32::MAX, ANALYSTS, "analysts").unwrap();
        assert!(
            message.contains("4294967295 is more than 10000: the largest"),
            "{message}"
        );
        assert!(over(101, PERCENT, "chance_percent").is_some());
    }
}
