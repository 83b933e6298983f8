//! The trainee's page: HTML, CSS and a little JavaScript compiled into the binary, so an
//! air-gapped exercise network needs no CDN and nobody runs an npm build. The page holds
//! nothing about the exercise; everything it shows comes from the seat's own snapshot.

use axum::http::header;
use axum::response::IntoResponse;

const PAGE: &str = include_str!("../../assets/serve/trainee.html");
const SCRIPT: &str = include_str!("../../assets/serve/trainee.js");
const STYLE: &str = include_str!("../../assets/serve/trainee.css");

pub async fn page() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], PAGE)
}

pub async fn script() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        SCRIPT,
    )
}

pub async fn style() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], STYLE)
}
