//! The HTTP side of `serve`: the site's files as the session holds them (see
//! [`crate::session::Served`]), the live-reload script injected into
//! its HTML pages (see [`live`]), and a stream of announcements (Server-Sent Events) telling
//! pages to reload or to show the errors of a failed build.
//!
//! Only files of the site are served: a request path is decoded, any `.` or `..` segment is
//! refused, and the rest must name a file of the site. Copied files are read from disk only when
//! the handbook's boundary lets them, the rule `build` applies
//! ([`crate::content::boundary`]).

use std::convert::Infallible;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::middleware;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use futures_util::stream::{self, Stream, StreamExt};
use tokio::sync::broadcast;
use tower_http::set_header::SetResponseHeaderLayer;

use super::hosts::{self, AllowedHosts};
use super::live;
use crate::content::boundary::Boundary;
use crate::session::{Outputs, Served};

/// The stream of announcements; like the scripts, under `/__handbook/`, which no site file can
/// take.
const EVENTS: &str = "/__handbook/events";

/// How soon a browser tries again when the stream breaks (browsers wait about 3 s by default):
/// after `serve` is restarted, open pages catch up within a second. One attempt a second from
/// each browser (its tabs share one stream) costs nothing while the server is down.
const RECONNECT: Duration = Duration::from_secs(1);

/// What the rebuild loop tells open pages.
#[derive(Debug, Clone)]
pub(super) enum Announcement {
    /// A rebuild succeeded: `{"changed": [output paths], "all": bool}`.
    Reload(serde_json::Value),
    /// A rebuild failed: `{"errors": [{file, line, column, message, text}]}`.
    Failed(serde_json::Value),
}

impl Announcement {
    fn event(&self) -> Event {
        match self {
            Announcement::Reload(data) => Event::default().event("reload").data(data.to_string()),
            Announcement::Failed(data) => Event::default().event("failed").data(data.to_string()),
        }
    }
}

/// What the handlers share with the rebuild loop.
#[derive(Clone)]
pub(super) struct Shared {
    /// The site's files.
    pub(super) outputs: Arc<RwLock<Outputs>>,
    /// The handbook's folder, symbolic links resolved.
    pub(super) root: PathBuf,
    pub(super) announce: broadcast::Sender<Announcement>,
    /// The last failure, while the handbook is broken, for pages that connect meanwhile.
    pub(super) failure: Arc<Mutex<Option<Announcement>>>,
}

/// The routes of the preview server, each answering only the `allowed` hosts.
pub(super) fn router(shared: Shared, allowed: AllowedHosts) -> Router {
    Router::new()
        .route(live::SCRIPT_PATH, get(live::script))
        .route(live::WORKER_PATH, get(live::worker))
        .route(EVENTS, get(events))
        .fallback(get(site_file))
        .with_state(shared)
        .layer(middleware::from_fn_with_state(Arc::new(allowed), hosts::only_allowed))
        // A preview must never show a page from the browser's cache.
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
}

async fn events(State(shared): State<Shared>) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let receiver = shared.announce.subscribe();
    let failure = shared.failure.lock().unwrap_or_else(PoisonError::into_inner).clone();
    let hello = match failure {
        Some(failed) => failed.event(),
        None => Event::default().event("hello").data("{}"),
    }
    .retry(RECONNECT);
    let updates = stream::unfold(receiver, |mut receiver| async move {
        let event = match receiver.recv().await {
            Ok(announcement) => announcement.event(),
            // Missed some: reload everything rather than risk a stale page.
            Err(broadcast::error::RecvError::Lagged(_)) => {
                Announcement::Reload(serde_json::json!({ "changed": [], "all": true })).event()
            }
            Err(broadcast::error::RecvError::Closed) => return None,
        };
        Some((Ok(event), receiver))
    });
    Sse::new(stream::once(async { Ok(hello) }).chain(updates)).keep_alive(KeepAlive::default())
}

/// Why a request path names no file of the site.
#[derive(Debug, PartialEq, Eq)]
enum BadPath {
    /// Not a path at all: bad escapes, `.` or `..` segments, backslashes, NUL.
    Malformed,
}

/// The site file a request path asks for: percent-decoded, relative to the site root, with
/// `index.html` for folders. Refuses anything that could step outside the site.
fn site_path(path: &str) -> Result<String, BadPath> {
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .map_err(|_| BadPath::Malformed)?;
    let relative = decoded.strip_prefix('/').unwrap_or(&decoded);
    if relative.contains(['\\', '\0']) || relative.starts_with('/') {
        return Err(BadPath::Malformed);
    }
    let segments: Vec<&str> = relative.split('/').collect();
    if segments.iter().any(|s| *s == "." || *s == "..") {
        return Err(BadPath::Malformed);
    }
    if relative.is_empty() || relative.ends_with('/') {
        Ok(format!("{relative}index.html"))
    } else {
        Ok(relative.to_string())
    }
}

async fn site_file(State(shared): State<Shared>, uri: Uri) -> Response {
    let path = match site_path(uri.path()) {
        Ok(path) => path,
        Err(BadPath::Malformed) => return (StatusCode::BAD_REQUEST, "bad request path\n").into_response(),
    };
    let found = shared
        .outputs
        .read()
        .unwrap_or_else(PoisonError::into_inner)
        .get(&path)
        .cloned();
    match found {
        Some(served) => respond(&shared, &path, served, StatusCode::OK).await,
        None => {
            let folder = format!("{path}/index.html");
            let is_folder = shared
                .outputs
                .read()
                .unwrap_or_else(PoisonError::into_inner)
                .contains_key(&folder);
            if is_folder {
                return Redirect::permanent(&format!("{}/", uri.path())).into_response();
            }
            not_found(&shared).await
        }
    }
}

async fn not_found(shared: &Shared) -> Response {
    let (page, built) = {
        let outputs = shared.outputs.read().unwrap_or_else(PoisonError::into_inner);
        (outputs.get("404.html").cloned(), !outputs.is_empty())
    };
    match page {
        Some(served) => respond(shared, "404.html", served, StatusCode::NOT_FOUND).await,
        None if built => (StatusCode::NOT_FOUND, "not found\n").into_response(),
        // The first build failed: a page that shows why, and loads the site once it is fixed.
        None => html(StatusCode::SERVICE_UNAVAILABLE, NOT_BUILT.as_bytes().to_vec()),
    }
}

/// What is served before the handbook has built once.
const NOT_BUILT: &str = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not built yet</title></head>\n<body data-handbook-not-built><p>The handbook has not built yet: fix the errors shown here and in the terminal, and this page loads the site.</p></body></html>\n";

async fn respond(shared: &Shared, path: &str, served: Served, status: StatusCode) -> Response {
    let bytes: Vec<u8> = match served {
        Served::File(source) => match read_inside(&shared.root, &source).await {
            Some(bytes) => bytes,
            None => return (StatusCode::NOT_FOUND, "not found\n").into_response(),
        },
        // Read from the session's store (or memory): a page is in the system's cache, but the
        // print page of a large handbook is tens of megabytes.
        served => match tokio::task::spawn_blocking(move || served.bytes()).await {
            Ok(Ok(bytes)) => bytes,
            _ => return (StatusCode::INTERNAL_SERVER_ERROR, "cannot read this file\n").into_response(),
        },
    };
    let kind = content_type(path);
    if kind.starts_with("text/html") {
        return html(status, bytes);
    }
    (status, [(header::CONTENT_TYPE, kind)], Body::from(bytes)).into_response()
}

/// An HTML page with the live-reload script, and its fingerprint as the `ETag` the script
/// compares with after a restart.
fn html(status: StatusCode, bytes: Vec<u8>) -> Response {
    let fingerprint = live::fingerprint(&bytes);
    let mut response = (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        live::with_script(bytes, &fingerprint),
    )
        .into_response();
    if let Some(etag) = live::etag(&fingerprint) {
        response.headers_mut().insert(header::ETAG, etag);
    }
    response
}

/// Reads `source` if the handbook's [`Boundary`] (rooted at `root`) lets it: the rule the build
/// applies, checked again when the file is asked for, since a link may have changed since.
async fn read_inside(root: &std::path::Path, source: &std::path::Path) -> Option<Vec<u8>> {
    let (root, source) = (root.to_path_buf(), source.to_path_buf());
    tokio::task::spawn_blocking(move || {
        Boundary::new(&root).check(&source).ok()?;
        std::fs::read(&source).ok()
    })
    .await
    .ok()
    .flatten()
}

/// The media type of a site file, from its extension.
fn content_type(path: &str) -> &'static str {
    let extension = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" | "md" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_paths_stay_inside_the_site() {
        assert_eq!(site_path("/"), Ok("index.html".into()));
        assert_eq!(site_path("/decisions/"), Ok("decisions/index.html".into()));
        assert_eq!(site_path("/a%20b/c.png"), Ok("a b/c.png".into()));
        for bad in [
            "/../etc/passwd",
            "/a/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E/%2e%2e/etc/passwd",
            "/a/%2e%2e%2f%2e%2e/etc/passwd",
            "/..%5c..%5cwindows",
            "//etc/passwd",
            "/./index.html",
            "/%00",
            "/%ff",
        ] {
            assert_eq!(site_path(bad), Err(BadPath::Malformed), "{bad}");
        }
    }
}
