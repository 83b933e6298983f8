//! What every panel may read in a frame: the host (the world, read-only), the actors, the
//! journal digest and the views. Panels change nothing here; they ask ([`super::ask`]).

use crate::host::{FrameStats, Host, Notice};
use crate::scenario::{Minute, Scenario};
use crate::sim::{Plan, Simulation};

use super::actors::Actors;
use super::feed::Feed;
use super::views::Views;

pub struct Seen<'a> {
    pub host: &'a Host,
    pub actors: &'a Actors,
    pub feed: &'a Feed,
    pub views: &'a Views,
    /// The actor shown in the inspector, by index.
    pub selected: Option<u32>,
    /// The status line: what the last action did, or why it could not.
    pub status: Option<&'a Notice>,
    /// What the last frame played.
    pub stats: FrameStats,
}

impl Seen<'_> {
    pub fn sim(&self) -> &Simulation {
        self.host.sim()
    }

    pub fn plan(&self) -> &Plan {
        self.host.sim().plan()
    }

    pub fn scenario(&self) -> &Scenario {
        self.host.scenario()
    }

    /// The minute on display.
    pub fn now(&self) -> Minute {
        self.host.now()
    }

    pub fn is_review(&self) -> bool {
        self.host.is_review()
    }

    /// Whether the world can still take commands: live and not ended.
    pub fn can_give(&self) -> bool {
        self.why_not_give().is_none()
    }

    /// Why nothing can be given now, for a disabled button's hover text.
    pub fn why_not_give(&self) -> Option<&'static str> {
        if self.host.is_review() {
            Some(crate::host::READ_ONLY)
        } else if self.host.sim().is_finished() {
            Some("the exercise has ended")
        } else {
            None
        }
    }

    /// "T+1d 2h", "Sat 2026-03-14 18:30" for a minute of this exercise.
    pub fn times(&self, t: Minute) -> (String, String) {
        (
            crate::scenario::time::format_offset(t),
            self.plan().start.plus(t).describe(),
        )
    }

    /// The id of the actor in the inspector.
    pub fn selected_id(&self) -> Option<&str> {
        self.selected
            .and_then(|ix| self.actors.node(ix))
            .map(|n| n.id.as_str())
    }
}
