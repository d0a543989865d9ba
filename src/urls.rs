//! The one rule for URLs that content supplies: no `javascript:`, `vbscript:` or `data:` URL
//! reaches an `href` or `src`, except `data:image/…` as an image source.
//!
//! Markdown links and images, raw HTML under `raw_html = "sanitize"`, URL fields such as a
//! meeting's `recording` and the repository URL in `handbook.toml` all ask [`unsafe_scheme`], so
//! the rule is the same wherever a URL comes from. The scheme is read the way browsers read it
//! (the WHATWG URL standard strips leading and trailing C0 controls and spaces and removes tabs
//! and newlines anywhere), and more strictly: every control character and space is dropped before
//! the scheme is compared, case-insensitively. Character references such as `&#x6a;avascript:` are
//! already decoded by the Markdown parser and the HTML sanitizer before the URL gets here.

/// Where a URL is used: an image source may be a `data:image/…` URL, a link may not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlUse {
    /// An `href`, or any other place a URL is followed.
    Link,
    /// The `src` of an `<img>`.
    Image,
}

/// The schemes that run code or carry a whole document when followed.
const UNSAFE_SCHEMES: [&str; 3] = ["javascript", "vbscript", "data"];

/// The scheme (lowercase) that makes `url` unsafe in `usage`, or `None` when it is safe.
pub fn unsafe_scheme(url: &str, usage: UrlUse) -> Option<&'static str> {
    let squeezed: String = url
        .chars()
        .filter(|c| !c.is_control() && !c.is_whitespace())
        .take(64)
        .collect::<String>()
        .to_ascii_lowercase();
    let (scheme, rest) = squeezed.split_once(':')?;
    let found = UNSAFE_SCHEMES.into_iter().find(|s| *s == scheme)?;
    if found == "data" && usage == UrlUse::Image && rest.starts_with("image/") {
        return None;
    }
    Some(found)
}

/// The scheme of `url` as written (`https` in `https://x`), when it has one: letters, digits,
/// `+`, `-` and `.`, starting with a letter, before the first `:` (RFC 3986, section 3.1). A URL
/// without one is relative to the page it is in.
pub fn scheme(url: &str) -> Option<&str> {
    let (scheme, _) = url.split_once(':')?;
    let valid = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    valid.then_some(scheme)
}

/// Help for a diagnostic about an unsafe URL.
pub const UNSAFE_HELP: &str = "javascript:, vbscript: and data: URLs run code or open whole documents when followed, so \
     they are never linked (data:image/… is fine as an image source); link to an http(s) page instead";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_are_caught_however_they_are_spelt() {
        for url in [
            "javascript:alert(1)",
            " JAVASCRIPT:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "\u{1}javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
        ] {
            assert_eq!(unsafe_scheme(url, UrlUse::Link), Some("javascript"), "{url:?}");
        }
        assert_eq!(unsafe_scheme("VBScript:msgbox", UrlUse::Link), Some("vbscript"));
        assert_eq!(unsafe_scheme("data:text/html,<b>", UrlUse::Link), Some("data"));
        assert_eq!(unsafe_scheme("data:text/html,<b>", UrlUse::Image), Some("data"));
    }

    #[test]
    fn schemes_as_written() {
        assert_eq!(scheme("https://example.com/a:b"), Some("https"));
        assert_eq!(scheme("mailto:a@b.c"), Some("mailto"));
        for relative in ["notes.md#a:b", "/x", "//host/x", "1x:y", ":x", "a b:c"] {
            assert_eq!(scheme(relative), None, "{relative}");
        }
    }

    #[test]
    fn ordinary_urls_and_images_pass() {
        for url in [
            "https://example.com/a:b",
            "mailto:a@b.c",
            "../decisions/0001-x.md#why",
            "notes.md#a:b",
            "#javascript:x",
            "/javascript/x.html",
            "",
        ] {
            assert_eq!(unsafe_scheme(url, UrlUse::Link), None, "{url:?}");
        }
        assert_eq!(unsafe_scheme("data:image/png;base64,iVBOR", UrlUse::Image), None);
        assert_eq!(unsafe_scheme(" DATA:Image/svg+xml,<svg/>", UrlUse::Image), None);
        assert_eq!(unsafe_scheme("data:image/png;base64,iVBOR", UrlUse::Link), Some("data"));
    }
}
