//! TLS: rustls from IT's certificate files, or a generated `localhost` certificate signed
//! by a name-constrained authority whose key is never saved. How to trust it on each
//! system is in the README, section "Trusting the local certificate".

use std::fmt;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use rcgen::{
    BasicConstraints, CertificateParams, CidrSubnet, DnType, ExtendedKeyUsagePurpose,
    GeneralSubtree, IsCa, Issuer, KeyPair, KeyUsagePurpose, NameConstraints,
};
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::ServerCertVerifier as _;
use rustls::pki_types::pem::{self, PemObject};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use tokio_rustls::TlsAcceptor;

use crate::error::{ServerError, ServerErrorKind};

/// A saved certificate expiring sooner than this is replaced rather than reused.
const RENEW_BEFORE: Duration = Duration::from_secs(7 * 24 * 60 * 60);

/// A TLS acceptor from PEM files: `cert` holds the certificate chain, leaf first;
/// `key` the private key (PKCS#8, PKCS#1 or SEC1).
pub(crate) fn acceptor_from_files(cert: &Path, key: &Path) -> Result<TlsAcceptor, ServerError> {
    let problem = |kind, path: &Path, error: pem::Error| {
        let block = if kind == ServerErrorKind::TlsKey {
            "PRIVATE KEY"
        } else {
            "CERTIFICATE"
        };
        let message = match error {
            pem::Error::NoItemsFound => format!("no {block} block found in the PEM file"),
            other => other.to_string(),
        };
        ServerError::new(kind, Some(&path.display()), message)
    };
    let chain: Vec<_> = CertificateDer::pem_file_iter(cert)
        .and_then(Iterator::collect)
        .map_err(|error| problem(ServerErrorKind::TlsCertificate, cert, error))?;
    if chain.is_empty() {
        let error = pem::Error::NoItemsFound;
        return Err(problem(ServerErrorKind::TlsCertificate, cert, error));
    }
    let private_key = PrivateKeyDer::from_pem_file(key)
        .map_err(|error| problem(ServerErrorKind::TlsKey, key, error))?;
    acceptor(chain, private_key).map_err(|error| {
        let both = format!("{} with {}", cert.display(), key.display());
        ServerError::new(ServerErrorKind::TlsConfig, Some(&both), &error).with_source(error)
    })
}

/// rustls on ring (which builds with nothing but a C compiler), HTTP/2 offered first.
fn acceptor(
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
) -> Result<TlsAcceptor, rustls::Error> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(chain, key)?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(TlsAcceptor::from(Arc::new(config)))
}

/// Where the generated localhost certificate is; `Display` is the start-up notice.
#[derive(Debug, Clone)]
pub struct SelfSignedCertificate {
    authority: PathBuf,
    certificate: PathBuf,
    key: PathBuf,
    /// `Some(expiry date)` when generated just now, `None` when reused.
    generated_until: Option<String>,
}

impl SelfSignedCertificate {
    /// The certificate authority to trust (PEM).
    pub fn authority_path(&self) -> &Path {
        &self.authority
    }

    /// The server's certificate chain (PEM, `localhost` certificate first).
    pub fn certificate_path(&self) -> &Path {
        &self.certificate
    }

    /// The server's private key (PEM, readable by its owner only).
    pub fn key_path(&self) -> &Path {
        &self.key
    }

    /// Whether it was made just now (a new authority to trust) rather than reused.
    pub fn generated(&self) -> bool {
        self.generated_until.is_some()
    }
}

impl fmt::Display for SelfSignedCertificate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.generated_until {
            Some(date) => write!(
                f,
                "Generated a certificate for https://localhost, valid until {date}."
            )?,
            None => write!(
                f,
                "Using the certificate for https://localhost generated earlier."
            )?,
        }
        let authority = self.authority_path();
        writeln!(f, "\n  trust this authority once: {}", authority.display())?;
        write!(
            f,
            "  how, for each system: README.md, section \"Trusting the local certificate\""
        )
    }
}

/// A TLS acceptor for `localhost`, reusing the certificate saved in `dir` while it is
/// valid for at least another week, else generating and saving a new one.
pub(crate) fn self_signed(dir: &Path) -> Result<(TlsAcceptor, SelfSignedCertificate), ServerError> {
    let mut files = SelfSignedCertificate {
        authority: dir.join("sendguard-local-ca.pem"),
        certificate: dir.join("localhost.pem"),
        key: dir.join("localhost-key.pem"),
        generated_until: None,
    };
    if let Some(acceptor) = reuse_saved(&files) {
        return Ok((acceptor, files));
    }
    let problem =
        |message| ServerError::new(ServerErrorKind::SelfSigned, Some(&dir.display()), message);
    let until = generate(dir, &files)
        .map_err(|error| problem(format!("cannot generate or save: {error}")))?;
    tracing::info!(dir = %dir.display(), until, "generated a localhost certificate; trust its authority to use it");
    files.generated_until = Some(until);
    let acceptor = reuse_saved(&files)
        .ok_or_else(|| problem("generated an unusable certificate".to_owned()))?;
    Ok((acceptor, files))
}

/// The saved certificate, if all files are there, belong together, name `localhost`
/// and stay valid for [`RENEW_BEFORE`].
fn reuse_saved(files: &SelfSignedCertificate) -> Option<TlsAcceptor> {
    let authority = CertificateDer::from_pem_file(files.authority_path()).ok()?;
    let chain: Vec<_> = CertificateDer::pem_file_iter(files.certificate_path())
        .and_then(Iterator::collect)
        .ok()?;
    let key = PrivateKeyDer::from_pem_file(files.key_path()).ok()?;
    let (leaf, intermediates) = chain.split_first()?;
    let mut roots = rustls::RootCertStore::empty();
    roots.add(authority).ok()?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider)
        .build()
        .ok()?;
    let soon = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .ok()?
        + RENEW_BEFORE;
    let localhost = ServerName::try_from("localhost").ok()?;
    let at = UnixTime::since_unix_epoch(soon);
    verifier
        .verify_server_cert(leaf, intermediates, &localhost, &[], at)
        .ok()?;
    acceptor(chain, key).ok()
}

/// Makes and saves a new authority and `localhost` certificate, valid for a year;
/// returns the expiry date.
fn generate(
    dir: &Path,
    files: &SelfSignedCertificate,
) -> Result<String, Box<dyn std::error::Error>> {
    let now = time::OffsetDateTime::now_utc();
    let (not_before, not_after) = (
        now - time::Duration::days(1),
        now + time::Duration::days(365),
    );
    let mut authority = CertificateParams::new(Vec::<String>::new())?;
    let name = format!("sendguard local CA {} {}", now.date(), now.time());
    authority
        .distinguished_name
        .push(DnType::OrganizationName, "sendguard");
    authority.distinguished_name.push(DnType::CommonName, name);
    authority.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    authority.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    // The authority can vouch for nothing but this machine.
    let loopback_v6 = std::net::Ipv6Addr::LOCALHOST.octets();
    authority.name_constraints = Some(NameConstraints {
        permitted_subtrees: vec![
            GeneralSubtree::DnsName("localhost".to_owned()),
            GeneralSubtree::IpAddress(CidrSubnet::V4([127, 0, 0, 0], [255, 0, 0, 0])),
            GeneralSubtree::IpAddress(CidrSubnet::V6(loopback_v6, [0xff; 16])),
        ],
        excluded_subtrees: Vec::new(),
    });
    authority.not_before = not_before;
    authority.not_after = not_after + time::Duration::days(1);
    let authority_key = KeyPair::generate()?;
    let authority_cert = authority.self_signed(&authority_key)?;

    let mut server = CertificateParams::new(
        ["localhost", "127.0.0.1", "::1"]
            .map(str::to_owned)
            .to_vec(),
    )?;
    server
        .distinguished_name
        .push(DnType::CommonName, "localhost");
    server.is_ca = IsCa::ExplicitNoCa;
    server.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    server.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    server.use_authority_key_identifier_extension = true;
    server.not_before = not_before;
    server.not_after = not_after;
    let server_key = KeyPair::generate()?;
    // The issuer holds the authority's private key; it is dropped here, never saved.
    let server_cert = server.signed_by(&server_key, &Issuer::new(authority, authority_key))?;

    std::fs::create_dir_all(dir)?;
    // Removed first, so the key file is created anew with owner-only permissions.
    if files.key.exists() {
        std::fs::remove_file(&files.key)?;
    }
    let mut options = std::fs::OpenOptions::new();
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut key_file = options.write(true).create_new(true).open(&files.key)?;
    key_file.write_all(server_key.serialize_pem().as_bytes())?;
    let chain = format!("{}{}", server_cert.pem(), authority_cert.pem());
    std::fs::write(files.certificate_path(), chain)?;
    std::fs::write(files.authority_path(), authority_cert.pem())?;
    Ok(not_after.date().to_string())
}
