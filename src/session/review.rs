//! Reviewing a recorded session: its simulation rebuilt at any minute of the recording,
//! read-only, for the after-action review ("what did every actor know at T+1d 2h?").
//!
//! A [`Review`] never writes to the session file. Moving forward plays on from where it
//! stands; moving backward rebuilds from the start (the engine has no undo), which costs
//! one replay up to the new minute.

use std::sync::Arc;

use crate::scenario::{Minute, Scenario};
use crate::sim::{BuildError, Plan, Simulation, Stamped};

use super::file::LoadedSession;
use super::replay::{ReplayError, check_span, queue_commands, replay_built};

/// How a [`Review::seek`] moved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Moved {
    /// Already there.
    Stayed,
    /// Played on from the previous minute: the journal only grew.
    Forward,
    /// Rebuilt from the start: the journal is a new, shorter one.
    Back,
}

/// A recorded session, stood at one minute of its recording.
pub struct Review {
    plan: Arc<Plan>,
    seed: u64,
    session: LoadedSession,
    sim: Simulation,
    /// The minute the simulation stands at: every minute up to and including it played.
    at: Minute,
    /// The last minute the recording covers.
    end: Minute,
    /// Minutes at which a key event happened (inject, decision, objective), ascending.
    key_times: Vec<Minute>,
    rebuilds: u32,
}

impl Review {
    /// Opens a loaded session for review: replays it to the end of its recording,
    /// comparing every recorded checksum (a tampered or diverging file is an error), and
    /// stands there.
    pub fn open(session: LoadedSession, scenario: &Scenario) -> Result<Self, ReplayError> {
        let plan = Arc::new(Plan::build(scenario).map_err(BuildError::from)?);
        let seed = session.header.seed;
        let mut sim = Simulation::from_plan(plan.clone(), seed)?;
        check_span(&session, plan.end)?;
        queue_commands(&mut sim, &session)?;
        let sim = replay_built(&session, sim)?.sim;
        let end = if session.end.is_some() {
            plan.end
        } else {
            let checkpoint = session.checkpoints.last().map(|c| c.0);
            let command = session.commands.iter().map(|c| c.at).max();
            checkpoint.max(command).unwrap_or(0).clamp(0, plan.end)
        };
        let mut review = Self {
            plan,
            seed,
            session,
            sim,
            at: 0,
            end,
            key_times: Vec::new(),
            rebuilds: 0,
        };
        review.sim.advance_to(review.frontier_for(end));
        review.at = end;
        let mut key_times: Vec<Minute> = review
            .sim
            .journal()
            .iter()
            .filter(|e| e.event.is_milestone())
            .map(|e| e.t)
            .collect();
        key_times.dedup();
        review.key_times = key_times;
        Ok(review)
    }

    /// The minute the simulation is advanced to so that minute `t` is fully played. The
    /// exercise is concluded (objectives decided, `exercise_ended`) only if the recording
    /// was.
    fn frontier_for(&self, t: Minute) -> Minute {
        if self.session.end.is_some() && t >= self.plan.end {
            self.plan.end + 1
        } else {
            (t + 1).min(self.plan.end)
        }
    }

    /// Stands at minute `t` (clamped to the recording): every minute up to and including
    /// `t` played, with the recorded commands applied at their minutes.
    pub fn seek(&mut self, t: Minute) -> Result<Moved, ReplayError> {
        let t = t.clamp(0, self.end);
        let moved = match t.cmp(&self.at) {
            std::cmp::Ordering::Equal => return Ok(Moved::Stayed),
            std::cmp::Ordering::Greater => Moved::Forward,
            std::cmp::Ordering::Less => {
                let mut sim = Simulation::from_plan(self.plan.clone(), self.seed)?;
                queue_commands(&mut sim, &self.session)?;
                self.sim = sim;
                self.rebuilds += 1;
                Moved::Back
            }
        };
        self.sim.advance_to(self.frontier_for(t));
        self.at = t;
        Ok(moved)
    }

    /// The simulation as it stood at [`Review::at`]; read-only.
    pub fn sim(&self) -> &Simulation {
        &self.sim
    }

    /// The simulation as it stands, for a face that is done reviewing.
    pub fn into_simulation(self) -> Simulation {
        self.sim
    }

    /// The minute the review stands at.
    pub fn at(&self) -> Minute {
        self.at
    }

    /// The last minute of the recording: the end of the exercise if it was played to the
    /// end, else the last recorded checkpoint or command.
    pub fn end(&self) -> Minute {
        self.end
    }

    /// Whether the recording reached the end of the exercise.
    pub fn finished(&self) -> bool {
        self.session.end.is_some()
    }

    /// The recorded commands, in file order.
    pub fn commands(&self) -> &[Stamped] {
        &self.session.commands
    }

    /// The session as loaded.
    pub fn session(&self) -> &LoadedSession {
        &self.session
    }

    /// The last minute before `t` at which an inject fired, a decision was raised or taken,
    /// or an objective was decided.
    pub fn previous_key_time(&self, t: Minute) -> Option<Minute> {
        let i = self.key_times.partition_point(|k| *k < t);
        i.checked_sub(1).map(|i| self.key_times[i])
    }

    /// The first minute after `t` with such a key event.
    pub fn next_key_time(&self, t: Minute) -> Option<Minute> {
        let i = self.key_times.partition_point(|k| *k <= t);
        self.key_times.get(i).copied()
    }

    /// How many times the review was rebuilt from the start (moving backward).
    pub fn rebuilds(&self) -> u32 {
        self.rebuilds
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario;
    use crate::session::{Recorder, load};
    use crate::sim::{Command, Entry, Event};

    /// Records DuckSends (seed 3) to the end, with an inject fired at T+0 and an
    /// observation at T+5h; returns the session file and the live run's journal.
    fn recorded(dir: &std::path::Path) -> (std::path::PathBuf, Vec<Entry>) {
        let scenario_path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/ducksends.ron");
        let (scenario, _) = scenario::load_path(&scenario_path).unwrap();
        let session = dir.join("s.ron");
        let mut recorder =
            Recorder::start(&session, &scenario_path.display().to_string(), &scenario, 3).unwrap();
        recorder
            .submit(
                0,
                Command::FireInject {
                    inject: "helpdesk-tip".into(),
                },
            )
            .unwrap();
        recorder.advance_to(300).unwrap();
        recorder
            .submit(
                300,
                Command::Observe {
                    author: "facilitator".into(),
                    text: "the bank calls".into(),
                },
            )
            .unwrap();
        recorder.run_to_end().unwrap();
        let journal = recorder.simulation().journal().to_vec();
        (session, journal)
    }

    fn open(session: &std::path::Path) -> Review {
        let loaded = load(session).unwrap();
        let scenario = crate::session::scenario_for(&loaded, None).unwrap();
        Review::open(loaded, &scenario).unwrap()
    }

    /// Whether `review` is the live run's journal as it stood once minute `t` was played:
    /// a prefix of it, holding every entry of a minute up to `t`.
    fn is_live_at(review: &[Entry], live: &[Entry], t: Minute) -> bool {
        live.starts_with(review) && review.len() >= live.iter().filter(|e| e.t <= t).count()
    }

    #[test]
    fn seeking_forward_equals_rebuilding_straight_to_the_later_minute() {
        let dir = tempfile::tempdir().unwrap();
        let (session, live) = recorded(dir.path());
        let mut review = open(&session);
        assert!(review.finished());
        assert_eq!(review.at(), review.end(), "a review opens at the end");
        assert_eq!(review.sim().journal(), &live[..], "the whole recording");

        let (early, late) = (4 * 60, 30 * 60);
        assert_eq!(review.seek(early).unwrap(), Moved::Back);
        assert!(is_live_at(review.sim().journal(), &live, early));
        assert!(review.sim().journal().len() < live.len());
        assert_eq!(review.seek(late).unwrap(), Moved::Forward);
        let stepped = review.sim().journal().to_vec();

        let mut straight = open(&session);
        assert_eq!(straight.seek(late).unwrap(), Moved::Back);
        assert_eq!(stepped, straight.sim().journal());
        assert!(is_live_at(&stepped, &live, late), "as the live run had it");
        assert!(
            stepped.iter().any(|e| matches!(&e.event,
                Event::Observation { text, .. } if &**text == "the bank calls")),
            "the recorded commands are applied on the way"
        );
        assert_eq!(review.seek(late).unwrap(), Moved::Stayed);
        assert_eq!(review.rebuilds(), 1);
    }

    #[test]
    fn a_review_stays_within_the_recording_and_leaves_the_file_alone() {
        let dir = tempfile::tempdir().unwrap();
        let (session, live) = recorded(dir.path());
        let before = std::fs::read(&session).unwrap();
        let mut review = open(&session);
        review.seek(-5).unwrap();
        assert_eq!(review.at(), 0);
        assert!(is_live_at(review.sim().journal(), &live, 0));
        review.seek(Minute::MAX).unwrap();
        assert_eq!(review.at(), review.end());
        assert!(review.sim().is_finished());
        assert_eq!(review.sim().journal(), &live[..]);
        let first = review.next_key_time(-1).unwrap();
        assert_eq!(first, 0, "the inject fired at T+0");
        let next = review.next_key_time(first).unwrap();
        assert!(next > first);
        assert_eq!(review.previous_key_time(next), Some(first));
        assert_eq!(review.previous_key_time(first), None);
        assert_eq!(std::fs::read(&session).unwrap(), before);
    }

    #[test]
    fn a_cut_off_recording_is_reviewed_up_to_its_last_record() {
        let dir = tempfile::tempdir().unwrap();
        let scenario_path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/ducksends.ron");
        let (scenario, _) = scenario::load_path(&scenario_path).unwrap();
        let session = dir.path().join("cut.ron");
        let mut recorder =
            Recorder::start(&session, &scenario_path.display().to_string(), &scenario, 5).unwrap();
        recorder.advance_to(200).unwrap();
        let note = Command::Observe {
            author: "facilitator".into(),
            text: "cut off soon".into(),
        };
        recorder.submit(200, note).unwrap();
        recorder.advance_to(201).unwrap();
        let live = recorder.simulation().journal().to_vec();
        drop(recorder); // killed

        let mut review = open(&session);
        assert!(!review.finished());
        assert_eq!(
            review.end(),
            200,
            "the last command, after the last checkpoint"
        );
        assert!(
            !review.sim().is_finished(),
            "not concluded: the recording was not"
        );
        assert_eq!(review.sim().journal(), &live[..]);
        review.seek(0).unwrap();
        review.seek(1_000).unwrap();
        assert_eq!(review.at(), 200);
        assert_eq!(review.sim().journal(), &live[..]);
    }

    #[test]
    fn a_tampered_session_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let (session, _) = recorded(dir.path());
        let text = std::fs::read_to_string(&session).unwrap();
        let tampered = text.replace("\"helpdesk-tip\"", "\"journalist-call\"");
        assert_ne!(text, tampered);
        std::fs::write(&session, tampered).unwrap();
        // The chain catches the edit before anything is replayed.
        let error = load(&session).err().unwrap().to_string();
        assert!(error.contains("the chain breaks here"), "{error}");
    }
}
