//! The MSEL: injects, their questions and what they change in the world.

use serde::{Deserialize, Serialize};

use super::Id;
use super::channel::Channel;
use super::crisis::CrisisLevel;
use super::guard::Guard;
use super::patterns::{EventPattern, ReportKind};
use crate::scenario::Tlp;
use crate::scenario::time::{At, Duration};

/// One line of the MSEL.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inject {
    pub id: Id,
    pub title: String,
    pub when: When,
    /// Actors it is addressed to (CSIRTs, entities, authorities).
    #[serde(default)]
    pub to: Vec<Id>,
    /// What the players receive; every message is marked EXERCISE.
    #[serde(default)]
    pub message: Option<Message>,
    /// What it changes in the simulated world.
    #[serde(default)]
    pub effects: Vec<InjectEffect>,
    /// What the facilitator expects the players to do (the MSEL's "expected action").
    #[serde(default)]
    pub expected: Vec<String>,
    /// A question the addressees must answer (e.g. "what do you tell the journalist?"):
    /// raised when the inject fires, answered by the role that owns it or by its default.
    #[serde(default)]
    pub question: Option<Question>,
    /// What must be true when it fires (e.g. `[Hit(effect: Encryption)]`): a guard naming
    /// an organisation that does not hold cancels the inject; one naming none is asked of
    /// each addressed organisation, and the inject reaches those for which it holds
    /// (cancelled when none does). A cancelled inject is journaled with the reason.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub only_if: Vec<Guard>,
    /// An optional inject, as exercise packages mark them: it never fires by itself, only
    /// when the facilitator fires it; sweeps leave it out unless `--with-optional`. Left
    /// out of the encoding when false, so a scenario that does not use it keeps its digest.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub optional: bool,
    /// The package's discussion questions: each is asked of every addressee separately,
    /// and each addressee answers for itself by its own deadline. Left out of the encoding
    /// when empty, so a scenario that does not use it keeps its digest.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub discussion: Vec<Discussion>,
}

/// A discussion question, as exercise packages print them under an inject ("Who decides
/// to take online banking offline?"). Free text unless it offers options; an option's
/// effects act on the world when an addressee picks it, as a [`Question`]'s do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Discussion {
    /// Unique within the inject; the journal names one addressee's copy
    /// "inject:question@addressee".
    pub id: Id,
    pub prompt: String,
    /// Answers to choose from; none for a question answered in the players' own words.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<Answer>,
    /// The answer an addressee gives by not answering in time (questions with options only;
    /// an unanswered free-text question is journaled as unanswered).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Id>,
    /// How long each addressee has, from the moment the inject reaches it.
    pub timeout: Duration,
}

impl Discussion {
    /// Whether it is answered in the players' own words rather than by picking an option.
    pub fn is_free_text(&self) -> bool {
        self.options.is_empty()
    }
}

/// An inject's question: a prompt with answers, each changing the world through inject
/// effects; the default applies when nobody answers within `timeout`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub prompt: String,
    pub options: Vec<Answer>,
    pub default: Id,
    pub timeout: Duration,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    pub id: Id,
    pub label: String,
    #[serde(default)]
    pub effects: Vec<InjectEffect>,
}

/// When an inject fires.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum When {
    /// At a fixed moment, e.g. `At("T+4h")` or `At("Mon 03:00")`.
    At(At),
    /// `delay` after the first event matching `on`.
    After { on: EventPattern, delay: Duration },
    /// HSEEP contingency: fires `within` after `after` unless `expected` happened first.
    Unless {
        after: EventPattern,
        expected: EventPattern,
        within: Duration,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Message {
    /// Who speaks, e.g. "journalist, De Financiële Krant".
    pub from: String,
    pub channel: Channel,
    pub subject: String,
    #[serde(default)]
    pub body: String,
}

/// What an inject does to the simulated world.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum InjectEffect {
    /// The entity gets a chance (in percent) to notice the campaign now, e.g. a helpdesk tip.
    Tip {
        entity: Id,
        campaign: Id,
        chance_percent: u32,
    },
    /// Some of a CSIRT's analysts are unavailable for a while.
    StaffUnavailable {
        csirt: Id,
        analysts: u32,
        duration: Duration,
    },
    /// `from` reports a sighting of an indicator to `to`, first seen at `first_seen`.
    Sighting {
        from: Id,
        to: Id,
        indicator: Id,
        first_seen: At,
        /// Free text: where it was seen (victim context, never shared onward).
        #[serde(default)]
        place: String,
    },
    /// An authority asks an entity for a report it owes: the entity sends it soon.
    Reminder { entity: Id },
    /// A channel of an actor fails for a while (e.g. an e-mail outage); senders fall back.
    ChannelDown {
        actor: Id,
        channel: Channel,
        duration: Duration,
    },
    /// An entity asks its CSIRT for a scan of its exposed services (the CSIRT must offer `Scanning`).
    RequestScan { csirt: Id, entity: Id },
    /// The facilitator raises a CSIRT's crisis level (e.g. a political decision).
    RaiseCrisis { csirt: Id, level: CrisisLevel },
    /// The organisation applies an emergency patch or mitigation for `cve` now (an answer
    /// "patch tonight"): a stage exploiting it fails there from now on.
    PatchNow { entity: Id, cve: String },
    /// The organisation contains the campaign's intrusion now, if it knows of it (an
    /// answer "isolate the segment now"): later stages there do not happen.
    ContainNow { entity: Id, campaign: Id },
    /// The organisation decides not to send `report` (an answer "this is not a major
    /// incident; we do not notify"): from now on it does not send that report by itself,
    /// the decision is journaled, so a deadline missed later reads as a choice. A player
    /// of its role may still send it, which reverses the decision.
    WithholdReport { entity: Id, report: ReportKind },
    /// The organisation changes how it marks the indicators it shares and reports from now
    /// on (an answer "share it at TLP:GREEN so the sector can act").
    ShareMarking { entity: Id, tlp: Tlp },
    /// The organisation takes its systems offline for `duration` (an answer "pull the
    /// payment platform off the network"): its service is down meanwhile, and any stage of
    /// an adversary that comes due there meanwhile fails, ending the intrusion.
    TakeOffline { entity: Id, duration: Duration },
}

impl super::Scenario {
    /// The scenario as a sweep `--with-optional` plays it: every optional inject fires by
    /// its own schedule or trigger, as if it had not been marked optional.
    pub fn with_optional_injects(&self) -> Self {
        let mut scenario = self.clone();
        for inject in &mut scenario.injects {
            inject.optional = false;
        }
        scenario
    }
}
