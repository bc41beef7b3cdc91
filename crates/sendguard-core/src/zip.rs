//! A small zip reader: the central directory (names, sizes, flags) and, within a
//! budget, the content of entries (stored or deflated). Enough to list what a
//! recipient unpacks; not a general archive library.
//!
//! Without a central directory (content cut short, as when an add-in sends only the
//! first bytes of a large file), the local headers are walked from the start instead,
//! and the caller reports the archive as not fully inspected.

use crate::little_endian::{u16_at, u32_at, u64_at};

/// One entry of an archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    /// The entry's path as stored, and the Info-ZIP Unicode path when it differs.
    pub(crate) names: Vec<String>,
    pub(crate) size: u64,
    pub(crate) compressed_size: u64,
    pub(crate) method: u16,
    pub(crate) encrypted: bool,
    /// Where the entry's local header starts.
    local_offset: u64,
}

/// What the directory said.
#[derive(Debug, Default)]
pub(crate) struct Listing {
    pub(crate) entries: Vec<Entry>,
    /// The directory was missing or cut short: the list may be incomplete.
    pub(crate) truncated: bool,
}

const EOCD: u32 = 0x0605_4b50;
const EOCD64_LOCATOR: u32 = 0x0706_4b50;
const EOCD64: u32 = 0x0606_4b50;
const CENTRAL: u32 = 0x0201_4b50;
const LOCAL: u32 = 0x0403_4b50;

fn index(value: u64) -> Option<usize> {
    usize::try_from(value).ok()
}

/// Whether the bytes start like a zip archive.
pub(crate) fn looks_like_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}

/// Lists an archive, at most `max_entries` entries.
pub(crate) fn list(bytes: &[u8], max_entries: usize) -> Listing {
    match central_directory(bytes, max_entries) {
        Some(listing) => listing,
        None => Listing {
            entries: local_headers(bytes, max_entries),
            truncated: true,
        },
    }
}

fn central_directory(bytes: &[u8], max_entries: usize) -> Option<Listing> {
    // The end record is in the last 64 KiB + 22 bytes (its comment is at most 64 KiB).
    let floor = bytes.len().saturating_sub(65_557);
    let eocd = (floor..bytes.len().saturating_sub(21))
        .rev()
        .find(|&at| u32_at(bytes, at) == Some(EOCD))?;
    let mut count = u64::from(u16_at(bytes, eocd + 10)?);
    let mut offset = u64::from(u32_at(bytes, eocd + 16)?);
    let wide = (count == 0xFFFF || offset == 0xFFFF_FFFF)
        && eocd >= 20
        && u32_at(bytes, eocd - 20) == Some(EOCD64_LOCATOR);
    if wide {
        let record = index(u64_at(bytes, eocd - 20 + 8)?)?;
        if u32_at(bytes, record) == Some(EOCD64) {
            count = u64_at(bytes, record + 32)?;
            offset = u64_at(bytes, record + 48)?;
        }
    }
    let mut listing = Listing::default();
    let mut at = index(offset)?;
    for _ in 0..count {
        if listing.entries.len() >= max_entries {
            listing.truncated = true;
            break;
        }
        if u32_at(bytes, at) != Some(CENTRAL) {
            listing.truncated = true;
            break;
        }
        let Some((entry, next)) = central_entry(bytes, at) else {
            listing.truncated = true;
            break;
        };
        listing.entries.push(entry);
        at = next;
    }
    Some(listing)
}

fn central_entry(bytes: &[u8], at: usize) -> Option<(Entry, usize)> {
    let flags = u16_at(bytes, at + 8)?;
    let method = u16_at(bytes, at + 10)?;
    let mut compressed_size = u64::from(u32_at(bytes, at + 20)?);
    let mut size = u64::from(u32_at(bytes, at + 24)?);
    let name_len = usize::from(u16_at(bytes, at + 28)?);
    let extra_len = usize::from(u16_at(bytes, at + 30)?);
    let comment_len = usize::from(u16_at(bytes, at + 32)?);
    let mut local_offset = u64::from(u32_at(bytes, at + 42)?);
    let name_start = at + 46;
    let raw_name = bytes.get(name_start..name_start + name_len)?;
    let extra = bytes.get(name_start + name_len..name_start + name_len + extra_len)?;
    let mut names = vec![entry_name(raw_name, flags & 0x0800 != 0)];
    // Extra fields: Zip64 sizes (0x0001) and the Info-ZIP Unicode path (0x7075).
    let mut cursor = 0;
    while cursor + 4 <= extra.len() {
        let id = u16_at(extra, cursor)?;
        let len = usize::from(u16_at(extra, cursor + 2)?);
        let Some(data) = extra.get(cursor + 4..cursor + 4 + len) else {
            break;
        };
        match id {
            0x0001 => {
                let mut field = 0;
                for value in [&mut size, &mut compressed_size, &mut local_offset] {
                    if *value == 0xFFFF_FFFF {
                        if let Some(wide) = u64_at(data, field) {
                            *value = wide;
                            field += 8;
                        }
                    }
                }
            }
            0x7075 if data.len() > 5 => {
                let unicode = String::from_utf8_lossy(&data[5..]).into_owned();
                if !names.contains(&unicode) {
                    names.push(unicode);
                }
            }
            _ => {}
        }
        cursor += 4 + len;
    }
    let entry = Entry {
        names,
        size,
        compressed_size,
        method,
        // Bit 0: encrypted; method 99: AES (WinZip), always encrypted.
        encrypted: flags & 1 != 0 || method == 99,
        local_offset,
    };
    Some((entry, name_start + name_len + extra_len + comment_len))
}

/// Names are UTF-8 when flag bit 11 says so, else code page 437 by the format; tools
/// write the local code page there, so anything that is not UTF-8 is read as
/// Windows-1252 (ASCII endings survive either way).
fn entry_name(raw: &[u8], utf8: bool) -> String {
    if utf8 {
        String::from_utf8_lossy(raw).into_owned()
    } else {
        crate::mime::charset::utf8_or_windows_1252(raw)
    }
}

/// Walks local headers from the start, as far as sizes allow.
fn local_headers(bytes: &[u8], max_entries: usize) -> Vec<Entry> {
    let mut entries = Vec::new();
    let mut at = 0usize;
    while entries.len() < max_entries && u32_at(bytes, at) == Some(LOCAL) {
        let Some(header) = local_header(bytes, at) else {
            break;
        };
        let next = header
            .data_start
            .checked_add(index(header.entry.compressed_size).unwrap_or(usize::MAX));
        // With a data descriptor (flag bit 3) the sizes come after the data: unknown.
        let known = header.flags & 0x0008 == 0;
        entries.push(header.entry);
        match next {
            Some(next) if known && next > at => at = next,
            _ => break,
        }
    }
    entries
}

struct LocalHeader {
    entry: Entry,
    flags: u16,
    data_start: usize,
}

fn local_header(bytes: &[u8], at: usize) -> Option<LocalHeader> {
    let flags = u16_at(bytes, at + 6)?;
    let method = u16_at(bytes, at + 8)?;
    let compressed_size = u64::from(u32_at(bytes, at + 18)?);
    let size = u64::from(u32_at(bytes, at + 22)?);
    let name_len = usize::from(u16_at(bytes, at + 26)?);
    let extra_len = usize::from(u16_at(bytes, at + 28)?);
    let raw_name = bytes.get(at + 30..at + 30 + name_len)?;
    Some(LocalHeader {
        entry: Entry {
            names: vec![entry_name(raw_name, flags & 0x0800 != 0)],
            size,
            compressed_size,
            method,
            encrypted: flags & 1 != 0 || method == 99,
            local_offset: at as u64,
        },
        flags,
        data_start: at + 30 + name_len + extra_len,
    })
}

/// Why an entry's content could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unread {
    Encrypted,
    /// A compression method other than stored or deflate.
    Unsupported,
    /// The data is cut short or corrupt.
    Unreadable,
}

/// The first `limit` bytes of an entry's content (all of it when smaller).
pub(crate) fn read(bytes: &[u8], entry: &Entry, limit: usize) -> Result<Vec<u8>, Unread> {
    if entry.encrypted {
        return Err(Unread::Encrypted);
    }
    let at = index(entry.local_offset).ok_or(Unread::Unreadable)?;
    if u32_at(bytes, at) != Some(LOCAL) {
        return Err(Unread::Unreadable);
    }
    let header = local_header(bytes, at).ok_or(Unread::Unreadable)?;
    let data = bytes.get(header.data_start..).ok_or(Unread::Unreadable)?;
    let data = match index(entry.compressed_size) {
        // With a data descriptor (flag bit 3) a local header may say 0: deflate data
        // ends by itself, so read on.
        Some(size) if size <= data.len() && !(size == 0 && header.flags & 0x0008 != 0) => {
            &data[..size]
        }
        _ => data,
    };
    match entry.method {
        0 => Ok(data[..data.len().min(limit)].to_vec()),
        8 => match miniz_oxide::inflate::decompress_to_vec_with_limit(data, limit) {
            Ok(out) => Ok(out),
            Err(error) if !error.output.is_empty() => {
                let mut out = error.output;
                out.truncate(limit);
                Ok(out)
            }
            Err(_) => Err(Unread::Unreadable),
        },
        _ => Err(Unread::Unsupported),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Builds a zip with stored entries (test helper for other modules too).
    pub(crate) fn stored_zip(entries: &[(&str, &[u8], bool)]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut central = Vec::new();
        for (name, data, encrypted) in entries {
            let offset = u32::try_from(out.len()).unwrap_or(0);
            let flags: u16 = if *encrypted { 1 } else { 0 };
            let size = u32::try_from(data.len()).unwrap_or(0);
            let name_len = u16::try_from(name.len()).unwrap_or(0);
            out.extend_from_slice(&LOCAL.to_le_bytes());
            out.extend_from_slice(&20u16.to_le_bytes());
            out.extend_from_slice(&flags.to_le_bytes());
            out.extend_from_slice(&0u16.to_le_bytes());
            out.extend_from_slice(&[0; 8]);
            out.extend_from_slice(&size.to_le_bytes());
            out.extend_from_slice(&size.to_le_bytes());
            out.extend_from_slice(&name_len.to_le_bytes());
            out.extend_from_slice(&0u16.to_le_bytes());
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(data);
            central.extend_from_slice(&CENTRAL.to_le_bytes());
            central.extend_from_slice(&20u16.to_le_bytes());
            central.extend_from_slice(&20u16.to_le_bytes());
            central.extend_from_slice(&flags.to_le_bytes());
            central.extend_from_slice(&0u16.to_le_bytes());
            central.extend_from_slice(&[0; 8]);
            central.extend_from_slice(&size.to_le_bytes());
            central.extend_from_slice(&size.to_le_bytes());
            central.extend_from_slice(&name_len.to_le_bytes());
            central.extend_from_slice(&[0; 12]);
            central.extend_from_slice(&offset.to_le_bytes());
            central.extend_from_slice(name.as_bytes());
        }
        let central_offset = u32::try_from(out.len()).unwrap_or(0);
        let central_size = u32::try_from(central.len()).unwrap_or(0);
        let count = u16::try_from(entries.len()).unwrap_or(0);
        out.extend_from_slice(&central);
        out.extend_from_slice(&EOCD.to_le_bytes());
        out.extend_from_slice(&[0; 4]);
        out.extend_from_slice(&count.to_le_bytes());
        out.extend_from_slice(&count.to_le_bytes());
        out.extend_from_slice(&central_size.to_le_bytes());
        out.extend_from_slice(&central_offset.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out
    }

    #[test]
    fn lists_and_reads_stored_entries() {
        let zip = stored_zip(&[
            ("a.txt", b"hello", false),
            ("dir/setup.exe", b"MZ\x90", false),
        ]);
        assert!(looks_like_zip(&zip));
        let listing = list(&zip, 100);
        assert!(!listing.truncated);
        assert_eq!(listing.entries.len(), 2);
        assert_eq!(listing.entries[1].names, ["dir/setup.exe"]);
        assert_eq!(read(&zip, &listing.entries[1], 2), Ok(b"MZ".to_vec()));
    }

    #[test]
    fn truncated_archive_falls_back_to_local_headers() {
        let zip = stored_zip(&[("a.txt", b"hello", false), ("b.exe", b"MZ", true)]);
        let cut = &zip[..60];
        let listing = list(cut, 100);
        assert!(listing.truncated);
        assert_eq!(listing.entries[0].names, ["a.txt"]);
        let full = list(&zip, 100);
        assert_eq!(read(&zip, &full.entries[1], 10), Err(Unread::Encrypted));
    }

    #[test]
    fn deflated_entry_is_inflated() {
        let data = b"MZ this is a program, this is a program, this is a program";
        let deflated = miniz_oxide::deflate::compress_to_vec(data, 6);
        let mut zip = stored_zip(&[("x.bin", &deflated, false)]);
        // Patch method (local at 8, central after local data at +10) to deflate, sizes.
        zip[8] = 8;
        let central = 30 + 5 + deflated.len();
        zip[central + 10] = 8;
        let size = u32::try_from(data.len()).unwrap_or(0).to_le_bytes();
        zip[22..26].copy_from_slice(&size);
        zip[central + 24..central + 28].copy_from_slice(&size);
        let listing = list(&zip, 10);
        assert_eq!(read(&zip, &listing.entries[0], 2), Ok(b"MZ".to_vec()));
        assert_eq!(read(&zip, &listing.entries[0], 1000), Ok(data.to_vec()));
    }
}
