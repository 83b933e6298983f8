//! The views the host keeps up to date for open seats: one per trainee's role, and the
//! projector's public picture.
//!
//! Each view refreshes from where it left off in the journal, so an open seat costs what
//! happened since its last refresh, not the whole exercise.

use crate::sim::Simulation;
use crate::sim::view::{ProjectorView, RoleView};

/// One open seat: a role and what its player may see.
#[derive(Clone, Debug)]
pub struct Seat {
    pub role: String,
    /// `None` until the first refresh, or when the scenario has no such role.
    pub view: Option<RoleView>,
}

#[derive(Clone, Debug, Default)]
pub struct Seats {
    /// In the order they were opened.
    open: Vec<Seat>,
    projector: Option<Option<ProjectorView>>,
}

impl Seats {
    pub fn open(&self) -> &[Seat] {
        &self.open
    }

    pub fn roles(&self) -> Vec<String> {
        self.open.iter().map(|s| s.role.clone()).collect()
    }

    pub fn view(&self, role: &str) -> Option<&RoleView> {
        self.open.iter().find(|s| s.role == role)?.view.as_ref()
    }

    /// Opens (at the end) or closes a role's seat; returns whether anything changed.
    pub fn set(&mut self, sim: &Simulation, role: &str, open: bool) -> bool {
        let was_open = self.open.iter().any(|s| s.role == role);
        if open == was_open {
            return false;
        }
        if open {
            self.open.push(Seat {
                role: role.to_owned(),
                view: sim.role_view(role),
            });
        } else {
            self.open.retain(|s| s.role != role);
        }
        true
    }

    pub fn projector_open(&self) -> bool {
        self.projector.is_some()
    }

    pub fn projector(&self) -> Option<&ProjectorView> {
        self.projector.as_ref()?.as_ref()
    }

    pub fn set_projector(&mut self, sim: &Simulation, open: bool) -> bool {
        if open == self.projector.is_some() {
            return false;
        }
        self.projector = open.then(|| Some(sim.projector_view()));
        true
    }

    /// Brings every open view up to date with `sim`.
    pub fn refresh(&mut self, sim: &Simulation) {
        for seat in &mut self.open {
            seat.view = match seat.view.take() {
                Some(previous) => sim.refresh_role_view(previous),
                None => sim.role_view(&seat.role),
            };
        }
        if let Some(view) = &mut self.projector {
            *view = Some(match view.take() {
                Some(previous) => sim.refresh_projector_view(previous),
                None => sim.projector_view(),
            });
        }
    }

    /// Forgets every view: the journal they were read from was replaced (a review moved
    /// back), so the next refresh builds them afresh.
    pub fn rebuild(&mut self, sim: &Simulation) {
        for seat in &mut self.open {
            seat.view = sim.role_view(&seat.role);
        }
        if let Some(view) = &mut self.projector {
            *view = Some(sim.projector_view());
        }
    }
}
