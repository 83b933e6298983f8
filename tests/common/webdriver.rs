//! Real headless Chromium, driven over WebDriver by Debian's chromedriver on a loopback
//! port: each browser is its own profile (its own cookies), as three trainees' laptops.

#![allow(
    clippy::disallowed_methods,
    reason = "tests wait for real processes in wall time"
)]

use std::net::{SocketAddr, TcpListener};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::served::request;

/// Whether chromium and chromedriver are there; without them the test is skipped with a
/// line on stderr, unless TABLETOP_REQUIRE_TOOLS=1 (CI) makes that a failure.
pub fn available() -> bool {
    let found = ["chromium", "chromedriver"].iter().all(|tool| {
        Command::new(tool)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    if !found {
        assert!(
            std::env::var_os("TABLETOP_REQUIRE_TOOLS").is_none_or(|v| v != "1"),
            "chromium and chromedriver are required (TABLETOP_REQUIRE_TOOLS=1) but not found"
        );
        eprintln!(
            "skipped: chromium or chromedriver not found (TABLETOP_REQUIRE_TOOLS=1 makes this a failure)"
        );
    }
    found
}

/// A chromedriver process; browsers are sessions of it.
pub struct Driver {
    child: Child,
    address: SocketAddr,
}

impl Driver {
    /// Starts chromedriver on a free loopback port. The port is free when picked but may be
    /// taken before chromedriver binds it (a `tabletop serve` of a test running beside this
    /// one binds port 0 too): then chromedriver exits, and something else answers on the
    /// port. So it counts as started only when it is still running and its own `/status`
    /// answers; otherwise it is tried again on another port.
    pub fn start() -> Self {
        for _ in 0..5 {
            if let Some(driver) = Self::try_start() {
                return driver;
            }
        }
        panic!("chromedriver never came up on a port of its own (five tries)");
    }

    fn try_start() -> Option<Self> {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let address: SocketAddr = format!("127.0.0.1:{port}").parse().expect("address");
        let mut driver = Self { child, address };
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if driver.child.try_wait().ok().flatten().is_some() {
                return None;
            }
            if std::net::TcpStream::connect(address).is_ok() {
                let status = request(address, "GET", "/status", &[], "");
                let ours = driver.child.try_wait().ok().flatten().is_none();
                return (ours && status.status == 200 && status.body.contains("\"ready\""))
                    .then_some(driver);
            }
            assert!(Instant::now() < deadline, "chromedriver never listened");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn call(&self, method: &str, path: &str, body: &Value) -> Value {
        let text = if method == "GET" {
            String::new()
        } else {
            body.to_string()
        };
        let response = request(
            self.address,
            method,
            path,
            &[("Content-Type", "application/json")],
            &text,
        );
        let value: Value = serde_json::from_str(&response.body)
            .unwrap_or_else(|e| panic!("chromedriver said ({e}): {}", response.body));
        assert!(
            response.status == 200,
            "WebDriver {method} {path}: {}",
            response.body
        );
        value["value"].clone()
    }

    /// A new browser with an empty profile.
    pub fn browser(&self) -> Browser<'_> {
        let value = self.call(
            "POST",
            "/session",
            &json!({ "capabilities": { "alwaysMatch": { "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                         "--no-first-run", "--disable-background-networking",
                         "--disable-component-update", "--disable-sync",
                         "--window-size=1200,1600"]
            } } } }),
        );
        Browser {
            driver: self,
            session: value["sessionId"]
                .as_str()
                .expect("a session id")
                .to_owned(),
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub struct Browser<'a> {
    driver: &'a Driver,
    session: String,
}

impl Browser<'_> {
    fn call(&self, method: &str, path: &str, body: &Value) -> Value {
        self.driver
            .call(method, &format!("/session/{}{path}", self.session), body)
    }

    pub fn open(&self, url: &str) {
        self.call("POST", "/url", &json!({ "url": url }));
    }

    /// Runs `script` (a function body) in the page and returns what it returns.
    pub fn run(&self, script: &str) -> Value {
        self.call(
            "POST",
            "/execute/sync",
            &json!({ "script": script, "args": [] }),
        )
    }

    /// Waits up to 20 s for `script` to return something truthy, and returns it.
    pub fn wait_for(&self, what: &str, script: &str) -> Value {
        self.wait_within(20, what, script)
    }

    /// As [`Browser::wait_for`], up to `seconds`: for what waits on simulated time.
    pub fn wait_within(&self, seconds: u64, what: &str, script: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(seconds);
        loop {
            let value = self.run(script);
            let truthy = match &value {
                Value::Null | Value::Bool(false) => false,
                Value::String(s) => !s.is_empty(),
                _ => true,
            };
            if truthy {
                return value;
            }
            assert!(
                Instant::now() < deadline,
                "waited {seconds} s for {what}; the page says: {}",
                self.text()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The page's visible text.
    pub fn text(&self) -> String {
        self.run("return document.body.innerText")
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Clicks the first element matching `selector` (a CSS selector), in the page.
    pub fn click(&self, selector: &str) {
        let found = self.run(&format!(
            "const e = document.querySelector({}); if (!e) return false; e.click(); return true;",
            json!(selector)
        ));
        assert_eq!(found, Value::Bool(true), "nothing matches {selector}");
    }

    /// Sets a <select>'s value as a trainee choosing from it would.
    pub fn choose(&self, selector: &str, value: &str) {
        let found = self.run(&format!(
            "const e = document.querySelector({}); if (!e) return false; e.value = {}; e.dispatchEvent(new Event('change')); return e.value === {};",
            json!(selector),
            json!(value),
            json!(value)
        ));
        assert_eq!(found, Value::Bool(true), "{selector} has no option {value}");
    }

    /// A PNG of the window.
    pub fn screenshot(&self) -> Vec<u8> {
        let text = self.call("GET", "/screenshot", &Value::Null);
        decode_base64(text.as_str().expect("base64"))
    }
}

impl Drop for Browser<'_> {
    fn drop(&mut self) {
        let _ = request(
            self.driver.address,
            "DELETE",
            &format!("/session/{}", self.session),
            &[],
            "",
        );
    }
}

fn decode_base64(text: &str) -> Vec<u8> {
    let value = |c: u8| -> u32 {
        match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'+' => 62,
            _ => 63,
        }
    };
    let clean: Vec<u8> = text
        .bytes()
        .filter(|c| *c != b'=' && !c.is_ascii_whitespace())
        .collect();
    let mut out = Vec::with_capacity(clean.len() * 3 / 4);
    for chunk in clean.chunks(4) {
        let mut n = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            n |= value(*c) << (18 - 6 * i);
        }
        let bytes = n.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    out
}
