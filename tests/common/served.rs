//! A real `tabletop serve` process on a loopback port, and a plain HTTP/1.1 client that
//! can say exactly what a hostile peer would (no client library smoothing it over).

#![allow(
    clippy::disallowed_methods,
    reason = "tests wait for real processes in wall time"
)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// A running server, its join links by role, and its terminal.
pub struct Served {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: mpsc::Receiver<String>,
    pub address: SocketAddr,
    /// Role → token of its join link.
    pub links: BTreeMap<String, String>,
    pub printed: Vec<String>,
}

impl Served {
    /// Starts `tabletop serve ARGS --bind 127.0.0.1:PORT` (port 0 unless `args` binds) in
    /// `dir`, and reads its links.
    pub fn start(dir: &Path, args: &[&str]) -> Self {
        let mut command = Command::new(env!("CARGO_BIN_EXE_tabletop"));
        command.arg("serve").args(args);
        if !args.contains(&"--bind") {
            command.args(["--bind", "127.0.0.1:0"]);
        }
        let mut child = command
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("tabletop serve starts");
        let stdout = child.stdout.take().expect("stdout");
        let (sender, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        let stdin = child.stdin.take();
        let mut served = Self {
            child,
            stdin,
            lines,
            address: "127.0.0.1:0".parse().expect("address"),
            links: BTreeMap::new(),
            printed: Vec::new(),
        };
        let serving = served.line_with("serving on http");
        let address = serving
            .split("://")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .expect("an address");
        served.address = address.parse().expect("a socket address");
        served.line_with("join links");
        served.read_links();
        served
    }

    /// `tabletop serve scenarios/ducksends.ron --seed 3 --session s.ron EXTRA` in `dir`.
    pub fn ducksends(dir: &Path, extra: &[&str]) -> Self {
        let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/ducksends.ron");
        let scenario = scenario.to_str().expect("a UTF-8 path");
        let mut args = vec![scenario, "--seed", "3", "--session", "s.ron"];
        args.extend_from_slice(extra);
        Self::start(dir, &args)
    }

    fn read_links(&mut self) {
        while let Ok(line) = self.lines.recv_timeout(Duration::from_millis(300)) {
            self.printed.push(line.clone());
            // "  ciso   http://…/join#TOKEN", "  evaluator:Ann Lee   https://…".
            if let Some((seat, link)) = line.trim().rsplit_once(' ')
                && let Some((_, token)) = link.split_once("/join#")
            {
                self.links.insert(seat.trim().to_owned(), token.to_owned());
            }
        }
    }

    /// The next line the server prints that contains `text` (within 20 s).
    pub fn line_with(&mut self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.printed.push(line.clone());
                    if line.contains(text) {
                        return line;
                    }
                }
                Err(_) => panic!(
                    "the server never printed {text:?}; it printed:\n{}",
                    self.printed.join("\n")
                ),
            }
        }
    }

    /// Types a line at the server's terminal.
    pub fn say(&mut self, line: &str) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        writeln!(stdin, "{line}").expect("the server reads its terminal");
        stdin.flush().expect("flushed");
    }

    pub fn token(&self, role: &str) -> &str {
        self.links
            .get(role)
            .unwrap_or_else(|| panic!("a link for {role}: {:?}", self.links))
    }

    pub fn origin(&self) -> String {
        format!("http://{}", self.address)
    }

    /// kill -9: no chance to flush or say goodbye.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        self.kill();
    }
}

/// An HTTP response as it came.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// Sends raw request bytes and reads the response: to its Content-Length when it gives
/// one (a peer need not close the connection), else to the end.
pub fn raw(address: SocketAddr, request: &[u8]) -> Response {
    let mut stream = TcpStream::connect(address).expect("connects");
    // An upper bound, not an expectation: ChromeDriver starting a second browser on a
    // 2-core CI machine busy with other tests took longer than 20 s once.
    stream
        .set_read_timeout(Some(Duration::from_secs(90)))
        .expect("timeout");
    stream.write_all(request).expect("sent");
    let mut reader = BufReader::new(stream);
    let mut head = Vec::new();
    loop {
        let mut line = Vec::new();
        if reader.read_until(b'\n', &mut line).unwrap_or(0) == 0 {
            break;
        }
        let end = line == b"\r\n";
        head.extend_from_slice(&line);
        if end {
            break;
        }
    }
    let mut response = parse(&head);
    let length = response
        .header("content-length")
        .and_then(|v| v.parse::<usize>().ok());
    let mut body = Vec::new();
    match length {
        Some(n) => {
            body.resize(n, 0);
            let _ = reader.read_exact(&mut body);
        }
        None => {
            let _ = reader.read_to_end(&mut body);
        }
    }
    response.body = String::from_utf8_lossy(&body).into_owned();
    response
}

/// The status line and headers of a response (its body is read apart).
fn parse(bytes: &[u8]) -> Response {
    let text = String::from_utf8_lossy(bytes);
    let mut lines = text.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    Response {
        status,
        headers,
        body: String::new(),
    }
}

/// A request with `headers` and `body` (Content-Length added).
pub fn request(
    address: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Response {
    let mut text = format!("{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n");
    for (name, value) in headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    if !body.is_empty() || method == "POST" {
        text.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    text.push_str("\r\n");
    text.push_str(body);
    raw(address, text.as_bytes())
}

/// The cookie a seat's link opens, as the page gets it.
pub fn login(served: &Served, role: &str) -> String {
    login_to(served.address, served.token(role))
}

/// [`login`] on any server: its address and a link's token.
pub fn login_to(address: SocketAddr, token: &str) -> String {
    let origin = format!("http://{address}");
    let body = serde_json::json!({ "token": token }).to_string();
    let response = request(
        address,
        "POST",
        "/api/login",
        &[("Content-Type", "application/json"), ("Origin", &origin)],
        &body,
    );
    assert_eq!(response.status, 204, "login: {response:?}");
    let cookie = response.header("set-cookie").expect("a cookie");
    cookie.split(';').next().expect("name=value").to_owned()
}

/// A POST as the seat's page sends it.
pub fn post(served: &Served, cookie: &str, path: &str, body: &serde_json::Value) -> Response {
    post_to(served.address, cookie, path, body)
}

/// [`post`] on any server.
pub fn post_to(
    address: SocketAddr,
    cookie: &str,
    path: &str,
    body: &serde_json::Value,
) -> Response {
    let origin = format!("http://{address}");
    request(
        address,
        "POST",
        path,
        &[
            ("Content-Type", "application/json"),
            ("Origin", &origin),
            ("Cookie", cookie),
        ],
        &body.to_string(),
    )
}

pub fn get(served: &Served, cookie: &str, path: &str) -> Response {
    request(served.address, "GET", path, &[("Cookie", cookie)], "")
}

/// A seat's event stream, read event by event.
pub struct Events {
    reader: BufReader<TcpStream>,
    pub status: u16,
}

/// One server-sent event.
#[derive(Debug, Clone)]
pub struct Pushed {
    pub id: u64,
    pub data: serde_json::Value,
}

impl Events {
    pub fn open(served: &Served, cookie: &str) -> Self {
        Self::connect(served.address, cookie)
    }

    /// [`Events::open`] on any server.
    pub fn connect(address: SocketAddr, cookie: &str) -> Self {
        let stream = TcpStream::connect(address).expect("connects");
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .expect("timeout");
        let mut writer = stream.try_clone().expect("clone");
        write!(
            writer,
            "GET /api/events HTTP/1.1\r\nHost: {address}\r\nAccept: text/event-stream\r\nCookie: {cookie}\r\n\r\n"
        )
        .expect("sent");
        let mut reader = BufReader::new(stream);
        let mut status_line = String::new();
        reader.read_line(&mut status_line).expect("status line");
        let status = status_line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                break;
            }
        }
        Self { reader, status }
    }

    pub fn set_timeout(&self, timeout: Duration) {
        self.reader
            .get_ref()
            .set_read_timeout(Some(timeout))
            .expect("timeout");
    }

    /// The next `view` event, or `None` when the stream ends (or nothing comes in time).
    /// The body is chunked: chunk-size lines are skipped, they never start with a field.
    pub fn next(&mut self) -> Option<Pushed> {
        let (mut id, mut data, mut event) = (None, String::new(), String::new());
        loop {
            let mut line = String::new();
            match self.reader.read_line(&mut line) {
                Ok(0) | Err(_) => return None,
                Ok(_) => {}
            }
            let line = line.trim_end_matches(['\r', '\n']);
            if line == "0" {
                // The last chunk: the server ended the stream.
                return None;
            }
            if let Some(v) = line
                .strip_prefix("id: ")
                .or_else(|| line.strip_prefix("id:"))
            {
                id = v.trim().parse().ok();
            } else if let Some(v) = line
                .strip_prefix("data: ")
                .or_else(|| line.strip_prefix("data:"))
            {
                data.push_str(v);
            } else if let Some(v) = line
                .strip_prefix("event: ")
                .or_else(|| line.strip_prefix("event:"))
            {
                event = v.trim().to_owned();
            } else if line.is_empty() && event == "view" && !data.is_empty() {
                let data = serde_json::from_str(&data).expect("a view is JSON");
                return Some(Pushed {
                    id: id.unwrap_or(0),
                    data,
                });
            }
        }
    }
}
