//! tabletop: a deterministic crisis-exercise simulator for CSIRTs (NIS2 Art. 11).
//!
//! - [`files`]: reading untrusted input files (regular files only, within a limit).
//! - [`scenario`]: the RON scenario format, its validation and diagnostics.
//! - [`sim`]: the deterministic bevy_ecs core behind the [`sim::Simulation`] facade.
//! - [`session`]: session files: record as it goes, resume, replay and verify.
//! - [`sweep`]: Monte Carlo sweeps over seeds, comparing procedure variants.
//! - [`report`]: the after-action report (HSEEP AAR/IP) of a session, as Markdown or HTML.
//! - [`generate`]: synthetic scenarios of any size for stress tests and benchmarks.
//! - [`host`]: one running exercise (clock, commands, seats' views), whatever face drives it.
//! - [`gui`]: the facilitator's desktop app (egui/eframe), changing the world only by commands.
//! - [`export`]: MISP, STIX 2.1 and ATT&CK Navigator exports of what a session's actors knew.
//! - [`msel`]: a scenario's injects as an HSEEP MSEL spreadsheet (XLSX or CSV).
//! - [`cli`]: the `tabletop` command line, the only module that prints.
//! - [`words`]: counts with the right plural, for every face.

pub mod cli;
pub mod export;
pub mod files;
pub mod generate;
pub mod gui;
pub mod host;
pub mod msel;
pub mod report;
pub mod scenario;
pub mod serve;
pub mod session;
pub mod sim;
pub mod sweep;
pub mod words;
