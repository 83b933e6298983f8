//! The seats' pages: HTML, CSS and a little JavaScript compiled into the binary, so an
//! air-gapped exercise network needs no CDN and nobody runs an npm build. A page holds
//! nothing about the exercise; everything it shows comes from the seat's own snapshot.
//! `common.js` is what every page shares: opening the seat, the event stream, sending an
//! intent until the host answers.

use axum::http::header;
use axum::response::IntoResponse;

const TRAINEE: &str = include_str!("../../assets/serve/trainee.html");
const CONTROL: &str = include_str!("../../assets/serve/control.html");
const PROJECTOR: &str = include_str!("../../assets/serve/projector.html");
const COMMON_SCRIPT: &str = include_str!("../../assets/serve/common.js");
const TRAINEE_SCRIPT: &str = include_str!("../../assets/serve/trainee.js");
const CONTROL_SCRIPT: &str = include_str!("../../assets/serve/control.js");
const PROJECTOR_SCRIPT: &str = include_str!("../../assets/serve/projector.js");
const STYLE: &str = include_str!("../../assets/serve/trainee.css");

/// The red line every page of a plain-HTTP server beyond loopback carries.
const UNENCRYPTED: &str = "<div class=\"unencrypted\" role=\"alert\">UNENCRYPTED CONNECTION: anyone on this network can read this page and act as this seat. Tell the facilitator.</div>";

/// The three pages a seat may be shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    Trainee,
    /// Evaluators' and controllers'.
    Control,
    Projector,
}

/// A page, with the red "unencrypted" line at its top when the server is `exposed`.
pub fn html(page: Page, exposed: bool) -> impl IntoResponse {
    let page = match page {
        Page::Trainee => TRAINEE,
        Page::Control => CONTROL,
        Page::Projector => PROJECTOR,
    };
    (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        marked(page, exposed),
    )
}

/// The page's text, with the red line right after its `<body …>` tag when `exposed`.
fn marked(page: &'static str, exposed: bool) -> std::borrow::Cow<'static, str> {
    let after_body = page
        .find("<body")
        .and_then(|at| page[at..].find('>').map(|end| at + end + 1));
    match after_body {
        Some(at) if exposed => {
            std::borrow::Cow::Owned(format!("{}\n{UNENCRYPTED}{}", &page[..at], &page[at..]))
        }
        _ => std::borrow::Cow::Borrowed(page),
    }
}

fn javascript(text: &'static str) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        text,
    )
}

pub async fn common_script() -> impl IntoResponse {
    javascript(COMMON_SCRIPT)
}

pub async fn script() -> impl IntoResponse {
    javascript(TRAINEE_SCRIPT)
}

pub async fn control_script() -> impl IntoResponse {
    javascript(CONTROL_SCRIPT)
}

pub async fn projector_script() -> impl IntoResponse {
    javascript(PROJECTOR_SCRIPT)
}

pub async fn style() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], STYLE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_says_unencrypted_at_its_top_when_exposed() {
        for page in [TRAINEE, CONTROL, PROJECTOR] {
            let shown = marked(page, true);
            let body = shown.find("<body").expect("a body");
            let banner = shown.find("UNENCRYPTED CONNECTION").expect("the banner");
            assert!(banner > body && banner < shown.find("<header").expect("a header"));
            assert!(!marked(page, false).contains("UNENCRYPTED"));
        }
    }
}
