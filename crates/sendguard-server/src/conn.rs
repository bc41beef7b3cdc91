//! Connections: accepted under a cap, served by hyper-util's HTTP/1 + HTTP/2 builder.
//! The clock sits in [`Watched`], under TLS and HTTP, so the header timeout (from
//! `accept`) and the idle timeout hold for HTTP/1, TLS, HTTP/2 and h2c alike.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::{Instant, Sleep};
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt as _;

/// Pause after a failed `accept` (for example out of file descriptors) before retrying.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// Waits for a free connection slot, then for a connection. `None` after a failed
/// `accept`, which is logged and followed by a short pause.
pub(crate) async fn accept(
    listener: &TcpListener,
    slots: &Arc<Semaphore>,
) -> Option<(TcpStream, OwnedSemaphorePermit)> {
    let slot = Arc::clone(slots).acquire_owned().await.ok()?;
    match listener.accept().await {
        Ok((stream, _peer)) => {
            // Small responses go out at once rather than waiting for more to send.
            stream.set_nodelay(true).ok();
            Some((stream, slot))
        }
        Err(error) => {
            tracing::warn!(%error, "cannot accept a connection");
            tokio::time::sleep(ACCEPT_BACKOFF).await;
            None
        }
    }
}

/// What every connection shares.
pub(crate) struct Connections {
    builder: Builder<TokioExecutor>,
    router: axum::Router,
    acceptor: Option<TlsAcceptor>,
    header_timeout: Duration,
    idle_timeout: Duration,
    graceful: GracefulShutdown,
}

impl Connections {
    pub(crate) fn new(
        router: axum::Router,
        acceptor: Option<TlsAcceptor>,
        header_timeout: Duration,
        idle_timeout: Duration,
    ) -> Connections {
        let mut builder = Builder::new(TokioExecutor::new());
        builder
            .http1()
            .timer(TokioTimer::new())
            .header_read_timeout(header_timeout);
        builder.http2().timer(TokioTimer::new());
        Connections {
            builder,
            router,
            acceptor,
            header_timeout,
            idle_timeout,
            graceful: GracefulShutdown::new(),
        }
    }

    /// Serves one connection in its own task; `slot` is given back when it closes.
    pub(crate) fn spawn(&self, stream: TcpStream, slot: OwnedSemaphorePermit) {
        let served = Arc::new(AtomicBool::new(false));
        let io = Watched {
            io: stream,
            timer: Box::pin(tokio::time::sleep(self.header_timeout)),
            last: Instant::now(),
            idle: self.idle_timeout,
            served: Arc::clone(&served),
        };
        let router = self.router.clone();
        let service = TowerToHyperService::new(tower::service_fn(
            move |request: axum::http::Request<hyper::body::Incoming>| {
                served.store(true, Ordering::Relaxed);
                router.clone().oneshot(request)
            },
        ));
        let builder = self.builder.clone();
        let watcher = self.graceful.watcher();
        let acceptor = self.acceptor.clone();
        tokio::spawn(async move {
            let _slot = slot;
            let result = match acceptor {
                None => {
                    let connection =
                        builder.serve_connection_with_upgrades(TokioIo::new(io), service);
                    watcher.watch(connection.into_owned()).await
                }
                Some(acceptor) => match acceptor.accept(io).await {
                    Ok(tls) => {
                        let connection =
                            builder.serve_connection_with_upgrades(TokioIo::new(tls), service);
                        watcher.watch(connection.into_owned()).await
                    }
                    Err(error) => Err(error.into()),
                },
            };
            if let Err(error) = result {
                tracing::debug!(%error, "connection ended with an error");
            }
        });
    }

    /// Asks every open connection to finish its requests and close; completes when all
    /// have.
    pub(crate) async fn shutdown(self) {
        self.graceful.shutdown().await;
    }
}

/// A TCP stream that fails with `TimedOut` when its deadline passes while it waits.
struct Watched {
    io: TcpStream,
    timer: Pin<Box<Sleep>>,
    /// The last read or write after the first request; counts only once `served`.
    last: Instant,
    idle: Duration,
    /// Set when the first request head has been read.
    served: Arc<AtomicBool>,
}

impl Watched {
    fn touch(&mut self) {
        if self.served.load(Ordering::Relaxed) {
            self.last = Instant::now();
        }
    }

    /// Called when the stream would wait: `Pending`, or an error once the deadline is
    /// past. The timer is moved on lazily, only when it fires early.
    fn wait<T>(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<T>> {
        while self.timer.as_mut().poll(cx).is_ready() {
            let next = self.last + self.idle;
            if !self.served.load(Ordering::Relaxed) || next <= Instant::now() {
                return Poll::Ready(Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "connection timed out",
                )));
            }
            self.timer.as_mut().reset(next);
        }
        Poll::Pending
    }
}

impl AsyncRead for Watched {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        match Pin::new(&mut this.io).poll_read(cx, buf) {
            Poll::Pending => this.wait(cx),
            Poll::Ready(Ok(())) if buf.filled().len() > before => {
                this.touch();
                Poll::Ready(Ok(()))
            }
            ready => ready,
        }
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        match Pin::new(&mut this.io).poll_write(cx, data) {
            Poll::Pending => this.wait(cx),
            ready => {
                this.touch();
                ready
            }
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_shutdown(cx)
    }
}
