//! "Invite players" in the console: the same server as `tabletop serve`, inside the app,
//! driven through egui_kittest while a trainee's browser speaks HTTP to it on loopback.

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod common;

use common::console::{console_mut, start_ducksends};
use common::served::{Events, login_to, post_to};
use egui_kittest::kittest::Queryable;
use serde_json::json;

#[test]
fn the_console_invites_players_lists_their_browsers_and_revokes_a_link() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = start_ducksends(dir.path());
    harness.get_by_label("Invite players").click();
    harness.run();
    harness
        .get_by_label("This machine only (127.0.0.1)")
        .click();
    harness.state_mut().console.as_mut().unwrap().players.port = "0".to_owned();
    harness.run();
    harness.get_by_label("Start serving").click();
    harness.run();
    let console = console_mut(&mut harness);
    let serving = console.serving.as_ref().expect("serving");
    let address = serving.address();
    assert!(address.ip().is_loopback());
    let links = serving.links();
    assert_eq!(links.len(), 4, "a link per role, and the projector's");
    let ciso = links
        .iter()
        .find(|(_, r, _)| r == "ciso")
        .unwrap()
        .2
        .clone();
    // The console is often on the projector: links stay hidden until asked.
    assert!(harness.query_by_label_contains("/join#").is_none());
    assert_eq!(harness.query_all_by_label("nobody connected").count(), 4);

    // A trainee opens the link: the console lists the browser.
    let token = ciso.rsplit('#').next().unwrap();
    let cookie = login_to(address, token);
    let mut events = Events::connect(address, &cookie);
    let first = events.next().expect("the CISO's view");
    assert_eq!(first.data["role"]["id"], "ciso");
    harness.run();
    assert!(
        harness
            .query_by_label_contains("1 connected: 127.0.0.1")
            .is_some(),
        "the console lists the connected browser"
    );

    // The trainee acts; the console's frames answer, and the session records it by role.
    let posting = std::thread::spawn({
        let cookie = cookie.clone();
        move || {
            post_to(
                address,
                &cookie,
                "/api/act",
                &json!({ "id": "c1", "action": { "Share": { "to": "fin-csirt", "indicators": [], "tlp": "Amber" } } }),
            )
        }
    });
    while !posting.is_finished() {
        harness.step();
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let answer = posting.join().unwrap();
    assert_eq!(answer.status, 200, "{answer:?}");
    let console = console_mut(&mut harness);
    assert!(
        console.host.given().iter().any(
            |s| matches!(&s.command, tabletop::sim::Command::Act { role, .. } if role == "ciso")
        ),
        "the trainee's action is a command by the role"
    );

    // The trainee writes to exercise control: the players window shows it, and the
    // facilitator answers from there.
    let writing = {
        let cookie = cookie.clone();
        std::thread::spawn(move || {
            post_to(
                address,
                &cookie,
                "/api/message",
                &json!({ "id": "m1", "text": "We call the regulator" }),
            )
        })
    };
    while !writing.is_finished() {
        harness.step();
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert_eq!(writing.join().unwrap().status, 200);
    harness.get_by_label("Next event").click();
    harness.run();
    assert!(
        harness
            .query_by_label_contains("White cell: 1 message from the trainees")
            .is_some(),
        "the console counts the trainee's message"
    );
    assert!(harness.query_by_label("We call the regulator").is_some());
    harness.get_by_label("Answer").click();
    harness.run();
    harness
        .get_all_by_label("Answer")
        .last()
        .unwrap()
        .type_text("Call the duty line instead");
    harness.run();
    harness.get_by_label("Send").click();
    harness.run();
    let console = console_mut(&mut harness);
    assert!(
        console.host.given().iter().any(|s| matches!(
            &s.command,
            tabletop::sim::Command::FromControl { role, by, text }
                if role == "ciso" && by == "facilitator" && text == "Call the duty line instead"
        )),
        "the facilitator's answer is a command to the CISO"
    );

    // Show one link; then give the CISO a new one: the old page's stream ends.
    harness
        .get_all_by_label("show link")
        .next()
        .unwrap()
        .click();
    harness.run();
    assert!(harness.query_by_label_contains("/join#").is_some());
    harness.get_all_by_label("New link").next().unwrap().click();
    harness.run();
    events.set_timeout(std::time::Duration::from_secs(5));
    while events.next().is_some() {}
    let console = console_mut(&mut harness);
    let fresh = console
        .serving
        .as_ref()
        .unwrap()
        .links()
        .into_iter()
        .find(|(_, r, _)| r == "ciso")
        .unwrap()
        .2;
    assert_ne!(fresh, ciso, "a new link");
}
