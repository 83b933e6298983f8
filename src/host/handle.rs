//! What a face asks: intents become commands (written to the session before they take
//! effect) or move the clock and arrange the room.

use super::{Given, Host, HostError, Intent, READ_ONLY, Reply};
use crate::scenario::{Minute, time::format_offset};
use crate::sim::{Command, Stamped};

impl Host {
    /// A command with an explicit minute, from a script (`run --commands`): checked and
    /// recorded as the console's are.
    pub fn give_at(&mut self, at: Minute, command: Command) -> Result<u64, HostError> {
        let seq = self.driver.submit(at, command.clone())?;
        self.given.push(Stamped { at, seq, command });
        Ok(seq)
    }

    /// Gives a command for the first minute not yet played.
    fn give(&mut self, command: Command, check: Option<Result<String, String>>) -> Reply {
        let at = self.sim().earliest_command_time();
        let label = command.label();
        match self.give_at(at, command) {
            Ok(seq) => {
                let when = if self.is_playing() {
                    format!("at {}", format_offset(at))
                } else {
                    format!(
                        "for {} (takes effect when the clock moves on)",
                        format_offset(at)
                    )
                };
                self.say(format!("{label} given {when} (#{seq})"), false);
                Reply::Given(Given {
                    at,
                    seq,
                    label,
                    check,
                })
            }
            Err(e) => {
                let why = match e {
                    HostError::ReadOnly => READ_ONLY.to_owned(),
                    e => format!("{label} not given: {e}"),
                };
                self.say(why.clone(), true);
                Reply::Refused(why)
            }
        }
    }

    pub(super) fn refuse(&mut self, why: impl Into<String>) -> Reply {
        let why = why.into();
        self.say(why.clone(), true);
        Reply::Refused(why)
    }

    /// Carries out what a face asked.
    pub fn handle(&mut self, intent: Intent) -> Reply {
        let moves_world = matches!(
            intent,
            Intent::TogglePlay | Intent::Step | Intent::JumpTo(_)
        );
        if self.is_review() && moves_world {
            self.clock.pause();
            return self.refuse(READ_ONLY);
        }
        match intent {
            Intent::Give(command) => self.give(command, None),
            Intent::Answer {
                role,
                decision,
                option,
            } => self.give(
                Command::Decide {
                    decision,
                    option,
                    by: role,
                },
                None,
            ),
            Intent::AnswerInWords {
                role,
                decision,
                text,
            } => self.give(
                Command::Answer {
                    decision,
                    text,
                    by: role,
                },
                None,
            ),
            Intent::Act { role, action } => {
                let check = self.sim().check_action(&role, &action);
                self.give(Command::Act { role, action }, Some(check))
            }
            Intent::TogglePlay => {
                self.clock.jump_to = None;
                self.clock.playing = !self.clock.playing && !self.sim().is_finished();
                self.clock.catch_up(self.now());
                self.alerts_read = self.sim().journal().len();
                let now = format_offset(self.now());
                if self.clock.playing {
                    self.say(
                        format!("playing from {now} at {}", self.clock.speed.label()),
                        false,
                    );
                } else {
                    self.say(format!("paused at {now}"), false);
                }
                Reply::Done
            }
            Intent::Step => self.step(),
            Intent::SetSpeed(speed) => {
                self.clock.speed = speed;
                self.clock.catch_up(self.now());
                self.save_room();
                Reply::Done
            }
            Intent::JumpTo(t) => {
                if t <= self.now() {
                    return self.refuse(format!("{} is already past", format_offset(t)));
                }
                self.clock.jump_to = Some(t.min(self.sim().end()));
                Reply::Done
            }
            Intent::Seek(t) => self.seek(t),
            Intent::PauseOn { inject, decision } => {
                self.pause_on_inject = inject;
                self.pause_on_decision = decision;
                self.save_room();
                Reply::Done
            }
            Intent::Seat { role, open } => {
                if self.seats.set(self.driver.sim(), &role, open) {
                    self.save_room();
                }
                Reply::Done
            }
            Intent::Projector(open) => {
                if self.seats.set_projector(self.driver.sim(), open) {
                    self.save_room();
                }
                Reply::Done
            }
        }
    }
}
