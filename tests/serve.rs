//! `tabletop serve` over real HTTP on loopback: what a seat may do, what a stranger or a
//! hostile page cannot, and that nothing accepted is lost or doubled across kill -9.

#![allow(
    clippy::disallowed_methods,
    reason = "tests wait for real processes in wall time"
)]
#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::served::{Events, Served, get, login, post, request};
use serde_json::json;

fn ducksends(dir: &Path, extra: &[&str]) -> Served {
    Served::ducksends(dir, extra)
}

/// Pauses the served clock, so the session file changes only when a command is given.
fn pause(served: &mut Served) {
    served.say("pause");
    served.line_with("paused at");
}

fn session_bytes(dir: &Path) -> Vec<u8> {
    std::fs::read(dir.join("s.ron")).unwrap()
}

#[test]
fn a_request_without_a_seat_gets_401_and_learns_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut served = ducksends(dir.path(), &[]);
    pause(&mut served);
    let before = session_bytes(dir.path());
    let origin = served.origin();
    let strangers: [&[(&str, &str)]; 3] = [
        &[],
        &[("Cookie", "tabletop_seat=00000000000000000000000000000000")],
        &[("Cookie", "tabletop_seat=../../etc/passwd; other=1")],
    ];
    for headers in strangers {
        for (method, path) in [
            ("GET", "/api/view"),
            ("GET", "/api/events"),
            ("GET", "/api/roles"),
            ("GET", "/api/view/ciso"),
            ("POST", "/api/answer"),
            ("POST", "/api/act"),
        ] {
            let mut all = headers.to_vec();
            all.extend([
                ("Content-Type", "application/json"),
                ("Origin", origin.as_str()),
            ]);
            let response = request(served.address, method, path, &all, "{}");
            assert_eq!(response.status, 401, "{method} {path} with {headers:?}");
            assert!(
                response.body.is_empty(),
                "{method} {path}: {}",
                response.body
            );
            for role in ["ciso", "fin-duty", "ncsc-duty", "DuckSends"] {
                assert!(!format!("{response:?}").contains(role));
            }
        }
    }
    // A wrong token does not open a seat either.
    let response = request(
        served.address,
        "POST",
        "/api/login",
        &[("Content-Type", "application/json"), ("Origin", &origin)],
        r#"{"token":"0123456789abcdef0123456789abcdef"}"#,
    );
    assert_eq!(response.status, 401);
    assert!(response.header("set-cookie").is_none());
    assert_eq!(
        session_bytes(dir.path()),
        before,
        "the session is untouched"
    );
}

/// What a hostile request is, its headers and body, and the status it must get.
type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, String, u16);

#[test]
fn hostile_requests_get_4xx_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut served = ducksends(dir.path(), &[]);
    pause(&mut served);
    let cookie = login(&served, "ciso");
    let before = session_bytes(dir.path());
    let origin = served.origin();
    let share = json!({ "id": "a1", "action": { "Share": { "to": "fin-csirt", "indicators": [], "tlp": "Amber" } } });
    let cases: Vec<Case<'_>> = vec![
        ("a form post", vec![("Content-Type", "text/plain"), ("Origin", &origin)], share.to_string(), 415),
        ("no origin", vec![("Content-Type", "application/json")], share.to_string(), 403),
        ("another site", vec![("Content-Type", "application/json"), ("Origin", "http://evil.example")], share.to_string(), 403),
        ("malformed JSON", vec![("Content-Type", "application/json"), ("Origin", &origin)], "{\"id\": ".to_owned(), 400),
        ("a role named in the body", vec![("Content-Type", "application/json"), ("Origin", &origin)],
            json!({ "id": "a2", "role": "fin-duty", "action": { "RequestScan": { "entity": null } } }).to_string(), 400),
        ("a path in the id", vec![("Content-Type", "application/json"), ("Origin", &origin)],
            json!({ "id": "../../s.ron", "action": { "RequestScan": { "entity": null } } }).to_string(), 400),
        ("an unknown action", vec![("Content-Type", "application/json"), ("Origin", &origin)],
            json!({ "id": "a3", "action": { "FireInject": { "inject": "x" } } }).to_string(), 400),
        ("a huge body", vec![("Content-Type", "application/json"), ("Origin", &origin)],
            json!({ "id": "a4", "action": { "Share": { "to": "x".repeat(80_000), "indicators": [], "tlp": "Amber" } } }).to_string(), 413),
        ("an overlong name", vec![("Content-Type", "application/json"), ("Origin", &origin)],
            json!({ "id": "a5", "action": { "Share": { "to": "x".repeat(2_000), "indicators": [], "tlp": "Amber" } } }).to_string(), 400),
    ];
    for (what, mut headers, body, status) in cases {
        headers.push(("Cookie", &cookie));
        let response = request(served.address, "POST", "/api/act", &headers, &body);
        assert_eq!(response.status, status, "{what}: {response:?}");
    }
    for path in [
        "/../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/app.js/../../s.ron",
        "/s.ron",
        "/s.seats.ron",
    ] {
        let response = get(&served, &cookie, path);
        assert!(
            (400..500).contains(&response.status),
            "{path}: {}",
            response.status
        );
        assert!(
            !response.body.contains("Header("),
            "{path} served a session"
        );
    }
    // One seat never reaches another's view, whatever it asks.
    let view = get(&served, &cookie, "/api/view?role=fin-duty").json();
    assert_eq!(view["role"]["id"], "ciso");
    assert_eq!(
        session_bytes(dir.path()),
        before,
        "no hostile request reached the session"
    );

    // Every response forbids framing, sniffing, referrers; scripts come from here only.
    let page = request(served.address, "GET", "/join", &[], "");
    assert_eq!(page.status, 200);
    assert!(
        page.header("content-security-policy")
            .unwrap()
            .contains("script-src 'self'")
    );
    assert!(
        page.header("content-security-policy")
            .unwrap()
            .contains("frame-ancestors 'none'")
    );
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(page.header("referrer-policy"), Some("no-referrer"));
    assert_eq!(page.header("x-frame-options"), Some("DENY"));
    assert!(!page.body.contains("ciso"), "the page itself names no role");

    // A seat that floods is slowed down, not served without end.
    let statuses: Vec<u16> = (0..150)
        .map(|_| get(&served, &cookie, "/api/view").status)
        .collect();
    assert!(
        statuses.contains(&429),
        "150 requests at once were never limited"
    );
}

#[test]
fn an_intent_retried_is_given_once_even_across_kill_and_resume() {
    let dir = tempfile::tempdir().unwrap();
    let mut served = ducksends(dir.path(), &["--pace", "1"]);
    let port = served.address.port().to_string();
    pause(&mut served);
    let cookie = login(&served, "ciso");
    let scan = json!({ "id": "retry-me", "action": { "Share": { "to": "fin-csirt", "indicators": ["no-such-indicator"], "tlp": "Red" } } });
    let first = post(&served, &cookie, "/api/act", &scan);
    assert_eq!(first.status, 200, "{first:?}");
    let first = first.json();
    assert_eq!(first["again"], false);
    assert!(
        first["refused"].is_string(),
        "the check explains the refusal: {first}"
    );
    let again = post(&served, &cookie, "/api/act", &scan).json();
    assert_eq!(again["seq"], first["seq"]);
    assert_eq!(again["again"], true);

    let commands = |dir: &Path| {
        let text = String::from_utf8(session_bytes(dir)).unwrap();
        text.lines().filter(|l| l.contains("role:\"ciso\"")).count()
    };
    assert_eq!(commands(dir.path()), 1, "written once");

    // The host dies with the page's retry in flight; the facilitator resumes.
    served.kill();
    let mut resumed = Served::start(
        dir.path(),
        &["s.ron", "--bind", &format!("127.0.0.1:{port}")],
    );
    pause(&mut resumed);
    let cookie = login(&resumed, "ciso");
    let after = post(&resumed, &cookie, "/api/act", &scan).json();
    assert_eq!(
        after["seq"], first["seq"],
        "the same links work and the retry is known"
    );
    assert_eq!(after["again"], true);
    assert_eq!(commands(dir.path()), 1, "still written once");

    // A new intent after the resume is given.
    let fresh = json!({ "id": "fresh", "action": { "Share": { "to": "fin-csirt", "indicators": [], "tlp": "Amber" } } });
    let fresh = post(&resumed, &cookie, "/api/act", &fresh).json();
    assert_eq!(fresh["again"], false);
    assert_eq!(commands(dir.path()), 2);

    // No token is ever in the session, the room, or the journal a replay writes.
    let seats = std::fs::read_to_string(dir.path().join("s.seats.ron")).unwrap();
    let tokens: Vec<&str> = seats
        .split('"')
        .filter(|s| s.len() == 32 && s.bytes().all(|b| b.is_ascii_hexdigit()))
        .collect();
    assert_eq!(
        tokens.len(),
        4,
        "one token per role, and the projector's: {seats}"
    );
    resumed.kill();
    let journal = dir.path().join("j.jsonl");
    common::tabletop()
        .args([
            "replay",
            dir.path().join("s.ron").to_str().unwrap(),
            "--journal",
            journal.to_str().unwrap(),
        ])
        .assert()
        .success();
    for file in ["s.ron", "s.room.ron", "j.jsonl", "s.accepted.jsonl"] {
        let text = std::fs::read_to_string(dir.path().join(file)).unwrap();
        for token in &tokens {
            assert!(!text.contains(token), "{file} holds a seat token");
        }
    }
    let mode = std::os::unix::fs::PermissionsExt::mode(
        &std::fs::metadata(dir.path().join("s.seats.ron"))
            .unwrap()
            .permissions(),
    );
    assert_eq!(mode & 0o077, 0, "the seats file is its owner's alone");
}

#[test]
fn a_revoked_link_stops_within_a_second_and_stays_revoked_after_resume() {
    let dir = tempfile::tempdir().unwrap();
    let mut served = ducksends(dir.path(), &["--pace", "600"]);
    let port = served.address.port().to_string();
    let old_token = served.token("fin-duty").to_owned();
    let cookie = login(&served, "fin-duty");
    let mut events = Events::open(&served, &cookie);
    assert_eq!(events.status, 200);
    let first = events.next().expect("the seat's view arrives at once");
    assert_eq!(first.data["role"]["id"], "fin-duty");
    assert!(first.id > 0, "event ids are journal positions");
    // Updates come by themselves while the clock runs.
    let later = events.next().expect("a later view");
    assert!(later.data["clock"]["now"].as_i64() >= first.data["clock"]["now"].as_i64());

    served.say("who");
    let listed = served.line_with("fin-duty");
    assert!(
        listed.contains("127.0.0.1"),
        "the console lists the browser: {listed}"
    );

    served.say("revoke fin-duty");
    let said = served.line_with("new link:");
    let new_token = said.rsplit('#').next().unwrap().trim().to_owned();
    let revoked_at = Instant::now();
    events.set_timeout(Duration::from_secs(5));
    while events.next().is_some() {}
    assert!(
        revoked_at.elapsed() < Duration::from_secs(1),
        "the old link's stream closed after {:?}",
        revoked_at.elapsed()
    );
    assert_eq!(get(&served, &cookie, "/api/view").status, 401);
    served.links.insert("fin-duty".into(), new_token.clone());
    let fresh = login(&served, "fin-duty");
    assert_eq!(get(&served, &fresh, "/api/view").status, 200);

    served.kill();
    let mut resumed = Served::start(
        dir.path(),
        &["s.ron", "--bind", &format!("127.0.0.1:{port}")],
    );
    assert_eq!(
        resumed.token("fin-duty"),
        new_token,
        "the new link survives the resume"
    );
    resumed.links.insert("fin-duty".into(), old_token);
    let origin = resumed.origin();
    let body = json!({ "token": resumed.token("fin-duty") }).to_string();
    let response = request(
        resumed.address,
        "POST",
        "/api/login",
        &[("Content-Type", "application/json"), ("Origin", &origin)],
        &body,
    );
    assert_eq!(
        response.status, 401,
        "a revoked link stays revoked after a resume"
    );
}

#[test]
fn serve_refuses_a_bad_file_and_a_bad_flag_with_its_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.ron"), "Scenario(version: 1, name: ").unwrap();
    let bad = dir.path().join("bad.ron");
    let session = dir.path().join("x.ron");
    let cases: [(&[&str], i32, &str); 3] = [
        (
            &[
                "serve",
                bad.to_str().unwrap(),
                "--session",
                session.to_str().unwrap(),
            ],
            1,
            "bad.ron:1:",
        ),
        (
            &["serve", "scenarios/ducksends.ron", "--bind", "0.0.0.0:0"],
            2,
            "--public-url",
        ),
        (
            &[
                "serve",
                "scenarios/ducksends.ron",
                "--public-url",
                "ftp://x",
                "--bind",
                "127.0.0.1:0",
            ],
            2,
            "expected http://",
        ),
    ];
    for (args, code, says) in cases {
        let output = common::tabletop().args(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(code), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }
    assert!(!session.exists(), "nothing recorded for a refused start");
}

/// DuckSends with a regime the scenario defines: a fraud is reported to the police.
fn with_fraud_complaint(dir: &Path) -> std::path::PathBuf {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/ducksends.ron");
    let text = std::fs::read_to_string(source).unwrap();
    let text = text
        .replacen(
            "    authorities: [",
            "    authorities: [\n        Authority(id: \"politie\", name: \"Police cybercrime unit\", kind: LawEnforcement, country: \"NL\"),",
            1,
        )
        .replacen(
            "            reporting: [",
            "            reporting: [Owes(regime: \"fraud-complaint\", to: \"politie\"), ",
            1,
        );
    let end = text.rfind(')').unwrap();
    let text = format!(
        "{}    regimes: [Regime(id: \"fraud-complaint\", name: \"Criminal complaint\", goes_to: [Authority(LawEnforcement)], starts: [Impact(Fraud)], reports: [(report: Defined(\"Fraud complaint\"), due: [(within: \"48h\", from: Awareness)])])],\n)",
        &text[..end]
    );
    let path = dir.join("fraud.ron");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_trainee_sends_a_report_of_a_regime_the_scenario_defines() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = with_fraud_complaint(dir.path());
    let mut served = Served::start(
        dir.path(),
        &[
            scenario.to_str().unwrap(),
            "--seed",
            "3",
            "--session",
            "s.ron",
            "--paused",
        ],
    );
    // Seed 3: DuckSends knows of the fraud, and owes the complaint, by T+1d 23h.
    served.say("jump T+1d 23h");
    let arrived = served.line_with("arrived at");
    assert!(arrived.contains("T+1d 23h"), "{arrived}");
    let cookie = login(&served, "ciso");
    // The seat's view is published as the host catches up.
    let deadline = Instant::now() + Duration::from_secs(20);
    let view = loop {
        let view = get(&served, &cookie, "/api/view").json();
        if view["clock"]["now"].as_i64() >= Some(47 * 60) || Instant::now() > deadline {
            break view;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let owed = view["owed"].as_array().unwrap();
    let card = owed
        .iter()
        .find(|o| o["label"] == "Fraud complaint")
        .unwrap_or_else(|| panic!("the complaint is owed: {view}"));
    // The page sends back the report as the card gives it.
    let act = json!({ "id": "complaint", "action": { "Report": { "incident": card["incident"], "report": card["report"] } } });
    let sent = post(&served, &cookie, "/api/act", &act);
    assert_eq!(sent.status, 200, "{sent:?}");
    let sent = sent.json();
    assert!(sent["refused"].is_null(), "{sent}");
    let session = String::from_utf8(session_bytes(dir.path())).unwrap();
    assert!(
        session.contains("Defined(\"Fraud complaint\")"),
        "the command is recorded with the report's name"
    );
}
