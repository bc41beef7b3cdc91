//! TLS: rustls from IT's certificate files, or a generated localhost certificate for
//! trying sendguard out.
//!
//! The generated set is a small certificate authority plus a `localhost` certificate it
//! signed, the way local development tools do it: people trust the authority once, and
//! the server can renew its own certificate. The authority is limited by name
//! constraints to `localhost` and loopback addresses, and its private key is thrown away
//! right after signing, so trusting it lets nobody impersonate any other site.

use std::fmt;
use std::fs::OpenOptions;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use rcgen::{
    BasicConstraints, CertificateParams, CidrSubnet, DnType, ExtendedKeyUsagePurpose,
    GeneralSubtree, IsCa, Issuer, KeyPair, KeyUsagePurpose, NameConstraints,
};
use rustls::RootCertStore;
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::ServerCertVerifier;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use tokio_rustls::TlsAcceptor;

use crate::error::{ServerError, ServerErrorKind};

/// File names inside the self-signed certificate folder.
const AUTHORITY_FILE: &str = "sendguard-local-ca.pem";
const CERTIFICATE_FILE: &str = "localhost.pem";
const KEY_FILE: &str = "localhost-key.pem";
const NOTICE_FILE: &str = "README.txt";

/// How long a generated certificate is valid.
const VALIDITY_DAYS: i64 = 365;
/// A saved certificate expiring sooner than this is replaced rather than reused.
const RENEW_BEFORE: Duration = Duration::from_secs(7 * 24 * 60 * 60);

/// The names the generated certificate is valid for.
const LOCAL_NAMES: [&str; 3] = ["localhost", "127.0.0.1", "::1"];

/// The one crypto provider: ring, which builds with nothing but a C compiler.
fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// A TLS acceptor from PEM files: `cert` holds the certificate chain, leaf first;
/// `key` the private key (PKCS#8, PKCS#1 or SEC1).
pub(crate) fn acceptor_from_files(cert: &Path, key: &Path) -> Result<TlsAcceptor, ServerError> {
    let chain = read_chain(cert)?;
    let private_key = PrivateKeyDer::from_pem_file(key).map_err(|error| {
        ServerError::new(ServerErrorKind::TlsKey, pem_problem(&error, "PRIVATE KEY"))
            .at_path(key)
            .with_source(error)
    })?;
    acceptor(chain, private_key).map_err(|error| {
        ServerError::new(ServerErrorKind::TlsConfig, error.to_string())
            .at(format!("{} with {}", cert.display(), key.display()))
            .with_source(error)
    })
}

fn read_chain(path: &Path) -> Result<Vec<CertificateDer<'static>>, ServerError> {
    let certificate_error =
        |message: String| ServerError::new(ServerErrorKind::TlsCertificate, message).at_path(path);
    let chain = CertificateDer::pem_file_iter(path)
        .and_then(Iterator::collect::<Result<Vec<_>, _>>)
        .map_err(|error| certificate_error(pem_problem(&error, "CERTIFICATE")))?;
    if chain.is_empty() {
        return Err(certificate_error(
            "no CERTIFICATE block found in the PEM file".to_owned(),
        ));
    }
    Ok(chain)
}

fn pem_problem(error: &rustls::pki_types::pem::Error, block: &str) -> String {
    match error {
        rustls::pki_types::pem::Error::NoItemsFound => {
            format!("no {block} block found in the PEM file")
        }
        other => other.to_string(),
    }
}

fn acceptor(
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
) -> Result<TlsAcceptor, rustls::Error> {
    let mut config = rustls::ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(chain, key)?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(TlsAcceptor::from(Arc::new(config)))
}

/// Where the generated localhost certificate is, and how to trust it. Its `Display` is
/// the text to show the person who started the server.
#[derive(Debug, Clone)]
pub struct SelfSignedCertificate {
    authority: PathBuf,
    certificate: PathBuf,
    key: PathBuf,
    generated: bool,
    valid_until: Option<String>,
}

impl SelfSignedCertificate {
    /// The certificate authority to trust (PEM). Trusting it makes browsers and Outlook
    /// accept the server's certificate.
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

    /// `true` if the certificate was made just now (a new authority to trust), `false`
    /// if a still-valid one from an earlier start was reused.
    pub fn generated(&self) -> bool {
        self.generated
    }
}

impl fmt::Display for SelfSignedCertificate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ca = self.authority.display();
        if self.generated {
            writeln!(
                f,
                "Generated a certificate for https://localhost (and 127.0.0.1, ::1){}.",
                self.valid_until
                    .as_deref()
                    .map(|date| format!(", valid until {date}"))
                    .unwrap_or_default()
            )?;
        } else {
            writeln!(
                f,
                "Using the certificate for https://localhost generated earlier."
            )?;
        }
        writeln!(f, "  certificate authority: {ca}")?;
        writeln!(f, "  server certificate:    {}", self.certificate.display())?;
        writeln!(f, "  server key:            {}", self.key.display())?;
        writeln!(
            f,
            "Trust the authority once so browsers and Outlook accept the server. It can vouch \
             only for localhost and loopback addresses, and its private key was never saved."
        )?;
        writeln!(
            f,
            "  Debian/Ubuntu: sudo cp {ca} /usr/local/share/ca-certificates/sendguard-local-ca.crt \
             && sudo update-ca-certificates"
        )?;
        writeln!(
            f,
            "  Chromium on Linux: certutil -d sql:$HOME/.pki/nssdb -A -t C,, -n sendguard -i {ca}"
        )?;
        writeln!(
            f,
            "  macOS: sudo security add-trusted-cert -d -r trustRoot \
             -k /Library/Keychains/System.keychain {ca}"
        )?;
        writeln!(
            f,
            "  Windows (Outlook, Edge, Chrome): certutil -user -addstore Root {ca}"
        )?;
        write!(
            f,
            "  Firefox, Thunderbird: Settings > Privacy & Security > Certificates > \
             View Certificates > Authorities > Import {ca}"
        )
    }
}

/// A TLS acceptor for `localhost`, reusing the certificate saved in `dir` while it is
/// valid for at least another week, else generating and saving a new one.
pub(crate) fn self_signed(dir: &Path) -> Result<(TlsAcceptor, SelfSignedCertificate), ServerError> {
    let mut files = SelfSignedCertificate {
        authority: dir.join(AUTHORITY_FILE),
        certificate: dir.join(CERTIFICATE_FILE),
        key: dir.join(KEY_FILE),
        generated: false,
        valid_until: None,
    };
    if let Some(acceptor) = reuse_saved(&files) {
        return Ok((acceptor, files));
    }
    let problem =
        |message: String| ServerError::new(ServerErrorKind::SelfSigned, message).at_path(dir);
    let generated = generate().map_err(|error| problem(format!("cannot generate: {error}")))?;
    save(dir, &files, &generated)
        .map_err(|error| problem(format!("cannot save: {error}")).with_source(error))?;
    files.generated = true;
    tracing::info!(
        authority = %files.authority.display(),
        valid_until = %generated.valid_until,
        "generated a localhost certificate; trust its authority to use it"
    );
    files.valid_until = Some(generated.valid_until);
    let acceptor = acceptor(generated.chain, generated.key)
        .map_err(|error| problem(format!("generated an unusable certificate: {error}")))?;
    Ok((acceptor, files))
}

/// The saved certificate, if all files are there, belong together, name `localhost`
/// and stay valid for [`RENEW_BEFORE`].
fn reuse_saved(files: &SelfSignedCertificate) -> Option<TlsAcceptor> {
    let authority = CertificateDer::from_pem_file(&files.authority).ok()?;
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&files.certificate)
        .ok()?
        .collect::<Result<_, _>>()
        .ok()?;
    let key = PrivateKeyDer::from_pem_file(&files.key).ok()?;
    let (leaf, intermediates) = chain.split_first()?;
    let mut roots = RootCertStore::empty();
    roots.add(authority).ok()?;
    let verifier = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider())
        .build()
        .ok()?;
    let soon = UnixTime::since_unix_epoch(
        SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .ok()?
            .checked_add(RENEW_BEFORE)?,
    );
    let localhost = ServerName::try_from("localhost").ok()?;
    verifier
        .verify_server_cert(leaf, intermediates, &localhost, &[], soon)
        .ok()?;
    acceptor(chain, key).ok()
}

struct Generated {
    authority_pem: String,
    chain_pem: String,
    key_pem: String,
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
    valid_until: String,
}

fn generate() -> Result<Generated, rcgen::Error> {
    let now = time::OffsetDateTime::now_utc();
    let not_before = now - time::Duration::days(1);
    let not_after = now + time::Duration::days(VALIDITY_DAYS);

    let mut authority = CertificateParams::new(Vec::<String>::new())?;
    authority
        .distinguished_name
        .push(DnType::OrganizationName, "sendguard");
    authority.distinguished_name.push(
        DnType::CommonName,
        format!(
            "sendguard local CA {:04}-{:02}-{:02} {:02}:{:02}:{:02}",
            now.year(),
            u8::from(now.month()),
            now.day(),
            now.hour(),
            now.minute(),
            now.second()
        ),
    );
    authority.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    authority.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    authority.name_constraints = Some(NameConstraints {
        permitted_subtrees: vec![
            GeneralSubtree::DnsName("localhost".to_owned()),
            GeneralSubtree::IpAddress(CidrSubnet::V4([127, 0, 0, 0], [255, 0, 0, 0])),
            GeneralSubtree::IpAddress(CidrSubnet::V6(
                std::net::Ipv6Addr::LOCALHOST.octets(),
                [0xff; 16],
            )),
        ],
        excluded_subtrees: Vec::new(),
    });
    authority.not_before = not_before;
    authority.not_after = not_after + time::Duration::days(1);
    let authority_key = KeyPair::generate()?;
    let authority_cert = authority.self_signed(&authority_key)?;

    let mut server = CertificateParams::new(LOCAL_NAMES.map(str::to_owned).to_vec())?;
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
    let issuer = Issuer::new(authority, authority_key);
    let server_cert = server.signed_by(&server_key, &issuer)?;
    // `issuer` (with the authority's private key) is dropped here, never written out.
    drop(issuer);

    let key_der = server_key.serialize_der();
    Ok(Generated {
        authority_pem: authority_cert.pem(),
        chain_pem: format!("{}{}", server_cert.pem(), authority_cert.pem()),
        key_pem: server_key.serialize_pem(),
        chain: vec![server_cert.der().clone(), authority_cert.der().clone()],
        key: PrivateKeyDer::Pkcs8(key_der.into()),
        valid_until: format!(
            "{:04}-{:02}-{:02}",
            not_after.year(),
            u8::from(not_after.month()),
            not_after.day()
        ),
    })
}

fn save(dir: &Path, files: &SelfSignedCertificate, generated: &Generated) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    write_file(&files.key, generated.key_pem.as_bytes(), true)?;
    write_file(&files.certificate, generated.chain_pem.as_bytes(), false)?;
    write_file(&files.authority, generated.authority_pem.as_bytes(), false)?;
    let notice = SelfSignedCertificate {
        generated: true,
        valid_until: Some(generated.valid_until.clone()),
        ..files.clone()
    };
    write_file(
        &dir.join(NOTICE_FILE),
        format!("{notice}\n").as_bytes(),
        false,
    )
}

/// Writes a whole file; `private` files are created readable by their owner only.
fn write_file(path: &Path, contents: &[u8], private: bool) -> io::Result<()> {
    // Removing first makes sure a new private file gets the new permissions.
    match std::fs::remove_file(path) {
        Err(error) if error.kind() != io::ErrorKind::NotFound => return Err(error),
        _ => {}
    }
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = private;
    options.open(path)?.write_all(contents)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_certificate_is_reused_until_it_expires() {
        let dir = tempfile::tempdir().unwrap();
        let (_, first) = self_signed(dir.path()).unwrap();
        assert!(first.generated());
        assert!(first.to_string().contains("sendguard-local-ca.pem"));
        let authority = std::fs::read(first.authority_path()).unwrap();
        let (_, second) = self_signed(dir.path()).unwrap();
        assert!(!second.generated());
        assert_eq!(std::fs::read(second.authority_path()).unwrap(), authority);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(first.key_path())
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o077, 0, "key readable by others: {mode:o}");
        }
        // A damaged set is replaced, not served.
        std::fs::write(first.key_path(), "garbage").unwrap();
        let (_, third) = self_signed(dir.path()).unwrap();
        assert!(third.generated());
    }

    #[test]
    fn missing_certificate_file_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let cert = dir.path().join("cert.pem");
        let key = dir.path().join("key.pem");
        let Err(error) = acceptor_from_files(&cert, &key) else {
            panic!("accepted a missing certificate")
        };
        assert_eq!(error.kind(), ServerErrorKind::TlsCertificate);
        assert!(error.to_string().contains("cert.pem"), "{error}");

        std::fs::write(&cert, "not a certificate").unwrap();
        let Err(error) = acceptor_from_files(&cert, &key) else {
            panic!("accepted a missing certificate")
        };
        assert!(
            error.to_string().contains("no CERTIFICATE block"),
            "{error}"
        );
    }
}
