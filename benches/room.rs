//! The exercise room under load: 30 subscribed seats, and how long an intent takes from
//! its POST to its journal line reaching every one of them (issue 22's benchmark).
//!
//! A real server on 127.0.0.1 (plain HTTP; TLS costs the handshake once per connection)
//! and a host loop on this thread as `tabletop serve` runs it: wait for an ask or 50 ms,
//! advance the clock within the frame budget, publish. 30 raw event-stream readers (one
//! thread each, as 30 browsers would be) note when each snapshot arrives and its id (the
//! journal's length). A trainee posts a message to exercise control every 150 ms; the host
//! notes where its line lands in the journal; a subscriber has it with the first snapshot
//! whose id passes that position. p50/p95/max over every (message, subscriber) pair.
//!
//! Seats: every role's trainee seat and the projector's, the rest evaluators (their
//! control page is the largest snapshot), 30 in all. Scenarios: DuckSends at ×36000
//! (10 simulated hours a wall second, the whole exercise in about 10 s: at the console's
//! "max" it would end in milliseconds, before a second message), and the generated
//! 10,000-organisation month at "max" (the host's frame budget paces it).
//!
//! Also printed: the process's CPU time per wall second while the 30 seats follow, and
//! its resident memory before and after they subscribe, per seat.
//!
//! Run with `cargo bench --bench room`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tabletop::generate::{GenerateOptions, generate};
use tabletop::host::{FrameBudget, Host, Intent, Speed};
use tabletop::scenario::{Scenario, load_path};
use tabletop::serve::{self, Asked, Listen, Server};
use tabletop::sim::Event;

const SEATS: usize = 30;
const MESSAGES: usize = 40;
const SPACING: Duration = Duration::from_millis(150);

#[allow(clippy::disallowed_methods, reason = "a benchmark measures wall time")]
fn now() -> Instant {
    Instant::now()
}

/// What one subscriber saw: (when, snapshot id).
type Seen = Arc<Mutex<Vec<(Instant, u64)>>>;

fn subscribe(address: SocketAddr, token: String, seen: Seen) {
    std::thread::spawn(move || {
        let Ok(mut stream) = TcpStream::connect(address) else {
            return;
        };
        let request = format!(
            "GET /api/events HTTP/1.1\r\nHost: {address}\r\nCookie: tabletop_seat={token}\r\nAccept: text/event-stream\r\n\r\n"
        );
        if stream.write_all(request.as_bytes()).is_err() {
            return;
        }
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        loop {
            line.clear();
            match reader.read_line(&mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            if let Some(id) = line.strip_prefix("id:")
                && let Ok(id) = id.trim().parse::<u64>()
            {
                let at = now();
                if let Ok(mut seen) = seen.lock() {
                    seen.push((at, id));
                }
            }
        }
    });
}

fn post(address: SocketAddr, token: &str, body: &str) -> bool {
    let Ok(mut stream) = TcpStream::connect(address) else {
        return false;
    };
    let request = format!(
        "POST /api/message HTTP/1.1\r\nHost: {address}\r\nOrigin: http://{address}\r\nCookie: tabletop_seat={token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let mut reply = Vec::new();
    stream.write_all(request.as_bytes()).is_ok()
        && stream.read_to_end(&mut reply).is_ok()
        && reply.starts_with(b"HTTP/1.1 200")
}

/// (user + system CPU seconds, resident kB) of this process, from /proc.
fn usage() -> (f64, u64) {
    let ticks = 100.0; // USER_HZ on Linux
    let cpu = std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let rest = s.rsplit_once(')')?.1.split_whitespace().collect::<Vec<_>>();
            let utime: f64 = rest.get(11)?.parse().ok()?;
            let stime: f64 = rest.get(12)?.parse().ok()?;
            Some((utime + stime) / ticks)
        })
        .unwrap_or(0.0);
    let rss = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))?
                .split_whitespace()
                .nth(1)?
                .parse()
                .ok()
        })
        .unwrap_or(0);
    (cpu, rss)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn room(name: &str, scenario: Scenario, speed: Speed) {
    let dir = match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(e) => panic!("{e}"),
    };
    let mut host = match Host::start(scenario, name, &dir.path().join("s.ron"), 1) {
        Ok(host) => host,
        Err(e) => panic!("{e}"),
    };
    // As `tabletop serve`: nobody is at a console to resume an auto-pause.
    host.handle(Intent::PauseOn {
        inject: false,
        decision: false,
    });
    let roles = host.scenario().roles.len();
    let evaluators: Vec<String> = (0..SEATS.saturating_sub(roles + 1))
        .map(|i| format!("evaluator-{i}"))
        .collect();
    let staff = match serve::staff(&evaluators, &[]) {
        Ok(staff) => staff,
        Err(e) => panic!("{e}"),
    };
    let seats = match serve::seats_for(&host, &staff) {
        Ok(seats) => seats,
        Err(e) => panic!("{e}"),
    };
    let mut side = match serve::hub(&host, seats) {
        Ok(side) => side,
        Err(e) => panic!("{e}"),
    };
    let listen = match Listen::decide(
        &Asked {
            bind: Some(([127, 0, 0, 1], 0).into()),
            ..Asked::default()
        },
        None,
    ) {
        Ok(listen) => listen,
        Err(e) => panic!("{e}"),
    };
    let server = match Server::start(side.shared().clone(), &listen) {
        Ok(server) => server,
        Err(e) => panic!("{e}"),
    };
    let address = server.address();
    let live = side.shared().live_seats();
    let trainee = live
        .iter()
        .find(|(kind, _, _)| *kind == serve::SeatKind::Trainee)
        .map(|(_, _, t)| t.reveal().to_owned())
        .unwrap_or_default();
    let (_, rss_before) = usage();
    let seen: Vec<Seen> = live
        .iter()
        .take(SEATS)
        .map(|(_, _, token)| {
            let seen: Seen = Arc::default();
            subscribe(address, token.reveal().to_owned(), Arc::clone(&seen));
            seen
        })
        .collect();
    // Every subscriber has its first snapshot before the clock starts.
    let ready = now();
    while seen.iter().any(|s| s.lock().map_or(true, |v| v.is_empty()))
        && ready.elapsed() < Duration::from_secs(30)
    {
        side.wait(&mut host, Duration::from_millis(10));
    }
    let (cpu_before, rss_after) = usage();

    let sent: Arc<Mutex<Vec<Instant>>> = Arc::default();
    let poster = {
        let sent = Arc::clone(&sent);
        std::thread::spawn(move || {
            for i in 0..MESSAGES {
                std::thread::sleep(SPACING);
                let at = now();
                if let Ok(mut sent) = sent.lock() {
                    sent.push(at);
                }
                let body = format!(r#"{{"id":"m{i}","text":"bench-{i}"}}"#);
                if !post(address, &trainee, &body) {
                    return i;
                }
            }
            MESSAGES
        })
    };
    host.play_at(speed, None);
    let started = now();
    let mut tick = now();
    let mut scanned = 0;
    let mut landed: Vec<(usize, u64)> = Vec::new();
    while !poster.is_finished() || started.elapsed() < SPACING * 2 {
        side.wait(&mut host, Duration::from_millis(50));
        let wall = tick.elapsed();
        tick = now();
        let frame = now();
        host.advance(wall, FrameBudget::default(), &mut || frame.elapsed());
        side.pump(&mut host);
        let journal = host.sim().journal();
        for (index, entry) in journal.iter().enumerate().skip(scanned) {
            if let Event::MessageToControl { text, .. } = &entry.event
                && let Some(n) = text.strip_prefix("bench-").and_then(|n| n.parse().ok())
            {
                landed.push((n, index as u64));
            }
        }
        scanned = journal.len();
    }
    // Let the last snapshots arrive.
    let settle = now();
    while settle.elapsed() < Duration::from_millis(500) {
        side.wait(&mut host, Duration::from_millis(10));
        host.advance(tick.elapsed(), FrameBudget::default(), &mut || {
            Duration::ZERO
        });
        tick = now();
        side.pump(&mut host);
    }
    let wall = started.elapsed().as_secs_f64();
    let (cpu_after, _) = usage();
    let posted = poster.join().unwrap_or(0);
    let sent = sent.lock().map(|s| s.clone()).unwrap_or_default();

    let mut latencies = Vec::new();
    let mut missed = 0;
    for (n, index) in &landed {
        let Some(t0) = sent.get(*n) else { continue };
        for subscriber in &seen {
            let arrivals = subscriber.lock().map(|v| v.clone()).unwrap_or_default();
            match arrivals.iter().find(|(at, id)| *id > *index && at >= t0) {
                Some((at, _)) => latencies.push(at.duration_since(*t0)),
                None => missed += 1,
            }
        }
    }
    latencies.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    eprintln!(
        "room/{name}: {} seats ({roles} roles, projector, evaluators), {posted} of {MESSAGES} messages posted, {} journaled by {}, {} deliveries ({missed} never arrived): POST → every subscriber p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms",
        seen.len(),
        landed.len(),
        tabletop::scenario::time::format_offset(host.now()),
        latencies.len(),
        ms(percentile(&latencies, 0.50)),
        ms(percentile(&latencies, 0.95)),
        ms(latencies.last().copied().unwrap_or_default()),
    );
    eprintln!(
        "room/{name}: process CPU {:.2} s per wall second while the seats follow ({:.3} per seat); resident memory {} MB before the seats subscribed, {} MB after ({:.0} kB per seat)",
        (cpu_after - cpu_before) / wall,
        (cpu_after - cpu_before) / wall / seen.len() as f64,
        rss_before / 1024,
        rss_after / 1024,
        rss_after.saturating_sub(rss_before) as f64 / seen.len() as f64,
    );
    drop(server);
}

fn main() {
    // `cargo bench` passes --bench; a filter that names neither scenario skips this.
    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let wanted = |name: &str| filter.is_empty() || filter.iter().any(|f| name.contains(f.as_str()));
    if wanted("ducksends") {
        match load_path(std::path::Path::new("scenarios/ducksends.ron")) {
            Ok((scenario, _)) => room("ducksends", scenario, Speed::Times(36_000)),
            Err(e) => panic!("{e}"),
        }
    }
    if wanted("10000") {
        let scenario = generate(&GenerateOptions {
            entities: 10_000,
            days: 30,
            seed: 0,
            idle: 0,
        });
        room("10000_month", scenario, Speed::Max);
    }
}
