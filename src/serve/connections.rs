//! The accept loop of `serve`, with the limits `axum::serve` does not offer: a connection must
//! send a request's headers within [`HEADER_READ_TIMEOUT`], and at most [`MAX_CONNECTIONS`] are
//! open at once.
//!
//! At the cap, the oldest connection with no request in progress (one that has sent nothing
//! yet, or a kept-alive one between requests) is closed to make room: a client that opens
//! hundreds of idle connections only loses its own, and the writer's next page load is answered
//! at once, as nginx drains idle keep-alive connections. Only when every connection is busy (long
//! responses such as live-reload streams) does a new one wait, in the system's queue, until one
//! finishes. Responses themselves have no time limit, so live-reload streams stay open.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use hyper::body::{Frame, SizeHint};
use hyper::server::conn::http1;
use hyper::service::{Service as _, service_fn};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::{Notify, oneshot};

/// How long a connection may take to send a request's headers, from when it opens or its last
/// response ended; then it is closed without an answer. Slow enough for any real client.
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// How many connections are served at once. A browser opens about six per site.
const MAX_CONNECTIONS: usize = 256;

/// Accepts and serves connections with `app` until the future is dropped.
pub(super) async fn serve(listener: TcpListener, app: Router) {
    let connections = Arc::new(Connections::default());
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(HEADER_READ_TIMEOUT);
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // The client gave up before it was accepted: nothing to do.
            Err(err) if is_connection_error(&err) => continue,
            // Out of file descriptors or the like: accepting again at once would spin.
            Err(_) => {
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        let (id, evicted) = connections.open().await;
        let service = {
            let connections = Arc::clone(&connections);
            let app = TowerToHyperService::new(app.clone());
            service_fn(move |request| {
                let busy = Busy::start(Arc::clone(&connections), id);
                let response = app.call(request);
                async move {
                    let response = response.await?;
                    Ok::<_, Infallible>(response.map(|body| Tracked { body, _busy: busy }))
                }
            })
        };
        let connection = http.serve_connection(TokioIo::new(stream), service);
        let connections = Arc::clone(&connections);
        tokio::spawn(async move {
            tokio::select! {
                _ = connection => {}
                // Closed to make room: dropping the connection closes the socket.
                _ = evicted => {}
            }
            connections.close(id);
        });
    }
}

fn is_connection_error(err: &std::io::Error) -> bool {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    matches!(err.kind(), ConnectionRefused | ConnectionAborted | ConnectionReset)
}

/// The open connections.
#[derive(Default)]
struct Connections {
    state: Mutex<State>,
    /// Told when a connection closes or its last request ends.
    changed: Notify,
}

#[derive(Default)]
struct State {
    /// The next id: ids grow and are never reused, so the first connection is the oldest.
    next: u64,
    open: BTreeMap<u64, Open>,
}

struct Open {
    /// Requests in progress.
    requests: usize,
    /// Dropped to close the connection.
    _keep: oneshot::Sender<Infallible>,
}

impl Connections {
    /// Registers a new connection, making room if there is none: returns its id and what
    /// resolves when it is closed to make room.
    async fn open(&self) -> (u64, oneshot::Receiver<Infallible>) {
        loop {
            let changed = self.changed.notified();
            {
                let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
                if state.open.len() >= MAX_CONNECTIONS {
                    let idle = state.open.iter().find(|(_, c)| c.requests == 0).map(|(id, _)| *id);
                    if let Some(idle) = idle {
                        state.open.remove(&idle);
                    }
                }
                if state.open.len() < MAX_CONNECTIONS {
                    let id = state.next;
                    state.next += 1;
                    let (keep, evicted) = oneshot::channel();
                    state.open.insert(
                        id,
                        Open {
                            requests: 0,
                            _keep: keep,
                        },
                    );
                    return (id, evicted);
                }
            }
            changed.await;
        }
    }

    fn close(&self, id: u64) {
        self.state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .open
            .remove(&id);
        self.changed.notify_waiters();
    }
}

/// A request in progress on a connection, until dropped.
struct Busy {
    connections: Arc<Connections>,
    id: u64,
}

impl Busy {
    fn start(connections: Arc<Connections>, id: u64) -> Busy {
        let mut state = connections.state.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(open) = state.open.get_mut(&id) {
            open.requests += 1;
        }
        drop(state);
        Busy { connections, id }
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        let mut state = self.connections.state.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(open) = state.open.get_mut(&self.id) {
            open.requests -= 1;
            if open.requests == 0 {
                self.connections.changed.notify_waiters();
            }
        }
    }
}

/// A response body that keeps its request counted as in progress until it is dropped.
struct Tracked {
    body: Body,
    _busy: Busy,
}

impl hyper::body::Body for Tracked {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        Pin::new(&mut self.body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}
