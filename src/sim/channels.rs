//! Channels: every report, share and warning travels over a channel (portal, e-mail,
//! phone) that takes time and can be down; senders fall back to the next one.

use super::journal::{Event, Journal};
use super::plan::{ActorIx, Plan};
use super::state::{Agenda, ChannelOutages, Due, Parcel};
use crate::scenario::{Channel, Minute};

/// Time a message takes over a channel, from sending to being read.
pub const fn latency(channel: Channel) -> Minute {
    match channel {
        Channel::Portal => 5,
        Channel::Email => 15,
        Channel::Phone => 30,
        Channel::Media => 60,
        Channel::InPerson => 120,
    }
}

/// Channels CSIRTs and authorities use, in order of preference.
const DEFAULT_CHANNELS: [Channel; 3] = [Channel::Portal, Channel::Email, Channel::Phone];

/// The recipient's channels, in its order of preference.
fn channels_of(plan: &Plan, actor: ActorIx) -> &[Channel] {
    plan.entity(actor)
        .map_or(&DEFAULT_CHANNELS[..], |e| e.channels.as_slice())
}

impl ChannelOutages {
    /// The minute `channel` of `actor` is up again (or `now` if it is up).
    fn up_at(&self, actor: ActorIx, channel: Channel, now: Minute) -> Minute {
        self.0
            .get(&(actor, channel))
            .map_or(now, |until| (*until).max(now))
    }
}

/// The post office: sends a parcel over the first channel up at both ends.
pub struct Post<'a> {
    pub plan: &'a Plan,
    pub outages: &'a ChannelOutages,
}

impl Post<'_> {
    pub fn send(
        &self,
        agenda: &mut Agenda,
        journal: &mut Journal,
        now: Minute,
        from: ActorIx,
        to: ActorIx,
        parcel: Parcel,
    ) {
        let channels = channels_of(self.plan, to);
        let Some(&first) = channels.first() else {
            return;
        };
        // The channel available soonest, preferring earlier ones on ties.
        let (ready, channel) = channels
            .iter()
            .map(|c| {
                (
                    self.outages
                        .up_at(from, *c, now)
                        .max(self.outages.up_at(to, *c, now)),
                    *c,
                )
            })
            .min_by_key(|(ready, _)| *ready)
            .unwrap_or((now, first));
        if channel != first {
            journal.record(
                now,
                Event::ChannelFallback {
                    from: self.plan.actor_ref(from),
                    to: self.plan.actor_ref(to),
                    failed: first,
                    used: channel,
                },
            );
        }
        agenda.push(ready + latency(channel), Due::Deliver { to, parcel });
    }
}
