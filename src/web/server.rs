//! The server's connections: accepting them, serving each with hyper's HTTP/1, and making
//! sure no connection can hold the server (issue 16: 200 clients that sent half a header were
//! held for minutes, and 20,000 exhausted the file descriptors).
//!
//! - **A cap on open connections** (`--max-connections`). A slot (a semaphore permit) is
//!   taken *before* each accept and held by the connection's task, so at the cap the server
//!   stops accepting: new clients wait in the kernel's listen queue and are taken in turn as
//!   connections end. The file descriptors in use stay bounded by the cap plus the index's
//!   own, so `accept` never fails for want of them. Accepting and closing at once instead
//!   would serve nobody more, and would cost a descriptor and a reset per attempt; Go's
//!   `netutil.LimitListener` waits in the same way.
//! - **Timeouts on each phase of a connection** ([`Phase`]), so every slot frees up: the
//!   header timeout bounds the wait for a request's head, from the connection's opening or
//!   from the first byte of a later request; the idle timeout bounds the wait for the next
//!   request on a kept-alive connection, and any wait for the client (to read the response,
//!   say) with no byte moving. hyper's own `header_read_timeout` counts the idle wait and the
//!   head on one clock, so the two are kept here, around the socket ([`Watched`]), as Go's
//!   `ReadHeaderTimeout` and `IdleTimeout` are.
//! - **A request timeout**: a request still unanswered after it gets `503` and a plain
//!   message ([`with_request_timeout`]); while one is handled, the connection's own timeouts
//!   do not run.
//!
//! On shutdown it stops accepting, lets requests in flight finish (a bounded time) and closes
//! kept-alive connections. What a request gets is the router's business ([`super::router`]).

use std::future::Future;
use std::io;
use std::pin::{Pin, pin};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, ready};
use std::time::Duration;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};
use tokio::time::{Instant, Sleep};
use tower::ServiceExt;

/// The limits on connections and requests (`serve`'s options).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// How long a client has to send a request's head: from connecting, or from the first
    /// byte of a later request on the same connection.
    pub header_timeout: Duration,
    /// How long a kept-alive connection may wait for its next request, and how long any wait
    /// for the client may last with no byte moving either way.
    pub idle_timeout: Duration,
    /// How long a request may take to be answered.
    pub request_timeout: Duration,
    /// How many connections may be open at once.
    pub max_connections: u32,
}

impl Default for Limits {
    /// Limits a small server can hold: see `serve --help`.
    fn default() -> Limits {
        Limits {
            header_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            request_timeout: Duration::from_secs(30),
            max_connections: 512,
        }
    }
}

/// Serves `app` on `listener` within `limits` until `shutdown` completes, then lets requests
/// in flight finish for up to the request timeout (and a little more to send their
/// responses) before returning.
pub async fn run(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) {
    let app = with_request_timeout(app, limits.request_timeout);
    let slots = Arc::new(Semaphore::new(limits.max_connections as usize));
    let (stop, stopping) = watch::channel(false);
    let mut shutdown = pin!(shutdown);
    loop {
        let slot = tokio::select! {
            slot = Arc::clone(&slots).acquire_owned() => slot,
            () = &mut shutdown => break,
        };
        // The semaphore is never closed.
        let Ok(slot) = slot else { break };
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => break,
        };
        match accepted {
            Ok((tcp, _)) => {
                tokio::spawn(connection(tcp, app.clone(), limits, stopping.clone(), slot));
            }
            Err(error) => accept_failed(error).await,
        }
    }
    drop(listener);
    stop.send_replace(true);
    // Every connection holds a slot until it ends: all slots back means all ended.
    let grace = limits.request_timeout + Duration::from_secs(5);
    let all = slots.acquire_many(limits.max_connections);
    if tokio::time::timeout(grace, all).await.is_err() {
        tracing::warn!("connections still open {} s after the stop; closing them", grace.as_secs());
    }
}

/// Waits out an accept error that is not the client's doing (no file descriptors left, for
/// one, which the cap should prevent), so that the loop does not spin on it.
async fn accept_failed(error: io::Error) {
    use io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if matches!(error.kind(), ConnectionAborted | ConnectionRefused | ConnectionReset) {
        return;
    }
    tracing::error!("accept error: {error}");
    tokio::time::sleep(Duration::from_millis(100)).await;
}

/// Serves one connection until it ends, holding its `slot`.
async fn connection(
    tcp: TcpStream,
    app: Router,
    limits: Limits,
    mut stopping: watch::Receiver<bool>,
    _slot: OwnedSemaphorePermit,
) {
    // Responses go out as soon as they are written: pages are one write each, and Nagle's
    // algorithm would hold back the tail of one larger than a segment until the last is
    // acknowledged.
    if let Err(error) = tcp.set_nodelay(true) {
        tracing::debug!("could not set TCP_NODELAY: {error}");
    }
    let phase = Arc::new(Mutex::new(Phase::Head { since: Instant::now() }));
    let io = TokioIo::new(Watched::new(tcp, Arc::clone(&phase), limits));
    // The phase moves to busy when hyper hands the app a request, to idle when its response
    // is made.
    let busy = Arc::clone(&phase);
    let idle = Arc::clone(&phase);
    let service = app
        .map_request(move |request: hyper::Request<hyper::body::Incoming>| {
            *lock(&busy) = Phase::Busy;
            request
        })
        .map_response(move |response: Response| {
            *lock(&idle) = Phase::Idle { since: Instant::now() };
            response
        });
    let service = TowerToHyperService::new(service);
    let mut conn = pin!(hyper::server::conn::http1::Builder::new().serve_connection(io, service));
    let mut told_to_stop = false;
    loop {
        tokio::select! {
            result = conn.as_mut() => {
                if let Err(error) = result {
                    tracing::debug!("connection ended: {error}");
                }
                return;
            }
            // Finish the request in flight, if any, then close; an error means the
            // server has stopped waiting.
            _ = stopping.wait_for(|&stop| stop), if !told_to_stop => {
                // No request yet, or only part of its head: nothing to finish, and no
                // reason to wait out the header timeout.
                if let Phase::Head { .. } = *lock(&phase) {
                    return;
                }
                conn.as_mut().graceful_shutdown();
                told_to_stop = true;
            }
        }
    }
}

/// The app with every request bounded by `timeout`: one that takes longer is answered
/// `503 Service Unavailable` with a plain message (the server was slow, not the client, so
/// not `408`), never left hanging.
pub fn with_request_timeout(app: Router, timeout: Duration) -> Router {
    app.layer(middleware::from_fn_with_state(timeout, request_timeout))
}

async fn request_timeout(
    State(timeout): State<Duration>,
    request: Request,
    next: Next,
) -> Response {
    // For the log (a cheap clone: the URI's parts are shared).
    let uri = request.uri().clone();
    match tokio::time::timeout(timeout, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(%uri, "no answer within {} s; answered 503", timeout.as_secs_f64());
            let mut response = (
                StatusCode::SERVICE_UNAVAILABLE,
                "The archive took too long to answer. Please try again in a moment.\n",
            )
                .into_response();
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
            response
        }
    }
}

/// Where a connection is in its round of request and response, which decides how long it
/// may wait for its client. The service moves it on as requests come and go; the socket
/// ([`Watched`]) when the first byte of a request arrives.
#[derive(Debug, Clone, Copy)]
enum Phase {
    /// Waiting for a request's head, which began (the connection opened, or a later
    /// request's first byte came) at `since`: bounded by the header timeout.
    Head { since: Instant },
    /// A request is being handled: bounded by the request timeout, not here.
    Busy,
    /// Its response made, since `since`: sending it and then waiting for the next request,
    /// each wait bounded by the idle timeout from the last byte moved.
    Idle { since: Instant },
}

fn lock(phase: &Mutex<Phase>) -> std::sync::MutexGuard<'_, Phase> {
    phase.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A connection's socket that fails a read or write which has waited longer than its
/// phase allows, which ends the connection.
struct Watched {
    tcp: TcpStream,
    phase: Arc<Mutex<Phase>>,
    header_timeout: Duration,
    idle_timeout: Duration,
    /// When a byte last moved either way.
    last_moved: Instant,
    /// Wakes the connection at the deadline of the wait in progress.
    timer: Pin<Box<Sleep>>,
}

impl Watched {
    fn new(tcp: TcpStream, phase: Arc<Mutex<Phase>>, limits: Limits) -> Watched {
        let now = Instant::now();
        Watched {
            tcp,
            phase,
            header_timeout: limits.header_timeout,
            idle_timeout: limits.idle_timeout,
            last_moved: now,
            timer: Box::pin(tokio::time::sleep_until(now)),
        }
    }

    /// Notes that bytes moved; read ones on a connection between requests begin a request.
    fn moved(&mut self, read: bool) {
        self.last_moved = Instant::now();
        if read {
            let mut phase = lock(&self.phase);
            if let Phase::Idle { .. } = *phase {
                *phase = Phase::Head { since: self.last_moved };
            }
        }
    }

    /// For a read or write that has to wait: pending until the phase's deadline, then the
    /// error that ends the connection. A deadline moved by the phase or by bytes moving is
    /// taken up when hyper polls again (the timer may wake it early, never late).
    fn poll_deadline(&mut self, cx: &mut Context<'_>) -> Poll<io::Error> {
        let (deadline, what) = match *lock(&self.phase) {
            Phase::Head { since } => (since + self.header_timeout, "a request's head"),
            Phase::Busy => return Poll::Pending,
            Phase::Idle { since } => {
                (since.max(self.last_moved) + self.idle_timeout, "the client, idle")
            }
        };
        if self.timer.deadline() != deadline {
            self.timer.as_mut().reset(deadline);
        }
        ready!(self.timer.as_mut().poll(cx));
        Poll::Ready(io::Error::new(
            io::ErrorKind::TimedOut,
            format!("timed out waiting for {what}"),
        ))
    }
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        match Pin::new(&mut self.tcp).poll_read(cx, buf) {
            Poll::Pending => self.poll_deadline(cx).map(Err),
            Poll::Ready(Ok(())) => {
                if buf.filled().len() > before {
                    self.moved(true);
                }
                Poll::Ready(Ok(()))
            }
            failed => failed,
        }
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        let written = Pin::new(&mut self.tcp).poll_write(cx, data);
        self.after_write(cx, written)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let written = Pin::new(&mut self.tcp).poll_write_vectored(cx, data);
        self.after_write(cx, written)
    }

    fn is_write_vectored(&self) -> bool {
        self.tcp.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.tcp).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.tcp).poll_shutdown(cx)
    }
}

impl Watched {
    fn after_write(
        &mut self,
        cx: &mut Context<'_>,
        written: Poll<io::Result<usize>>,
    ) -> Poll<io::Result<usize>> {
        match written {
            Poll::Pending => self.poll_deadline(cx).map(Err),
            Poll::Ready(Ok(n)) => {
                if n > 0 {
                    self.moved(false);
                }
                // Writing a response is the last this socket hears before the connection
                // goes idle, and hyper will not read again until a byte comes: the timer has
                // to be set now, for the idle deadline to wake it (its error comes with the
                // read it polls then).
                let _ = self.poll_deadline(cx);
                Poll::Ready(Ok(n))
            }
            failed => failed,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Write};

    use axum::body::Body;
    use axum::routing::get;

    use super::*;

    /// A client that stops reading its response is cut off after the idle timeout: with a
    /// cap of one connection, the next client is served only once it is.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_client_that_stops_reading_a_response_is_cut_off_after_the_idle_timeout() {
        // Far more than the sockets' buffers hold, so that the server's writes stall.
        let app = Router::new()
            .route("/big", get(|| async { vec![b'x'; 64 << 20] }))
            .route("/quick", get(|| async { "here" }));
        let limits = Limits {
            idle_timeout: Duration::from_secs(1),
            max_connections: 1,
            ..Limits::default()
        };
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let server = tokio::spawn(run(listener, app, limits, std::future::pending()));
        let mut stalled = std::net::TcpStream::connect(address).unwrap();
        stalled.write_all(b"GET /big HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        let next = tokio::task::spawn_blocking(move || {
            let mut stream = std::net::TcpStream::connect(address).unwrap();
            stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
            stream
                .write_all(b"GET /quick HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .unwrap();
            let mut response = Vec::new();
            let _ = stream.read_to_end(&mut response);
            response
        });
        let response = next.await.unwrap();
        assert!(response.starts_with(b"HTTP/1.1 200"), "the next client was kept waiting");
        drop(stalled);
        server.abort();
    }

    #[tokio::test]
    async fn a_request_slower_than_the_request_timeout_is_answered_503_with_a_message() {
        let app = Router::new()
            .route("/slow", get(|| tokio::time::sleep(Duration::from_secs(600))))
            .route("/quick", get(|| async { "here" }));
        let app = with_request_timeout(app, Duration::from_millis(100));
        let started = std::time::Instant::now();
        let slow =
            app.clone().oneshot(axum::http::Request::get("/slow").body(Body::empty()).unwrap());
        let response = slow.await.unwrap();
        assert!(started.elapsed() < Duration::from_secs(60));
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert!(response.headers().contains_key(header::RETRY_AFTER));
        let body = axum::body::to_bytes(response.into_body(), 1024).await.unwrap();
        assert!(String::from_utf8_lossy(&body).contains("took too long"));
        let quick = app.oneshot(axum::http::Request::get("/quick").body(Body::empty()).unwrap());
        assert_eq!(quick.await.unwrap().status(), StatusCode::OK);
    }
}
