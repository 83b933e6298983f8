//! How much simulation one frame may play, so a face stays responsive at full speed.
//!
//! The host never reads the wall clock: a face lends it a [`Stopwatch`] for the frame, and
//! tests lend one that ticks a fixed amount per reading.

use std::time::Duration;

/// A face's stopwatch: monotonic time since any fixed origin, read between engine steps.
pub trait Stopwatch {
    fn elapsed(&mut self) -> Duration;
}

impl<F: FnMut() -> Duration> Stopwatch for F {
    fn elapsed(&mut self) -> Duration {
        self()
    }
}

/// How much simulation one frame may run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FrameBudget {
    /// At most this many engine steps (due minutes) per frame.
    pub max_steps: u32,
    /// At most this much wall time in engine steps per frame. Defaults to 10 ms, which
    /// leaves room to draw a 10,000-organisation console well within 33 ms (30 frames a
    /// second). A step is never cut: one that would likely overrun waits for the next frame.
    pub max_micros: u64,
}

impl Default for FrameBudget {
    fn default() -> Self {
        Self {
            max_steps: 50_000,
            max_micros: 10_000,
        }
    }
}

/// What one frame played, shown small in the console's clock bar.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FrameStats {
    pub steps: u32,
    pub sim_micros: u64,
}

/// A running estimate of what one engine step costs, biased toward the expensive ones, so
/// a frame stops before a step that would overrun its budget.
#[derive(Clone, Copy, Debug, Default)]
pub struct StepCost(Duration);

impl StepCost {
    pub fn observe(&mut self, cost: Duration) {
        self.0 = if cost > self.0 {
            cost
        } else {
            (self.0 * 7 + cost) / 8
        };
    }

    /// Whether another step still fits in a frame that has spent `spent` of `budget`.
    pub fn fits(self, spent: Duration, budget: Duration) -> bool {
        spent + self.0 < budget
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_expensive_step_is_remembered_and_forgotten_slowly() {
        let mut cost = StepCost::default();
        cost.observe(Duration::from_millis(8));
        assert!(!cost.fits(Duration::from_millis(3), Duration::from_millis(10)));
        for _ in 0..20 {
            cost.observe(Duration::from_micros(100));
        }
        assert!(cost.fits(Duration::from_millis(3), Duration::from_millis(10)));
    }
}
