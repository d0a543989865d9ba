//! Which `Host` the preview answers: a defence against DNS rebinding.
//!
//! Listening on 127.0.0.1 keeps other machines out, but not other web sites: a page the writer
//! visits can point its own DNS name at 127.0.0.1 (DNS rebinding) and then read the preview,
//! internal pages included, as a page of its own origin. The browser still sends that name in
//! `Host`, so the server answers only names that cannot be rebound:
//!
//! - `localhost` and `*.localhost` (RFC 6761 reserves them for loopback);
//! - an IP address in the loopback ranges (127.0.0.0/8, `::1`) or the address listened on. An IP
//!   literal is never the product of rebinding: the browser's origin is that address itself;
//! - with a wildcard `--bind` (`0.0.0.0`, `::`) the writer asked for the network and the
//!   machine's own addresses are hard to know, so any IP literal;
//! - names given with `--allow-host`, for a machine reached by name on a LAN or behind a proxy.
//!
//! Any port is accepted. A request without `Host` (or with two) is refused: browsers always
//! send exactly one.

use std::net::{IpAddr, Ipv6Addr};
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// A host as a request names it or `--allow-host` gives it: a DNS name or an IP address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Host {
    /// A name, lowercased, without a trailing dot: `docs.internal`.
    Name(String),
    /// An IP address: `192.168.1.20`, `::1`.
    Ip(IpAddr),
}

impl Host {
    /// Reads the value of a `Host` header (or a URI's authority): a host and an optional port.
    fn from_authority(value: &str) -> Option<Host> {
        if let Some(rest) = value.strip_prefix('[') {
            let (address, port) = rest.split_once(']')?;
            let ip: Ipv6Addr = address.parse().ok()?;
            return is_port(port).then_some(Host::Ip(ip.into()));
        }
        let (host, port) = value.split_at(value.find(':').unwrap_or(value.len()));
        if !is_port(port) {
            return None;
        }
        host.parse().ok()
    }

    fn is_loopback(&self) -> bool {
        match self {
            Host::Name(name) => name == "localhost" || name.ends_with(".localhost"),
            Host::Ip(ip) => ip.to_canonical().is_loopback(),
        }
    }
}

/// `""` or `":"` followed by digits: the port part of an authority, which is not checked further.
fn is_port(after_host: &str) -> bool {
    after_host.is_empty()
        || after_host
            .strip_prefix(':')
            .is_some_and(|port| port.bytes().all(|b| b.is_ascii_digit()))
}

/// Why an `--allow-host` value is not a host.
#[derive(Debug, PartialEq, Eq)]
pub struct BadHost(String);

impl std::fmt::Display for BadHost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "`{}` is not a host name or IP address (give the name alone, without scheme, port or path: any port is accepted)",
            self.0
        )
    }
}

impl std::error::Error for BadHost {}

impl std::fmt::Display for Host {
    /// As `--allow-host` takes it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Host::Name(name) => f.write_str(name),
            Host::Ip(ip) => write!(f, "{ip}"),
        }
    }
}

impl std::str::FromStr for Host {
    type Err = BadHost;

    /// A name (letters, digits, `-`, `_`, `.`), an IPv4 address, or an IPv6 address with or
    /// without brackets; no port.
    fn from_str(text: &str) -> Result<Host, BadHost> {
        let bad = || BadHost(text.to_string());
        let unbracketed = text.strip_prefix('[').and_then(|t| t.strip_suffix(']'));
        if let Some(ip) = unbracketed {
            return ip.parse::<Ipv6Addr>().map(|ip| Host::Ip(ip.into())).map_err(|_| bad());
        }
        if let Ok(ip) = text.parse::<IpAddr>() {
            return Ok(Host::Ip(ip));
        }
        let name = text.strip_suffix('.').unwrap_or(text);
        let allowed = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.');
        if name.is_empty() || name.starts_with('.') || name.contains("..") || !name.bytes().all(allowed) {
            return Err(bad());
        }
        // A dotted all-digit name such as `127.1` is an address to a browser, which sends it as
        // `127.0.0.1`: as a name it could never match, so it is refused rather than ignored.
        if name.split('.').all(|label| label.bytes().all(|b| b.is_ascii_digit())) {
            return Err(bad());
        }
        Ok(Host::Name(name.to_ascii_lowercase()))
    }
}

/// The hosts the server answers, fixed when it starts.
#[derive(Debug, Clone)]
pub(super) struct AllowedHosts {
    bind: IpAddr,
    extra: Vec<Host>,
}

impl AllowedHosts {
    /// The hosts allowed for a server listening on `bind`, plus `extra` (`--allow-host`).
    pub(super) fn new(bind: IpAddr, extra: Vec<Host>) -> AllowedHosts {
        AllowedHosts { bind, extra }
    }

    /// Whether a request for `host` is answered.
    fn admits(&self, host: &Host) -> bool {
        if host.is_loopback() || self.extra.contains(host) {
            return true;
        }
        match host {
            Host::Name(_) => false,
            Host::Ip(ip) => self.bind.is_unspecified() || ip.to_canonical() == self.bind.to_canonical(),
        }
    }

    /// The host a request asks for, if it is one the server answers: the authority of an
    /// absolute-form target (which takes precedence, RFC 9112 §3.2.2), else the one `Host`
    /// header.
    fn check(&self, request: &Request) -> Result<(), Refused> {
        let value = match request.uri().authority() {
            Some(authority) => authority.as_str(),
            None => {
                let mut hosts = request.headers().get_all(header::HOST).iter();
                match (hosts.next(), hosts.next()) {
                    (Some(one), None) => one.to_str().map_err(|_| Refused::Malformed)?,
                    (None, _) => return Err(Refused::Missing),
                    (Some(_), Some(_)) => return Err(Refused::Malformed),
                }
            }
        };
        match Host::from_authority(value) {
            Some(host) if self.admits(&host) => Ok(()),
            Some(host) => Err(Refused::Host(host)),
            None => Err(Refused::Malformed),
        }
    }
}

/// Why a request was refused, for the text of the 403.
enum Refused {
    /// No `Host` header.
    Missing,
    /// Two `Host` headers, or one that is not a host and port.
    Malformed,
    /// A host that is not allowed.
    Host(Host),
}

impl Refused {
    fn explanation(&self) -> String {
        let rule = "handbook serve answers only requests for localhost, a loopback address or the address it listens on, so that other web sites cannot read the preview (DNS rebinding)";
        match self {
            Refused::Missing => format!("{rule}; this request has no Host header.\n"),
            Refused::Malformed => format!("{rule}; this request's Host header is malformed.\n"),
            Refused::Host(host) => format!(
                "{rule}; this request is for {host}. If that is how you reach the preview, start it with --allow-host {host}\n"
            ),
        }
    }
}

/// Middleware: answers 403 to a request for a host that is not allowed, before any route.
pub(super) async fn only_allowed(State(allowed): State<Arc<AllowedHosts>>, request: Request, next: Next) -> Response {
    match allowed.check(&request) {
        Ok(()) => next.run(request).await,
        Err(refused) => (
            StatusCode::FORBIDDEN,
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/plain; charset=utf-8"),
                ),
                (header::CONNECTION, HeaderValue::from_static("close")),
            ],
            refused.explanation(),
        )
            .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn admits(bind: &str, extra: &[&str], host: &str) -> bool {
        let extra = extra.iter().map(|h| h.parse().unwrap()).collect();
        let allowed = AllowedHosts::new(bind.parse().unwrap(), extra);
        Host::from_authority(host).is_some_and(|h| allowed.admits(&h))
    }

    #[test]
    fn loopback_names_and_addresses_are_answered_on_any_port() {
        for host in [
            "localhost",
            "localhost:1111",
            "LocalHost.:8080",
            "foo.localhost",
            "a.b.localhost:1",
            "127.0.0.1",
            "127.0.0.1:1111",
            "127.8.9.10:80",
            "[::1]",
            "[::1]:1111",
            "[::ffff:127.0.0.1]:1111",
        ] {
            assert!(admits("127.0.0.1", &[], host), "{host}");
        }
    }

    #[test]
    fn other_hosts_are_refused() {
        for host in [
            "",
            "attacker.example",
            "attacker.example:1111",
            "127.0.0.1.attacker.example",
            "localhost.attacker.example",
            "notlocalhost",
            "evil-localhost",
            "192.168.1.20:1111",
            "0.0.0.0:1111",
            "[::]:1111",
            "localhost:1111:1111",
            "localhost:http",
            "::1",
            "[::1",
            "user@localhost",
            "127.1",
        ] {
            assert!(!admits("127.0.0.1", &[], host), "{host}");
        }
    }

    #[test]
    fn a_bind_address_and_allowed_names_widen_the_list() {
        assert!(admits("192.168.1.20", &[], "192.168.1.20:1111"));
        assert!(!admits("192.168.1.20", &[], "192.168.1.21:1111"));
        assert!(!admits("192.168.1.20", &[], "laptop.lan:1111"));
        assert!(admits("192.168.1.20", &["laptop.lan"], "Laptop.LAN:1111"));
        assert!(admits("127.0.0.1", &["docs.internal."], "docs.internal"));
        assert!(admits("127.0.0.1", &["10.0.0.5"], "10.0.0.5:80"));
        assert!(admits("127.0.0.1", &["[fd00::5]"], "[fd00::5]:80"));
        // A wildcard bind answers any address, but still no name that is not allowed.
        for bind in ["0.0.0.0", "::"] {
            assert!(admits(bind, &[], "192.168.1.20:1111"), "{bind}");
            assert!(admits(bind, &[], "[fd00::5]:1111"), "{bind}");
            assert!(!admits(bind, &[], "attacker.example:1111"), "{bind}");
        }
    }

    #[test]
    fn allow_host_takes_a_name_or_an_address_only() {
        assert_eq!("Docs.Internal".parse(), Ok(Host::Name("docs.internal".into())));
        assert_eq!("::1".parse(), Ok(Host::Ip("::1".parse().unwrap())));
        for bad in [
            "",
            ".",
            "docs.internal:8080",
            "http://docs.internal",
            "docs internal",
            "docs..internal",
            "[docs]",
            "127.1",
        ] {
            assert!(bad.parse::<Host>().is_err(), "{bad}");
        }
    }
}
