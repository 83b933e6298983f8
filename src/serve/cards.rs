//! Seat cards: one printable page with, per seat, its title, its join link as a QR code,
//! and the certificate's SHA-256 fingerprint to compare with what the browser shows.
//!
//! The page holds every seat's secret, so it is written beside the session readable by its
//! owner only, like the seats file; it is printed and handed out, never served. The QR
//! codes are inline SVG made here (no image service, nothing fetched): a phone's camera
//! opens the link, and the fragment that carries the token never reaches a server log.

use std::io::Write as _;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use minijinja::{Environment, Value};
use qrcode::{EcLevel, QrCode};
use serde::Serialize;

const TEMPLATE: &str = include_str!("../../assets/serve/cards.html.jinja");

/// One seat's card.
#[derive(Clone, Debug, Serialize)]
pub struct Card {
    /// The seat as the terminal names it (`ciso`, `evaluator:Ann`).
    pub label: String,
    /// What the holder reads first: the role's title, or "Evaluator: Ann".
    pub title: String,
    /// What the seat is: "trainee", "evaluator", …
    pub kind: String,
    pub link: String,
}

/// The modules of `text`'s QR code, row by row (`true`: dark), and its width. Medium
/// error correction: a card survives a crease.
pub fn qr_modules(text: &str) -> Result<(usize, Vec<bool>), String> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
        .map_err(|e| format!("no QR code for this link: {e}"))?;
    let dark = code
        .to_colors()
        .into_iter()
        .map(|c| c == qrcode::Color::Dark)
        .collect();
    Ok((code.width(), dark))
}

/// `text`'s QR code as an SVG element.
pub fn qr_svg(text: &str) -> Result<String, String> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
        .map_err(|e| format!("no QR code for this link: {e}"))?;
    Ok(code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build())
}

#[derive(Serialize)]
struct Page<'a> {
    exercise: &'a str,
    cards: &'a [Card],
    fingerprint: Option<&'a str>,
}

/// The cards page as HTML: every text escaped, the QR codes inline.
pub fn page(exercise: &str, cards: &[Card], fingerprint: Option<&str>) -> Result<String, String> {
    let mut env = Environment::new();
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    env.add_filter("qr", |link: String| -> Result<Value, minijinja::Error> {
        qr_svg(&link)
            .map(Value::from_safe_string)
            .map_err(|e| minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, e))
    });
    env.add_template("cards.html", TEMPLATE)
        .map_err(|e| e.to_string())?;
    env.get_template("cards.html")
        .and_then(|t| {
            t.render(minijinja::value::Serde(Page {
                exercise,
                cards,
                fingerprint,
            }))
        })
        .map_err(|e| e.to_string())
}

/// Where the cards of a session go: `x.ron` → `x.cards.html`; for a run that records
/// nothing, `tabletop-cards.html` here.
pub fn path_for(session: Option<&Path>) -> PathBuf {
    session.map_or_else(
        || PathBuf::from("tabletop-cards.html"),
        |session| {
            let stem = session
                .file_stem()
                .map_or_else(|| "session".into(), |s| s.to_string_lossy().into_owned());
            session.with_file_name(format!("{stem}.cards.html"))
        },
    )
}

/// Writes the page to `path`, readable by its owner only (it holds every link).
pub fn write(path: &Path, html: &str) -> Result<(), String> {
    let fail = |e: std::io::Error| format!("{}: {e}", path.display());
    let _ = std::fs::remove_file(path);
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(fail)?;
    file.write_all(html.as_bytes()).map_err(fail)?;
    file.sync_all().map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_card_escapes_its_texts_and_carries_a_qr_code() {
        let cards = [Card {
            label: "ciso".to_owned(),
            title: "CISO <script>".to_owned(),
            kind: "trainee".to_owned(),
            link: "https://10.0.0.5:8443/join#00112233445566778899aabbccddeeff".to_owned(),
        }];
        let html = page("Duck & co", &cards, Some("AB:CD")).expect("rendered");
        assert!(html.contains("CISO &lt;script&gt;"), "{html}");
        assert!(html.contains("Duck &amp; co"));
        assert!(html.contains("<svg"));
        assert!(html.contains("AB:CD"));
        let (width, dark) = qr_modules(&cards[0].link).expect("a code");
        assert_eq!(dark.len(), width * width);
        assert!(dark.iter().any(|d| *d) && dark.iter().any(|d| !*d));
    }
}
