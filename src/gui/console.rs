//! The console of one exercise: a face over a [`Host`]. It lays the panels out, gives
//! each its own state and what it reads ([`Seen`]), and carries out what they ask
//! ([`Ask`]) after they have drawn: intents go to the host, which is the only way to the
//! world. The console reads the wall clock (to pace the host and budget frames); the host
//! never does.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use egui::{Key, Modifiers, Ui};

use crate::host::{FrameBudget, FrameStats, Given, Host, Intent, Notice, Reply};
use crate::session::Moved;
use crate::sim::Command;

use super::actors::Actors;
use super::ask::{Ask, Asks};
use super::feed::Feed;
use super::invite::Serving;
use super::look::Look;
use super::panels::clock_bar::ClockBar;
use super::panels::composer::Composer;
use super::panels::log::{Bottom, BottomTab};
use super::panels::msel::Msel;
use super::panels::players::{PlayersForm, players_ui};
use super::panels::projector::scaled_projector_ui;
use super::panels::role::{QueuedAnswer, SeatForm, SeatRequest, role_ui};
use super::panels::who_knew::WhoKnew;
use super::panels::{self};
use super::seen::Seen;
use super::views::Views;
use super::wall::{WallWatch, wall_now};

/// A running exercise (or a recorded one under review) and every panel's state.
pub struct Console {
    pub host: Host,
    pub actors: Actors,
    pub feed: Feed,
    pub views: Views,
    /// The actor in the inspector, by index.
    pub selected: Option<u32>,
    pub status: Option<Notice>,
    pub stats: FrameStats,
    pub clock_bar: ClockBar,
    pub msel: Msel,
    pub composer: Composer,
    /// The observation being typed.
    pub note: String,
    pub bottom: Bottom,
    pub who_knew: WhoKnew,
    /// The forms of open role windows, by role id.
    pub seat_forms: BTreeMap<String, SeatForm>,
    /// What the panels asked this frame; applied after they have drawn.
    pub asks: Asks,
    /// When the clock last moved with wall time.
    last_tick: Option<Instant>,
    /// The "Invite players" window.
    pub players: PlayersForm,
    /// The trainees' pages, once served.
    pub serving: Option<Serving>,
}

impl Console {
    pub fn new(mut host: Host) -> Self {
        let actors = Actors::new(host.sim(), host.scenario());
        let mut feed = new_feed(&host, &actors);
        feed.ingest(host.sim().journal(), host.now());
        let status = host.take_notice();
        let mut console = Self {
            bottom: Bottom::new(host.is_review()),
            host,
            actors,
            feed,
            views: Views::default(),
            selected: None,
            status,
            stats: FrameStats::default(),
            clock_bar: ClockBar::default(),
            msel: Msel::default(),
            composer: Composer::default(),
            note: String::new(),
            who_knew: WhoKnew::default(),
            seat_forms: BTreeMap::new(),
            asks: Asks::default(),
            last_tick: None,
            players: PlayersForm::default(),
            serving: None,
        };
        console.refresh(true);
        console
    }

    /// Everything a panel may read this frame.
    pub fn seen(&self) -> Seen<'_> {
        Seen {
            host: &self.host,
            actors: &self.actors,
            feed: &self.feed,
            views: &self.views,
            selected: self.selected,
            status: self.status.as_ref(),
            stats: self.stats,
        }
    }

    /// Rebuilds the views that changed (throttled while the clock runs, unless `force`).
    pub fn refresh(&mut self, force: bool) {
        let busy = self.host.is_playing();
        let rebuilt = self.views.refresh(
            self.host.sim(),
            self.host.now(),
            &self.actors,
            self.selected,
            (busy, force),
            wall_now(),
        );
        if rebuilt {
            self.host.refresh_seats();
        }
        if self.bottom.tab == BottomTab::WhoKnew
            && let Some(review) = self.host.review_state()
            && self.who_knew.at != Some(review.at())
        {
            self.who_knew
                .build(self.host.sim(), review.at(), &self.actors.nodes);
        }
    }

    fn notice(&mut self) {
        if let Some(notice) = self.host.take_notice() {
            self.status = Some(notice);
        }
    }

    /// Gives an intent to the host; returns its reply, after the console followed it.
    pub fn intent(&mut self, intent: Intent) -> Reply {
        let reply = self.host.handle(intent);
        self.notice();
        if let Reply::Moved(Moved::Back) = reply {
            // The journal was rebuilt from the start: digests of the old one start over.
            let flow_window = self.feed.flow_window;
            self.feed = new_feed(&self.host, &self.actors);
            self.feed.flow_window = flow_window;
            self.bottom.log.restart();
        }
        if matches!(reply, Reply::Moved(_)) {
            self.feed.ingest(self.host.sim().journal(), self.host.now());
        }
        reply
    }

    /// Carries out the panels' asks; returns whether the facilitator asked to leave.
    fn apply_asks(&mut self) -> bool {
        let mut leave = false;
        for ask in self.asks.take() {
            match ask {
                Ask::Host(intent) => {
                    self.intent(intent);
                }
                Ask::Select(actor) => self.selected = actor,
                Ask::Say { text, error } => self.status = Some(Notice { text, error }),
                Ask::FlowWindow(minutes) => self.feed.flow_window = minutes,
                Ask::Leave => leave = true,
                Ask::Players => self.players.open = true,
                Ask::Invite(bind) => {
                    self.status = Some(match Serving::start(&self.host, bind) {
                        Ok(serving) => {
                            let text = format!(
                                "serving the trainees' pages on {}{}",
                                serving.url(),
                                if serving.fingerprint().is_some() {
                                    " (encrypted)"
                                } else {
                                    ""
                                }
                            );
                            self.serving = Some(serving);
                            Notice { text, error: false }
                        }
                        Err(why) => Notice {
                            text: format!("not serving: {why}"),
                            error: true,
                        },
                    });
                }
                Ask::Cards => {
                    if let Some(serving) = &self.serving {
                        self.status = Some(match serving.write_cards(&self.host) {
                            Ok(path) => Notice {
                                text: format!(
                                    "seat cards written to {}: open it in a browser and print (it holds every link)",
                                    path.display()
                                ),
                                error: false,
                            },
                            Err(why) => Notice {
                                text: format!("no seat cards: {why}"),
                                error: true,
                            },
                        });
                    }
                }
                Ask::Revoke(role) => {
                    if let Some(serving) = &self.serving {
                        self.status = Some(match serving.revoke(&role) {
                            Ok(_) => Notice {
                                text: format!(
                                    "{role} has a new link; the old one no longer opens anything"
                                ),
                                error: false,
                            },
                            Err(why) => Notice {
                                text: format!("no new link: {why}"),
                                error: true,
                            },
                        });
                    }
                }
            }
        }
        leave
    }

    /// A seat's request, given through the host with the role as its author; the answer
    /// is shown in the seat's window.
    fn seat_request(&mut self, role: &str, request: SeatRequest) {
        let intent = match request {
            SeatRequest::Close => {
                self.intent(Intent::Seat {
                    role: role.to_owned(),
                    open: false,
                });
                self.seat_forms.remove(role);
                return;
            }
            SeatRequest::Decide { decision, option } => Intent::Answer {
                role: role.to_owned(),
                decision,
                option,
            },
            SeatRequest::Answer { decision, text } => Intent::AnswerInWords {
                role: role.to_owned(),
                decision,
                text,
            },
            SeatRequest::Act(action) => Intent::Act {
                role: role.to_owned(),
                action,
            },
            SeatRequest::SaveForMisp => {
                let message = match super::misp::save(&self.host, role) {
                    Ok(path) => (
                        format!(
                            "Saved for MISP: {} (EXERCISE data, unpublished; import it with \"Add event from JSON\")",
                            path.display()
                        ),
                        false,
                    ),
                    Err(why) => (format!("Not saved: {why}"), true),
                };
                if let Some(form) = self.seat_forms.get_mut(role) {
                    form.message = Some(message);
                }
                return;
            }
        };
        let reply = self.intent(intent);
        let playing = self.host.is_playing();
        let message = match reply {
            Reply::Given(Given { at, check, .. }) => {
                let when = if playing {
                    format!("({})", crate::scenario::time::format_offset(at))
                } else {
                    format!(
                        "(given for {}: takes effect when the clock moves on)",
                        crate::scenario::time::format_offset(at)
                    )
                };
                match check {
                    Some(Err(why)) => (
                        format!(
                            "{} · Refused: {why} — your attempt is recorded",
                            crate::scenario::time::format_offset(at)
                        ),
                        true,
                    ),
                    Some(Ok(detail)) => (format!("Done: {detail} {when}"), false),
                    None => (format!("Your answer is recorded {when}"), false),
                }
            }
            Reply::Refused(why) => (why, true),
            Reply::Done | Reply::Moved(_) => return,
        };
        let form = self
            .seat_forms
            .entry(role.to_owned())
            .or_insert_with(|| SeatForm::new(role));
        if !message.1 {
            form.picked.clear();
        }
        form.message = Some(message);
        self.refresh(true);
    }

    fn shortcuts(&mut self, ui: &Ui) {
        // Under review the clock keys are left to the focused widget (the time slider).
        let typing = ui.ctx().text_edit_focused() || self.host.is_review();
        let (focus_note, toggle, step) = ui.input_mut(|i| {
            let note = i.consume_key(Modifiers::COMMAND, Key::N);
            let toggle = !typing && i.consume_key(Modifiers::NONE, Key::Space);
            let step = !typing && i.consume_key(Modifiers::NONE, Key::ArrowRight);
            (note, toggle, step)
        });
        if focus_note {
            ui.memory_mut(|m| m.request_focus(panels::notes::note_id()));
        }
        if toggle {
            self.asks.host(Intent::TogglePlay);
        }
        if step {
            self.asks.host(Intent::Step);
        }
    }

    /// Lets the host play this frame's share of wall time.
    fn play(&mut self, budget: FrameBudget) {
        let tick = wall_now();
        let wall = if self.host.clock().playing {
            self.last_tick.map_or(Duration::ZERO, |last| {
                tick.duration_since(last).min(Duration::from_secs(1))
            })
        } else {
            Duration::ZERO
        };
        self.last_tick = self.host.clock().playing.then_some(tick);
        self.stats = self.host.advance(wall, budget, &mut WallWatch::start());
        if let Some(serving) = &mut self.serving {
            serving.pump(&mut self.host);
        }
        self.notice();
    }

    /// One frame of the console. Returns whether the facilitator asked to leave.
    pub fn frame(&mut self, ui: &mut Ui, look: &mut Look, budget: FrameBudget) -> bool {
        self.shortcuts(ui);
        let mut leave = self.apply_asks();
        self.play(budget);
        self.host.set_look(look.zoom_percent(), !look.dark);
        self.host.set_projector_percent(look.projector_percent());
        self.feed.ingest(self.host.sim().journal(), self.host.now());
        self.refresh(false);
        panels::log::scan(
            self.host.sim().plan(),
            self.host.sim().journal(),
            &mut self.bottom.log,
        );
        self.panels_ui(ui, look);
        self.seats_ui(&ui.ctx().clone(), &mut look.projector_zoom);

        let acted = !self.asks.is_empty();
        leave |= self.apply_asks();
        if acted {
            // Show what the asks changed on the next frame, without waiting for input.
            self.refresh(true);
            ui.ctx().request_repaint();
        } else if self.serving.is_some() {
            // Trainees' clicks are answered between frames: keep frames coming.
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(100));
        } else if self.host.is_playing() {
            match self.host.seconds_to_next_minute() {
                // Wake up when the next simulated minute is due, not sixty times a second.
                #[allow(clippy::cast_possible_truncation, reason = "a short wait in seconds")]
                Some(left) => ui
                    .ctx()
                    .request_repaint_after_secs(left.clamp(1.0 / 60.0, 1.0) as f32),
                None => ui.ctx().request_repaint(),
            }
        }
        leave
    }

    fn panels_ui(&mut self, ui: &mut Ui, look: &mut Look) {
        let seen = Seen {
            host: &self.host,
            actors: &self.actors,
            feed: &self.feed,
            views: &self.views,
            selected: self.selected,
            status: self.status.as_ref(),
            stats: self.stats,
        };
        let asks = &mut self.asks;
        if self.players.open {
            players_ui(
                &ui.ctx().clone(),
                &mut self.players,
                self.serving.as_ref(),
                &seen,
                asks,
            );
        }
        let sizes = PanelSizes::for_window(ui.available_rect_before_wrap().size());
        // egui remembers a panel's width in points; after a zoom change the remembered width
        // can exceed the panel's new share of the window, and the panel then overlaps its
        // neighbours. A panel per zoom level starts from its share at that zoom.
        let zoom = look.zoom_percent();
        egui::Panel::top("clock").show(ui, |ui| {
            panels::clock_bar::clock_bar_ui(ui, &mut self.clock_bar, &seen, look, asks);
        });
        egui::Panel::left(egui::IdSalt::new(("msel", zoom)))
            .resizable(true)
            .default_size(sizes.msel.0)
            .size_range(sizes.msel.1)
            .show(ui, |ui| {
                panels::msel::msel_ui(ui, &mut self.msel, &mut self.composer, &seen, asks);
            });
        egui::Panel::right(egui::IdSalt::new(("inspector", zoom)))
            .resizable(true)
            .default_size(sizes.inspector.0)
            .size_range(sizes.inspector.1)
            .show(ui, |ui| panels::inspector::inspector_ui(ui, &seen, asks));
        egui::Panel::bottom(egui::IdSalt::new(("journal", zoom)))
            .resizable(true)
            .default_size(sizes.journal.0)
            .size_range(sizes.journal.1)
            .show(ui, |ui| {
                panels::notes::notes_ui(ui, &mut self.note, &seen, asks);
                ui.separator();
                panels::log::bottom_ui(ui, &mut self.bottom, &mut self.who_knew, &seen, asks);
            });
        egui::CentralPanel::default().show(ui, |ui| panels::map::map_ui(ui, &seen, asks));
    }

    /// The role windows and the projector, each in its own viewport (a native window where
    /// the platform allows, else a window inside the console).
    fn seats_ui(&mut self, ctx: &egui::Context, projector_zoom: &mut f32) {
        let start = self.host.sim().plan().start;
        let mut requests = Vec::new();
        for seat in self.host.seats().open() {
            let form = self
                .seat_forms
                .entry(seat.role.clone())
                .or_insert_with(|| SeatForm::new(&seat.role));
            let queued: Vec<QueuedAnswer> = self
                .host
                .queued()
                .iter()
                .filter_map(|s| match &s.command {
                    Command::Decide {
                        decision,
                        option: answer,
                        by,
                    }
                    | Command::Answer {
                        decision,
                        text: answer,
                        by,
                    } if *by == seat.role => Some((decision.clone(), answer.clone(), s.at)),
                    _ => None,
                })
                .collect();
            let title = seat
                .view
                .as_ref()
                .map_or_else(|| seat.role.clone(), |v| format!("{} — tabletop", v.title));
            let id = egui::ViewportId::from_hash_of(("seat", &seat.role));
            let builder = egui::ViewportBuilder::default()
                .with_title(title)
                .with_inner_size([640.0, 800.0]);
            let asked = ctx.show_viewport_immediate(id, builder, |ui, class| {
                let view = seat.view.as_ref();
                let mut asked = if class == egui::ViewportClass::EmbeddedWindow {
                    role_ui(ui, form, view, &queued, &start)
                } else {
                    egui::CentralPanel::default()
                        .show(ui, |ui| role_ui(ui, form, view, &queued, &start))
                        .inner
                };
                if ui.input(|i| i.viewport().close_requested()) {
                    asked.push(SeatRequest::Close);
                }
                asked
            });
            requests.extend(asked.into_iter().map(|r| (seat.role.clone(), r)));
        }
        for (role, request) in requests {
            self.seat_request(&role, request);
        }
        if let Some(view) = self.host.seats().projector() {
            let id = egui::ViewportId::from_hash_of("projector");
            let builder = egui::ViewportBuilder::default()
                .with_title("tabletop — projector")
                .with_inner_size([1280.0, 720.0]);
            let close = ctx.show_viewport_immediate(id, builder, |ui, class| {
                let close = if class == egui::ViewportClass::EmbeddedWindow {
                    scaled_projector_ui(ui, view, &start, projector_zoom)
                } else {
                    egui::CentralPanel::default()
                        .show(ui, |ui| {
                            scaled_projector_ui(ui, view, &start, projector_zoom)
                        })
                        .inner
                };
                close || ui.input(|i| i.viewport().close_requested())
            });
            if close {
                self.intent(Intent::Projector(false));
            }
        }
    }
}

/// The side panels' default sizes and the range they may be dragged to, in points.
///
/// A zoomed console has fewer points: at 150 % a 1600 × 1000 window is 1067 × 667 points,
/// and the panels' sizes for 100 % (470 + 400 wide, 300 high) would leave the map and the
/// journal a sliver. So each panel takes at most a share of the window, also when it was
/// dragged wider at a smaller zoom: the map keeps 40 % of the width, and the map and the
/// journal share the height.
#[derive(Clone, Copy, Debug, PartialEq)]
struct PanelSizes {
    msel: (f32, egui::Rangef),
    inspector: (f32, egui::Rangef),
    journal: (f32, egui::Rangef),
}

impl PanelSizes {
    fn for_window(size: egui::Vec2) -> Self {
        let share = |default: f32, most: f32, total: f32| {
            let max = (total * most).max(160.0);
            (default.min(max), egui::Rangef::new(120.0, max))
        };
        Self {
            msel: share(470.0, 0.32, size.x),
            inspector: share(400.0, 0.28, size.x),
            journal: share(300.0, 0.4, size.y),
        }
    }
}

/// A journal digest for this exercise, from nothing.
fn new_feed(host: &Host, actors: &Actors) -> Feed {
    let objectives: Vec<String> = host
        .scenario()
        .objectives
        .iter()
        .map(|o| o.id.clone())
        .collect();
    Feed::new(&actors.is_entity(), &objectives)
}
