//! Live reload as the server sees it: the two scripts it serves to the browser, the tag it puts
//! into every HTML page, and each page's fingerprint.
//!
//! A browser allows about six HTTP/1.1 connections per host, and a live-reload stream holds one
//! for as long as the page is open; so the browser side keeps one stream per browser, not per
//! tab ([`WORKER_PATH`] holds it, or a leader tab where shared workers are missing).
//!
//! The fingerprint lets a tab find out, after the server restarted, whether its page changed
//! while it could not be told: the tag carries the fingerprint of the page's bytes, every HTML
//! response carries the same in its `ETag`, and the tab compares the two by asking for its own
//! address again (a `HEAD` request). Each page is compared on its own, so a restart reloads only
//! the tabs whose page differs.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

/// Where the live-reload script is served; nothing in a site can take a path under
/// `/__handbook/`, since content files and folders starting with `_` are not pages.
pub(super) const SCRIPT_PATH: &str = "/__handbook/live.js";
/// Where the shared worker holding a browser's one live-reload stream is served.
pub(super) const WORKER_PATH: &str = "/__handbook/live-worker.js";

/// The script every served page loads.
pub(super) async fn script() -> Response {
    javascript(include_str!("live.js"))
}

/// The shared worker `live.js` starts where the browser has them.
pub(super) async fn worker() -> Response {
    javascript(include_str!("live-worker.js"))
}

fn javascript(source: &'static str) -> Response {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], source).into_response()
}

/// The fingerprint of a page's bytes as built (before the script is inserted): 16 hex digits
/// of FNV-1a. Not a defence against anyone, only a way to tell two versions of a page apart,
/// and the same from one run of `serve` to the next, so that a restart does not look like a
/// change (the standard library's hasher promises neither).
pub(super) fn fingerprint(bytes: &[u8]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in bytes {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// The `ETag` of a page with this fingerprint: what `live.js` compares its own with.
pub(super) fn etag(fingerprint: &str) -> Option<HeaderValue> {
    HeaderValue::from_str(&format!("\"{fingerprint}\"")).ok()
}

/// Inserts the live-reload script, carrying the page's fingerprint, before `</body>` (or at the
/// end).
pub(super) fn with_script(html: Vec<u8>, fingerprint: &str) -> Vec<u8> {
    let tag = format!("<script src=\"{SCRIPT_PATH}\" data-hash=\"{fingerprint}\"></script>");
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_goes_before_the_end_of_the_body_with_the_fingerprint() {
        let html = with_script(b"<html><body><p>x</p></body></html>".to_vec(), "00ff");
        assert_eq!(
            String::from_utf8(html).unwrap(),
            "<html><body><p>x</p><script src=\"/__handbook/live.js\" data-hash=\"00ff\"></script></body></html>"
        );
        let bare = with_script(b"<p>no body".to_vec(), "00ff");
        assert!(
            String::from_utf8(bare)
                .unwrap()
                .ends_with("data-hash=\"00ff\"></script>")
        );
    }

    #[test]
    fn the_fingerprint_is_fnv1a_and_tells_one_byte_apart() {
        // The published FNV-1a 64 test values: the same in every run and every version.
        assert_eq!(fingerprint(b""), "cbf29ce484222325");
        assert_eq!(fingerprint(b"a"), "af63dc4c8601ec8c");
        assert_eq!(fingerprint(b"foobar"), "85944171f73967e8");
        assert_ne!(fingerprint(b"<p>one</p>"), fingerprint(b"<p>One</p>"));
        assert_eq!(etag("85944171f73967e8").unwrap(), "\"85944171f73967e8\"");
    }
}
