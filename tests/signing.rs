//! Signed sessions (issue 24): `tabletop keygen`, `--sign` on what writes a session and
//! `--verify` on what reads one. A signature made here verifies with `openssl pkeyutl`; a
//! changed byte anywhere, even with every link recomputed, fails verification; another
//! key, a stripped chain and stripped signatures are refused; a cut-off session verifies
//! up to its last signature and says so; hot-wash answers are unsigned unless signed too.

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Output;

use common::tabletop;
use tabletop::session::{self, PublicKey};

const SCRIPT: &str = r#"Command(at: 30, seq: 0, command: Observe(author: "facilitator", text: "the CISO hesitates"))
Command(at: 60, seq: 1, command: FireInject(inject: "helpdesk-tip"))
Command(at: 90, seq: 2, command: Rate(objective: "obj-1", rating: SomeChallenges, evaluator: "eva", comment: "late but right"))
"#;

const ANSWERS: &str = r#"[Answer(participant: "Nessie", role: "ciso", question: "What went well?", answer: "the call tree")]"#;

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Runs `tabletop ARGS...`.
fn run(args: &[&dyn AsRef<std::ffi::OsStr>]) -> Output {
    let mut command = tabletop();
    for arg in args {
        command.arg(arg);
    }
    command.output().unwrap()
}

/// `tabletop keygen -o DIR/NAME`: the private and public key files, and the fingerprint
/// it printed.
fn keygen(dir: &Path, name: &str) -> (PathBuf, PathBuf, String) {
    let output = run(&[&"keygen", &"-o", &dir.join(name)]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let fingerprint = stdout(&output)
        .trim()
        .strip_prefix("fingerprint ")
        .unwrap()
        .to_owned();
    (
        dir.join(format!("{name}.pem")),
        dir.join(format!("{name}.pub.pem")),
        fingerprint,
    )
}

/// Records DuckSends to T+4h, signed by `key`, with an observation, a fired inject and a
/// rating: commands between signed checkpoints.
fn recorded(dir: &Path, key: &Path, until: &str) -> PathBuf {
    let script = dir.join("script.ron");
    std::fs::write(&script, SCRIPT).unwrap();
    let session = dir.join("s.ron");
    let output = run(&[
        &"run",
        &"scenarios/ducksends.ron",
        &"--seed",
        &"3",
        &"--until",
        &until,
        &"--commands",
        &script,
        &"--session",
        &session,
        &"--sign",
        &key,
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    session
}

fn replay_verified(session: &Path, public: &Path) -> Output {
    run(&[&"replay", &session, &"--verify", &public])
}

/// One link of the chain, computed here from the README's description (blake3 over the
/// previous link, a zero byte and the line's record, first 32 hex digits).
fn link(previous: &str, body: &str) -> String {
    let mut hasher = blake3::Hasher::new();
    hasher.update(previous.as_bytes());
    hasher.update(&[0]);
    hasher.update(body.as_bytes());
    hasher.finalize().to_hex()[..32].to_owned()
}

/// A line's record and its link.
fn split(line: &str) -> (&str, &str) {
    let at = line.rfind(" //~ ").unwrap();
    (&line[..at], &line[at + 5..])
}

/// Every link recomputed, as someone who edits a session and rebuilds its chain would.
fn relink(text: &str) -> String {
    let mut previous = link("", "tabletop session chain");
    let mut out = String::new();
    for line in text.lines() {
        let body = line.rfind(" //~ ").map_or(line, |at| &line[..at]);
        previous = link(&previous, body);
        out.push_str(&format!("{body} //~ {previous}\n"));
    }
    out
}

fn hex_bytes(hex: &str) -> Vec<u8> {
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect()
}

/// Whether `openssl` is there; without it the test is skipped with a line on stderr,
/// unless TABLETOP_REQUIRE_TOOLS=1 (CI) makes that a failure.
fn openssl_available() -> bool {
    let found = std::process::Command::new("openssl")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("TABLETOP_REQUIRE_TOOLS").is_none_or(|v| v != "1"),
            "openssl is required (TABLETOP_REQUIRE_TOOLS=1) but not found"
        );
        eprintln!("skipped: openssl not found (TABLETOP_REQUIRE_TOOLS=1 makes this a failure)");
    }
    found
}

fn openssl(args: &[&dyn AsRef<std::ffi::OsStr>]) -> Output {
    let mut command = std::process::Command::new("openssl");
    for arg in args {
        command.arg(arg);
    }
    command.output().unwrap()
}

#[test]
fn keygen_writes_an_owner_only_private_key_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let (private, public, fingerprint) = keygen(dir.path(), "facilitator");
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&private), 0o600, "the private key is its owner's only");
    assert_eq!(mode(&public), 0o644);
    assert_eq!(fingerprint.len(), 64);
    let before = std::fs::read(&private).unwrap();
    let again = run(&[&"keygen", &"-o", &dir.path().join("facilitator")]);
    says(&again, 2, "already exists");
    assert_eq!(
        std::fs::read(&private).unwrap(),
        before,
        "the key is intact"
    );
}

#[test]
fn a_signed_run_replays_and_reports_under_verify() {
    let dir = tempfile::tempdir().unwrap();
    let (private, public, fingerprint) = keygen(dir.path(), "fac");
    let session = recorded(dir.path(), &private, "4h");
    let text = std::fs::read_to_string(&session).unwrap();
    assert!(text.starts_with("Header((format:3,"), "{text}");
    assert_eq!(
        text.lines().filter(|l| l.starts_with("Signature(")).count(),
        5,
        "the header and the four hourly checkpoints are signed:\n{text}"
    );
    let output = replay_verified(&session, &public);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let said = stderr(&output);
    assert!(
        said.contains(&format!(
            "signature verified up to T+4h by key {}…",
            &fingerprint[..16]
        )),
        "{said}"
    );
    // Without --verify the signer is named, and the user is told it was not checked.
    let output = run(&[&"replay", &session]);
    says(&output, 0, "not verified");

    let report = dir.path().join("r.md");
    let output = run(&[&"report", &session, &"-o", &report, &"--verify", &public]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let md = std::fs::read_to_string(&report).unwrap();
    let line = md.lines().find(|l| l.starts_with("| Signature |")).unwrap();
    assert!(
        line.contains(&format!("verified: signed by key {}…", &fingerprint[..16])),
        "{line}"
    );
    assert!(line.contains("up to T+4h"), "{line}");
    assert!(line.contains(&fingerprint), "the full fingerprint: {line}");
    // Without --verify the report names the signer and says it did not check.
    let output = run(&[&"report", &session, &"-o", &report]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let md = std::fs::read_to_string(&report).unwrap();
    let line = md.lines().find(|l| l.starts_with("| Signature |")).unwrap();
    assert!(
        line.contains(&format!(
            "signed by key {}…, not verified",
            &fingerprint[..16]
        )),
        "{line}"
    );

    // An unsigned session's report has no signature line.
    let plain = dir.path().join("plain.ron");
    let output = run(&[
        &"run",
        &"scenarios/ducksends.ron",
        &"--until",
        &"2h",
        &"--session",
        &plain,
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let plain_text = std::fs::read_to_string(&plain).unwrap();
    assert!(plain_text.starts_with("Header((format:2,"), "{plain_text}");
    assert!(!plain_text.contains("Signature("));
    let output = run(&[&"report", &plain, &"-o", &report]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        !std::fs::read_to_string(&report)
            .unwrap()
            .contains("| Signature |")
    );
}

#[test]
fn openssl_verifies_a_signature_made_here() {
    if !openssl_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (private, public, fingerprint) = keygen(dir.path(), "fac");
    let session = recorded(dir.path(), &private, "3h");
    let text = std::fs::read_to_string(&session).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let (msg, sig) = (dir.path().join("msg"), dir.path().join("sig"));
    let verify = || {
        openssl(&[
            &"pkeyutl",
            &"-verify",
            &"-pubin",
            &"-inkey",
            &public,
            &"-rawin",
            &"-in",
            &msg,
            &"-sigfile",
            &sig,
        ])
    };
    let mut checked = 0;
    for (index, line) in lines.iter().enumerate() {
        let (body, _) = split(line);
        let Some(rest) = body.strip_prefix("Signature(") else {
            continue;
        };
        // The README's recipe: the prefix, then the link of the line before, as ASCII.
        let (_, previous_link) = split(lines[index - 1]);
        let message = format!("{}{previous_link}", session::MESSAGE_PREFIX);
        std::fs::write(&msg, &message).unwrap();
        let hex = rest
            .split("sig:\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        std::fs::write(&sig, hex_bytes(hex)).unwrap();
        let output = verify();
        assert!(
            output.status.success(),
            "openssl refused line {}: {}{}",
            index + 1,
            stdout(&output),
            stderr(&output)
        );
        // openssl does check: one changed byte of the message and it refuses.
        std::fs::write(&msg, message.replacen("tabletop", "tabletoP", 1)).unwrap();
        assert!(!verify().status.success(), "openssl took a changed message");
        checked += 1;
    }
    assert_eq!(checked, 4, "the header and three checkpoints");
    // The fingerprint is the SHA-256 of the public key's DER, as openssl gives it.
    let der = openssl(&[&"pkey", &"-pubin", &"-in", &public, &"-outform", &"DER"]);
    assert!(der.status.success(), "{}", stderr(&der));
    use sha2::Digest;
    let digest: String = sha2::Sha256::digest(&der.stdout)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(digest, fingerprint);
    // And openssl reads the private key: the public key it derives is the one written.
    let derived = openssl(&[&"pkey", &"-in", &private, &"-pubout"]);
    assert!(derived.status.success(), "{}", stderr(&derived));
    assert_eq!(derived.stdout, std::fs::read(&public).unwrap());
}

#[test]
fn a_changed_byte_anywhere_fails_verification_even_with_the_chain_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    let (private, public, _) = keygen(dir.path(), "fac");
    let session = recorded(dir.path(), &private, "3h");
    let original = std::fs::read_to_string(&session).unwrap();
    assert_eq!(
        relink(&original),
        original,
        "the test rebuilds chains as written"
    );
    let key = PublicKey::load(&public).unwrap();
    assert!(session::load(&session).unwrap().verify(&key).is_ok());
    let lines: Vec<&str> = original.lines().collect();
    // Every byte of every record, first, middle and last included; the bytes are split
    // between two threads, each writing its own forged copy.
    let tried: usize = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..2)
            .map(|worker| {
                let (lines, key, forged) = (&lines, &key, dir.path().join(format!("forged{worker}.ron")));
                scope.spawn(move || {
                    let mut tried = 0;
                    for (index, line) in lines.iter().enumerate() {
                        let (body, _) = split(line);
                        for at in (0..body.len()).filter(|at| (index + at) % 2 == worker) {
                            let mut bytes = body.as_bytes().to_vec();
                            bytes[at] ^= 1;
                            let changed = String::from_utf8(bytes).unwrap();
                            let mut edited: Vec<String> =
                                lines.iter().map(|l| (*l).to_owned()).collect();
                            edited[index] = format!("{changed} //~ 0");
                            let text = relink(&(edited.join("\n") + "\n"));
                            std::fs::write(&forged, &text).unwrap();
                            let verdict = session::load(&forged).map(|s| s.verify(key));
                            assert!(
                                !matches!(verdict, Ok(Ok(_))),
                                "line {} byte {at} changed ({changed}) and the session still verifies",
                                index + 1
                            );
                            tried += 1;
                        }
                    }
                    tried
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).sum()
    });
    assert!(tried > 1000, "{tried} changes tried");
    let forged = dir.path().join("forged.ron");

    // As a user sees it: the header's seed, a command's text, a checkpoint's checksum. The
    // script's commands are written right after the header's signature (lines 3 to 5), so
    // the first signature that covers them follows the checkpoint of T+1h (line 7).
    assert!(lines[6].starts_with("Signature(upto:60,"), "{original}");
    for (from, to, line) in [
        ("seed:3", "seed:4", 2),
        ("the CISO hesitates", "the CISO decides", 7),
        (
            "Checkpoint(t:60,checksum:\"",
            "Checkpoint(t:60,checksum:\"0",
            7,
        ),
    ] {
        let text = relink(&original.replacen(from, to, 1));
        std::fs::write(&forged, &text).unwrap();
        let output = replay_verified(&forged, &public);
        assert_eq!(output.status.code(), Some(1), "{from}: {}", stderr(&output));
        assert!(
            stderr(&output).contains("does not verify"),
            "{from}: {}",
            stderr(&output)
        );
        assert!(
            stderr(&output).contains(&format!("forged.ron:{line}: the signature does not verify")),
            "names the file and line: {}",
            stderr(&output)
        );
        // Without rebuilding the chain, the chain itself refuses it.
        std::fs::write(&forged, original.replacen(from, to, 1)).unwrap();
        let output = replay_verified(&forged, &public);
        assert_eq!(output.status.code(), Some(1), "{from}: {}", stderr(&output));
        assert!(
            stderr(&output).contains("the chain breaks"),
            "{}",
            stderr(&output)
        );
    }
}

#[test]
fn a_session_signed_by_another_key_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (private, public, fingerprint) = keygen(dir.path(), "fac");
    let (_, other, other_fingerprint) = keygen(dir.path(), "someone-else");
    let session = recorded(dir.path(), &private, "2h");
    let output = replay_verified(&session, &other);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let said = stderr(&output);
    assert!(
        said.contains(&format!(
            "s.ron:1: signed by key {}…, not by the key given ({}…)",
            &fingerprint[..16],
            &other_fingerprint[..16]
        )),
        "{said}"
    );
    // Re-signed by someone else's key with the header left alone: the signature names it.
    let text = std::fs::read_to_string(&session).unwrap();
    let swapped = relink(&text.replace(
        &format!("key:\"{fingerprint}\""),
        &format!("key:\"{other_fingerprint}\""),
    ));
    std::fs::write(&session, swapped).unwrap();
    let output = replay_verified(&session, &public);
    says(&output, 1, "s.ron:2: signed by key");
    // The report refuses it too.
    let report = dir.path().join("r.md");
    let output = run(&[&"report", &session, &"-o", &report, &"--verify", &public]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        !report.exists(),
        "no report of a session that does not verify"
    );
}

#[test]
fn a_stripped_chain_or_stripped_signatures_are_refused_under_verify() {
    let dir = tempfile::tempdir().unwrap();
    let (private, public, fingerprint) = keygen(dir.path(), "fac");
    let session = recorded(dir.path(), &private, "2h");
    let text = std::fs::read_to_string(&session).unwrap();

    // A downgrade to an unchained session: links gone, format 1, no signer, no signatures.
    let header_signer = format!(",signer:Some(\"{fingerprint}\")");
    let unchained: String = text
        .lines()
        .map(|l| split(l).0)
        .filter(|l| !l.starts_with("Signature("))
        .map(|l| {
            l.replace("format:3", "format:1")
                .replace(&header_signer, "")
                + "\n"
        })
        .collect();
    let stripped = dir.path().join("stripped.ron");
    std::fs::write(&stripped, &unchained).unwrap();
    let output = run(&[&"replay", &stripped]);
    assert_eq!(output.status.code(), Some(0), "old sessions still replay");
    assert!(stderr(&output).contains("unchained"), "{}", stderr(&output));
    let output = replay_verified(&stripped, &public);
    says(&output, 1, "unchained (session format 1)");
    // The links alone removed: the chain breaks at once.
    let unlinked: String = text.lines().map(|l| split(l).0.to_owned() + "\n").collect();
    std::fs::write(&stripped, unlinked).unwrap();
    let output = replay_verified(&stripped, &public);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));

    // Every signature removed and the chain rebuilt: the header still names the signer.
    let unsigned: String = text
        .lines()
        .filter(|l| !l.starts_with("Signature("))
        .map(|l| l.to_owned() + "\n")
        .collect();
    std::fs::write(&stripped, relink(&unsigned)).unwrap();
    let output = replay_verified(&stripped, &public);
    says(&output, 1, "its signatures were removed");
    // And with the signer taken out of the header too: not signed at all.
    std::fs::write(
        &stripped,
        relink(
            &unsigned
                .replace(&header_signer, "")
                .replace("format:3", "format:2"),
        ),
    )
    .unwrap();
    let output = replay_verified(&stripped, &public);
    says(&output, 1, "not signed");
}

#[test]
fn a_cut_off_session_verifies_up_to_its_last_signature_and_resumes_signed() {
    let dir = tempfile::tempdir().unwrap();
    let (private, public, _) = keygen(dir.path(), "fac");
    let session = recorded(dir.path(), &private, "3h");
    let text = std::fs::read_to_string(&session).unwrap();
    // Cut after the signature of T+1h, in the middle of the next line, as kill -9 would.
    let lines: Vec<&str> = text.lines().collect();
    let signed = lines
        .iter()
        .position(|l| l.starts_with("Signature(upto:60,"))
        .unwrap();
    let mut cut: String = lines[..=signed + 1].join("\n");
    cut.push('\n');
    cut.push_str(&lines[signed + 2][..20]);
    std::fs::write(&session, &cut).unwrap();
    let output = replay_verified(&session, &public);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let said = stderr(&output);
    assert!(said.contains("signature verified up to T+1h"), "{said}");
    assert!(said.contains("the 1 record after line"), "{said}");

    // Resuming a signed session needs its key: without, it would go on unsigned.
    let output = run(&[&"resume", &session]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stderr(&output).contains("--sign"), "{}", stderr(&output));
    let (other, _, _) = keygen(dir.path(), "other");
    let output = run(&[&"resume", &session, &"--sign", &other]);
    says(&output, 1, "continue it with the key that signed it");
    let output = run(&[
        &"resume",
        &session,
        &"--sign",
        &private,
        &"--verify",
        &public,
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let output = replay_verified(&session, &public);
    says(&output, 0, "signature verified to the end of the exercise");
}

#[test]
fn hot_wash_answers_are_unsigned_unless_signed_too() {
    let dir = tempfile::tempdir().unwrap();
    let (private, public, _) = keygen(dir.path(), "fac");
    let session = recorded(dir.path(), &private, "2h");
    let answers = dir.path().join("answers.ron");
    std::fs::write(&answers, ANSWERS).unwrap();
    let report = dir.path().join("r.md");
    let answer_line = |report: &Path| {
        std::fs::read_to_string(report)
            .unwrap()
            .lines()
            .find(|l| l.starts_with("- the call tree"))
            .unwrap()
            .to_owned()
    };

    let output = run(&[&"feedback", &session, &"--file", &answers]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stderr(&output).contains("unsigned"), "{}", stderr(&output));
    let output = run(&[&"report", &session, &"-o", &report, &"--verify", &public]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        answer_line(&report).ends_with("— **unsigned**"),
        "{}",
        answer_line(&report)
    );
    let md = std::fs::read_to_string(&report).unwrap();
    assert!(md.contains("Not signed: the 1 record after line"), "{md}");
    let html = dir.path().join("r.html");
    let output = run(&[&"report", &session, &"-o", &html, &"--verify", &public]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(
        page.contains("<dt>Signature</dt><dd>verified: signed by key"),
        "{page}"
    );
    assert!(
        page.contains("Nessie, ciso · <strong>unsigned</strong>"),
        "{page}"
    );

    // Signed by another key: refused, nothing appended.
    let (other, _, _) = keygen(dir.path(), "other");
    let before = std::fs::read(&session).unwrap();
    let output = run(&[
        &"feedback",
        &session,
        &"--file",
        &answers,
        &"--sign",
        &other,
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_eq!(std::fs::read(&session).unwrap(), before);

    // Signed with the session's key: this answer and the one before are covered.
    let output = run(&[
        &"feedback",
        &session,
        &"--file",
        &answers,
        &"--sign",
        &private,
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let output = run(&[&"report", &session, &"-o", &report, &"--verify", &public]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let md = std::fs::read_to_string(&report).unwrap();
    assert!(!md.contains("**unsigned**"), "{md}");
    assert!(!md.contains("Not signed:"), "{md}");
}

#[test]
fn key_files_in_the_wrong_place_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let (private, public, _) = keygen(dir.path(), "fac");
    let session = dir.path().join("s.ron");
    let base: [&dyn AsRef<std::ffi::OsStr>; 6] = [
        &"run",
        &"scenarios/ducksends.ron",
        &"--until",
        &"1h",
        &"--session",
        &session,
    ];
    let output = run(&[base.as_slice(), &[&"--sign", &public]].concat());
    says(&output, 2, "is a public key");
    assert!(!session.exists(), "nothing recorded with a wrong key");
    let missing = dir.path().join("missing.pem");
    let output = run(&[base.as_slice(), &[&"--sign", &missing]].concat());
    says(&output, 2, "missing.pem");

    let session = recorded(dir.path(), &private, "1h");
    let output = replay_verified(&session, &private);
    says(&output, 2, "is a private key");
    let output = replay_verified(&session, &dir.path().join("script.ron"));
    says(&output, 2, "not an ed25519 key in PKCS#8 PEM");
}

#[test]
fn a_branch_is_signed_by_whoever_branches_it() {
    let dir = tempfile::tempdir().unwrap();
    let (private, _, _) = keygen(dir.path(), "fac");
    let (evaluator, evaluator_public, fingerprint) = keygen(dir.path(), "evaluator");
    let session = recorded(dir.path(), &private, "3h");
    let branch = dir.path().join("branch.ron");
    let output = run(&[
        &"branch",
        &session,
        &"--at",
        &"2h",
        &"-o",
        &branch,
        &"--seed-keep",
        &"--sign",
        &evaluator,
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let output = replay_verified(&branch, &evaluator_public);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stderr(&output).contains(&format!("up to T+1h by key {}…", &fingerprint[..16])),
        "{}",
        stderr(&output)
    );
}

#[test]
fn the_console_signs_with_its_signing_key_and_reviews_only_what_verifies() {
    use common::console::{harness, options};
    use egui_kittest::kittest::Queryable;
    use tabletop::gui::{App, AppOptions};
    let dir = tempfile::tempdir().unwrap();
    let (private, public, fingerprint) = keygen(dir.path(), "fac");
    let (_, other, _) = keygen(dir.path(), "other");

    // `tabletop gui --sign KEY` fills the start screen's signing key; Start signs with it.
    let mut console = harness(App::new(AppOptions {
        sign_key: Some(private.clone()),
        ..options(dir.path())
    }));
    console.run();
    assert!(console.query_by_label("Signing key").is_some());
    assert!(console.query_by_label("Public key").is_some());
    assert_eq!(
        console.state().start.sign_path,
        private.display().to_string()
    );
    console.get_by_label("ducksends.ron").click();
    console.run();
    console.get_by_label("Start").click();
    console.run();
    let started = console
        .state()
        .console
        .as_ref()
        .map(|c| c.host.session_path().unwrap().to_path_buf());
    let session = started.unwrap_or_else(|| panic!("{:?}", console.state().start.error));
    drop(console);
    let loaded = session::load(&session).unwrap();
    assert_eq!(loaded.header.signer.as_deref(), Some(fingerprint.as_str()));
    assert_eq!(
        loaded.signatures.lines.len(),
        1,
        "the header is signed at once"
    );

    // Review with someone else's public key: refused, and the start screen says why.
    let mut console = harness(App::new(options(dir.path())));
    console.run();
    console.state_mut().start.resume_path = session.display().to_string();
    console.state_mut().start.verify_path = other.display().to_string();
    console.run();
    console.get_by_label("Review").click();
    console.run();
    assert!(console.state().console.is_none(), "not opened");
    let error = console.state().start.error.clone().unwrap();
    assert!(error.contains("not by the key given"), "{error}");
    // A private key in the public key's place says so.
    console.state_mut().start.verify_path = private.display().to_string();
    console.get_by_label("Review").click();
    console.run();
    let error = console.state().start.error.clone().unwrap();
    assert!(error.contains("is a private key"), "{error}");
    // With its own key: opened, and the first line read is how far it verified.
    console.state_mut().start.verify_path = public.display().to_string();
    console.get_by_label("Review").click();
    console.run();
    let opened = console.state().console.as_ref().unwrap();
    let status = opened.status.as_ref().unwrap().text.clone();
    assert!(
        status.starts_with("signature verified up to T+0m by key"),
        "{status}"
    );
}

/// `output` exited with `code` and its stderr says `text`.
fn says(output: &std::process::Output, code: i32, text: &str) {
    assert_eq!(output.status.code(), Some(code), "{}", stderr(output));
    assert!(stderr(output).contains(text), "{}", stderr(output));
}
