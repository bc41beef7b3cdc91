//! The server IT runs: it hosts the Outlook and Thunderbird add-ins, the web pages, the
//! organization's policy and ready-to-deploy manifests. `sendguard serve` is a thin
//! command line over [`Server`].
//!
//! | URL | answer |
//! |---|---|
//! | `/` and below | `www/` (landing page, playground, policy editor, docs) |
//! | `/outlook/…` | `dist/addin-outlook/` (task pane, event handler), under [`OUTLOOK_CSP`] |
//! | `/thunderbird/…` | `dist/addin-thunderbird/` |
//! | `/checker/…` | `dist/checker/` (the WebAssembly checker package) |
//! | `/policy.json` | the policy file byte for byte, or the embedded default; reloaded on change |
//! | `/manifest.xml`, `/manifest.json` | the Outlook manifests for the URL the request came in on |
//! | `/sendguard-thunderbird.xpi` | `dist/sendguard-thunderbird.xpi` |
//! | `/.well-known/microsoft-officeaddins-allowed.json` | the Outlook add-in's scripts, for classic Outlook |
//! | `/healthz` | `{"status":"ok", …}` and which policy is served |
//!
//! Only `GET` and `HEAD` are served; every other method gets `405`. No route reads a
//! request body, so nothing about a draft or an address can reach the server: the checker
//! runs in the mail client. Files, the policy and the manifests carry an `ETag` and
//! `Cache-Control: no-cache`, so clients revalidate every time and get a `304` when
//! nothing changed.
//!
//! Scaling: the server keeps no state but the policy it read, so any number of copies
//! behind a load balancer serve the same answers (tags are content hashes, equal on every
//! machine), and any static host or CDN serving the same files, with the manifests
//! rendered once by [`render_manifest`], can stand in for it. One small machine is plenty:
//! see `examples/load.rs` for the numbers.
//!
//! A program without an async runtime calls [`serve_blocking`]; one with a runtime
//! binds and runs a [`Server`] itself:
//!
//! ```no_run
//! use sendguard_server::{Server, ServerConfig, SiteRoots, Tls};
//!
//! # async fn run() -> Result<(), sendguard_server::ServerError> {
//! let config = ServerConfig::new(
//!     "127.0.0.1:8443".parse().unwrap(),
//!     Tls::SelfSigned { dir: sendguard_server::default_certificate_dir() },
//!     SiteRoots::in_checkout(".".as_ref()),
//! );
//! let server = Server::bind(config).await?;
//! if let Some(certificate) = server.self_signed_certificate() {
//!     eprintln!("{certificate}");
//! }
//! eprintln!("{}", server.urls());
//! // The CLI passes Ctrl-C (`tokio::signal::ctrl_c`) here.
//! server.run(std::future::pending()).await;
//! # Ok(())
//! # }
//! ```

mod error;
mod etag;
mod files;
mod headers;
mod manifest;
mod policy;
mod routes;
mod tls;

use std::fmt;
use std::future::Future;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder as ConnectionBuilder;
use hyper_util::server::graceful::{GracefulShutdown, Watcher};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

pub use error::{ServerError, ServerErrorKind};
pub use headers::{OUTLOOK_CSP, SITE_CSP};
pub use manifest::{
    BASE_URL_PLACEHOLDER, BaseUrl, ManifestKind, SEND_MODE_PLACEHOLDER, SendMode, render_manifest,
};
pub use tls::SelfSignedCertificate;

use files::{Area, Mount, StaticSite};
use manifest::UrlSource;
use policy::PolicySource;
use routes::AppState;

/// Where `sendguard serve` listens when not told otherwise: loopback only, so trying it
/// out exposes nothing to the network.
pub const DEFAULT_LISTEN: SocketAddr = SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 8443);

/// How long a client may take to send its request headers, or to finish the TLS
/// handshake, before the connection is closed.
const CLIENT_TIMEOUT: Duration = Duration::from_secs(10);
/// Pause after a failed `accept` (for example out of file descriptors) before retrying.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// How the server speaks TLS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tls {
    /// HTTPS with IT's certificate: `cert` is the PEM chain (leaf first), `key` the PEM
    /// private key.
    Files {
        /// The certificate chain, PEM.
        cert: PathBuf,
        /// The private key, PEM.
        key: PathBuf,
    },
    /// HTTPS with a `localhost` certificate generated into `dir` (and reused from there
    /// while valid), for trying sendguard out. See [`SelfSignedCertificate`].
    SelfSigned {
        /// Where the certificate, its key and the authority to trust are kept.
        dir: PathBuf,
    },
    /// Plain HTTP behind a reverse proxy that terminates TLS. Generated URLs follow the
    /// proxy's `X-Forwarded-Proto` and `X-Forwarded-Host` (first value each; else `http`
    /// and `Host`). Listen where only the proxy can connect (loopback, or a firewalled
    /// port): anyone reaching the port directly can choose the URLs in their own
    /// manifest (never in anyone else's: those answers carry `Vary` on these headers).
    BehindProxy,
}

/// The folders the site is served from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteRoots {
    /// The build output: `addin-outlook/`, `addin-thunderbird/`, `checker/` and
    /// `sendguard-thunderbird.xpi`.
    pub dist: PathBuf,
    /// The web pages served at `/`.
    pub www: PathBuf,
    /// The folder holding `manifest.template.xml` and `manifest.template.json`.
    pub manifest_templates: PathBuf,
}

impl SiteRoots {
    /// The folders of a sendguard checkout (or an unpacked release) at `root`:
    /// `dist/`, `www/` and `addin-outlook/` for the manifest templates.
    pub fn in_checkout(root: &Path) -> SiteRoots {
        SiteRoots {
            dist: root.join("dist"),
            www: root.join("www"),
            manifest_templates: root.join("addin-outlook"),
        }
    }

    /// The URL prefixes served from folders, and the security policy of each.
    fn mounts(&self) -> Vec<Mount> {
        vec![
            Mount {
                prefix: "/outlook/",
                dir: self.dist.join("addin-outlook"),
                area: Area::OutlookAddin,
            },
            Mount {
                prefix: "/thunderbird/",
                dir: self.dist.join("addin-thunderbird"),
                area: Area::Site,
            },
            Mount {
                prefix: "/checker/",
                dir: self.dist.join("checker"),
                area: Area::Site,
            },
            Mount {
                prefix: "/",
                dir: self.www.clone(),
                area: Area::Site,
            },
        ]
    }
}

/// Everything [`Server::bind`] needs. Build it with [`ServerConfig::new`], then set the
/// optional fields.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ServerConfig {
    /// Address and port to listen on.
    pub listen: SocketAddr,
    /// The organization's policy; `None` serves the embedded default.
    pub policy_file: Option<PathBuf>,
    /// How to speak TLS.
    pub tls: Tls,
    /// Where the files are.
    pub roots: SiteRoots,
    /// How often the policy file is checked for changes (default 2 s).
    pub policy_poll_interval: Duration,
    /// How long shutdown waits for open requests to finish (default 10 s).
    pub shutdown_grace: Duration,
    /// The SendMode written into `/manifest.xml` and `/manifest.json` (default
    /// soft-block).
    pub send_mode: SendMode,
}

impl ServerConfig {
    /// A configuration serving the embedded default policy.
    pub fn new(listen: SocketAddr, tls: Tls, roots: SiteRoots) -> ServerConfig {
        ServerConfig {
            listen,
            policy_file: None,
            tls,
            roots,
            policy_poll_interval: Duration::from_secs(2),
            shutdown_grace: Duration::from_secs(10),
            send_mode: SendMode::SoftBlock,
        }
    }
}

/// Where a generated localhost certificate is kept when the user names no folder:
/// `$XDG_STATE_HOME/sendguard/tls`, else `~/.local/state/sendguard/tls`, on Windows
/// `%LOCALAPPDATA%\sendguard\tls`, and `./sendguard-tls` when none of these is set.
pub fn default_certificate_dir() -> PathBuf {
    let from = |name: &str| std::env::var_os(name).filter(|value| !value.is_empty());
    if let Some(state) = from("XDG_STATE_HOME") {
        return PathBuf::from(state).join("sendguard").join("tls");
    }
    if let Some(local) = from("LOCALAPPDATA") {
        return PathBuf::from(local).join("sendguard").join("tls");
    }
    if let Some(home) = from("HOME") {
        return PathBuf::from(home)
            .join(".local")
            .join("state")
            .join("sendguard")
            .join("tls");
    }
    PathBuf::from("sendguard-tls")
}

/// The URLs worth showing the person who started the server. `Display` lists them one a
/// line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteUrls {
    /// The landing page (and from there the playground and the policy editor).
    pub site: String,
    /// The Outlook add-in only manifest (XML).
    pub outlook_manifest: String,
    /// The Outlook unified manifest (JSON).
    pub outlook_unified_manifest: String,
    /// The Thunderbird add-on.
    pub thunderbird_xpi: String,
    /// The policy the add-ins load.
    pub policy: String,
    /// The health check.
    pub health: String,
}

impl SiteUrls {
    fn new(base: &str) -> SiteUrls {
        SiteUrls {
            site: format!("{base}/"),
            outlook_manifest: format!("{base}/manifest.xml"),
            outlook_unified_manifest: format!("{base}/manifest.json"),
            thunderbird_xpi: format!("{base}/sendguard-thunderbird.xpi"),
            policy: format!("{base}/policy.json"),
            health: format!("{base}/healthz"),
        }
    }
}

impl fmt::Display for SiteUrls {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "  site and playground:  {}", self.site)?;
        writeln!(f, "  Outlook manifest:     {}", self.outlook_manifest)?;
        writeln!(
            f,
            "  (unified manifest):   {}",
            self.outlook_unified_manifest
        )?;
        writeln!(f, "  Thunderbird add-on:   {}", self.thunderbird_xpi)?;
        writeln!(f, "  policy:               {}", self.policy)?;
        write!(f, "  health:               {}", self.health)
    }
}

/// A server that is listening but not yet answering: bind first, show the URLs and the
/// certificate notice, then [`run`](Server::run).
pub struct Server {
    listener: TcpListener,
    local_addr: SocketAddr,
    acceptor: Option<TlsAcceptor>,
    certificate: Option<SelfSignedCertificate>,
    router: axum::Router,
    policy: PolicySource,
    policy_poll_interval: Duration,
    shutdown_grace: Duration,
}

impl fmt::Debug for Server {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Server")
            .field("local_addr", &self.local_addr)
            .field("tls", &self.acceptor.is_some())
            .field("certificate", &self.certificate)
            .finish_non_exhaustive()
    }
}

impl Server {
    /// Loads the policy and the TLS certificate and binds the listen address. Fails,
    /// saying what and where, if the policy file is missing or invalid, the certificate or
    /// key cannot be used, or the address cannot be bound. Missing site folders are not
    /// an error: their routes answer `404` or `503` ("not built yet") until they exist.
    pub async fn bind(config: ServerConfig) -> Result<Server, ServerError> {
        let (policy, policy_receiver) = PolicySource::load(config.policy_file.as_deref())?;
        let (acceptor, certificate, url_source) = match &config.tls {
            Tls::Files { cert, key } => (
                Some(tls::acceptor_from_files(cert, key)?),
                None,
                UrlSource::Direct,
            ),
            Tls::SelfSigned { dir } => {
                let (acceptor, certificate) = tls::self_signed(dir)?;
                (Some(acceptor), Some(certificate), UrlSource::Direct)
            }
            Tls::BehindProxy => (None, None, UrlSource::BehindProxy),
        };
        let bind_error = |error: std::io::Error| {
            ServerError::new(ServerErrorKind::Bind, error.to_string())
                .at(config.listen)
                .with_source(error)
        };
        let listener = TcpListener::bind(config.listen).await.map_err(bind_error)?;
        let local_addr = listener.local_addr().map_err(bind_error)?;
        let roots = &config.roots;
        let state = AppState {
            site: StaticSite::new(roots.mounts()),
            policy: policy_receiver,
            url_source,
            send_mode: config.send_mode,
            thunderbird_xpi: roots.dist.join("sendguard-thunderbird.xpi"),
            outlook_dir: roots.dist.join("addin-outlook"),
            manifest_templates: roots.manifest_templates.clone(),
        };
        Ok(Server {
            listener,
            local_addr,
            acceptor,
            certificate,
            router: routes::router(Arc::new(state)),
            policy,
            policy_poll_interval: config.policy_poll_interval,
            shutdown_grace: config.shutdown_grace,
        })
    }

    /// The address actually bound (with the real port when port 0 was asked for).
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// The base URL to show: `localhost` for loopback and wildcard addresses (the name
    /// the generated certificate is for), the address itself otherwise.
    pub fn base_url(&self) -> String {
        let scheme = if self.acceptor.is_some() {
            "https"
        } else {
            "http"
        };
        let ip = self.local_addr.ip();
        let port = self.local_addr.port();
        if ip.is_loopback() || ip.is_unspecified() {
            format!("{scheme}://localhost:{port}")
        } else {
            format!("{scheme}://{}", SocketAddr::new(ip, port))
        }
    }

    /// The URLs to print at start-up.
    pub fn urls(&self) -> SiteUrls {
        SiteUrls::new(&self.base_url())
    }

    /// The generated certificate and how to trust it, when running with
    /// [`Tls::SelfSigned`]; print it at start-up.
    pub fn self_signed_certificate(&self) -> Option<&SelfSignedCertificate> {
        self.certificate.as_ref()
    }

    /// Answers requests until `shutdown` completes, then stops accepting, lets open
    /// requests finish (for at most [`ServerConfig::shutdown_grace`]) and returns.
    /// Problems with single connections or policy edits are logged, never returned.
    pub async fn run(self, shutdown: impl Future<Output = ()> + Send) {
        let policy_watch = self.policy.watch(self.policy_poll_interval);
        let mut builder = ConnectionBuilder::new(TokioExecutor::new());
        builder
            .http1()
            .timer(TokioTimer::new())
            .header_read_timeout(CLIENT_TIMEOUT);
        builder.http2().timer(TokioTimer::new());
        let service = TowerToHyperService::new(self.router);
        let graceful = GracefulShutdown::new();
        tracing::info!(
            address = %self.local_addr,
            tls = self.acceptor.is_some(),
            "sendguard server listening"
        );
        let mut shutdown = std::pin::pin!(shutdown);
        loop {
            let stream = tokio::select! {
                () = &mut shutdown => break,
                accepted = self.listener.accept() => match accepted {
                    Ok((stream, _peer)) => stream,
                    Err(error) => {
                        tracing::warn!(%error, "cannot accept a connection");
                        tokio::time::sleep(ACCEPT_BACKOFF).await;
                        continue;
                    }
                },
            };
            // Small responses go out at once rather than waiting for more to send.
            stream.set_nodelay(true).ok();
            let builder = builder.clone();
            let service = service.clone();
            let watcher = graceful.watcher();
            let acceptor = self.acceptor.clone();
            tokio::spawn(async move {
                match acceptor {
                    None => serve_connection(stream, builder, service, watcher).await,
                    Some(acceptor) => {
                        match tokio::time::timeout(CLIENT_TIMEOUT, acceptor.accept(stream)).await {
                            Ok(Ok(stream)) => {
                                serve_connection(stream, builder, service, watcher).await;
                            }
                            Ok(Err(error)) => tracing::debug!(%error, "TLS handshake failed"),
                            Err(_) => tracing::debug!("TLS handshake timed out"),
                        }
                    }
                }
            });
        }
        drop(self.listener);
        tracing::info!("shutting down: no new connections, finishing open requests");
        if tokio::time::timeout(self.shutdown_grace, graceful.shutdown())
            .await
            .is_err()
        {
            tracing::warn!(
                grace_seconds = self.shutdown_grace.as_secs(),
                "some connections were still open when the grace period ended"
            );
        }
        if let Some(task) = policy_watch {
            task.abort();
        }
        tracing::info!("sendguard server stopped");
    }
}

/// Serves HTTP/1.1 or HTTP/2 on one connection until it closes or shutdown begins.
async fn serve_connection<I>(
    io: I,
    builder: ConnectionBuilder<TokioExecutor>,
    service: TowerToHyperService<axum::Router>,
    watcher: Watcher,
) where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let connection = builder.serve_connection_with_upgrades(TokioIo::new(io), service);
    if let Err(error) = watcher.watch(connection.into_owned()).await {
        tracing::debug!(%error, "connection ended with an error");
    }
}

/// Completes on Ctrl-C, or on `SIGTERM` (what systemd, Docker and Kubernetes send) on
/// Unix: the usual `shutdown` argument for [`Server::run`].
pub async fn shutdown_signal() {
    let interrupt = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::warn!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::warn!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => tracing::info!("Ctrl-C: shutting down"),
        () = terminate => tracing::info!("SIGTERM: shutting down"),
    }
}

/// Everything `sendguard serve` does, for a caller without an async runtime: starts one,
/// binds, hands the bound server to `on_bound` (to print [`Server::urls`] and
/// [`Server::self_signed_certificate`]), then serves until Ctrl-C or `SIGTERM` and shuts
/// down gracefully.
///
/// Logging goes through `tracing`: install a subscriber first, or reload errors in the
/// policy file are not seen by anyone.
pub fn serve_blocking(
    config: ServerConfig,
    on_bound: impl FnOnce(&Server),
) -> Result<(), ServerError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|error| {
            ServerError::new(ServerErrorKind::Runtime, error.to_string()).with_source(error)
        })?;
    runtime.block_on(async {
        let server = Server::bind(config).await?;
        on_bound(&server);
        server.run(shutdown_signal()).await;
        Ok(())
    })
}

/// Binds, then runs until `shutdown` completes: [`Server::bind`] and [`Server::run`] in
/// one call, for callers with nothing to print in between.
pub async fn serve(
    config: ServerConfig,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), ServerError> {
    Server::bind(config).await?.run(shutdown).await;
    Ok(())
}
