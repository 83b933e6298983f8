//! What to generate: the only input of the generator besides its code.

/// What to generate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GenerateOptions {
    /// Number of organisations (NIS2 "entities").
    pub entities: u32,
    /// Length of the exercise in days.
    pub days: u32,
    /// Seed of the generator's random streams.
    pub seed: u64,
    /// Organisations the story never reaches, in observer countries (see `idle`): 0 for
    /// an ordinary exercise.
    pub idle: u32,
}
