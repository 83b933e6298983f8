//! The public picture for the room's projector: the clock, crisis levels, news that went
//! out through the media (public by nature, whoever the inject names) and the objectives
//! met so far. Nothing any actor holds as a secret: no indicator, no adversary, no message
//! sent over any other channel.

use bevy_ecs::prelude::*;

use super::super::injects::InjectBook;
use super::super::journal::{Entry, Event};
use super::super::plan::{Name, Plan};
use super::super::state::{ActorEntities, Desk};
use crate::scenario::{Channel, CrisisLevel, Minute};

/// A news item: an inject that went out through the media.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct News {
    pub at: Minute,
    pub source: String,
    pub headline: String,
    pub body: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProjectorView {
    pub exercise: Name,
    pub now: Minute,
    pub end: Minute,
    /// Every CSIRT's crisis level: (name, level).
    pub crisis: Vec<(Name, CrisisLevel)>,
    pub news: Vec<News>,
    /// Objectives met so far: (title, when).
    pub met: Vec<(Name, Minute)>,
    pub objectives: usize,
    /// Journal entries read so far (a refresh reads only the new ones).
    pub scanned: usize,
}

/// The projector's view, brought up to date from `previous` (of the same run) if given.
pub fn projector(
    world: &World,
    plan: &Plan,
    journal: &[Entry],
    previous: Option<ProjectorView>,
    now: Minute,
) -> ProjectorView {
    let actors = world.resource::<ActorEntities>();
    let book = world.resource::<InjectBook>();
    let crisis = plan
        .csirts
        .iter()
        .filter_map(|c| {
            let desk = world.get::<Desk>(*actors.0.get(c.actor as usize)?)?;
            Some((plan.actor(c.actor).name.clone(), desk.crisis.level.0))
        })
        .collect();
    let (mut news, mut met, scanned) = match previous {
        Some(p) if p.scanned <= journal.len() => (p.news, p.met, p.scanned),
        _ => (Vec::new(), Vec::new(), 0),
    };
    for entry in &journal[scanned..] {
        match &entry.event {
            Event::InjectFired {
                inject,
                channel: Some(Channel::Media),
                ..
            } => {
                if let Some(message) = &book.plans[inject.ix as usize].spec.message {
                    news.push(News {
                        at: entry.t,
                        source: message.from.clone(),
                        headline: message.subject.clone(),
                        body: message.body.clone(),
                    });
                }
            }
            Event::ObjectiveMet { objective, .. } => {
                met.push((
                    plan.objectives[objective.ix as usize].title.clone(),
                    entry.t,
                ));
            }
            _ => {}
        }
    }
    ProjectorView {
        exercise: plan.name.clone(),
        now,
        end: plan.end,
        crisis,
        news,
        met,
        objectives: plan.objectives.len(),
        scanned: journal.len(),
    }
}
