//! The policy served at `/policy.json` and its watcher. An edit is published only once
//! the core accepts it; otherwise the previous policy stays, so a typo never switches
//! protection off nor takes the server down.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::error::{ServerError, ServerErrorKind};
use crate::routes::content_tag;

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
    fn new(body: Bytes, from_file: bool) -> Arc<ServedPolicy> {
        let etag = content_tag(&body);
        let rejected_edit = None;
        Arc::new(ServedPolicy {
            body,
            etag,
            from_file,
            rejected_edit,
        })
    }
}

/// Readers' side: every request borrows the current policy from here.
pub(crate) type PolicyReceiver = watch::Receiver<Arc<ServedPolicy>>;

/// The policy source chosen at start-up.
pub(crate) struct PolicySource {
    sender: watch::Sender<Arc<ServedPolicy>>,
    file: Option<(PathBuf, Bytes)>,
}

impl PolicySource {
    /// Reads and checks the policy file, or takes the embedded default without one. A
    /// bad file is an error: starting on the default would silently drop IT's settings.
    pub(crate) fn load(file: Option<&Path>) -> Result<(PolicySource, PolicyReceiver), ServerError> {
        let default = Bytes::from_static(sendguard_core::default_policy_json().as_bytes());
        let (served, file) = match file {
            None => (ServedPolicy::new(default, false), None),
            Some(path) => {
                let place = Some(&path.display() as &dyn std::fmt::Display);
                let bytes = Bytes::from(read_limited(path).map_err(|error| {
                    ServerError::new(ServerErrorKind::PolicyRead, place, &error).with_source(error)
                })?);
                validate(&bytes).map_err(|message| {
                    ServerError::new(ServerErrorKind::PolicyInvalid, place, message)
                })?;
                (
                    ServedPolicy::new(bytes.clone(), true),
                    Some((path.to_owned(), bytes)),
                )
            }
        };
        let (sender, receiver) = watch::channel(served);
        Ok((PolicySource { sender, file }, receiver))
    }

    /// Starts polling the policy file every `interval`, if there is one (polling works
    /// on every file system and with editors that replace the file).
    pub(crate) fn watch(self, interval: Duration) -> Option<JoinHandle<()>> {
        let (path, accepted) = self.file?;
        Some(tokio::spawn(poll(path, interval, self.sender, accepted)))
    }
}

/// A policy is a few kilobytes; anything past this is not one (or is `/dev/zero`).
const MAX_POLICY_BYTES: u64 = 1024 * 1024;

fn read_limited(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    let file = std::fs::File::open(path)?;
    file.take(MAX_POLICY_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_POLICY_BYTES {
        let kib = MAX_POLICY_BYTES / 1024;
        let message = format!("larger than {kib} KiB, too large for a policy");
        return Err(std::io::Error::other(message));
    }
    Ok(bytes)
}

/// The core's verdict on a policy file's bytes, as the message to log.
fn validate(bytes: &[u8]) -> Result<(), String> {
    let text = std::str::from_utf8(bytes).map_err(|error| {
        let offset = error.valid_up_to();
        format!("not UTF-8 text (invalid byte at offset {offset})")
    })?;
    sendguard_core::Policy::from_json(text)
        .map(drop)
        .map_err(|error| error.to_string())
}

async fn poll(
    path: PathBuf,
    interval: Duration,
    sender: watch::Sender<Arc<ServedPolicy>>,
    accepted: Bytes,
) {
    let mut ticker = tokio::time::interval(interval);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    ticker.tick().await;
    // The bytes last looked at, accepted or not, and the last read error: each problem
    // is logged once, not on every tick.
    let (mut last_seen, mut last_error, mut candidate) = (accepted, None, None);
    let shown = path.display().to_string();
    loop {
        ticker.tick().await;
        let reading = path.clone();
        let read = tokio::task::spawn_blocking(move || read_limited(&reading)).await;
        let bytes = match read.unwrap_or_else(|error| Err(std::io::Error::other(error))) {
            Ok(bytes) => Bytes::from(bytes),
            Err(error) => {
                let message = Some(error.to_string());
                if last_error != message {
                    let error = message.as_deref();
                    tracing::warn!(
                        path = shown,
                        error,
                        "cannot read the policy file; still serving the previous policy"
                    );
                    last_error = message;
                }
                continue;
            }
        };
        if last_error.take().is_some() {
            tracing::info!(path = shown, "the policy file is readable again");
        }
        // An editor may be halfway through writing: act on new bytes only once two
        // reads a tick apart agree.
        if bytes == last_seen || candidate.replace(bytes.clone()) != Some(bytes.clone()) {
            continue;
        }
        candidate = None;
        last_seen = bytes.clone();
        match validate(&bytes) {
            Ok(()) => {
                let served = ServedPolicy::new(bytes, true);
                tracing::info!(path = shown, etag = served.etag, "policy reloaded");
                sender.send_replace(served);
            }
            Err(message) => {
                tracing::error!(
                    path = shown,
                    error = message,
                    "rejected the edited policy file; still serving the previous policy"
                );
                sender.send_modify(|current| {
                    let rejected_edit = Some(message);
                    *current = Arc::new(ServedPolicy {
                        rejected_edit,
                        ..ServedPolicy::clone(current)
                    });
                });
            }
        }
    }
}
