//! One panel per file; each draws with a function ending in `_ui`, changes only its own
//! state, reads a [`Seen`](super::seen::Seen) and asks for anything else through
//! [`Ask`](super::ask::Ask)s.

pub mod clock_bar;
pub mod composer;
pub mod decisions;
pub mod inspector;
pub mod log;
pub mod map;
pub mod msel;
pub mod notes;
pub mod objectives;
pub mod players;
pub mod projector;
pub mod role;
pub mod start;
pub mod timeline;
pub mod who_knew;
