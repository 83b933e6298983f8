//! Maturity tables: how fast and how well organisations and adversaries act, by their
//! maturity (low, medium, high), in one place, so a change to the balance of the game is
//! made and reviewed here. Every number is a modelling choice, not a measurement.

use crate::scenario::{
    Difficulty, Duration, DurationRange, Maturity, Minute, ReportPhase,
    time::{MINUTES_PER_DAY, MINUTES_PER_HOUR},
};

const HOUR: Minute = MINUTES_PER_HOUR;
const DAY: Minute = MINUTES_PER_DAY;

pub fn range(min_minutes: Minute, max_minutes: Minute) -> DurationRange {
    DurationRange::new(
        Duration::minutes(min_minutes),
        Duration::minutes(max_minutes),
    )
}

/// Time from awareness to a classification of severity.
pub fn classification_delay(m: Maturity) -> DurationRange {
    match m {
        Maturity::High => range(30, 2 * HOUR),
        Maturity::Medium => range(HOUR, 4 * HOUR),
        Maturity::Low => range(2 * HOUR, 8 * HOUR),
    }
}

/// Time from awareness to an intrusion being contained.
pub fn containment_delay(m: Maturity) -> DurationRange {
    match m {
        Maturity::High => range(2 * HOUR, 8 * HOUR),
        Maturity::Medium => range(6 * HOUR, 30 * HOUR),
        Maturity::Low => range(12 * HOUR, 60 * HOUR),
    }
}

/// Time to write and send a report once its clock starts, by how much writing it takes;
/// `None` for a voluntary notification, which is quicker than a legal one.
pub fn report_delay(m: Maturity, phase: Option<ReportPhase>) -> DurationRange {
    match phase {
        None => match m {
            Maturity::High => range(30, 2 * HOUR),
            Maturity::Medium => range(HOUR, 4 * HOUR),
            Maturity::Low => range(2 * HOUR, 12 * HOUR),
        },
        Some(ReportPhase::Initial) => match m {
            Maturity::High => range(HOUR, 3 * HOUR),
            Maturity::Medium => range(2 * HOUR, 6 * HOUR),
            Maturity::Low => range(4 * HOUR, 20 * HOUR),
        },
        Some(ReportPhase::Intermediate) => range(DAY, 2 * DAY + 12 * HOUR),
        Some(ReportPhase::Final) => range(20 * DAY, 28 * DAY),
    }
}

/// Time an organisation needs to put received indicators into its defences (blocklists,
/// SOC rules). Enriched warnings (with adversarial context) take half as long.
pub fn act_delay(m: Maturity) -> DurationRange {
    match m {
        Maturity::High => range(30, 2 * HOUR),
        Maturity::Medium => range(2 * HOUR, 8 * HOUR),
        Maturity::Low => range(8 * HOUR, 2 * DAY),
    }
}

/// Time an organisation needs to roll out a patch once it knows it must.
pub fn patch_delay(m: Maturity) -> DurationRange {
    match m {
        Maturity::High => range(12 * HOUR, 2 * DAY),
        Maturity::Medium => range(DAY, 5 * DAY),
        Maturity::Low => range(3 * DAY, 14 * DAY),
    }
}

/// Chance that a hunt for freshly received indicators finds an intrusion that left them.
pub const fn hunt_ppm(m: Maturity) -> u32 {
    match m {
        Maturity::Low => 250_000,
        Maturity::Medium => 500_000,
        Maturity::High => 800_000,
    }
}

/// Chance that a defender who already knows a stage's indicators stops it, by maturity.
pub const fn block_ppm(monitoring: Maturity) -> u32 {
    match monitoring {
        Maturity::Low => 400_000,
        Maturity::Medium => 700_000,
        Maturity::High => 900_000,
    }
}

/// Chance per stage that a defender's monitoring notices it, before difficulty and the
/// adversary's capability are weighed in.
pub const fn detection_base_ppm(monitoring: Maturity) -> u64 {
    match monitoring {
        Maturity::Low => 60_000,
        Maturity::Medium => 150_000,
        Maturity::High => 300_000,
    }
}

/// How a stage's difficulty scales the detection chance, in thousandths.
pub const fn difficulty_permille(detection: Difficulty) -> u64 {
    match detection {
        Difficulty::Easy => 2_000,
        Difficulty::Moderate => 1_000,
        Difficulty::Hard => 500,
        Difficulty::VeryHard => 200,
    }
}

/// How an adversary's capability scales the detection chance, in thousandths: a capable
/// adversary is harder to see.
pub const fn capability_permille(capability: Maturity) -> u64 {
    match capability {
        Maturity::Low => 1_500,
        Maturity::Medium => 1_000,
        Maturity::High => 600,
    }
}
