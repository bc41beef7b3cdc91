//! The one error type of the server: what went wrong, and where.

use std::error::Error as StdError;
use std::fmt;
use std::path::PathBuf;

/// Why the server could not start. Everything it meets while running (a bad request, a
/// policy edit that does not parse) is answered or logged instead. `Display` names what
/// failed and the file or address, e.g. `invalid policy file /etc/sendguard/policy.json:
/// line 3, key severity.freemail-recipent: …`.
#[derive(Debug)]
pub struct ServerError {
    kind: ServerErrorKind,
    /// The file or address, when there is one.
    place: Option<String>,
    message: String,
    source: Option<Box<dyn StdError + Send + Sync + 'static>>,
}

/// What kind of problem a [`ServerError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ServerErrorKind {
    /// The listen address could not be bound (in use, no permission, not local).
    Bind,
    /// The policy file could not be read.
    PolicyRead,
    /// The policy file is not a valid policy; the message names the key and the line.
    PolicyInvalid,
    /// The TLS certificate file is missing, unreadable or holds no certificate.
    TlsCertificate,
    /// The TLS private key file is missing, unreadable or holds no usable key.
    TlsKey,
    /// Certificate and key do not make a working TLS configuration.
    TlsConfig,
    /// The self-signed localhost certificate could not be generated or saved.
    SelfSigned,
    /// The async runtime could not be started (see [`crate::serve_blocking`]).
    Runtime,
}

impl ServerError {
    /// An error of `kind` about `place` (a file or an address, if any).
    pub(crate) fn new(
        kind: ServerErrorKind,
        place: Option<&dyn fmt::Display>,
        message: impl fmt::Display,
    ) -> ServerError {
        let (place, message) = (place.map(ToString::to_string), message.to_string());
        ServerError {
            kind,
            place,
            message,
            source: None,
        }
    }

    pub(crate) fn with_source(mut self, source: impl StdError + Send + Sync + 'static) -> Self {
        self.source = Some(Box::new(source));
        self
    }

    /// What kind of problem this is.
    pub fn kind(&self) -> ServerErrorKind {
        self.kind
    }

    /// The file the problem is about, for the kinds that concern a file.
    pub fn path(&self) -> Option<PathBuf> {
        match self.kind {
            ServerErrorKind::Bind | ServerErrorKind::Runtime => None,
            _ => self.place.as_ref().map(PathBuf::from),
        }
    }
}

impl fmt::Display for ServerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            ServerErrorKind::Bind => "cannot listen on",
            ServerErrorKind::PolicyRead => "cannot read policy file",
            ServerErrorKind::PolicyInvalid => "invalid policy file",
            ServerErrorKind::TlsCertificate => "TLS certificate",
            ServerErrorKind::TlsKey => "TLS private key",
            ServerErrorKind::TlsConfig => "TLS configuration",
            ServerErrorKind::SelfSigned => "self-signed certificate in",
            ServerErrorKind::Runtime => "cannot start the server's runtime",
        };
        match &self.place {
            Some(place) => write!(f, "{what} {place}: {}", self.message),
            None => write!(f, "{what}: {}", self.message),
        }
    }
}

impl StdError for ServerError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source.as_deref().map(|source| source as _)
    }
}
