//! Three trainees at their own (headless Chromium) browsers play DuckSends through their
//! join links, against a real `tabletop serve` on 127.0.0.1: the CISO answers a decision,
//! the sector CSIRT shares under TLP:RED, the national CSIRT tries to pass it on and sees
//! the refusal explained; the session holds each command `by` its role, the refused one
//! too. Then the host is killed (-9) while a page has an intent to send: the page
//! reconnects by itself to the resumed host and the intent is recorded exactly once.

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]
#![allow(
    clippy::disallowed_methods,
    reason = "tests wait for real processes in wall time"
)]

mod common;

use common::served::Served;
use common::webdriver::{self, Browser};

/// A seat opened from its link, as a trainee clicks it.
fn seat<'a>(
    driver: &'a webdriver::Driver,
    served: &Served,
    role: &str,
    title: &str,
) -> Browser<'a> {
    let browser = driver.browser();
    browser.open(&format!("{}/join#{}", served.origin(), served.token(role)));
    browser.wait_for(
        &format!("{role}'s page"),
        &format!("return document.getElementById('title').textContent.startsWith({title:?})"),
    );
    let address = browser
        .run("return location.href")
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        !address.contains('#'),
        "the token left the address bar: {address}"
    );
    browser
}

fn commands_by(session: &str, role: &str) -> usize {
    session
        .lines()
        .filter(|l| l.starts_with("Command(") || l.contains("Command("))
        .filter(|l| {
            l.contains(&format!("by:\"{role}\"")) || l.contains(&format!("role:\"{role}\""))
        })
        .count()
}

#[test]
fn three_trainees_play_ducksends_from_their_browsers() {
    if !webdriver::available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let scenario = common::repo_path("scenarios/ducksends.ron");
    let mut served = Served::start(
        dir.path(),
        &[
            scenario.to_str().unwrap(),
            "--seed",
            "7",
            "--session",
            "s.ron",
            "--pace",
            "120",
            "--paused",
        ],
    );
    let port = served.address.port().to_string();
    let driver = webdriver::Driver::start();
    let ciso = seat(&driver, &served, "ciso", "DuckSends CISO");
    let fin = seat(&driver, &served, "fin-duty", "fin-csirt duty officer");
    let ncsc = seat(&driver, &served, "ncsc-duty", "National CSIRT");
    for page in [&ciso, &fin, &ncsc] {
        assert!(page.text().contains("EXERCISE"), "EXERCISE on every page");
    }

    // Everyone is in: the facilitator starts the clock.
    served.say("play");
    // The CISO answers the helpdesk's question when it comes (T+1h).
    ciso.wait_within(
        60,
        "the helpdesk's question",
        "return document.querySelector('#prompts button[data-option]') !== null",
    );
    assert!(
        ciso.text().contains("otherwise"),
        "the default that applies is shown"
    );
    ciso.click("#prompts button[data-option]");
    ciso.wait_for(
        "the answer recorded",
        "return document.getElementById('result').textContent.includes('recorded as #')",
    );

    // fin-csirt shares what it holds with the national CSIRT, under TLP:RED.
    served.say("speed 600");
    fin.wait_within(
        120,
        "indicators at fin-csirt",
        "return document.querySelector('input[data-indicator]') !== null",
    );
    served.say("pause");
    served.line_with("paused at");
    fin.run("document.querySelectorAll('input[data-indicator]').forEach(b => { if (!b.checked) b.click(); }); return true;");
    fin.choose("#tlp", "Red");
    fin.choose("#recipient", "ncsc-nl");
    fin.click("#share");
    let said = fin.wait_for(
        "the share's answer",
        "return document.getElementById('result').textContent",
    );
    assert!(said.as_str().unwrap().contains("recorded as #"), "{said}");
    assert!(!said.as_str().unwrap().contains("Not sent"), "{said}");
    served.say("play");

    // The national CSIRT holds it under RED and tries to pass it to its Belgian peer.
    ncsc.wait_within(
        60,
        "a TLP:RED indicator at the national CSIRT",
        "return Array.from(document.querySelectorAll('#actions .row')).some(r => r.textContent.includes('TLP:RED') && r.querySelector('input[data-indicator]'))",
    );
    served.say("pause");
    served.line_with("paused at");
    ncsc.run("document.querySelectorAll('#actions .row').forEach(r => { const b = r.querySelector('input[data-indicator]'); if (b && r.textContent.includes('TLP:RED') && !b.checked) b.click(); }); return true;");
    ncsc.choose("#tlp", "Amber");
    ncsc.choose("#recipient", "be-csirt");
    ncsc.click("#share");
    let refusal = ncsc.wait_for("the refusal", "return document.querySelector('#result.refused') && document.getElementById('result').textContent");
    let refusal = refusal.as_str().unwrap();
    assert!(
        refusal.contains("TLP:RED is for the named recipients only"),
        "{refusal}"
    );
    assert!(
        refusal.contains("recorded"),
        "the attempt is recorded: {refusal}"
    );
    std::fs::write(
        common::repo_path("target/trainee-page.png"),
        ncsc.screenshot(),
    )
    .unwrap();

    let session = std::fs::read_to_string(dir.path().join("s.ron")).unwrap();
    assert_eq!(commands_by(&session, "ciso"), 1, "{session}");
    assert_eq!(commands_by(&session, "fin-duty"), 1, "{session}");
    assert_eq!(
        commands_by(&session, "ncsc-duty"),
        1,
        "the refused attempt is recorded too"
    );

    // The host dies. fin-csirt's trainee shares again meanwhile: the page keeps trying.
    let before = fin.run("return document.getElementById('result').textContent");
    served.kill();
    fin.wait_for(
        "the page to notice",
        "return document.getElementById('status').textContent.includes('connection lost')",
    );
    fin.choose("#tlp", "Amber");
    fin.choose("#recipient", "be-csirt");
    fin.click("#share");
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let mut resumed = Served::start(
        dir.path(),
        &["s.ron", "--bind", &format!("127.0.0.1:{port}")],
    );
    fin.wait_for(
        "the answer to the share sent while the host was down",
        &format!(
            "const r = document.getElementById('result').textContent; return r !== {before} && r.includes('recorded as #')"
        ),
    );
    fin.wait_for(
        "the page back live",
        "return document.getElementById('status').textContent === ''",
    );
    ciso.wait_for("the CISO's page back live", "return document.getElementById('status').textContent === '' && document.getElementById('clock').textContent.length > 0");
    let session = std::fs::read_to_string(dir.path().join("s.ron")).unwrap();
    let result = fin.run("return document.getElementById('result').textContent");
    assert_eq!(
        commands_by(&session, "fin-duty"),
        2,
        "the share sent while the host was down is recorded once; the page says {result}; the session:\n{session}"
    );
    assert_eq!(commands_by(&session, "ciso"), 1);
    // The resumed clock plays on (it resumes as it was, paused): the refused share lands
    // in the national CSIRT's inbox.
    resumed.say("play");
    ncsc.wait_within(
        60,
        "the refusal in the inbox",
        "return document.querySelector('#inbox .refusal') !== null",
    );
    // A replay goes as far as the last hourly checksum: let one pass.
    let then = ncsc.run("return view.clock.now").as_i64().unwrap();
    ncsc.wait_within(
        60,
        "an hour later",
        &format!("return view.clock.now > {}", then + 61),
    );
    resumed.kill();

    // The session replays bit for bit, refusal included.
    let journal = dir.path().join("j.jsonl");
    let output = common::tabletop()
        .args([
            "replay",
            dir.path().join("s.ron").to_str().unwrap(),
            "--journal",
            journal.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let journal = std::fs::read_to_string(journal).unwrap();
    assert!(
        journal
            .lines()
            .any(|l| l.contains("\"action_refused\"") && l.contains("ncsc-duty")),
        "the refusal is in the journal"
    );
}

/// The white cell through two browsers: the CISO writes to exercise control, the
/// controller's page shows it and answers, the CISO's page shows the answer; both are in
/// the session, by their authors, and the report quotes them. The projector's page shows
/// the public picture and none of it. Then the CISO answers a discussion question in their
/// own words, and the report quotes those too.
#[test]
fn a_trainee_writes_to_exercise_control_and_a_controller_answers() {
    if !webdriver::available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let scenario = common::repo_path("scenarios/ducksends.ron");
    let mut served = Served::start(
        dir.path(),
        &[
            scenario.to_str().unwrap(),
            "--seed",
            "7",
            "--session",
            "s.ron",
            "--pace",
            "60",
            "--controller",
            "Bob",
        ],
    );
    let driver = webdriver::Driver::start();
    let ciso = seat(&driver, &served, "ciso", "DuckSends CISO");
    let control = seat(&driver, &served, "controller:Bob", "Exercise control");
    assert_eq!(control.run("return location.pathname"), "/control");
    assert!(control.text().contains("Controller (white cell): Bob"));

    ciso.run("document.getElementById('to-control').value = 'We call the regulator <now> & ask for guidance'; return true;");
    ciso.click("#to-control-send");
    ciso.wait_for(
        "the message recorded",
        "return document.getElementById('result').textContent.includes('recorded as #')",
    );
    control.wait_within(
        30,
        "the CISO's message at control",
        "return document.getElementById('thread').textContent.includes('We call the regulator <now> & ask for guidance')",
    );
    assert!(
        control
            .run("return document.querySelector('#thread b, #thread script') === null")
            .as_bool()
            .unwrap(),
        "the trainee's text is text, not markup"
    );
    assert_eq!(
        control.run("return document.getElementById('reply-to').value"),
        "ciso",
        "the answer goes to who wrote last"
    );
    control.run("document.getElementById('reply-text').value = 'The regulator calls back within the hour.'; return true;");
    control.click("#reply-text-send");
    control.wait_for(
        "the answer recorded",
        "return document.getElementById('result').textContent.includes('recorded as #')",
    );
    ciso.wait_within(
        30,
        "control's answer on the CISO's page",
        "return document.getElementById('thread').textContent.includes('The regulator calls back within the hour.')",
    );
    assert!(ciso.text().contains("exercise control (Bob) → you"));

    // The projector's page: the public picture, none of the white cell's thread.
    let projector = driver.browser();
    projector.open(&format!(
        "{}/join#{}",
        served.origin(),
        served.token("projector")
    ));
    projector.wait_for(
        "the projector page",
        "return location.pathname === '/projector' && document.getElementById('crisis').textContent.length > 0",
    );
    assert!(!projector.text().contains("regulator"));

    // The journalist calls at T+20h with the package's discussion questions: the CISO
    // answers the free-text one in their own words.
    served.say("jump T+20h1m");
    served.line_with("jumping to");
    ciso.wait_within(
        120,
        "the discussion question's answer box",
        "return document.querySelector('#prompts textarea') !== null",
    );
    assert!(
        ciso.text()
            .contains("Who speaks for DuckSends to the press"),
        "the question is on the CISO's page"
    );
    assert!(ciso.text().contains("Answer in your own words"));
    ciso.run("document.querySelector('#prompts textarea').value = 'Our head of communications <comms>, after aligning with DNB'; return true;");
    ciso.click("#prompts .textform button");
    ciso.wait_for(
        "the words recorded",
        "return document.getElementById('result').textContent.includes('recorded as #')",
    );
    // The option question beside it is still open; the free-text one is answered.
    ciso.wait_within(
        30,
        "the answered question gone from the prompts",
        "return document.querySelector('#prompts textarea') === null && document.querySelector('#prompts button[data-option=\"isolate\"]') !== null",
    );
    // The answer waits for the clock (the jump paused it); then control sees the words,
    // and rates them.
    served.say("play");
    control.wait_within(
        60,
        "the CISO's words on control's page",
        "return document.getElementById('answers').textContent.includes('Our head of communications <comms>, after aligning with DNB')",
    );
    control.choose(
        "#note-subject",
        "answer:journalist-call:who-speaks@ducksends",
    );
    control.choose("#note-rating", "SomeChallenges");
    control.run("document.getElementById('note-text').value = 'Named a spokesperson, but did not consult fin-csirt'; return true;");
    control.click("#note-text-send");
    control.wait_for(
        "the rating recorded",
        "return document.getElementById('result').textContent.includes('Rating recorded')",
    );
    // The exercise plays out, so the report covers the whole of it.
    served.say("speed 100000");
    served.line_with("the exercise has ended");
    drop(served);

    let session = std::fs::read_to_string(dir.path().join("s.ron")).unwrap();
    assert!(session.contains("ToControl(role:\"ciso\""), "{session}");
    assert!(
        session.contains("FromControl(role:\"ciso\",by:\"Bob\""),
        "{session}"
    );
    let report = dir.path().join("r.md");
    let output = common::tabletop()
        .args([
            "report",
            dir.path().join("s.ron").to_str().unwrap(),
            "--output",
            report.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let text = std::fs::read_to_string(&report).unwrap();
    assert!(text.contains("Messages with exercise control"), "{text}");
    assert!(text.contains("The regulator calls back within the hour."));
    assert!(
        session.contains("Answer(decision:\"journalist-call:who-speaks@ducksends\""),
        "{session}"
    );
    assert!(
        text.contains("“Our head of communications &lt;comms&gt;, after aligning with DNB”"),
        "the report quotes the CISO's words, escaped: {text}"
    );
    assert!(
        session.contains("RateAnswer(decision:\"journalist-call:who-speaks@ducksends\",rating:SomeChallenges,evaluator:\"Bob\""),
        "{session}"
    );
    assert!(
        text.contains("answer to “Who speaks for DuckSends to the press")
            && text.contains("Named a spokesperson, but did not consult fin-csirt"),
        "the report lists the rating of the answer: {text}"
    );
}
