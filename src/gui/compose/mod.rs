//! Building facilitator injects from the scenario's vocabulary, and checking them against
//! the plan before they are given: the engine ignores an effect that names nothing, so
//! the console refuses it first, with a reason.
//!
//! Two drafts: a white-cell message (a journalist, the supervisor, a vendor speaking to
//! players, no effect on the world) and an ad-hoc inject with one effect from the MSEL's
//! vocabulary. Both become a [`Command::ComposeInject`](crate::sim::Command) due now.
//! Ids are checked by the validator's [`check_inject`] against the running plan, the rules
//! the MSEL's injects met; this file checks what is typed as text and words the findings.

use crate::scenario::validate::{ActorKind, Finding, Ids, ProblemKind, Vocabulary, check_inject};
use crate::scenario::{
    At, Channel, CrisisLevel, Duration, Inject, InjectEffect, Message, Minute, Service, When,
};
use crate::sim::Plan;
use crate::sim::plan::ActorIx;

/// Every message to players carries this marking in its subject.
pub const MARKING: &str = "[EXERCISE]";

/// Who speaks in a white-cell message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Voice {
    Journalist,
    Supervisor,
    Vendor,
    Other,
}

impl Voice {
    pub const ALL: [Self; 4] = [
        Self::Journalist,
        Self::Supervisor,
        Self::Vendor,
        Self::Other,
    ];

    pub const fn label(self) -> &'static str {
        match self {
            Self::Journalist => "journalist",
            Self::Supervisor => "supervisor",
            Self::Vendor => "vendor",
            Self::Other => "other",
        }
    }

    /// The sender line a voice starts with; the facilitator may edit it.
    pub const fn default_from(self) -> &'static str {
        match self {
            Self::Journalist => "journalist (press desk)",
            Self::Supervisor => "supervisor (competent authority)",
            Self::Vendor => "vendor (product security team)",
            Self::Other => "white cell",
        }
    }

    pub const fn default_channel(self) -> Channel {
        match self {
            Self::Journalist => Channel::Phone,
            Self::Supervisor | Self::Vendor => Channel::Email,
            Self::Other => Channel::InPerson,
        }
    }
}

pub const CHANNELS: [Channel; 5] = [
    Channel::Phone,
    Channel::Email,
    Channel::Portal,
    Channel::Media,
    Channel::InPerson,
];

pub const LEVELS: [CrisisLevel; 3] = [CrisisLevel::Normal, CrisisLevel::Alert, CrisisLevel::Crisis];

/// A white-cell message being written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WhiteCellDraft {
    pub voice: Voice,
    pub from: String,
    /// Recipients: actor ids separated by commas or spaces.
    pub to: String,
    pub channel: Channel,
    pub subject: String,
    pub body: String,
}

impl Default for WhiteCellDraft {
    fn default() -> Self {
        Self {
            voice: Voice::Journalist,
            from: Voice::Journalist.default_from().to_owned(),
            to: String::new(),
            channel: Voice::Journalist.default_channel(),
            subject: String::new(),
            body: String::new(),
        }
    }
}

/// The effect kinds an ad-hoc inject can have (the scenario's `InjectEffect`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EffectKind {
    Tip,
    StaffUnavailable,
    Sighting,
    Reminder,
    ChannelDown,
    RequestScan,
    RaiseCrisis,
}

impl EffectKind {
    pub const ALL: [Self; 7] = [
        Self::Tip,
        Self::StaffUnavailable,
        Self::Sighting,
        Self::Reminder,
        Self::ChannelDown,
        Self::RequestScan,
        Self::RaiseCrisis,
    ];

    pub const fn label(self) -> &'static str {
        match self {
            Self::Tip => "Tip",
            Self::StaffUnavailable => "StaffUnavailable",
            Self::Sighting => "Sighting",
            Self::Reminder => "Reminder",
            Self::ChannelDown => "ChannelDown",
            Self::RequestScan => "RequestScan",
            Self::RaiseCrisis => "RaiseCrisis",
        }
    }

    pub const fn help(self) -> &'static str {
        match self {
            Self::Tip => "an organisation gets a chance to notice a campaign (a helpdesk call)",
            Self::StaffUnavailable => "some of a CSIRT's analysts are away for a while",
            Self::Sighting => "an actor reports a sighting of an indicator to another",
            Self::Reminder => "an authority reminds an organisation of a report it owes",
            Self::ChannelDown => "a channel of an actor fails for a while",
            Self::RequestScan => "an organisation asks its CSIRT for a scan",
            Self::RaiseCrisis => "a CSIRT's crisis level is raised (a political decision)",
        }
    }
}

/// An ad-hoc inject being composed; every field is text as typed, checked on `build`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdHocDraft {
    pub kind: EffectKind,
    /// The MSEL line, and the subject the recipients read: required.
    pub title: String,
    /// What the recipients read; never the mechanics (the effect stays with the white cell).
    pub body: String,
    /// Recipients: actor ids separated by commas or spaces (may be empty).
    pub to: String,
    pub entity: String,
    pub campaign: String,
    pub chance_percent: String,
    pub csirt: String,
    pub analysts: String,
    pub duration: String,
    pub from: String,
    pub recipient: String,
    pub indicator: String,
    /// "T+2h", "T-30h", "Thu 10:00"; empty means now.
    pub first_seen: String,
    pub place: String,
    pub actor: String,
    pub channel: Channel,
    pub level: CrisisLevel,
}

impl Default for AdHocDraft {
    fn default() -> Self {
        Self {
            kind: EffectKind::Tip,
            title: String::new(),
            body: String::new(),
            to: String::new(),
            entity: String::new(),
            campaign: String::new(),
            chance_percent: "50".to_owned(),
            csirt: String::new(),
            analysts: "1".to_owned(),
            duration: "4h".to_owned(),
            from: String::new(),
            recipient: String::new(),
            indicator: String::new(),
            first_seen: String::new(),
            place: String::new(),
            actor: String::new(),
            channel: Channel::Email,
            level: CrisisLevel::Alert,
        }
    }
}

/// Splits "a, b c" into ids.
pub fn ids(text: &str) -> Vec<String> {
    text.split([',', ' ', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The running exercise's plan as the validator's vocabulary: a composed inject meets the
/// reference checks the MSEL's injects met when the scenario was loaded.
struct PlanVocabulary<'a>(&'a Plan);

impl PlanVocabulary<'_> {
    fn kind(&self, actor: ActorIx) -> ActorKind {
        match (self.0.entity(actor), self.0.authority(actor)) {
            (Some(_), _) => ActorKind::Entity,
            (_, Some(authority)) => ActorKind::Authority(authority.kind),
            _ => ActorKind::Csirt,
        }
    }
}

impl Vocabulary for PlanVocabulary<'_> {
    fn actor_kind(&self, id: &str) -> Option<ActorKind> {
        self.0.by_id.get(id).map(|ix| self.kind(*ix))
    }
    fn actors_by_id(&self) -> impl Iterator<Item = (&str, ActorKind)> {
        self.0
            .by_id
            .iter()
            .map(|(id, ix)| (id.as_str(), self.kind(*ix)))
    }
    fn campaign_ids(&self) -> &impl Ids {
        &self.0.campaign_by_id
    }
    fn indicator_ids(&self) -> &impl Ids {
        &self.0.indicator_by_id
    }
    fn cve_ids(&self) -> &impl Ids {
        &self.0.cve_by_id
    }
    fn defined_reports(&self) -> impl Iterator<Item = &str> {
        self.0
            .regimes
            .iter()
            .flat_map(|r| &r.reports)
            .filter_map(|p| p.report.defined_name())
    }
    fn csirt_offers(&self, csirt: &str, service: Service) -> Option<bool> {
        let ix = self.0.by_id.get(csirt)?;
        self.0.csirt(*ix).map(|c| c.offers(service))
    }
}

/// The problems of the fields typed as text (numbers, durations, times), as messages; the
/// references are the validator's (`references`).
struct Checker {
    problems: Vec<String>,
}

impl Checker {
    /// The duration typed, or one minute (a placeholder never given: the draft has a
    /// problem) so that the validator does not report the same field again.
    fn duration(&mut self, field: &str, text: &str) -> Duration {
        Duration::parse(text)
            .and_then(|d| {
                (d.minutes > 0)
                    .then_some(d)
                    .ok_or_else(|| "must be longer than zero".to_owned())
            })
            .unwrap_or_else(|e| {
                self.problems.push(format!("{field}: {e}"));
                Duration::minutes(1)
            })
    }

    fn number(&mut self, field: &str, text: &str, range: std::ops::RangeInclusive<u32>) -> u32 {
        match text.trim().parse::<u32>() {
            Ok(n) if range.contains(&n) => n,
            _ => {
                self.problems.push(format!(
                    "{field}: expected a whole number from {} to {}",
                    range.start(),
                    range.end()
                ));
                *range.start()
            }
        }
    }
}

/// The reference problems of `inject` (the validator's `check_inject` against the plan),
/// as the console words them: the field first (`fields` names the draft's id fields, in
/// the order the effect checks them), "is not a CSIRT" rather than the file's hint list,
/// and the near miss when there is one.
fn references(plan: &Plan, inject: &Inject, fields: &[(&'static str, &str)]) -> Vec<String> {
    let mut used = vec![false; fields.len()];
    let mut field_of = |finding: &Finding, id: &str| {
        if finding.path.to_string().starts_with("to") {
            return "to";
        }
        let at = fields
            .iter()
            .zip(&used)
            .position(|((_, value), used)| !used && value.trim() == id);
        at.map_or("effect", |i| {
            used[i] = true;
            fields[i].0
        })
    };
    check_inject(&PlanVocabulary(plan), inject)
        .iter()
        .map(|finding| match &finding.kind {
            ProblemKind::Unknown(unknown) => {
                let field = field_of(finding, &unknown.id);
                let actor = matches!(unknown.what, "actor" | "entity" | "CSIRT");
                if unknown.id.is_empty() && actor {
                    format!("{field}: give an actor id")
                } else {
                    let near = unknown
                        .near
                        .as_ref()
                        .map_or(String::new(), |near| format!("; did you mean \"{near}\"?"));
                    let what = if actor { "actor" } else { unknown.what };
                    format!(
                        "{field}: no {what} \"{}\" in this scenario{near}",
                        unknown.id
                    )
                }
            }
            ProblemKind::WrongActor { id, wanted, .. } => {
                let field = field_of(finding, id);
                // An effect's actor references accept one kind: a CSIRT or an entity.
                let wanted = if *wanted == "entity" {
                    "an organisation"
                } else {
                    "a CSIRT"
                };
                format!("{field}: \"{id}\" is not {wanted}")
            }
            ProblemKind::Rule(message) => message.clone(),
        })
        .collect()
}

fn marked(subject: &str) -> String {
    let subject = subject.trim();
    if subject.starts_with(MARKING) {
        subject.to_owned()
    } else {
        format!("{MARKING} {subject}")
    }
}

impl WhiteCellDraft {
    /// The inject for this message, due at `at`, or every problem with it.
    pub fn build(&self, id: &str, at: Minute, plan: &Plan) -> Result<Inject, Vec<String>> {
        let inject = Inject {
            only_if: Vec::new(),
            optional: false,
            discussion: Vec::new(),
            id: id.to_owned(),
            title: format!("{}: {}", self.voice.label(), self.subject.trim()),
            when: When::At(At::Offset(at)),
            to: ids(&self.to),
            message: Some(Message {
                from: self.from.trim().to_owned(),
                channel: self.channel,
                subject: marked(&self.subject),
                body: self.body.trim().to_owned(),
            }),
            effects: Vec::new(),
            expected: Vec::new(),
            question: None,
        };
        let mut problems = references(plan, &inject, &[]);
        if inject.to.is_empty() {
            problems.push("to: name at least one recipient (an actor id)".to_owned());
        }
        if self.subject.trim().is_empty() {
            problems.push("subject: write a subject".to_owned());
        }
        if self.from.trim().is_empty() {
            problems.push("from: say who speaks".to_owned());
        }
        if problems.is_empty() {
            Ok(inject)
        } else {
            Err(problems)
        }
    }
}

impl AdHocDraft {
    /// The effect as typed, with the problems of its text fields.
    fn effect(&self, plan: &Plan, now: Minute) -> (InjectEffect, Vec<String>) {
        let mut check = Checker {
            problems: Vec::new(),
        };
        let trim = |s: &str| s.trim().to_owned();
        let effect = match self.kind {
            EffectKind::Tip => {
                let chance = check.number("chance", &self.chance_percent, 1..=100);
                InjectEffect::Tip {
                    entity: trim(&self.entity),
                    campaign: trim(&self.campaign),
                    chance_percent: chance,
                }
            }
            EffectKind::StaffUnavailable => {
                let analysts = plan
                    .by_id
                    .get(self.csirt.trim())
                    .and_then(|ix| plan.csirt(*ix))
                    .map_or(u32::MAX, |c| c.analysts.max(1));
                let n = check.number("analysts", &self.analysts, 1..=analysts);
                let duration = check.duration("duration", &self.duration);
                InjectEffect::StaffUnavailable {
                    csirt: trim(&self.csirt),
                    analysts: n,
                    duration,
                }
            }
            EffectKind::Sighting => {
                let first_seen = if self.first_seen.trim().is_empty() {
                    At::Offset(now)
                } else {
                    match At::parse(&self.first_seen) {
                        Ok(at) if at.resolve(&plan.start) <= now => at,
                        Ok(at) => {
                            check.problems.push(format!(
                                "first seen: {at} is in the future; a sighting was seen before it is reported"
                            ));
                            at
                        }
                        Err(e) => {
                            check.problems.push(format!("first seen: {e}"));
                            At::Offset(now)
                        }
                    }
                };
                InjectEffect::Sighting {
                    from: trim(&self.from),
                    to: trim(&self.recipient),
                    indicator: trim(&self.indicator),
                    first_seen,
                    place: trim(&self.place),
                }
            }
            EffectKind::Reminder => InjectEffect::Reminder {
                entity: trim(&self.entity),
            },
            EffectKind::ChannelDown => {
                let duration = check.duration("duration", &self.duration);
                InjectEffect::ChannelDown {
                    actor: trim(&self.actor),
                    channel: self.channel,
                    duration,
                }
            }
            EffectKind::RequestScan => InjectEffect::RequestScan {
                csirt: trim(&self.csirt),
                entity: trim(&self.entity),
            },
            EffectKind::RaiseCrisis => InjectEffect::RaiseCrisis {
                csirt: trim(&self.csirt),
                level: self.level,
            },
        };
        (effect, check.problems)
    }

    /// The draft's id fields, in the order the validator checks the effect's references.
    fn id_fields(&self) -> Vec<(&'static str, &str)> {
        match self.kind {
            EffectKind::Tip => vec![("entity", &self.entity), ("campaign", &self.campaign)],
            EffectKind::StaffUnavailable | EffectKind::RaiseCrisis => vec![("csirt", &self.csirt)],
            EffectKind::Sighting => vec![
                ("from", &self.from),
                ("recipient", &self.recipient),
                ("indicator", &self.indicator),
            ],
            EffectKind::Reminder => vec![("entity", &self.entity)],
            EffectKind::ChannelDown => vec![("actor", &self.actor)],
            EffectKind::RequestScan => vec![("csirt", &self.csirt), ("entity", &self.entity)],
        }
    }

    /// The inject, due at `at`, or every problem with it.
    pub fn build(&self, id: &str, at: Minute, plan: &Plan) -> Result<Inject, Vec<String>> {
        let (effect, mut problems) = self.effect(plan, at);
        let to = ids(&self.to);
        let title = self.title.trim().to_owned();
        if title.is_empty() {
            problems.push(
                "a title is required: the MSEL shows it, and recipients read it as the subject"
                    .to_owned(),
            );
        }
        let message = (!to.is_empty()).then(|| Message {
            from: "white cell".to_owned(),
            channel: Channel::InPerson,
            subject: marked(&title),
            body: self.body.trim().to_owned(),
        });
        let inject = Inject {
            only_if: Vec::new(),
            optional: false,
            discussion: Vec::new(),
            id: id.to_owned(),
            title,
            when: When::At(At::Offset(at)),
            to,
            message,
            effects: vec![effect],
            expected: Vec::new(),
            question: None,
        };
        let mut references = references(plan, &inject, &self.id_fields());
        references.append(&mut problems);
        if references.is_empty() {
            Ok(inject)
        } else {
            Err(references)
        }
    }
}

/// Checks a composed inject against the plan the way the engine will compile it.
pub fn compiles(inject: &Inject, plan: &Plan) -> Result<(), String> {
    plan.compile_inject(inject).map(|_| ()).map_err(|e| e.0)
}

#[cfg(test)]
mod tests;
