//! Standard operating procedures: a CSIRT's steps when a report, share or sighting comes in.

use serde::{Deserialize, Serialize};

use super::Id;
use super::crisis::CrisisLevel;
use crate::scenario::time::{Duration, DurationRange};
use crate::scenario::tlp::Tlp;

/// A standard operating procedure: what a CSIRT does, step by step, when its trigger
/// happens. Several variants of one procedure share an `id`; the first is played unless
/// another is chosen (e.g. `tabletop sweep --variant fin-intake=share-first`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sop {
    pub id: Id,
    /// Name of this variant; required when several variants share the id.
    #[serde(default)]
    pub variant: Option<String>,
    #[serde(default)]
    pub title: String,
    /// The CSIRT that runs it (its analysts do the steps, within its hours).
    pub owner: Id,
    pub trigger: SopTrigger,
    pub steps: Vec<Step>,
}

/// What starts a procedure at its owner.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SopTrigger {
    /// An incident report arrives (from an entity, or forwarded by an authority); with
    /// `major_only`, only reports of incidents classified major.
    Report {
        #[serde(default)]
        major_only: bool,
    },
    /// Another CSIRT shares new indicators.
    Share,
    /// A peer reports a sighting.
    Sighting,
}

/// One step of a procedure.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub id: Id,
    pub action: Action,
    /// Who does it, in the owner's words (e.g. "duty officer"); players take roles later.
    #[serde(default)]
    pub role: Option<String>,
    /// Analyst time. Defaults to 15m to 30m.
    #[serde(default = "default_step_duration")]
    pub duration: DurationRange,
    /// Steps that must be finished first.
    #[serde(default)]
    pub after: Vec<Id>,
    /// Must be finished within this time of the procedure's start.
    #[serde(default)]
    pub deadline: Option<Duration>,
    /// Done by the on-call analyst outside office hours; otherwise the step waits for the
    /// office to open (unless the case is a major incident). Defaults to false.
    #[serde(default)]
    pub on_call: bool,
}

fn default_step_duration() -> DurationRange {
    DurationRange::new(Duration::minutes(15), Duration::minutes(30))
}

/// The fixed vocabulary of what a procedure step can do in the simulation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Action {
    /// Assess the case (analyst time only).
    Triage,
    /// Analyse: adds sectoral and adversarial context to the case's indicators.
    Analyse,
    /// Ask the reporting organisation for what else it knows; it answers at once, over its
    /// channel.
    RequestInformation,
    /// Share the case's indicators with recipients at a TLP marking (never looser than
    /// the marking they were received under).
    ShareIndicators { with: Recipients, tlp: Tlp },
    /// Answer the reporting organisation with what the CSIRT knows (feedback).
    ContactEntity,
    /// Scan the reporting organisation's exposed services (needs `Scanning`).
    RequestScan,
    /// Raise the owner's crisis level.
    EscalateCrisis { level: CrisisLevel },
    /// Inform an authority (e.g. the NIS2 competent authority) of the case.
    NotifyAuthority { to: Id },
    /// A public advisory: every organisation in the owner's country learns the case's
    /// indicators that may go to anyone (CLEAR or GREEN, or the CSIRT's own), keeping their
    /// marking.
    PublishAdvisory,
    /// A decision point: a prompt with options, each doing actions; the default applies
    /// when nobody answers within `timeout`.
    Decide(Decision),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    pub prompt: String,
    pub options: Vec<DecisionOption>,
    /// The option that applies when nobody decides in time.
    pub default: Id,
    pub timeout: Duration,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionOption {
    pub id: Id,
    pub label: String,
    #[serde(default)]
    pub actions: Vec<Action>,
}

/// Who a procedure shares with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Recipients {
    /// The owner's constituency (as warnings).
    Constituency,
    /// The owner's peers (national CSIRT, CSIRTs Network).
    Peers,
    /// Named actors.
    Actors(Vec<Id>),
}
