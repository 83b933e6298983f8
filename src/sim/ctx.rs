//! What a system that acts on the world works with, gathered once: the minute, the plan,
//! the dice, the post office, and the agenda and journal it writes to.

use bevy_ecs::prelude::*;
use bevy_ecs::system::SystemParam;

use super::channels::Post;
use super::journal::Journal;
use super::plan::Plan;
use super::rng::{Key, Purpose, Streams};
use super::state::{Agenda, ChannelOutages, Clock, PlanRes, StreamsRes};
use crate::scenario::{DurationRange, Minute};

/// The resources behind a [`Ctx`], as one system parameter.
#[derive(SystemParam)]
pub struct Acting<'w> {
    clock: Res<'w, Clock>,
    plan: Res<'w, PlanRes>,
    streams: Res<'w, StreamsRes>,
    outages: Res<'w, ChannelOutages>,
    agenda: ResMut<'w, Agenda>,
    journal: ResMut<'w, Journal>,
}

impl Acting<'_> {
    pub fn ctx(&mut self) -> Ctx<'_> {
        let plan = &*self.plan.0;
        Ctx {
            plan,
            streams: &self.streams.0,
            post: Post {
                plan,
                outages: &self.outages,
            },
            now: self.clock.now,
            agenda: &mut self.agenda,
            journal: &mut self.journal,
        }
    }
}

/// The current minute's working context.
pub struct Ctx<'a> {
    pub plan: &'a Plan,
    pub streams: &'a Streams,
    pub post: Post<'a>,
    pub now: Minute,
    pub agenda: &'a mut Agenda,
    pub journal: &'a mut Journal,
}

impl Ctx<'_> {
    /// A duration drawn for one keyed decision, in minutes.
    pub fn draw(&self, purpose: Purpose, parts: [u64; 4], range: &DurationRange) -> Minute {
        self.streams
            .duration(&Key::new(purpose, parts), range)
            .minutes
    }
}
