//! `tabletop serve FILE|SESSION`: a headless exercise host with trainees' pages served to
//! their browsers.
//!
//! The facilitator's terminal is this face's console: it prints each seat's join link
//! once, and reads a line at a time from standard input: `links`, `revoke SEAT` (a new
//! link; the old one stops at once), `cards` (a printable page of seat cards), `who` (the
//! browsers connected), `pause`, `play`, `speed N`, `quit`. Beyond loopback it serves TLS
//! ([`crate::serve::Listen`]) and prints the certificate's fingerprint for the room to
//! compare. The clock plays at `--pace` from the start (or from `play`, with
//! `--paused`); nobody is there to resume an auto-pause, so there is none.

use std::io::BufRead as _;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use super::Failure;
use crate::host::{FrameBudget, Host, Intent, Reply, Speed};
use crate::scenario::{LoadError, load_path, time::format_offset};
use crate::serve::{self, HostSide, Listen, ListenError, Server, seat_label, seat_name};

/// A line on the facilitator's terminal; a terminal that went away (a closed pipe) does
/// not stop the exercise.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

pub struct ServeOptions<'a> {
    pub file: &'a Path,
    pub seed: u64,
    pub session: Option<&'a Path>,
    pub listen: serve::Asked<'a>,
    pub evaluators: &'a [String],
    pub controllers: &'a [String],
    pub pace: Option<u32>,
    /// Wait for `play` before the clock moves (trainees join first).
    pub paused: bool,
    pub sign: Option<&'a Path>,
}

/// Where a new served exercise is recorded unless `--session` says: `sessions/` beside
/// where the facilitator stands, named after the scenario and seed.
fn default_session(file: &Path, seed: u64) -> PathBuf {
    let stem = file
        .file_stem()
        .map_or_else(|| "exercise".into(), |s| s.to_string_lossy().into_owned());
    PathBuf::from("sessions").join(format!("{stem}-seed{seed}.ron"))
}

fn open(
    options: &ServeOptions<'_>,
    staff: &[serve::Wanted],
) -> Result<(Host, Vec<String>), Failure> {
    let bad = |e: &dyn std::fmt::Display| Failure::BadInput(e.to_string());
    let signer = super::signing::signer(options.sign)?;
    if serve::is_session(options.file) {
        if options.session.is_some() {
            return Err(Failure::Usage(format!(
                "{} is a recorded session: serve resumes it in place; --session is for a new exercise",
                options.file.display()
            )));
        }
        return Host::resume_signed(options.file, None, signer).map_err(|e| bad(&e));
    }
    let scenario = match load_path(options.file) {
        Ok((scenario, _)) => scenario,
        Err(LoadError::Invalid(diagnostics)) => {
            return Err(Failure::BadInput(diagnostics.to_string()));
        }
        Err(error) => return Err(bad(&error)),
    };
    if let Some(taken) = serve::name_taken(&scenario, staff) {
        return Err(Failure::Usage(format!(
            "\"{taken}\" is a role's id (or the projector's seat): give the evaluator or controller another name"
        )));
    }
    let session = options.session.map_or_else(
        || default_session(options.file, options.seed),
        Path::to_path_buf,
    );
    if session.exists() {
        return Err(Failure::Usage(format!(
            "{} already exists; to go on with it, `tabletop serve {}`; for a new exercise choose another --session",
            session.display(),
            session.display()
        )));
    }
    let file = options.file.display().to_string();
    let host =
        Host::start_signed(scenario, &file, &session, options.seed, signer).map_err(|e| bad(&e))?;
    Ok((host, Vec::new()))
}

fn listen_failure(error: ListenError) -> Failure {
    match error {
        ListenError::Usage(text) => Failure::Usage(text),
        ListenError::Tls(e) => Failure::BadInput(e.to_string()),
    }
}

pub fn serve(options: &ServeOptions<'_>) -> Result<(), Failure> {
    // The options are checked before anything is written: a wrong flag leaves no session.
    Listen::check(&options.listen).map_err(listen_failure)?;
    let staff = serve::staff(options.evaluators, options.controllers).map_err(Failure::Usage)?;
    let (mut host, warnings) = open(options, &staff)?;
    for warning in warnings {
        eprintln!("warning: {warning}");
    }
    let bad = |e: &dyn std::fmt::Display| Failure::BadInput(e.to_string());
    let listen = Listen::decide(&options.listen, host.session_path()).map_err(listen_failure)?;
    let seats = serve::seats_for(&host, &staff).map_err(|e| bad(&e))?;
    let mut side = serve::hub(&host, seats).map_err(|e| bad(&e))?;
    let server = Server::start(side.shared().clone(), &listen).map_err(|e| bad(&e))?;
    host.handle(Intent::PauseOn {
        inject: false,
        decision: false,
    });
    let speed = options
        .pace
        .map_or(host.clock().speed, |times| Speed::Times(times.max(1)));
    host.play_at(speed, None);
    if options.paused {
        host.handle(Intent::TogglePlay);
    }
    let session = host
        .session_path()
        .map_or_else(String::new, |p| p.display().to_string());
    say!(
        "EXERCISE {} · seed {} · session {session}",
        host.scenario().name,
        host.sim().seed()
    );
    say!(
        "serving on {} at {} from {}{}; type `help` for what you can do here",
        server.bound_url(),
        speed.label(),
        format_offset(host.now()),
        if options.paused {
            ", paused until you type `play`"
        } else {
            ""
        }
    );
    match listen.fingerprint() {
        Some(fingerprint) => say!(
            "encrypted (TLS); certificate SHA-256 fingerprint, for trainees to compare with what their browser shows:\n  {fingerprint}"
        ),
        None if listen.is_exposed() => say!(
            "WARNING: plain HTTP beyond this machine (--insecure-http): anyone on the network can read the pages and take a seat; every page says so in red"
        ),
        None => {}
    }
    print_links(&side, &server);
    play(&mut host, &mut side, &server);
    Ok(())
}

fn print_links(side: &HostSide, server: &Server) {
    say!("join links (one per seat; hand each to its holder only):");
    for (kind, name, token) in side.shared().live_seats() {
        say!("  {:<16} {}", seat_label(kind, &name), server.link(&token));
    }
}

/// Lines from standard input, read on a thread of their own so the clock never waits.
fn console_lines() -> mpsc::Receiver<String> {
    let (sender, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            let Ok(line) = line else { break };
            if sender.send(line).is_err() {
                break;
            }
        }
    });
    lines
}

fn play(host: &mut Host, side: &mut HostSide, server: &Server) {
    #[allow(
        clippy::disallowed_methods,
        reason = "a served exercise is a face: it turns wall time into simulated time"
    )]
    let now = std::time::Instant::now;
    let lines = console_lines();
    let mut tick = now();
    let mut told_end = false;
    let mut jumping = false;
    loop {
        side.wait(host, Duration::from_millis(50));
        let wall = tick.elapsed();
        tick = now();
        let frame = now();
        host.advance(wall, FrameBudget::default(), &mut || frame.elapsed());
        side.pump(host);
        if let Some(notice) = host.take_notice()
            && notice.error
        {
            eprintln!("{}", notice.text);
        }
        // A jump ends paused: the facilitator hears where, as in the console.
        let still_jumping = host.clock().jump_to.is_some();
        if jumping && !still_jumping {
            say!("arrived at {}; paused", format_offset(host.now()));
        }
        jumping = still_jumping;
        if host.sim().is_finished() && !told_end {
            told_end = true;
            say!(
                "the exercise has ended at {}; pages stay up: type `quit` (or Ctrl-C) to stop serving",
                format_offset(host.now())
            );
        }
        while let Ok(line) = lines.try_recv() {
            if !obey(line.trim(), host, side, server) {
                return;
            }
        }
        jumping |= host.clock().jump_to.is_some();
    }
}

const HELP: &str = "links · revoke SEAT · cards · who · pause · play · speed N · jump WHEN (T+20h, Sat 12:00) · quit";

/// Carries out one line the facilitator typed; `false` to stop serving.
fn obey(line: &str, host: &mut Host, side: &mut HostSide, server: &Server) -> bool {
    let (verb, rest) = line.split_once(' ').unwrap_or((line, ""));
    match verb {
        "" => {}
        "quit" | "exit" => return false,
        "links" => print_links(side, server),
        "cards" => match serve::write_cards(host, side.shared(), server) {
            Ok(path) => say!(
                "seat cards written to {} (only you may read it: it holds every link); open it in a browser and print",
                path.display()
            ),
            Err(e) => say!("no cards: {e}"),
        },
        "revoke" => match side.shared().revoke(seat_name(rest.trim())) {
            Ok(token) => say!(
                "revoked every earlier link of {}; new link: {}",
                rest.trim(),
                server.link(&token)
            ),
            Err(e) => say!("not revoked: {e}"),
        },
        "who" => {
            let connections = side.shared().connections();
            if connections.is_empty() {
                say!("no browser is connected");
            }
            for c in connections {
                let since = c.since.elapsed().map_or(0, |d| d.as_secs());
                say!("  {:<16} {} (for {since} s)", c.role, c.address.ip());
            }
        }
        "pause" | "play" => {
            if (verb == "play") != host.is_playing() {
                host.handle(Intent::TogglePlay);
            }
            say!(
                "{} at {}",
                if host.is_playing() {
                    "playing"
                } else {
                    "paused"
                },
                format_offset(host.now())
            );
        }
        "speed" => match rest.trim().trim_start_matches('x').parse::<u32>() {
            Ok(times) if times >= 1 => {
                host.handle(Intent::SetSpeed(Speed::Times(times)));
                say!("speed ×{times}");
            }
            _ => say!("speed N: simulated minutes per wall minute, 1 or more"),
        },
        // Plays as fast as it can to that moment, then pauses (the console's "Jump to").
        "jump" => match crate::scenario::At::parse(rest.trim()) {
            Ok(at) => match host.handle(Intent::JumpTo(at.resolve(&host.sim().plan().start))) {
                Reply::Refused(why) => say!("no jump: {why}"),
                _ => say!("jumping to {at}; play pauses there"),
            },
            Err(e) => say!("jump WHEN: {e}"),
        },
        "help" => say!("{HELP}"),
        other => say!("unknown: {other} ({HELP})"),
    }
    true
}
