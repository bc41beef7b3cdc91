//! `sendguard serve`: host the add-ins, the web pages, the policy and the manifests.

use std::io::IsTerminal as _;
use std::path::PathBuf;

use sendguard_server::{SendMode, ServerConfig, ServerErrorKind, SiteRoots, Tls};

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
    /// Plain HTTP behind a reverse proxy that terminates TLS; generated URLs follow
    /// X-Forwarded-Proto and X-Forwarded-Host.
    #[arg(long)]
    behind_proxy: bool,
    /// Where the generated localhost certificate is kept
    /// [default: ~/.local/state/sendguard/tls].
    #[arg(long, value_name = "DIR", conflicts_with_all = ["tls_cert", "behind_proxy"])]
    cert_dir: Option<PathBuf>,
    /// The folder holding dist/, www/ and addin-outlook/.
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
        config
    }
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
