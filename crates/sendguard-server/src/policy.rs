//! The policy the server hands out at `/policy.json`, and the watcher that reloads it
//! when IT edits the file.
//!
//! An edit is published only once the core accepts it. A file that does not parse, names
//! an unknown key or cannot be read leaves the previous policy in place: a typo must never
//! switch protection off for the whole company, nor take the server down.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use sendguard_core::Policy;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::error::{ServerError, ServerErrorKind};
use crate::etag::strong_etag;

/// The policy as served, plus what the watcher last had to say about the file.
#[derive(Debug, Clone)]
pub(crate) struct ServedPolicy {
    /// Exactly the bytes of the accepted file (or the embedded default).
    pub(crate) body: Bytes,
    pub(crate) etag: String,
    pub(crate) from_file: bool,
    /// Why the latest edit of the file was rejected, while it still is.
    pub(crate) rejected_edit: Option<String>,
}

impl ServedPolicy {
    fn new(body: Bytes, from_file: bool) -> ServedPolicy {
        ServedPolicy {
            etag: strong_etag(&body),
            body,
            from_file,
            rejected_edit: None,
        }
    }
}

/// Readers' side: every request borrows the current policy from here.
pub(crate) type PolicyReceiver = watch::Receiver<Arc<ServedPolicy>>;

/// The policy source chosen at start-up.
#[derive(Debug)]
pub(crate) struct PolicySource {
    sender: watch::Sender<Arc<ServedPolicy>>,
    file: Option<(PathBuf, Bytes)>,
}

impl PolicySource {
    /// Reads and checks the policy file, or takes the embedded default without one.
    /// At start-up a bad file is an error: there is no previous policy to fall back on,
    /// and starting on the default would silently drop IT's settings.
    pub(crate) fn load(file: Option<&Path>) -> Result<(PolicySource, PolicyReceiver), ServerError> {
        let (served, file) = match file {
            None => (
                ServedPolicy::new(
                    Bytes::from_static(sendguard_core::default_policy_json().as_bytes()),
                    false,
                ),
                None,
            ),
            Some(path) => {
                let bytes = read_limited(path).map_err(|error| {
                    ServerError::new(ServerErrorKind::PolicyRead, error.to_string())
                        .at_path(path)
                        .with_source(error)
                })?;
                validate(&bytes).map_err(|message| {
                    ServerError::new(ServerErrorKind::PolicyInvalid, message).at_path(path)
                })?;
                let bytes = Bytes::from(bytes);
                (
                    ServedPolicy::new(bytes.clone(), true),
                    Some((path.to_owned(), bytes)),
                )
            }
        };
        let (sender, receiver) = watch::channel(Arc::new(served));
        Ok((PolicySource { sender, file }, receiver))
    }

    /// Starts polling the policy file every `interval`, if there is a file. Polling (a
    /// read of a few kilobytes) works the same on every file system and with every
    /// editor, including those that replace the file instead of writing into it.
    pub(crate) fn watch(self, interval: Duration) -> Option<JoinHandle<()>> {
        let (path, accepted) = self.file?;
        Some(tokio::spawn(poll_policy_file(
            path,
            interval,
            self.sender,
            accepted,
        )))
    }
}

/// A policy is a few kilobytes; anything past this is not one (or is `/dev/zero`).
const MAX_POLICY_BYTES: u64 = 1024 * 1024;

/// Reads the policy file, refusing to read more than [`MAX_POLICY_BYTES`].
fn read_limited(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_POLICY_BYTES + 1)
        .read_to_end(&mut bytes)?;
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > MAX_POLICY_BYTES {
        return Err(std::io::Error::other(format!(
            "larger than {} KiB, too large for a policy",
            MAX_POLICY_BYTES / 1024
        )));
    }
    Ok(bytes)
}

/// The core's verdict on a policy file's bytes, as the message to log.
fn validate(bytes: &[u8]) -> Result<(), String> {
    let text = std::str::from_utf8(bytes).map_err(|error| {
        format!(
            "not UTF-8 text (invalid byte at offset {})",
            error.valid_up_to()
        )
    })?;
    Policy::from_json(text)
        .map(drop)
        .map_err(|error| error.to_string())
}

async fn poll_policy_file(
    path: PathBuf,
    interval: Duration,
    sender: watch::Sender<Arc<ServedPolicy>>,
    accepted: Bytes,
) {
    let mut ticker = tokio::time::interval(interval);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    ticker.tick().await;
    // The bytes last looked at, accepted or not, so a rejected edit is logged once and
    // not on every tick.
    let mut last_seen = accepted;
    let mut last_read_error: Option<String> = None;
    loop {
        ticker.tick().await;
        let reading = path.clone();
        let read = tokio::task::spawn_blocking(move || read_limited(&reading))
            .await
            .unwrap_or_else(|error| Err(std::io::Error::other(error)));
        let bytes = match read {
            Ok(bytes) => bytes,
            Err(error) => {
                let message = error.to_string();
                if last_read_error.as_deref() != Some(message.as_str()) {
                    tracing::warn!(
                        path = %path.display(),
                        error = %message,
                        "cannot read the policy file; still serving the previous policy"
                    );
                    last_read_error = Some(message);
                }
                continue;
            }
        };
        if last_read_error.take().is_some() {
            tracing::info!(path = %path.display(), "the policy file is readable again");
        }
        if bytes == last_seen {
            continue;
        }
        let bytes = Bytes::from(bytes);
        last_seen = bytes.clone();
        match validate(&bytes) {
            Ok(()) => {
                let served = ServedPolicy::new(bytes, true);
                tracing::info!(
                    path = %path.display(),
                    etag = %served.etag,
                    "policy reloaded"
                );
                sender.send_replace(Arc::new(served));
            }
            Err(message) => {
                tracing::error!(
                    path = %path.display(),
                    error = %message,
                    "rejected the edited policy file; still serving the previous policy"
                );
                sender.send_modify(|current| {
                    let mut kept = ServedPolicy::clone(current);
                    kept.rejected_edit = Some(message);
                    *current = Arc::new(kept);
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_policy_is_valid() {
        assert_eq!(
            validate(sendguard_core::default_policy_json().as_bytes()),
            Ok(())
        );
    }

    #[test]
    fn invalid_policies_say_why() {
        assert!(validate(b"\xff{}").unwrap_err().contains("UTF-8"));
        assert!(validate(b"{\n\"no_such_key\": 1\n}").is_err());
    }

    #[test]
    fn bad_file_at_start_is_an_error_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("policy.json");
        std::fs::write(
            &path,
            "{\n  \"severity\": {\"freemail-recipent\": \"off\"}\n}",
        )
        .unwrap();
        let error = PolicySource::load(Some(&path)).unwrap_err();
        assert_eq!(error.kind(), ServerErrorKind::PolicyInvalid);
        assert_eq!(error.path().as_deref(), Some(path.as_path()));
        assert!(error.to_string().contains("policy.json"), "{error}");

        std::fs::write(&path, vec![b' '; 2 * 1024 * 1024]).unwrap();
        let error = PolicySource::load(Some(&path)).unwrap_err();
        assert_eq!(error.kind(), ServerErrorKind::PolicyRead);
        assert!(error.to_string().contains("too large"), "{error}");

        let missing = dir.path().join("missing.json");
        let error = PolicySource::load(Some(&missing)).unwrap_err();
        assert_eq!(error.kind(), ServerErrorKind::PolicyRead);
    }
}
