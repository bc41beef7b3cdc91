//! Static files: which folder answers which URL prefix, how a URL path becomes a file path
//! without ever leaving that folder, and a small cache of file contents and their tags.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::SystemTime;

use axum::body::Bytes;

use crate::etag::strong_etag;

/// Which security policy a file is served under; see [`crate::headers`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Area {
    /// Our own pages, the checker package and the Thunderbird files.
    Site,
    /// The Outlook task pane and event handler, which Outlook frames and which load
    /// Office.js from Microsoft's CDN.
    OutlookAddin,
}

/// A URL prefix served from a folder.
#[derive(Debug, Clone)]
pub(crate) struct Mount {
    /// Starts and ends with `/`.
    pub(crate) prefix: &'static str,
    pub(crate) dir: PathBuf,
    pub(crate) area: Area,
}

/// What a request path turned out to name.
#[derive(Debug)]
pub(crate) enum Lookup {
    /// A regular file inside its mount.
    File { path: PathBuf, area: Area },
    /// A folder asked for without its trailing slash: redirect so relative links work.
    AddSlash(String),
    /// Nothing servable there.
    NotFound,
    /// A path we refuse to map onto the file system at all (`..`, encoded separators,
    /// hidden files, backslashes, drive letters, control characters, bad escapes).
    Refused(&'static str),
}

/// Longest URL path we map to a file; anything longer is refused.
const MAX_PATH_BYTES: usize = 1024;
/// Deepest folder nesting we map; anything deeper is refused.
const MAX_SEGMENTS: usize = 32;

/// The folders the site is made of, longest prefix first, and the file cache.
#[derive(Debug)]
pub(crate) struct StaticSite {
    mounts: Vec<Mount>,
    cache: FileCache,
}

impl StaticSite {
    /// `mounts` are tried longest prefix first, whatever their order here.
    pub(crate) fn new(mut mounts: Vec<Mount>) -> StaticSite {
        mounts.sort_by_key(|mount| std::cmp::Reverse(mount.prefix.len()));
        StaticSite {
            mounts,
            cache: FileCache::default(),
        }
    }

    /// Maps a raw (still percent-encoded) URL path to a file, refusing anything that could
    /// name a file outside the mount's folder.
    pub(crate) async fn lookup(&self, raw_path: &str) -> Lookup {
        if raw_path.len() > MAX_PATH_BYTES {
            return Lookup::Refused("path too long");
        }
        // `/outlook` for the mount `/outlook/`: before the prefix search, which would
        // hand it to the site root.
        if let Some(mount) = self.mounts.iter().find(|mount| {
            mount.prefix.len() == raw_path.len() + 1 && mount.prefix.starts_with(raw_path)
        }) {
            return Lookup::AddSlash(mount.prefix.to_owned());
        }
        let Some(mount) = self
            .mounts
            .iter()
            .find(|mount| raw_path.starts_with(mount.prefix))
        else {
            return Lookup::NotFound;
        };
        let rest = &raw_path[mount.prefix.len()..];
        let names = match file_names(rest) {
            Ok(names) => names,
            Err(reason) => return Lookup::Refused(reason),
        };
        let mut path = mount.dir.clone();
        path.extend(&names);
        let wants_folder = rest.is_empty() || rest.ends_with('/');
        let Ok(mut metadata) = tokio::fs::metadata(&path).await else {
            return Lookup::NotFound;
        };
        if metadata.is_dir() {
            if !wants_folder {
                return Lookup::AddSlash(format!("{raw_path}/"));
            }
            path.push("index.html");
            metadata = match tokio::fs::metadata(&path).await {
                Ok(metadata) => metadata,
                Err(_) => return Lookup::NotFound,
            };
        } else if wants_folder {
            return Lookup::NotFound;
        }
        if !metadata.is_file() {
            return Lookup::NotFound;
        }
        // The names are clean, but a symbolic link inside the folder could still point out
        // of it: compare the real paths.
        let inside = match (
            tokio::fs::canonicalize(&path).await,
            tokio::fs::canonicalize(&mount.dir).await,
        ) {
            (Ok(real), Ok(root)) => real.starts_with(root),
            _ => false,
        };
        if !inside {
            return Lookup::NotFound;
        }
        Lookup::File {
            path,
            area: mount.area,
        }
    }

    /// The contents and tag of a file, from the cache while the file is unchanged.
    pub(crate) async fn read(&self, path: &Path) -> io::Result<Arc<CachedFile>> {
        self.cache.read(path).await
    }
}

/// Splits the part of a URL path after the mount prefix into file names, decoding
/// percent escapes and refusing every name that is not a plain file or folder name.
fn file_names(rest: &str) -> Result<Vec<String>, &'static str> {
    if rest.is_empty() {
        return Ok(Vec::new());
    }
    let mut segments: Vec<&str> = rest.split('/').collect();
    if segments.last() == Some(&"") {
        segments.pop();
    }
    if segments.len() > MAX_SEGMENTS {
        return Err("path too deep");
    }
    segments
        .into_iter()
        .map(|segment| {
            let name = percent_decode(segment)?;
            check_file_name(&name)?;
            Ok(name)
        })
        .collect()
}

/// Refuses names that are not plain names: empty (`//`), dot names (`.`, `..`, hidden
/// files such as `.git`), and anything carrying a separator, a drive letter or a
/// control character once decoded.
fn check_file_name(name: &str) -> Result<(), &'static str> {
    if name.is_empty() {
        return Err("empty path segment");
    }
    if name.starts_with('.') {
        return Err("dot segment or hidden file");
    }
    if name
        .chars()
        .any(|c| matches!(c, '/' | '\\' | ':') || c.is_control())
    {
        return Err("separator, drive letter or control character in a path segment");
    }
    Ok(())
}

fn percent_decode(segment: &str) -> Result<String, &'static str> {
    let bytes = segment.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            let high = bytes.get(index + 1).and_then(|&b| hex_value(b));
            let low = bytes.get(index + 2).and_then(|&b| hex_value(b));
            let (Some(high), Some(low)) = (high, low) else {
                return Err("malformed percent escape");
            };
            decoded.push(high << 4 | low);
            index += 3;
        } else {
            decoded.push(bytes[index]);
            index += 1;
        }
    }
    String::from_utf8(decoded).map_err(|_| "path is not UTF-8")
}

fn hex_value(byte: u8) -> Option<u8> {
    char::from(byte)
        .to_digit(16)
        .and_then(|digit| u8::try_from(digit).ok())
}

/// The media type for a file name, by extension. Unknown types are served as bytes,
/// and with `nosniff` no browser will guess otherwise.
pub(crate) fn content_type(path: &Path) -> &'static str {
    const TYPES: &[(&str, &str)] = &[
        ("html", "text/html; charset=utf-8"),
        ("htm", "text/html; charset=utf-8"),
        ("js", "text/javascript; charset=utf-8"),
        ("mjs", "text/javascript; charset=utf-8"),
        ("css", "text/css; charset=utf-8"),
        ("json", "application/json"),
        ("map", "application/json"),
        ("webmanifest", "application/manifest+json"),
        ("wasm", "application/wasm"),
        ("svg", "image/svg+xml"),
        ("png", "image/png"),
        ("jpg", "image/jpeg"),
        ("jpeg", "image/jpeg"),
        ("gif", "image/gif"),
        ("webp", "image/webp"),
        ("ico", "image/x-icon"),
        ("woff2", "font/woff2"),
        ("woff", "font/woff"),
        ("txt", "text/plain; charset=utf-8"),
        ("md", "text/markdown; charset=utf-8"),
        ("ts", "text/plain; charset=utf-8"),
        ("csv", "text/csv; charset=utf-8"),
        ("xml", "application/xml"),
        ("eml", "message/rfc822"),
        ("pdf", "application/pdf"),
        ("zip", "application/zip"),
        ("xpi", "application/x-xpinstall"),
    ];
    let extension = path
        .extension()
        .and_then(|extension| extension.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    TYPES
        .iter()
        .find(|(known, _)| *known == extension)
        .map_or("application/octet-stream", |(_, media_type)| media_type)
}

/// One file's contents and tag, valid while its length and modification time are.
#[derive(Debug)]
pub(crate) struct CachedFile {
    len: u64,
    modified: Option<SystemTime>,
    pub(crate) body: Bytes,
    pub(crate) etag: String,
}

/// Files larger than this are read for every request instead of being cached.
const MAX_CACHED_FILE: u64 = 16 * 1024 * 1024;
/// When the cache would grow past this, it starts over.
const MAX_CACHE_BYTES: u64 = 128 * 1024 * 1024;

/// Keeps served files in memory so that repeat requests cost one `stat`, not a read and
/// a hash. Entries are checked against the file's length and modification time on every
/// request, so a rebuilt add-in is served at once.
#[derive(Debug, Default)]
struct FileCache {
    state: Mutex<CacheState>,
}

#[derive(Debug, Default)]
struct CacheState {
    files: HashMap<PathBuf, Arc<CachedFile>>,
    bytes: u64,
}

impl FileCache {
    async fn read(&self, path: &Path) -> io::Result<Arc<CachedFile>> {
        let metadata = tokio::fs::metadata(path).await?;
        let modified = metadata.modified().ok();
        let cached = self.lock().files.get(path).cloned();
        let current = cached.filter(|file| {
            modified.is_some() && file.modified == modified && file.len == metadata.len()
        });
        if let Some(file) = current {
            return Ok(file);
        }
        let body = Bytes::from(tokio::fs::read(path).await?);
        let file = Arc::new(CachedFile {
            len: metadata.len(),
            modified,
            etag: strong_etag(&body),
            body,
        });
        if file.len <= MAX_CACHED_FILE {
            let mut state = self.lock();
            if state.bytes + file.len > MAX_CACHE_BYTES {
                state.files.clear();
                state.bytes = 0;
            }
            if let Some(old) = state.files.insert(path.to_owned(), Arc::clone(&file)) {
                state.bytes -= old.len;
            }
            state.bytes += file.len;
        }
        Ok(file)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, CacheState> {
        // The state is a plain map; a panic elsewhere cannot leave it half-updated in a
        // way that matters, so a poisoned lock is still usable.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_names_are_decoded() {
        assert_eq!(file_names(""), Ok(vec![]));
        assert_eq!(file_names("a/b.js"), Ok(vec!["a".into(), "b.js".into()]));
        assert_eq!(file_names("docs/"), Ok(vec!["docs".into()]));
        assert_eq!(file_names("my%20file.txt"), Ok(vec!["my file.txt".into()]));
        assert_eq!(file_names("b%C3%BCcher"), Ok(vec!["bücher".into()]));
    }

    #[test]
    fn escapes_from_the_folder_are_refused() {
        let attempts = [
            "..",
            "../etc/passwd",
            "a/../../etc/passwd",
            "%2e%2e/etc/passwd",
            "%2E%2E/etc/passwd",
            ".%2e/etc/passwd",
            "a%2f..%2f..%2fetc%2fpasswd",
            "..%5c..%5cwindows",
            "a\\..\\b",
            "C:%5cWindows",
            "c:/windows",
            "/etc/passwd",
            "a//b",
            ".git/config",
            ".env",
            "a/./b",
            "%00",
            "a%0ab",
            "%",
            "%2",
            "%zz",
            "%ff%fe",
        ];
        for attempt in attempts {
            assert!(file_names(attempt).is_err(), "{attempt} was accepted");
        }
    }

    #[test]
    fn deep_paths_are_refused() {
        assert!(file_names(&"a/".repeat(MAX_SEGMENTS + 1)).is_err());
        assert!(file_names(&"a/".repeat(MAX_SEGMENTS)).is_ok());
    }

    #[test]
    fn content_types_by_extension() {
        assert_eq!(
            content_type(Path::new("x/checker.wasm")),
            "application/wasm"
        );
        assert_eq!(
            content_type(Path::new("INDEX.HTML")),
            "text/html; charset=utf-8"
        );
        assert_eq!(content_type(Path::new("a.xpi")), "application/x-xpinstall");
        assert_eq!(content_type(Path::new("noext")), "application/octet-stream");
    }
}
