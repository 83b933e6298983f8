//! The exercise room over the network (issue 22), against real `tabletop serve` processes
//! on 127.0.0.1: TLS with a certificate a client can pin, plain HTTP refused beyond
//! loopback, what an evaluator's, a controller's and the projector's seats may send, the
//! white cell's messages and the hot wash kept in the session and quoted in the report.

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]
#![allow(
    clippy::disallowed_methods,
    reason = "tests wait for real processes in wall time"
)]

mod common;

use std::io::{Read, Write};
use std::path::Path;
use std::sync::Arc;

use common::served::{Served, login, post};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use serde_json::json;

fn ducksends(dir: &Path, extra: &[&str]) -> Served {
    Served::ducksends(dir, extra)
}

/// Trusts exactly one certificate: the one whose SHA-256 fingerprint the facilitator
/// read out (what a trainee does by comparing the card with the browser's padlock).
#[derive(Debug)]
struct Pinned {
    fingerprint: String,
    provider: Arc<rustls::crypto::CryptoProvider>,
}

impl ServerCertVerifier for Pinned {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if tabletop::serve::fingerprint(end_entity.as_ref()) == self.fingerprint {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::General("not the pinned certificate".into()))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// `GET /` over TLS, trusting only `fingerprint`: the response's first line, or why the
/// connection failed.
fn get_pinned(address: std::net::SocketAddr, fingerprint: &str) -> Result<String, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(Pinned {
            fingerprint: fingerprint.to_owned(),
            provider,
        }))
        .with_no_client_auth();
    let name = ServerName::try_from("127.0.0.1").map_err(|e| e.to_string())?;
    let mut connection =
        rustls::ClientConnection::new(Arc::new(config), name).map_err(|e| e.to_string())?;
    let mut socket = std::net::TcpStream::connect(address).map_err(|e| e.to_string())?;
    socket
        .set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .map_err(|e| e.to_string())?;
    let mut tls = rustls::Stream::new(&mut connection, &mut socket);
    tls.write_all(
        format!("GET / HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n").as_bytes(),
    )
    .map_err(|e| e.to_string())?;
    let mut reply = Vec::new();
    match tls.read_to_end(&mut reply) {
        Ok(_) => {}
        // A peer that closes without close_notify after a whole response is fine here.
        Err(e) if !reply.is_empty() && e.kind() == std::io::ErrorKind::UnexpectedEof => {}
        Err(e) => return Err(e.to_string()),
    }
    let text = String::from_utf8_lossy(&reply);
    Ok(text.lines().next().unwrap_or_default().to_owned())
}

fn fingerprint_printed(served: &mut Served) -> String {
    served.line_with("fingerprint");
    let line = served.line_with(":");
    line.trim().to_owned()
}

#[test]
fn a_client_that_pins_the_printed_fingerprint_connects_and_the_certificate_survives_resume() {
    let dir = tempfile::tempdir().unwrap();
    let mut served = ducksends(dir.path(), &["--tls", "--paused"]);
    assert!(
        served
            .printed
            .iter()
            .any(|l| l.contains("serving on https://127.0.0.1:")),
        "{:?}",
        served.printed
    );
    let fingerprint = served
        .printed
        .iter()
        .skip_while(|l| !l.contains("fingerprint"))
        .nth(1)
        .map(|l| l.trim().to_owned())
        .unwrap_or_else(|| fingerprint_printed(&mut served));
    assert_eq!(
        fingerprint.len(),
        95,
        "32 bytes as colon hex: {fingerprint}"
    );
    let first = get_pinned(served.address, &fingerprint).expect("the pinned client connects");
    assert_eq!(first, "HTTP/1.1 200 OK");
    let wrong = fingerprint.replace(
        &fingerprint[..2],
        if &fingerprint[..2] == "00" {
            "11"
        } else {
            "00"
        },
    );
    assert!(
        get_pinned(served.address, &wrong).is_err(),
        "a client pinning another certificate refuses this one"
    );
    // The join links are https ones, and plain HTTP on the TLS port gets nothing.
    assert!(
        served
            .printed
            .iter()
            .any(|l| l.contains("https://127.0.0.1:") && l.contains("/join#"))
    );
    let mut plain = std::net::TcpStream::connect(served.address).unwrap();
    plain
        .set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    plain
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let mut reply = Vec::new();
    let _ = plain.read_to_end(&mut reply);
    assert!(!String::from_utf8_lossy(&reply).contains("EXERCISE"));

    // The certificate is kept beside the session, its key readable by the owner only,
    // and a resumed exercise presents the same one: the cards stay true.
    use std::os::unix::fs::PermissionsExt as _;
    let kept = dir.path().join("s.tls.pem");
    let mode = std::fs::metadata(&kept).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    served.kill();
    let session = dir.path().join("s.ron");
    let mut resumed = Served::start(
        dir.path(),
        &[session.to_str().unwrap(), "--tls", "--paused"],
    );
    let again = resumed
        .printed
        .iter()
        .skip_while(|l| !l.contains("fingerprint"))
        .nth(1)
        .map(|l| l.trim().to_owned())
        .unwrap_or_else(|| fingerprint_printed(&mut resumed));
    assert_eq!(again, fingerprint, "the same certificate after resume");
}

#[test]
fn plain_http_beyond_loopback_is_refused_unless_asked_for_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = common::repo_path("scenarios/ducksends.ron");
    let output = common::tabletop()
        .current_dir(dir.path())
        .args(["serve", scenario.to_str().unwrap(), "--session", "s.ron"])
        .args([
            "--bind",
            "0.0.0.0:0",
            "--public-url",
            "http://192.0.2.1:8480",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(
        said.contains("--insecure-http") && said.contains("https://"),
        "{said}"
    );
    assert!(
        !dir.path().join("s.ron").exists(),
        "a refused start writes no session"
    );

    // Half a certificate, or TLS and --insecure-http together: usage errors too.
    for extra in [
        &["--tls-cert", "cert.pem"][..],
        &["--tls", "--insecure-http"][..],
    ] {
        let output = common::tabletop()
            .current_dir(dir.path())
            .args(["serve", scenario.to_str().unwrap(), "--session", "s.ron"])
            .args(["--bind", "127.0.0.1:0"])
            .args(extra)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{extra:?}: {output:?}");
    }

    // An evaluator named like a role (usage, 2) and a certificate that is not there (a bad
    // file, 1) are refused before any session exists.
    for (extra, code) in [
        (&["--evaluator", "ciso"][..], 2),
        (&["--tls-cert", "nope.pem", "--tls-key", "nope.key"][..], 1),
    ] {
        let output = common::tabletop()
            .current_dir(dir.path())
            .args(["serve", scenario.to_str().unwrap(), "--session", "s.ron"])
            .args(["--bind", "127.0.0.1:0"])
            .args(extra)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(code), "{extra:?}: {output:?}");
        assert!(
            !dir.path().join("s.ron").exists(),
            "{extra:?} wrote a session"
        );
    }
}

#[test]
fn each_seat_sends_only_what_its_kind_may_and_the_session_records_the_author() {
    let dir = tempfile::tempdir().unwrap();
    let mut served = ducksends(
        dir.path(),
        &["--evaluator", "Ann", "--controller", "Bob", "--paused"],
    );
    for seat in ["ciso", "evaluator:Ann", "controller:Bob", "projector"] {
        assert!(
            served.links.contains_key(seat),
            "a link for {seat}: {:?}",
            served.links
        );
    }
    served.say("play");
    served.line_with("playing at");
    let evaluator = login(&served, "evaluator:Ann");
    let controller = login(&served, "controller:Bob");
    let projector = login(&served, "projector");
    let ciso = login(&served, "ciso");
    let session = || std::fs::read(dir.path().join("s.ron")).unwrap();
    let commands = || {
        String::from_utf8(session())
            .unwrap()
            .lines()
            .filter(|l| l.contains("Command("))
            .count()
    };

    // What a seat may not send is refused before it reaches the host: 403, nothing written.
    let share = json!({ "id": "e1", "action": { "Share": { "to": "ncsc-nl", "indicators": [], "tlp": "Amber" } } });
    let before = commands();
    for (cookie, path, body) in [
        (&evaluator, "/api/act", share.clone()),
        (
            &evaluator,
            "/api/message",
            json!({ "id": "e2", "text": "hello", "to": "ciso" }),
        ),
        (&projector, "/api/act", share.clone()),
        (&projector, "/api/note", json!({ "id": "p1", "text": "x" })),
        (
            &ciso,
            "/api/note",
            json!({ "id": "c0", "text": "we did well" }),
        ),
        (
            &ciso,
            "/api/message",
            json!({ "id": "c00", "text": "x", "to": "fin-duty" }),
        ),
        (
            &controller,
            "/api/answer",
            json!({ "id": "b0", "decision": "x", "option": "y" }),
        ),
    ] {
        let response = post(&served, cookie, path, &body);
        assert_eq!(response.status, 403, "{path} {body}: {response:?}");
        assert!(response.body.contains("may"), "{}", response.body);
    }
    assert_eq!(commands(), before, "the session is unchanged");

    // What each may send is recorded under its author.
    let note = post(
        &served,
        &evaluator,
        "/api/note",
        &json!({ "id": "e3", "text": "fin-csirt triaged fast" }),
    );
    assert_eq!(note.status, 200, "{note:?}");
    let rating = post(
        &served,
        &evaluator,
        "/api/note",
        &json!({ "id": "e4", "text": "on time", "objective": "obj-1", "rating": "SomeChallenges" }),
    );
    assert_eq!(rating.status, 200, "{rating:?}");
    let asked = post(
        &served,
        &ciso,
        "/api/message",
        &json!({ "id": "c1", "text": "We call the regulator. <b>now</b>" }),
    );
    assert_eq!(asked.status, 200, "{asked:?}");
    let answered = post(
        &served,
        &controller,
        "/api/message",
        &json!({ "id": "b1", "text": "The regulator's line is busy.", "to": "ciso" }),
    );
    assert_eq!(answered.status, 200, "{answered:?}");
    let text = String::from_utf8(session()).unwrap();
    assert!(text.contains("Observe(author:\"Ann\""), "{text}");
    assert!(text.contains("evaluator:\"Ann\""), "{text}");
    assert!(text.contains("ToControl(role:\"ciso\""), "{text}");
    assert!(
        text.contains("FromControl(role:\"ciso\",by:\"Bob\""),
        "{text}"
    );
    // No seat's secret is in the session.
    for token in served.links.values() {
        assert!(!text.contains(token.as_str()));
    }
}

#[test]
fn the_hot_wash_answers_from_the_seats_are_in_the_session_and_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let mut served = ducksends(dir.path(), &["--pace", "100000", "--evaluator", "Ann"]);
    let ciso = login(&served, "ciso");
    // Before the end, the hot wash is not open.
    let early = post(
        &served,
        &ciso,
        "/api/hotwash",
        &json!({ "id": "h0", "participant": "Nessie", "answers": ["x"] }),
    );
    if early.status == 200 {
        // The exercise already ran out at this pace: nothing to check before the end.
        assert!(early.body.contains("Thank you"), "{early:?}");
    } else {
        assert_eq!(early.status, 409, "{early:?}");
        assert!(
            early.body.contains("when the exercise has ended"),
            "{early:?}"
        );
    }
    served.line_with("the exercise has ended");
    let evaluator = login(&served, "evaluator:Ann");
    if early.status != 200 {
        let kept = post(
            &served,
            &ciso,
            "/api/hotwash",
            &json!({ "id": "h1", "participant": "Nessie Woo", "answers": ["Early detection", "", "Call the bank sooner"] }),
        );
        assert_eq!(kept.status, 200, "{kept:?}");
        assert!(kept.body.contains("2 answers"), "{kept:?}");
    }
    let twice = post(
        &served,
        &ciso,
        "/api/hotwash",
        &json!({ "id": "h2", "participant": "Nessie Woo", "answers": ["again"] }),
    );
    assert_eq!(twice.status, 409, "once per seat: {twice:?}");
    let theirs = post(
        &served,
        &evaluator,
        "/api/hotwash",
        &json!({ "id": "h3", "participant": "Ann Evers", "answers": ["The white cell was busy"] }),
    );
    assert_eq!(theirs.status, 200, "{theirs:?}");
    served.say("quit");
    served.kill();

    let session = dir.path().join("s.ron");
    let text = std::fs::read_to_string(&session).unwrap();
    assert!(
        text.contains(
            "Hotwash(participant:\"Ann Evers\",role:\"evaluator\",question:\"What went well?\""
        ),
        "{text}"
    );
    let report = dir.path().join("r.html");
    let output = common::tabletop()
        .args([
            "report",
            session.to_str().unwrap(),
            "--output",
            report.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let html = std::fs::read_to_string(&report).unwrap();
    assert!(
        html.contains("The white cell was busy"),
        "the report quotes the hot wash"
    );
    assert!(html.contains("Ann Evers"));
}

/// `zbarimg` (Debian's zbar-tools), or `None` (skipped, said on stderr) unless
/// TABLETOP_REQUIRE_TOOLS=1 makes that a failure.
fn zbarimg() -> Option<&'static str> {
    let works = std::process::Command::new("zbarimg")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if works {
        return Some("zbarimg");
    }
    assert!(
        std::env::var_os("TABLETOP_REQUIRE_TOOLS").is_none_or(|v| v != "1"),
        "zbarimg (zbar-tools) is required (TABLETOP_REQUIRE_TOOLS=1) but not found"
    );
    eprintln!("skipped: zbarimg not found (TABLETOP_REQUIRE_TOOLS=1 makes this a failure)");
    None
}

/// The printed cards work: each QR code, as a browser renders the page, reads back (with
/// zbar, a decoder nobody here wrote) as exactly its seat's join link, and the page is
/// readable by its owner only.
#[test]
fn the_seat_cards_qr_codes_read_back_as_the_join_links() {
    let (Some(zbar), true) = (zbarimg(), common::webdriver::available()) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut served = ducksends(dir.path(), &["--paused", "--tls", "--evaluator", "Ann"]);
    served.say("cards");
    served.line_with("seat cards written to");
    let cards = dir.path().join("s.cards.html");
    use std::os::unix::fs::PermissionsExt as _;
    let mode = std::fs::metadata(&cards).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "the cards hold every link");
    let html = std::fs::read_to_string(&cards).unwrap();
    assert!(
        html.contains("Certificate SHA-256"),
        "the fingerprint to compare"
    );

    let driver = common::webdriver::Driver::start();
    let browser = driver.browser();
    browser.open(&format!("file://{}", cards.display()));
    browser.wait_for(
        "the cards",
        "return document.querySelectorAll('.card svg').length",
    );
    let png = dir.path().join("cards.png");
    browser.run("document.body.style.zoom = '0.6'; return true;");
    std::fs::write(&png, browser.screenshot()).unwrap();
    let output = std::process::Command::new(zbar)
        .args(["--quiet", "--raw"])
        .arg(&png)
        .output()
        .unwrap();
    let read: std::collections::BTreeSet<String> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_owned)
        .collect();
    let links: std::collections::BTreeSet<String> = served
        .links
        .values()
        .map(|token| format!("https://{}/join#{token}", served.address))
        .collect();
    assert_eq!(read, links, "every card's code is its seat's link");
}

/// The journalist's discussion questions over HTTP: the CISO answers the free-text one in
/// words (a body with both an option and words is refused), a second answer from the seat
/// is refused with the first one quoted, and the evaluator rates the answer; the session
/// holds each under its author, and a replay plays it back.
#[test]
fn a_discussion_question_is_answered_in_words_once_and_rated() {
    let dir = tempfile::tempdir().unwrap();
    let mut served = ducksends(dir.path(), &["--evaluator", "Ann", "--paused"]);
    served.say("jump T+20h1m");
    served.line_with("arrived at T+20h 1m");
    let ciso = login(&served, "ciso");
    let evaluator = login(&served, "evaluator:Ann");
    let decision = "journalist-call:who-speaks@ducksends";
    let both = post(
        &served,
        &ciso,
        "/api/answer",
        &json!({ "id": "a0", "decision": decision, "option": "x", "text": "y" }),
    );
    assert_eq!(both.status, 400, "{both:?}");
    let words = post(
        &served,
        &ciso,
        "/api/answer",
        &json!({ "id": "a1", "decision": decision, "text": "Our spokesperson, after DNB" }),
    );
    assert_eq!(words.status, 200, "{words:?}");
    let again = post(
        &served,
        &ciso,
        "/api/answer",
        &json!({ "id": "a2", "decision": decision, "text": "A second thought" }),
    );
    assert_eq!(again.status, 409, "{again:?}");
    assert!(
        again.body.contains("Our spokesperson, after DNB"),
        "the first answer is quoted: {again:?}"
    );
    let rated = post(
        &served,
        &evaluator,
        "/api/note",
        &json!({ "id": "r1", "text": "clear, but late", "answer": decision, "rating": "MajorChallenges" }),
    );
    assert_eq!(rated.status, 200, "{rated:?}");
    // Let the answers play, and an hour pass for a checkpoint.
    served.say("speed 100000");
    served.say("play");
    served.line_with("the exercise has ended");
    drop(served);
    let text = std::fs::read_to_string(dir.path().join("s.ron")).unwrap();
    assert!(
        text.contains(&format!(
            "Answer(decision:\"{decision}\",text:\"Our spokesperson, after DNB\",by:\"ciso\")"
        )),
        "{text}"
    );
    assert!(!text.contains("A second thought"), "{text}");
    assert!(
        text.contains(&format!(
            "RateAnswer(decision:\"{decision}\",rating:MajorChallenges,evaluator:\"Ann\""
        )),
        "{text}"
    );
    let journal = dir.path().join("j.jsonl");
    let output = common::tabletop()
        .args(["replay", dir.path().join("s.ron").to_str().unwrap()])
        .args(["--journal", journal.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let journal = std::fs::read_to_string(journal).unwrap();
    assert!(journal.lines().any(|l| l.contains("\"question_answered\"")
        && l.contains("Our spokesperson, after DNB")
        && l.contains("\"by\":\"ciso\"")));
    assert!(journal.lines().any(|l| l.contains("\"answer_rated\"")
        && l.contains("\"rating\":\"MajorChallenges\"")));
}
