//! The HTTP face: routes, the seat cookie, and the rules every request meets.
//!
//! Every `/api/` request needs a seat: without one it gets 401 and an empty body, whatever
//! the path, so it learns nothing (not even which roles exist). A seat's requests never
//! name a role: the cookie decides it, so one seat cannot reach another's view. Bodies
//! are JSON only (content type checked), capped in size, and state-changing requests must
//! come from the page's own origin. Every response forbids framing, sniffing, referrers
//! and caching, and the page may load scripts and styles from this server only.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use std::convert::Infallible;

use tokio::sync::{OwnedSemaphorePermit, Semaphore, oneshot, watch};

use super::accepted::is_client_id;
use super::assets;
use super::hub::{Answer, Ask, Linked, Seat, Shared, Wish};
use crate::sim::{PlayerAction, Rating};

/// The cookie that carries a seat's token after the link was opened.
const COOKIE: &str = "tabletop_seat";
/// Largest request body: an intent is a few hundred bytes; a hot-wash form, a few
/// answers of at most 4000 characters each.
pub const MAX_BODY: usize = 64 * 1024;
/// Requests in flight at once, event streams apart.
const MAX_REQUESTS: usize = 128;
/// Event streams open at once, every seat together.
const MAX_STREAMS: usize = 256;
/// How long a request waits for the host to answer before it is told to retry.
const HOST_ANSWERS_WITHIN: Duration = Duration::from_secs(10);

const SECURITY_HEADERS: [(&str, &str); 7] = [
    (
        "content-security-policy",
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    ),
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("referrer-policy", "no-referrer"),
    ("cache-control", "no-store"),
    ("cross-origin-opener-policy", "same-origin"),
    ("cross-origin-resource-policy", "same-origin"),
];

/// The address a request came from, over plain TCP or TLS alike.
#[derive(Clone, Copy, Debug)]
pub struct Peer(pub SocketAddr);

impl
    axum::extract::connect_info::Connected<axum::serve::IncomingStream<'_, tokio::net::TcpListener>>
    for Peer
{
    fn connect_info(stream: axum::serve::IncomingStream<'_, tokio::net::TcpListener>) -> Self {
        Self(*stream.remote_addr())
    }
}

impl
    axum::extract::connect_info::Connected<axum::serve::IncomingStream<'_, super::tls::TlsListener>>
    for Peer
{
    fn connect_info(stream: axum::serve::IncomingStream<'_, super::tls::TlsListener>) -> Self {
        Self(*stream.remote_addr())
    }
}

#[derive(Clone)]
pub struct App {
    pub shared: Arc<Shared>,
    /// Origins a state-changing request may come from: the public URL's and the bound
    /// address's.
    pub origins: Arc<[String]>,
    /// Mark the cookie `Secure` (the server encrypts).
    pub secure: bool,
    /// Plain HTTP beyond loopback: every page carries the red "unencrypted" banner.
    pub exposed: bool,
    requests: Arc<Semaphore>,
    streams: Arc<Semaphore>,
}

impl App {
    pub fn new(shared: Arc<Shared>, origins: Vec<String>, secure: bool, exposed: bool) -> Self {
        Self {
            shared,
            origins: origins.into(),
            secure,
            exposed,
            requests: Arc::new(Semaphore::new(MAX_REQUESTS)),
            streams: Arc::new(Semaphore::new(MAX_STREAMS)),
        }
    }
}

pub fn router(app: App) -> Router {
    Router::new()
        .route("/", get(page))
        .route("/join", get(page))
        .route("/control", get(control_page))
        .route("/projector", get(projector_page))
        .route("/common.js", get(assets::common_script))
        .route("/app.js", get(assets::script))
        .route("/control.js", get(assets::control_script))
        .route("/projector.js", get(assets::projector_script))
        .route("/app.css", get(assets::style))
        .route("/api/login", post(login))
        .route("/api/seat", get(whoami))
        .route("/api/view", get(view))
        .route("/api/events", get(events))
        .route("/api/answer", post(posted::<AnswerBody>))
        .route("/api/act", post(posted::<ActBody>))
        .route("/api/message", post(posted::<MessageBody>))
        .route("/api/note", post(posted::<NoteBody>))
        .route("/api/hotwash", post(posted::<HotwashBody>))
        .fallback(fallback)
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(middleware::from_fn_with_state(app.clone(), guard))
        .with_state(app)
}

/// Every response: the security headers; every request: a place among those in flight.
async fn guard(State(app): State<App>, request: Request, next: Next) -> Response {
    let mut response = match app.requests.clone().try_acquire_owned() {
        Ok(_permit) => next.run(request).await,
        Err(_) => StatusCode::SERVICE_UNAVAILABLE.into_response(),
    };
    let headers = response.headers_mut();
    for (name, value) in SECURITY_HEADERS {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

async fn page(State(app): State<App>) -> impl IntoResponse {
    assets::html(assets::Page::Trainee, app.exposed)
}

async fn control_page(State(app): State<App>) -> impl IntoResponse {
    assets::html(assets::Page::Control, app.exposed)
}

async fn projector_page(State(app): State<App>) -> impl IntoResponse {
    assets::html(assets::Page::Projector, app.exposed)
}

fn json(status: StatusCode, body: serde_json::Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

fn error(status: StatusCode, text: &str) -> Response {
    json(status, serde_json::json!({ "error": text }))
}

/// Why a request is refused: a bare status (401 says nothing), or a status and the words
/// the page shows.
pub enum Refusal {
    Bare(StatusCode),
    Said(StatusCode, String),
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        match self {
            Self::Bare(status) => status.into_response(),
            Self::Said(status, text) => error(status, &text),
        }
    }
}

fn said(status: StatusCode, text: &str) -> Refusal {
    Refusal::Said(status, text.to_owned())
}

/// The seat of a request, from its cookie, within its request allowance.
fn seat(app: &App, headers: &HeaderMap) -> Result<Seat, Refusal> {
    let token = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| pair.trim().strip_prefix(COOKIE)?.strip_prefix('='));
    let Some(seat) = token.and_then(|t| app.shared.seat_of(t)) else {
        return Err(Refusal::Bare(StatusCode::UNAUTHORIZED));
    };
    if !app.shared.allow(seat.number) {
        return Err(said(
            StatusCode::TOO_MANY_REQUESTS,
            "too many requests from this seat; wait a moment",
        ));
    }
    Ok(seat)
}

/// A state-changing request: JSON, from the page's own origin.
fn vet_post(app: &App, headers: &HeaderMap) -> Result<(), Refusal> {
    let json_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"));
    if !json_type {
        return Err(said(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "send JSON (Content-Type: application/json)",
        ));
    }
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    if !origin.is_some_and(|o| app.origins.iter().any(|allowed| allowed == o)) {
        return Err(said(
            StatusCode::FORBIDDEN,
            "this request did not come from the exercise's own page",
        ));
    }
    Ok(())
}

fn parse<T: for<'de> Deserialize<'de>>(body: &[u8]) -> Result<T, Refusal> {
    serde_json::from_slice(body)
        .map_err(|e| Refusal::Said(StatusCode::BAD_REQUEST, format!("not a valid request: {e}")))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Login {
    token: String,
}

/// The page trades the link's token (from the URL fragment, which no server log or
/// referrer ever sees) for an HttpOnly cookie that scripts cannot read.
async fn login(
    State(app): State<App>,
    ConnectInfo(Peer(from)): ConnectInfo<Peer>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Refusal> {
    vet_post(&app, &headers)?;
    // Guessing tokens is bounded per address, before any lookup.
    if !app.shared.allow_address(from.ip()) {
        return Err(Refusal::Bare(StatusCode::TOO_MANY_REQUESTS));
    }
    let login: Login = parse(&body)?;
    if app.shared.seat_of(&login.token).is_none() {
        return Err(Refusal::Bare(StatusCode::UNAUTHORIZED));
    }
    let cookie = format!(
        "{COOKIE}={}; Path=/; HttpOnly; SameSite=Strict{}",
        login.token,
        if app.secure { "; Secure" } else { "" }
    );
    let cookie =
        HeaderValue::from_str(&cookie).map_err(|_| Refusal::Bare(StatusCode::UNAUTHORIZED))?;
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, cookie)]).into_response())
}

/// Who this seat is and which page shows it: a page opened from a link learns here
/// whether it is a trainee's, control's or the projector's.
async fn whoami(State(app): State<App>, headers: HeaderMap) -> Result<Response, Refusal> {
    let seat = seat(&app, &headers)?;
    let page = match seat.page() {
        super::hub::PageKey::Role(_) => "/join",
        super::hub::PageKey::Control => "/control",
        super::hub::PageKey::Projector => "/projector",
    };
    Ok(json(
        StatusCode::OK,
        serde_json::json!({
            "kind": seat.kind.label(),
            "name": seat.name,
            "page": page,
            "controller": seat.kind == super::seatbook::SeatKind::Controller,
            "hotwash_done": app.shared.has_answered_hotwash(seat.number),
        }),
    ))
}

async fn view(State(app): State<App>, headers: HeaderMap) -> Result<Response, Refusal> {
    let seat = seat(&app, &headers)?;
    let receiver = app
        .shared
        .view(&seat.page())
        .ok_or(Refusal::Bare(StatusCode::NOT_FOUND))?;
    let snapshot = receiver.borrow().clone();
    Ok((
        [(header::CONTENT_TYPE, "application/json")],
        snapshot.json.clone(),
    )
        .into_response())
}

/// One stream per tab: the seat's snapshot now, then each time it changes. Event ids are
/// the journal's length when the snapshot was taken; every snapshot is whole, so a tab
/// that reconnects (`Last-Event-ID`) is brought up to date by the first event it gets.
/// The stream ends within the host's next publish after the seat's link is revoked.
async fn events(
    State(app): State<App>,
    ConnectInfo(Peer(from)): ConnectInfo<Peer>,
    headers: HeaderMap,
) -> Result<Response, Refusal> {
    let seat = seat(&app, &headers)?;
    let mut receiver = app
        .shared
        .view(&seat.page())
        .ok_or(Refusal::Bare(StatusCode::NOT_FOUND))?;
    let permit = app
        .streams
        .clone()
        .try_acquire_owned()
        .map_err(|_| said(StatusCode::SERVICE_UNAVAILABLE, "too many open pages"))?;
    let linked = app.shared.connect(&seat, from).ok_or_else(|| {
        said(
            StatusCode::TOO_MANY_REQUESTS,
            "this seat has too many pages open; close one",
        )
    })?;
    receiver.mark_changed();
    let follow = Follow {
        receiver,
        revocations: app.shared.revocations(),
        shared: Arc::clone(&app.shared),
        seat: seat.number,
        _held: (permit, linked),
    };
    let stream = futures_util::stream::unfold(follow, |mut f| async move {
        loop {
            tokio::select! {
                changed = f.receiver.changed() => {
                    if changed.is_err() {
                        return None;
                    }
                    let snapshot = f.receiver.borrow_and_update().clone();
                    let event = Event::default()
                        .event("view")
                        .id(snapshot.id.to_string())
                        .retry(Duration::from_secs(1))
                        .data(&snapshot.json);
                    return Some((Ok::<_, Infallible>(event), f));
                }
                revoked = f.revocations.changed() => {
                    if revoked.is_err() || !f.shared.seat_is_live(f.seat) {
                        return None;
                    }
                }
            }
        }
    });
    Ok(Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response())
}

/// An open event stream's state: dropping it (the tab closed, the seat was revoked)
/// gives back its place and takes it off the facilitator's list.
struct Follow {
    receiver: watch::Receiver<Arc<super::snapshot::Snapshot>>,
    revocations: watch::Receiver<u64>,
    shared: Arc<Shared>,
    seat: usize,
    _held: (OwnedSemaphorePermit, Linked),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
/// An answer to a decision: the option chosen, or (a free-text discussion question) the
/// players' own words; exactly one of the two.
struct AnswerBody {
    id: String,
    decision: String,
    #[serde(default)]
    option: Option<String>,
    #[serde(default)]
    text: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ActBody {
    id: String,
    action: PlayerAction,
}

/// A message to exercise control (a trainee's), or to a role (a controller's, `to` it).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MessageBody {
    id: String,
    text: String,
    #[serde(default)]
    to: Option<String>,
}

/// An evaluator's or controller's note; with a rating, a rating of `objective` or of the
/// `answer` to a decision or discussion question (named as journaled).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NoteBody {
    id: String,
    text: String,
    #[serde(default)]
    objective: Option<String>,
    #[serde(default)]
    answer: Option<String>,
    #[serde(default)]
    rating: Option<Rating>,
}

/// A seat's hot-wash form: one answer per question shown, in order (empty: skipped).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HotwashBody {
    id: String,
    participant: String,
    answers: Vec<String>,
}

/// A request body that asks the host for one thing: the page's id for it, and the wish.
trait Asking: for<'de> Deserialize<'de> {
    fn wish(self) -> Result<(String, Wish), Refusal>;
}

impl Asking for AnswerBody {
    fn wish(self) -> Result<(String, Wish), Refusal> {
        let decision = self.decision;
        let wish = match (self.option, self.text) {
            (Some(option), None) => Wish::Decide { decision, option },
            (None, Some(text)) => Wish::Answer { decision, text },
            _ => {
                return Err(said(
                    StatusCode::BAD_REQUEST,
                    "expected either `option` (a choice) or `text` (an answer in your words)",
                ));
            }
        };
        Ok((self.id, wish))
    }
}

impl Asking for ActBody {
    fn wish(self) -> Result<(String, Wish), Refusal> {
        Ok((self.id, Wish::Act(self.action)))
    }
}

impl Asking for MessageBody {
    fn wish(self) -> Result<(String, Wish), Refusal> {
        let wish = match self.to {
            None => Wish::ToControl { text: self.text },
            Some(role) => Wish::FromControl {
                role,
                text: self.text,
            },
        };
        Ok((self.id, wish))
    }
}

impl Asking for NoteBody {
    fn wish(self) -> Result<(String, Wish), Refusal> {
        let wish = match (self.rating, self.objective, self.answer) {
            (None, None, None) => Wish::Observe { text: self.text },
            (Some(rating), Some(objective), None) => Wish::Rate {
                objective,
                rating,
                comment: self.text,
            },
            (Some(rating), None, Some(decision)) => Wish::RateAnswer {
                decision,
                rating,
                comment: self.text,
            },
            _ => {
                return Err(said(
                    StatusCode::BAD_REQUEST,
                    "a rating needs what it rates (an objective or an answer, not both), and that its rating",
                ));
            }
        };
        Ok((self.id, wish))
    }
}

impl Asking for HotwashBody {
    fn wish(self) -> Result<(String, Wish), Refusal> {
        let wish = Wish::Hotwash {
            participant: self.participant,
            answers: self.answers,
        };
        Ok((self.id, wish))
    }
}

/// Every state-changing request: the seat first (without one, 401 and nothing else), then
/// the origin and the content type, then the body, then the host.
async fn posted<B: Asking>(
    State(app): State<App>,
    ConnectInfo(Peer(from)): ConnectInfo<Peer>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Refusal> {
    let seat = seat(&app, &headers)?;
    vet_post(&app, &headers)?;
    let (id, wish) = parse::<B>(&body)?.wish()?;
    Ok(ask(&app, seat, id, from, wish).await)
}

/// Hands an intent to the host and waits for its answer. What the seat may not ask is
/// refused here (403), before the host hears of it.
async fn ask(app: &App, seat: Seat, client: String, from: SocketAddr, what: Wish) -> Response {
    if let Err(why) = seat.may(&what) {
        return error(StatusCode::FORBIDDEN, why);
    }
    if !is_client_id(&client) {
        return error(
            StatusCode::BAD_REQUEST,
            "the request id must be 1 to 64 letters, digits, - or _",
        );
    }
    if let Some(refused) = what.too_big() {
        return error(StatusCode::BAD_REQUEST, refused);
    }
    let (reply, answer) = oneshot::channel();
    let sent = app.shared.asks.send(Ask {
        seat,
        client,
        from,
        what,
        reply,
    });
    if sent.is_err() {
        return error(
            StatusCode::SERVICE_UNAVAILABLE,
            "the exercise host has stopped",
        );
    }
    match tokio::time::timeout(HOST_ANSWERS_WITHIN, answer).await {
        Ok(Ok(Answer::Accepted {
            seq,
            at,
            check,
            again,
        })) => {
            let (ok, refused) = match check {
                Some(Ok(text)) => (Some(text), None),
                Some(Err(why)) => (None, Some(why)),
                None => (None, None),
            };
            json(
                StatusCode::OK,
                serde_json::json!({ "seq": seq, "at": at, "again": again, "ok": ok, "refused": refused }),
            )
        }
        Ok(Ok(Answer::Kept(text))) => json(StatusCode::OK, serde_json::json!({ "ok": text })),
        Ok(Ok(Answer::AlreadyAnswered(who))) => error(StatusCode::CONFLICT, &who),
        Ok(Ok(Answer::Refused(why))) => error(StatusCode::CONFLICT, &why),
        Ok(Err(_)) | Err(_) => error(
            StatusCode::SERVICE_UNAVAILABLE,
            "the exercise host did not answer; the page will try again",
        ),
    }
}

/// Anything else: 401 under `/api/` without a seat (so probing learns nothing), else 404.
async fn fallback(State(app): State<App>, request: Request) -> Refusal {
    if request.uri().path().starts_with("/api/")
        && let Err(refused) = seat(&app, request.headers())
    {
        return refused;
    }
    Refusal::Bare(StatusCode::NOT_FOUND)
}
