//! Connections: accepted under a cap, served by hyper-util's HTTP/1 + HTTP/2 builder.
//! The clock sits in [`Watched`], under TLS and HTTP, so the header timeout (from
//! `accept`) and the idle timeout hold for HTTP/1, TLS, HTTP/2 and h2c alike.

use std::future::Future;
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
use tokio::sync::Semaphore;
use tokio::time::{Instant, Sleep};
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt as _;

use crate::ServerConfig;

/// Pause after a failed `accept` (for example out of file descriptors) before retrying.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// Accepts connections while a slot is free and serves each in its own task, until
/// `shutdown` completes; then stops accepting and lets open requests finish, for at
/// most the grace period.
pub(crate) async fn serve(
    listener: TcpListener,
    router: axum::Router,
    acceptor: Option<TlsAcceptor>,
    config: &ServerConfig,
    shutdown: impl Future<Output = ()>,
) {
    let mut builder = Builder::new(TokioExecutor::new());
    (builder.http1().timer(TokioTimer::new())).header_read_timeout(config.header_timeout);
    builder.http2().timer(TokioTimer::new());
    let graceful = GracefulShutdown::new();
    let slots = Arc::new(Semaphore::new(config.max_connections));
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let next = async {
            (
                Arc::clone(&slots).acquire_owned().await,
                listener.accept().await,
            )
        };
        let (slot, stream) = match tokio::select! { () = &mut shutdown => break, next = next => next }
        {
            (Ok(slot), Ok((stream, _peer))) => (slot, stream),
            (_, Err(error)) => {
                tracing::warn!(%error, "cannot accept a connection");
                tokio::time::sleep(ACCEPT_BACKOFF).await;
                continue;
            }
            (Err(_closed), _) => break,
        };
        // Small responses go out at once rather than waiting for more to send.
        stream.set_nodelay(true).ok();
        let served = Arc::new(AtomicBool::new(false));
        let io = Watched {
            io: stream,
            timer: Box::pin(tokio::time::sleep(config.header_timeout)),
            last: Instant::now(),
            idle: config.idle_timeout,
            served: Arc::clone(&served),
        };
        let router = router.clone();
        let service = TowerToHyperService::new(tower::service_fn(
            move |request: axum::http::Request<hyper::body::Incoming>| {
                served.store(true, Ordering::Relaxed);
                router.clone().oneshot(request)
            },
        ));
        let (builder, watcher, acceptor) = (builder.clone(), graceful.watcher(), acceptor.clone());
        tokio::spawn(async move {
            let _slot = slot;
            let result = match acceptor {
                None => {
                    let connection = builder.serve_connection(TokioIo::new(io), service);
                    watcher.watch(connection.into_owned()).await
                }
                Some(acceptor) => match acceptor.accept(io).await {
                    Ok(tls) => {
                        let connection = builder.serve_connection(TokioIo::new(tls), service);
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
    drop(listener);
    tracing::info!("shutting down: no new connections, finishing open requests");
    if tokio::time::timeout(config.shutdown_grace, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("some connections were still open when the grace period ended");
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
