//! What serving trainees costs the host and a browser.
//!
//! - `serve/hub/{ducksends,10000}_end`: opening the server at the end of an exercise:
//!   every role's first snapshot, built from a fresh view (the whole journal read) and
//!   serialised. DuckSends (3 roles) and the generated 10,000-organisation month (a role
//!   per national CSIRT). After this, a seat's snapshot is refreshed from where it left
//!   off (`views/10000_end/role_refresh` in the engine bench) and serialised once for all
//!   its tabs.
//! - `serve/http/view_ducksends`: one seat's `GET /api/view` over loopback, a new
//!   connection each time, as a page that lost its stream would ask.
//!
//! Run with `cargo bench --bench serve`.

use std::hint::black_box;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use tabletop::generate::{GenerateOptions, generate};
use tabletop::host::Host;
use tabletop::scenario::{Scenario, load_path};
use tabletop::serve::{self, Asked, Listen, SeatBook, Server};

fn played(scenario: Scenario, name: &str) -> Host {
    let end = scenario.duration.minutes;
    let mut host = match Host::plain(scenario, name, 1) {
        Ok(host) => host,
        Err(e) => panic!("{e}"),
    };
    if let Err(e) = host.play_through(end) {
        panic!("{e}");
    }
    host
}

fn seats(host: &Host) -> SeatBook {
    match serve::seats_for(host, &[]) {
        Ok(book) => book,
        Err(e) => panic!("{e}"),
    }
}

/// Plain HTTP on loopback, any free port.
fn loopback() -> Listen {
    let asked = Asked {
        bind: Some(([127, 0, 0, 1], 0).into()),
        ..Asked::default()
    };
    match Listen::decide(&asked, None) {
        Ok(listen) => listen,
        Err(e) => panic!("{e}"),
    }
}

fn hub(c: &mut Criterion) {
    let ducksends = match load_path(std::path::Path::new("scenarios/ducksends.ron")) {
        Ok((s, _)) => played(s, "ducksends.ron"),
        Err(e) => panic!("{e}"),
    };
    let big = played(
        generate(&GenerateOptions {
            entities: 10_000,
            days: 30,
            seed: 0,
            idle: 0,
        }),
        "generated-10000.ron",
    );
    eprintln!(
        "serve/hub: DuckSends {} roles, {} journal events; generated {} roles, {} journal events",
        ducksends.scenario().roles.len(),
        ducksends.sim().journal().len(),
        big.scenario().roles.len(),
        big.sim().journal().len()
    );
    let mut group = c.benchmark_group("serve/hub");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    for (id, host) in [("ducksends_end", &ducksends), ("10000_end", &big)] {
        group.bench_function(id, |b| {
            b.iter(|| black_box(serve::hub(host, seats(host)).is_ok()));
        });
    }
    group.finish();
}

fn http(c: &mut Criterion) {
    let host = match load_path(std::path::Path::new("scenarios/ducksends.ron")) {
        Ok((s, _)) => played(s, "ducksends.ron"),
        Err(e) => panic!("{e}"),
    };
    let side = match serve::hub(&host, seats(&host)) {
        Ok(side) => side,
        Err(e) => panic!("{e}"),
    };
    let server = match Server::start(side.shared().clone(), &loopback()) {
        Ok(server) => server,
        Err(e) => panic!("{e}"),
    };
    let Some((_, _, token)) = side.shared().live_seats().into_iter().next() else {
        panic!("a seat");
    };
    let address = server.address();
    let request = format!(
        "GET /api/view HTTP/1.1\r\nHost: {address}\r\nCookie: tabletop_seat={}\r\nConnection: close\r\n\r\n",
        token.reveal()
    );
    let mut group = c.benchmark_group("serve/http");
    group
        .sample_size(50)
        .measurement_time(Duration::from_secs(5));
    group.bench_function("view_ducksends", |b| {
        b.iter(|| {
            let mut stream = match TcpStream::connect(address) {
                Ok(s) => s,
                Err(e) => panic!("{e}"),
            };
            let mut reply = Vec::new();
            if stream.write_all(request.as_bytes()).is_err()
                || stream.read_to_end(&mut reply).is_err()
                || !reply.starts_with(b"HTTP/1.1 200")
            {
                panic!("the view was not served");
            }
            black_box(reply.len())
        });
    });
    group.finish();
}

criterion_group!(benches, hub, http);
criterion_main!(benches);
