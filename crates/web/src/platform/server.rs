//! The HTTP/1.1 server loop: accepts connections, keeps each within its time
//! limits, sheds load it cannot take, and stops within a bounded grace time.
//!
//! A stranger must not be able to hold the server: every connection has a time
//! limit for the request head (from its first byte, or from the connection's
//! opening), for idleness between requests and for a stalled reader, and every
//! request body one for each piece it sends. Connections are counted in all and
//! per client address; past either limit a new connection gets a short `503`
//! with `Retry-After` and is closed, never queued.

use crate::platform::frontdoor::FrontDoor;
use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use std::collections::HashMap;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tower::ServiceExt;

/// The server's limits (`[server]` in the configuration).
#[derive(Debug, Clone)]
pub struct ServerOptions {
    /// The whole request head must arrive within this, counted from its first
    /// byte (or from the connection's opening, for the first request).
    pub header_timeout: Duration,
    /// A connection with no request for this long, or whose reader takes nothing
    /// of an answer for this long, is closed.
    pub keepalive_timeout: Duration,
    /// A request body that sends nothing for this long is cut (the request fails).
    pub body_timeout: Duration,
    /// Open connections at most, all addresses together.
    pub max_connections: usize,
    /// Open connections at most from one client address; 0: no limit.
    pub max_connections_per_address: usize,
    /// After a stop is asked, requests in flight have this long to finish.
    pub grace: Duration,
}

impl Default for ServerOptions {
    fn default() -> Self {
        ServerOptions {
            header_timeout: Duration::from_secs(10),
            keepalive_timeout: Duration::from_secs(30),
            body_timeout: Duration::from_secs(30),
            max_connections: 10_000,
            max_connections_per_address: 256,
            grace: Duration::from_secs(10),
        }
    }
}

/// What the acceptors are told to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Serve.
    Serving,
    /// Take no new connection; finish the requests in flight, close idle ones.
    Draining,
    /// Close everything now (the grace time is over).
    Cut,
}

/// Open connections, in all and per address, shared by every acceptor.
pub struct Connections {
    options: ServerOptions,
    open: AtomicUsize,
    by_address: Mutex<HashMap<IpAddr, usize>>,
    shed: AtomicU64,
}

/// One admitted connection's place; given back when dropped.
struct Slot {
    owner: Arc<Connections>,
    address: Option<IpAddr>,
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.owner.open.fetch_sub(1, Ordering::AcqRel);
        if let Some(ip) = self.address {
            let mut by = self
                .owner
                .by_address
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            if let Some(n) = by.get_mut(&ip) {
                *n -= 1;
                if *n == 0 {
                    by.remove(&ip);
                }
            }
        }
    }
}

impl Connections {
    /// Counters for these limits.
    pub fn new(options: ServerOptions) -> Arc<Connections> {
        Arc::new(Connections {
            options,
            open: AtomicUsize::new(0),
            by_address: Mutex::new(HashMap::new()),
            shed: AtomicU64::new(0),
        })
    }

    /// Connections open now.
    pub fn open(&self) -> usize {
        self.open.load(Ordering::Acquire)
    }

    /// Connections refused with a 503 so far.
    pub fn shed(&self) -> u64 {
        self.shed.load(Ordering::Relaxed)
    }

    fn admit(self: &Arc<Self>, ip: IpAddr) -> Option<Slot> {
        if self.open.fetch_add(1, Ordering::AcqRel) >= self.options.max_connections {
            self.open.fetch_sub(1, Ordering::AcqRel);
            return None;
        }
        let mut slot = Slot {
            owner: self.clone(),
            address: None,
        };
        let per = self.options.max_connections_per_address;
        if per > 0 {
            let mut by = self.by_address.lock().unwrap_or_else(|e| e.into_inner());
            let n = by.entry(ip).or_insert(0);
            if *n >= per {
                return None; // the slot's drop gives the place back
            }
            *n += 1;
            slot.address = Some(ip);
        }
        Some(slot)
    }
}

/// The answer to a connection over the limits: short, written without waiting.
const BUSY: &str = "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 5\r\n\
    Content-Type: text/plain; charset=utf-8\r\nContent-Length: 61\r\n\
    Connection: close\r\nCache-Control: no-store\r\n\r\n\
    Máy chủ đang bận, vui lòng thử lại sau ít giây.\n";

/// Accepts connections on `listener` and serves `app` on each until `phase`
/// leaves [`Phase::Serving`]; then returns once every connection has finished, or
/// at once when the phase becomes [`Phase::Cut`].
pub async fn serve(
    listener: TcpListener,
    app: FrontDoor<Router>,
    connections: Arc<Connections>,
    mut phase: watch::Receiver<Phase>,
) {
    let mut tasks = tokio::task::JoinSet::new();
    let mut last_accept_error: Option<Instant> = None;
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((tcp, peer)) => {
                    let Some(slot) = connections.admit(peer.ip()) else {
                        connections.shed.fetch_add(1, Ordering::Relaxed);
                        // The socket's buffer is empty: this never waits.
                        let _ = tcp.try_write(BUSY.as_bytes());
                        continue;
                    };
                    let _ = tcp.set_nodelay(true);
                    let app = app.clone();
                    let options = connections.options.clone();
                    let phase = phase.clone();
                    tasks.spawn(async move {
                        connection(tcp, peer, app, &options, phase).await;
                        drop(slot);
                    });
                }
                Err(e) => {
                    // Out of open files, most likely: say so now and then, and
                    // give the connections being closed a moment.
                    if last_accept_error.is_none_or(|t| t.elapsed() > Duration::from_secs(10)) {
                        tracing::error!(error = %e, open = connections.open(), "cannot accept connections");
                        last_accept_error = Some(Instant::now());
                    }
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
            // Reap finished connections as we go, so the set stays small.
            Some(_) = tasks.join_next(), if !tasks.is_empty() => {}
            _ = phase.changed() => {
                if *phase.borrow_and_update() != Phase::Serving {
                    break;
                }
            }
        }
    }
    drop(listener);
    loop {
        if *phase.borrow_and_update() == Phase::Cut {
            tasks.abort_all();
            return;
        }
        tokio::select! {
            next = tasks.join_next() => if next.is_none() { return },
            _ = phase.changed() => {}
        }
    }
}

/// What a connection is doing, kept by its reads and writes and its requests.
struct Activity {
    started: Instant,
    /// Milliseconds since `started`: the last byte read or written.
    last_io: AtomicU64,
    /// When the last answer was handed over (or the connection opened).
    answered: AtomicU64,
    /// The first byte read of a request head not yet complete, plus one; 0: none.
    head_started: AtomicU64,
    /// Requests being handled.
    in_flight: AtomicUsize,
    /// Requests handled.
    served: AtomicUsize,
}

impl Activity {
    fn now(&self) -> u64 {
        self.started.elapsed().as_millis() as u64
    }

    /// When to look again, or `None` when the connection has overstayed.
    fn next_check(&self, o: &ServerOptions) -> Option<Duration> {
        let now = self.now();
        let ms = |d: Duration| d.as_millis() as u64;
        if self.in_flight.load(Ordering::Acquire) > 0 {
            // A handler at work: its body reads carry their own limit.
            return Some(o.keepalive_timeout);
        }
        let head = self.head_started.load(Ordering::Acquire);
        let (since, limit) = if head > 0 {
            (head - 1, ms(o.header_timeout))
        } else if self.served.load(Ordering::Acquire) == 0 {
            (0, ms(o.header_timeout))
        } else {
            let quiet = self
                .answered
                .load(Ordering::Acquire)
                .max(self.last_io.load(Ordering::Acquire));
            (quiet, ms(o.keepalive_timeout))
        };
        let deadline = since + limit;
        (now < deadline).then(|| Duration::from_millis(deadline - now))
    }
}

/// A socket that tells its connection's [`Activity`] when bytes move.
struct Watched {
    tcp: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let res = Pin::new(&mut self.tcp).poll_read(cx, buf);
        if buf.filled().len() > before {
            let a = &self.activity;
            let now = a.now();
            a.last_io.store(now, Ordering::Release);
            if a.in_flight.load(Ordering::Acquire) == 0 {
                let _ = a.head_started.compare_exchange(
                    0,
                    now + 1,
                    Ordering::AcqRel,
                    Ordering::Acquire,
                );
            }
        }
        res
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let res = Pin::new(&mut self.tcp).poll_write(cx, buf);
        if let Poll::Ready(Ok(n)) = res
            && n > 0
        {
            let now = self.activity.now();
            self.activity.last_io.store(now, Ordering::Release);
        }
        res
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let res = Pin::new(&mut self.tcp).poll_write_vectored(cx, bufs);
        if let Poll::Ready(Ok(n)) = res
            && n > 0
        {
            let now = self.activity.now();
            self.activity.last_io.store(now, Ordering::Release);
        }
        res
    }

    // Headers and body go out in one writev, as they would on the bare socket.
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

/// Marks a request in flight until dropped.
struct InFlight(Arc<Activity>);

impl InFlight {
    fn new(a: &Arc<Activity>) -> InFlight {
        a.in_flight.fetch_add(1, Ordering::AcqRel);
        // The head is complete: its clock stops.
        a.head_started.store(0, Ordering::Release);
        InFlight(a.clone())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        let a = &self.0;
        a.answered.store(a.now(), Ordering::Release);
        a.served.fetch_add(1, Ordering::AcqRel);
        a.in_flight.fetch_sub(1, Ordering::AcqRel);
    }
}

async fn connection(
    tcp: TcpStream,
    peer: SocketAddr,
    app: FrontDoor<Router>,
    options: &ServerOptions,
    mut phase: watch::Receiver<Phase>,
) {
    let activity = Arc::new(Activity {
        started: Instant::now(),
        last_io: AtomicU64::new(0),
        answered: AtomicU64::new(0),
        head_started: AtomicU64::new(0),
        in_flight: AtomicUsize::new(0),
        served: AtomicUsize::new(0),
    });
    let io = TokioIo::new(Watched {
        tcp,
        activity: activity.clone(),
    });
    let body_timeout = options.body_timeout;
    let watched = activity.clone();
    let service = hyper::service::service_fn(move |req: hyper::Request<Incoming>| {
        let in_flight = InFlight::new(&watched);
        let mut req =
            req.map(|b| Body::new(tower_http::timeout::TimeoutBody::new(body_timeout, b)));
        req.extensions_mut().insert(ConnectInfo(peer));
        let app = app.clone();
        async move {
            let res = app.oneshot(req).await;
            drop(in_flight);
            res
        }
    });
    let conn = hyper::server::conn::http1::Builder::new()
        .keep_alive(true)
        .serve_connection(io, service);
    tokio::pin!(conn);
    let mut draining = false;
    loop {
        if !draining && *phase.borrow_and_update() != Phase::Serving {
            draining = true;
            conn.as_mut().graceful_shutdown();
        }
        let Some(wait) = activity.next_check(options) else {
            return; // overstayed: dropped, the socket closes
        };
        tokio::select! {
            res = conn.as_mut() => {
                if let Err(e) = res {
                    tracing::debug!(error = %e, %peer, "connection ended with an error");
                }
                return;
            }
            () = tokio::time::sleep(wait) => {}
            changed = phase.changed() => {
                if changed.is_err() || *phase.borrow_and_update() == Phase::Cut {
                    return;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_busy_answer_declares_its_length() {
        let (head, body) = BUSY.split_once("\r\n\r\n").unwrap();
        assert!(head.contains(&format!("Content-Length: {}", body.len())));
    }

    #[test]
    fn addresses_over_their_share_are_refused_and_places_come_back() {
        let c = Connections::new(ServerOptions {
            max_connections: 3,
            max_connections_per_address: 2,
            ..ServerOptions::default()
        });
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        let a1 = c.admit(a).unwrap();
        let _a2 = c.admit(a).unwrap();
        assert!(c.admit(a).is_none(), "a third from one address");
        let b1 = c.admit(b).unwrap();
        assert!(c.admit(b).is_none(), "over the total");
        assert_eq!(c.open(), 3);
        drop(a1);
        drop(b1);
        assert_eq!(c.open(), 1);
        assert!(c.admit(a).is_some());
    }
}
