//! `sendguard serve`: host the add-ins, the web pages, the policy and the manifests.

use std::io::IsTerminal as _;
use std::path::PathBuf;

use std::time::Duration;

use sendguard_server::{BaseUrl, SendMode, ServerConfig, ServerErrorKind, SiteRoots, Tls};

use crate::EXIT_DATA;

/// Exit status when the address cannot be bound (sysexits EX_UNAVAILABLE).
const EXIT_UNAVAILABLE: u8 = 69;

/// Host the add-ins, the web pages, the policy and the Outlook manifests.
#[derive(clap::Args)]
pub(crate) struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, value_name = "ADDR:PORT", default_value_t = sendguard_server::DEFAULT_LISTEN)]
    listen: std::net::SocketAddr,
    /// The organization's policy (JSON), reloaded when it changes; without it, the
    /// built-in default.
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
    /// HTTPS certificate chain (PEM, server certificate first). Without --tls-cert or
    /// --behind-proxy, a localhost certificate is generated.
    #[arg(
        long,
        value_name = "FILE",
        requires = "tls_key",
        conflicts_with = "behind_proxy"
    )]
    tls_cert: Option<PathBuf>,
    /// The private key (PEM) for --tls-cert.
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// Plain HTTP behind a reverse proxy that terminates TLS; generated URLs follow the
    /// last (the proxy's own) value of X-Forwarded-Proto and X-Forwarded-Host.
    #[arg(long)]
    behind_proxy: bool,
    /// The URL users reach this server at (for example `https://sendguard.corp.example`); wins
    /// over Host and X-Forwarded-* in generated manifests.
    #[arg(long, value_name = "URL", value_parser = parse_public_url)]
    public_url: Option<BaseUrl>,
    /// Seconds from accepting a connection to its first request head (TLS handshake
    /// included).
    #[arg(long, value_name = "SECONDS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=300))]
    header_timeout: u64,
    /// Seconds a connection may stay without traffic before it is closed.
    #[arg(long, value_name = "SECONDS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=3600))]
    idle_timeout: u64,
    /// Most connections open at once (lowered to fit the open-file limit).
    #[arg(long, value_name = "N", default_value_t = 8192, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    max_connections: u64,
    /// Where the generated localhost certificate is kept
    /// [default: ~/.local/state/sendguard/tls].
    #[arg(long, value_name = "DIR", conflicts_with_all = ["tls_cert", "behind_proxy"])]
    cert_dir: Option<PathBuf>,
    /// The folder holding dist/ (with the rendered site in dist/www/) and addin-outlook/.
    #[arg(long, value_name = "DIR", default_value = ".")]
    root: PathBuf,
    /// SendMode written into /manifest.xml and /manifest.json: soft-block lets users
    /// send if the add-in is unavailable, block does not.
    #[arg(long, value_name = "MODE", default_value = "soft-block", value_parser = ["soft-block", "block"])]
    send_mode: String,
}

impl ServeArgs {
    fn config(&self) -> ServerConfig {
        let tls = match (&self.tls_cert, &self.tls_key) {
            (Some(cert), Some(key)) => Tls::Files {
                cert: cert.clone(),
                key: key.clone(),
            },
            _ if self.behind_proxy => Tls::BehindProxy,
            _ => Tls::SelfSigned {
                dir: self
                    .cert_dir
                    .clone()
                    .unwrap_or_else(sendguard_server::default_certificate_dir),
            },
        };
        let mut config = ServerConfig::new(self.listen, tls, SiteRoots::in_checkout(&self.root));
        config.policy_file.clone_from(&self.policy);
        config.send_mode = SendMode::parse(&self.send_mode).unwrap_or_default();
        config.public_url.clone_from(&self.public_url);
        config.header_timeout = Duration::from_secs(self.header_timeout);
        config.idle_timeout = Duration::from_secs(self.idle_timeout);
        config.max_connections = usize::try_from(self.max_connections).unwrap_or(usize::MAX);
        config
    }
}

fn parse_public_url(text: &str) -> Result<BaseUrl, String> {
    BaseUrl::parse(text).ok_or_else(|| {
        format!("{text:?} is not an http(s) URL of a host, with an optional port and path")
    })
}

pub(crate) fn run(args: &ServeArgs) -> u8 {
    // Request and policy-reload logs go to stderr; RUST_LOG narrows or widens them.
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(colour)
        .with_writer(std::io::stderr)
        .try_init();
    let result = sendguard_server::serve_blocking(args.config(), |server| {
        if let Some(certificate) = server.self_signed_certificate() {
            eprintln!("{certificate}");
        }
        eprintln!("{}", server.urls());
    });
    match result {
        Ok(()) => 0,
        Err(error) => {
            eprintln!("sendguard: {error}");
            match error.kind() {
                ServerErrorKind::Bind => EXIT_UNAVAILABLE,
                _ => EXIT_DATA,
            }
        }
    }
}
