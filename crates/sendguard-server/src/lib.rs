//! The server IT runs: it hosts the Outlook and Thunderbird add-ins, the web pages, the
//! organization's policy and ready-to-deploy manifests. `sendguard serve` is a thin
//! command line over [`Server`].
//!
//! The URLs, headers and timeouts are described in the README, section "Server".
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
//! eprintln!("{}", server.urls());
//! server.run(sendguard_server::shutdown_signal()).await;
//! # Ok(())
//! # }
//! ```

mod conn;
mod error;
mod manifest;
mod policy;
mod routes;
mod tls;

use std::future::Future;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::time::Duration;

use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

pub use error::{ServerError, ServerErrorKind};
pub use manifest::{
    BASE_URL_PLACEHOLDER, BaseUrl, ManifestKind, SEND_MODE_PLACEHOLDER, SendMode, render_manifest,
};
pub use routes::{OUTLOOK_CSP, SITE_CSP};
pub use tls::SelfSignedCertificate;

use manifest::UrlSource;
use policy::PolicySource;

/// Where `sendguard serve` listens by default: loopback only.
pub const DEFAULT_LISTEN: SocketAddr = SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 8443);

/// File descriptors kept free for the policy file, served files and the log when the
/// connection cap is fitted under the open-file limit.
const SPARE_FILES: u64 = 64;

/// How the server speaks TLS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tls {
    /// HTTPS with IT's certificate; answers carry `Strict-Transport-Security`.
    Files {
        /// The certificate chain, PEM.
        cert: PathBuf,
        /// The private key, PEM.
        key: PathBuf,
    },
    /// HTTPS with a `localhost` certificate generated into `dir` (reused while valid).
    SelfSigned {
        /// Where the certificate, its key and the authority to trust are kept.
        dir: PathBuf,
    },
    /// Plain HTTP behind a reverse proxy that terminates TLS.
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
    /// The folders of a sendguard checkout (or an unpacked release) at `root`.
    pub fn in_checkout(root: &Path) -> SiteRoots {
        SiteRoots {
            dist: root.join("dist"),
            www: root.join("dist/www"),
            manifest_templates: root.join("addin-outlook"),
        }
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
    /// The URL users reach the server at; when set, manifests ignore the request headers.
    pub public_url: Option<BaseUrl>,
    /// How often the policy file is checked for changes (default 2 s).
    pub policy_poll_interval: Duration,
    /// How long shutdown waits for open requests to finish (default 10 s).
    pub shutdown_grace: Duration,
    /// From `accept` to the first complete request head, TLS handshake included
    /// (default 10 s); also the limit for each later request head on HTTP/1.
    pub header_timeout: Duration,
    /// A connection with no bytes read or written for this long is closed (default 60 s).
    pub idle_timeout: Duration,
    /// Most connections open at once (default 8,192); lowered to fit the open-file limit.
    pub max_connections: usize,
    /// The SendMode written into the manifests (default soft-block).
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
            public_url: None,
            policy_poll_interval: Duration::from_secs(2),
            shutdown_grace: Duration::from_secs(10),
            header_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            max_connections: 8192,
            send_mode: SendMode::SoftBlock,
        }
    }
}

/// Where a generated localhost certificate is kept: `$XDG_STATE_HOME/sendguard/tls`,
/// `%LOCALAPPDATA%\sendguard\tls`, `~/.local/state/sendguard/tls` or `./sendguard-tls`.
pub fn default_certificate_dir() -> PathBuf {
    let from = |name: &str| std::env::var_os(name).filter(|value| !value.is_empty());
    if let Some(state) = from("XDG_STATE_HOME") {
        return PathBuf::from(state).join("sendguard/tls");
    }
    if let Some(local) = from("LOCALAPPDATA") {
        return PathBuf::from(local).join("sendguard").join("tls");
    }
    match from("HOME") {
        Some(home) => PathBuf::from(home).join(".local/state/sendguard/tls"),
        None => PathBuf::from("sendguard-tls"),
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
    config: ServerConfig,
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server")
            .field("local_addr", &self.local_addr)
            .finish_non_exhaustive()
    }
}

impl Server {
    /// Loads the policy and the certificate, raises the open-file limit and binds. Missing
    /// site folders are not an error: their routes answer `404` or `503`.
    pub async fn bind(mut config: ServerConfig) -> Result<Server, ServerError> {
        let (policy, policy_receiver) = PolicySource::load(config.policy_file.as_deref())?;
        let (acceptor, certificate) = match &config.tls {
            Tls::Files { cert, key } => (Some(tls::acceptor_from_files(cert, key)?), None),
            Tls::SelfSigned { dir } => tls::self_signed(dir).map(|(a, c)| (Some(a), Some(c)))?,
            Tls::BehindProxy => (None, None),
        };
        let url_source = match (&config.public_url, &config.tls) {
            (Some(url), _) => UrlSource::Fixed(url.clone()),
            (None, Tls::BehindProxy) => UrlSource::BehindProxy,
            (None, _) => UrlSource::Direct,
        };
        let hsts = match (&config.tls, &config.public_url) {
            (Tls::Files { .. }, _) => true,
            (Tls::BehindProxy, Some(url)) => url.as_str().starts_with("https:"),
            _ => false,
        };
        // Idle connections must never use up the descriptors `/policy.json` needs.
        match rlimit::increase_nofile_limit(u64::MAX) {
            Ok(limit) => {
                let fits = usize::try_from(limit.saturating_sub(SPARE_FILES)).unwrap_or(usize::MAX);
                config.max_connections = config.max_connections.min(fits).max(1);
            }
            Err(error) => tracing::warn!(%error, "cannot raise the open-file limit"),
        }
        let bind_error = |error: std::io::Error| {
            ServerError::new(ServerErrorKind::Bind, Some(&config.listen), &error).with_source(error)
        };
        let listener = TcpListener::bind(config.listen).await.map_err(bind_error)?;
        let local_addr = listener.local_addr().map_err(bind_error)?;
        let (send_mode, roots) = (config.send_mode, config.roots.clone());
        let state = routes::AppState {
            policy: policy_receiver,
            url_source,
            send_mode,
            roots,
        };
        let router = routes::router(state, hsts);
        Ok(Server {
            listener,
            local_addr,
            acceptor,
            certificate,
            router,
            policy,
            config,
        })
    }

    /// The address actually bound (with the real port when port 0 was asked for).
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// The base URL to show: the public URL, else `localhost` for loopback and wildcard
    /// addresses, else the address.
    pub fn base_url(&self) -> String {
        if let Some(url) = &self.config.public_url {
            return url.to_string();
        }
        let scheme = if self.acceptor.is_some() {
            "https"
        } else {
            "http"
        };
        let (ip, port) = (self.local_addr.ip(), self.local_addr.port());
        if ip.is_loopback() || ip.is_unspecified() {
            format!("{scheme}://localhost:{port}")
        } else {
            format!("{scheme}://{}", SocketAddr::new(ip, port))
        }
    }

    /// The URLs to print at start-up, one a line.
    pub fn urls(&self) -> String {
        let base = self.base_url();
        [
            ("site and playground:", "/"),
            ("Outlook manifest:", "/manifest.xml"),
            ("(unified manifest):", "/manifest.json"),
            ("Thunderbird add-on:", "/sendguard-thunderbird.xpi"),
            ("policy:", "/policy.json"),
            ("health:", "/healthz"),
        ]
        .map(|(what, path)| format!("  {what:<21} {base}{path}"))
        .join("\n")
    }

    /// The generated certificate, when running with [`Tls::SelfSigned`]; its `Display`
    /// is a short notice to print at start-up.
    pub fn self_signed_certificate(&self) -> Option<&SelfSignedCertificate> {
        self.certificate.as_ref()
    }

    /// The connection cap in force: [`ServerConfig::max_connections`], fitted under the
    /// open-file limit.
    pub fn max_connections(&self) -> usize {
        self.config.max_connections
    }

    /// Answers requests until `shutdown` completes, then stops accepting, lets open
    /// requests finish (for at most [`ServerConfig::shutdown_grace`]) and returns.
    /// Problems with single connections or policy edits are logged, never returned.
    pub async fn run(self, shutdown: impl Future<Output = ()> + Send) {
        let config = self.config;
        let policy_watch = self.policy.watch(config.policy_poll_interval);
        let (address, max_connections) = (self.local_addr, config.max_connections);
        tracing::info!(%address, max_connections, "sendguard server listening");
        conn::serve(self.listener, self.router, self.acceptor, &config, shutdown).await;
        if let Some(task) = policy_watch {
            task.abort();
        }
        tracing::info!("sendguard server stopped");
    }
}

/// Completes on Ctrl-C, or on `SIGTERM` (what systemd, Docker and Kubernetes send) on
/// Unix: the usual `shutdown` argument for [`Server::run`].
pub async fn shutdown_signal() {
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => drop(signal.recv().await),
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        Ok(()) = tokio::signal::ctrl_c() => tracing::info!("Ctrl-C: shutting down"),
        () = terminate => tracing::info!("SIGTERM: shutting down"),
    }
}

/// Everything `sendguard serve` does, without an async runtime: bind, hand the server to
/// `on_bound`, serve until Ctrl-C or `SIGTERM`. Install a `tracing` subscriber first.
pub fn serve_blocking(
    config: ServerConfig,
    on_bound: impl FnOnce(&Server),
) -> Result<(), ServerError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|error| {
            ServerError::new(ServerErrorKind::Runtime, None, &error).with_source(error)
        })?;
    runtime.block_on(async {
        let server = Server::bind(config).await?;
        on_bound(&server);
        server.run(shutdown_signal()).await;
        Ok(())
    })
}
