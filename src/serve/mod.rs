//! `handbook serve`: the handbook built without an output folder, served on localhost, rebuilt
//! when a file is saved, with open pages told to reload.
//!
//! Three parts, each in its own module and thread: [`watch`] turns file-system events into
//! batches of changed paths; the rebuild loop here applies each batch to a [`Session`] (the same
//! pipeline as `build`, updated in place) and announces the result; [`server`] answers HTTP
//! requests from the session's files and streams the announcements to the browser (where
//! [`live`] keeps one stream per browser and tells each page whether it is current), behind the
//! [`hosts`] check and the [`connections`] limits.

mod connections;
mod hosts;
mod live;
mod server;
mod watch;

use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex, PoisonError, mpsc};

use serde_json::json;
use tokio::sync::broadcast;

use crate::build::{BuildError, BuildOptions, Report};
use crate::diagnostics::Diagnostic;
use crate::session::{Rebuilt, Session};
pub use hosts::{BadHost, Host};
use server::{Announcement, Shared};

/// What to serve and where.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The handbook and build options (`output` is unused: no output folder is written).
    pub build: BuildOptions,
    /// The address to listen on; `127.0.0.1` unless told otherwise.
    pub bind: IpAddr,
    /// The port; 0 lets the system pick a free one.
    pub port: u16,
    /// Hosts answered besides localhost, loopback addresses and `bind` (`--allow-host`).
    pub allowed_hosts: Vec<Host>,
}

/// What happens while serving, for the caller to show.
#[derive(Debug)]
pub enum ServeEvent<'a> {
    /// The first build succeeded.
    Built(&'a Report),
    /// The first build failed; the server runs anyway and picks up the fix.
    BuildFailed(&'a BuildError),
    /// The server listens at `url` and watches `watching` (paths relative to the root).
    Listening {
        /// `http://127.0.0.1:1111/`.
        url: &'a str,
        /// What is watched, e.g. `content/`.
        watching: &'a [String],
    },
    /// A change was applied (but for the generated pages it changed, which may come next: see
    /// [`Session::apply_first`]).
    Rebuilt(&'a Rebuilt),
    /// Generated pages, or the print page, were brought up to date after a change.
    CaughtUp(&'a Rebuilt),
    /// A change made the handbook invalid; the last good site is still served.
    Failed(&'a [Diagnostic]),
    /// Something went wrong with watching files; serving goes on.
    WatchError(String),
}

/// Why serving could not start.
#[derive(Debug)]
pub enum ServeError {
    /// The address could not be listened on (e.g. the port is taken).
    Bind(SocketAddr, std::io::Error),
    /// The file watcher or the runtime could not start.
    Start(String),
}

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ServeError::Bind(address, err) => write!(f, "cannot listen on {address}: {err}"),
            ServeError::Start(why) => f.write_str(why),
        }
    }
}

impl std::error::Error for ServeError {}

/// Shows what happens while serving; called from more than one thread.
pub type Reporter = Arc<dyn Fn(ServeEvent<'_>) + Send + Sync>;

/// Builds and serves the handbook until Ctrl+C (or SIGTERM), then returns.
pub fn serve(options: ServeOptions, report: Reporter) -> Result<(), ServeError> {
    // Taken first, so that a port in use is said at once, not after the build.
    let address = SocketAddr::new(options.bind, options.port);
    let listener = std::net::TcpListener::bind(address).map_err(|err| ServeError::Bind(address, err))?;
    listener
        .set_nonblocking(true)
        .map_err(|err| ServeError::Bind(address, err))?;
    let root = std::path::absolute(&options.build.root).unwrap_or_else(|_| options.build.root.clone());
    let build = BuildOptions {
        root: root.clone(),
        ..options.build.clone()
    };
    let (session, first) = Session::start(build);
    let (announce, _) = broadcast::channel(64);
    let shared = Shared {
        outputs: session.outputs(),
        root: root.canonicalize().unwrap_or_else(|_| root.clone()),
        announce: announce.clone(),
        failure: Arc::new(Mutex::new(None)),
    };
    match &first {
        Ok(built) => report(ServeEvent::Built(built)),
        Err(err) => {
            report(ServeEvent::BuildFailed(err));
            if let BuildError::Content(diagnostics) = err {
                *shared.failure.lock().unwrap_or_else(PoisonError::into_inner) = Some(failed(diagnostics));
            }
        }
    }

    let (changes, batches) = mpsc::channel();
    let watcher = watch::Watcher::start(&root, session.source_folders(), changes)
        .map_err(|err| ServeError::Start(err.to_string()))?;
    let watching = watcher.watching();
    let loop_shared = shared.clone();
    let loop_report = Arc::clone(&report);
    std::thread::Builder::new()
        .name("handbook rebuild".into())
        .spawn(move || rebuild_loop(session, watcher, batches, loop_shared, loop_report))
        .map_err(|err| ServeError::Start(err.to_string()))?;

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|err| ServeError::Start(err.to_string()))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener).map_err(|err| ServeError::Bind(address, err))?;
        let local = listener.local_addr().map_err(|err| ServeError::Bind(address, err))?;
        let url = format!("http://{local}/");
        report(ServeEvent::Listening {
            url: &url,
            watching: &watching,
        });
        let allowed = hosts::AllowedHosts::new(options.bind, options.allowed_hosts);
        let app = server::router(shared, allowed);
        tokio::select! {
            () = connections::serve(listener, app) => {}
            () = stop_signal() => {}
        }
        Ok(())
    })
}

/// Applies each batch of changes and announces the result; then, unless another batch waits,
/// brings the generated pages and the print page up to date (see [`Session::apply_first`]) and
/// announces each.
fn rebuild_loop(
    mut session: Session,
    mut watcher: watch::Watcher,
    batches: mpsc::Receiver<watch::Batch>,
    shared: Shared,
    report: Reporter,
) {
    loop {
        let first = match session.is_behind() {
            true => match batches.try_recv() {
                Ok(batch) => batch,
                Err(mpsc::TryRecvError::Empty) => {
                    if let Some(caught_up) = session.catch_up() {
                        announce_caught_up(caught_up, &shared, &report);
                    }
                    continue;
                }
                Err(mpsc::TryRecvError::Disconnected) => break,
            },
            false => match batches.recv() {
                Ok(batch) => batch,
                Err(_) => break,
            },
        };
        let mut paths = Vec::new();
        for batch in std::iter::once(first).chain(batches.try_iter()) {
            match batch {
                Ok(batch) => paths.extend(batch),
                Err(err) => report(ServeEvent::WatchError(err)),
            }
        }
        watcher.follow_new_folders(&paths);
        if !session.concerns(&paths) {
            continue;
        }
        let applied = session.apply_first(paths);
        watcher.watch_sources(session.source_folders());
        announce(applied, &shared, &report);
    }
}

/// Reports and announces the outcome of a rebuild.
fn announce(applied: Result<Rebuilt, Vec<Diagnostic>>, shared: &Shared, report: &Reporter) {
    let was_failing = shared.failure.lock().unwrap_or_else(PoisonError::into_inner).is_some();
    match applied {
        Ok(rebuilt) => {
            if rebuilt.changed.is_empty() && !was_failing {
                return;
            }
            report(ServeEvent::Rebuilt(&rebuilt));
            *shared.failure.lock().unwrap_or_else(PoisonError::into_inner) = None;
            shared.announce.send(reload(rebuilt.changed)).ok();
        }
        Err(diagnostics) => announce_failure(&diagnostics, shared, report),
    }
}

/// Reports and announces the print page brought up to date. It shows the last good site, as
/// every other page does, so a failure shown meanwhile stays.
fn announce_caught_up(caught_up: Result<Rebuilt, Vec<Diagnostic>>, shared: &Shared, report: &Reporter) {
    match caught_up {
        Ok(rebuilt) if rebuilt.changed.is_empty() => {}
        Ok(rebuilt) => {
            report(ServeEvent::CaughtUp(&rebuilt));
            shared.announce.send(reload(rebuilt.changed)).ok();
        }
        Err(diagnostics) => announce_failure(&diagnostics, shared, report),
    }
}

/// The announcement that the files `changed` changed.
fn reload(changed: Vec<String>) -> Announcement {
    // Listing thousands of files helps nobody: then every page reloads.
    let all = changed.len() > 500;
    let changed = if all { Vec::new() } else { changed };
    Announcement::Reload(json!({ "changed": changed, "all": all }))
}

/// Reports and announces a failed rebuild; the failure is shown to tabs that open until a
/// rebuild succeeds.
fn announce_failure(diagnostics: &[Diagnostic], shared: &Shared, report: &Reporter) {
    report(ServeEvent::Failed(diagnostics));
    let announcement = failed(diagnostics);
    *shared.failure.lock().unwrap_or_else(PoisonError::into_inner) = Some(announcement.clone());
    shared.announce.send(announcement).ok();
}

/// The announcement of a failed build: its errors, with where they are and the text the
/// terminal shows.
fn failed(diagnostics: &[Diagnostic]) -> Announcement {
    let errors: Vec<_> = diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| {
            let mut error = d.to_json(false);
            error["text"] = json!(d.render(false));
            error
        })
        .collect();
    Announcement::Failed(json!({ "errors": errors }))
}

/// Resolves on Ctrl+C, or on SIGTERM where there is such a thing.
async fn stop_signal() {
    let interrupt = async {
        tokio::signal::ctrl_c().await.ok();
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}
