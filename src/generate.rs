//! Synthetic scenarios (placeholder until the generator lands; helper replaces this file).
use crate::scenario::Scenario;

pub struct GenerateOptions {
    pub entities: u32,
    pub days: u32,
    pub seed: u64,
}

pub fn generate(_options: &GenerateOptions) -> Scenario {
    unimplemented!("generator in progress")
}

pub fn to_ron(scenario: &Scenario) -> Result<String, ron::Error> {
    ron::ser::to_string_pretty(scenario, ron::ser::PrettyConfig::default())
}
