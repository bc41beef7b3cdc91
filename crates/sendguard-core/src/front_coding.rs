//! The encoder of [`crate::table::ReversedSet`], shared by `build.rs` (which writes the
//! domain tables) and the table's tests.
//!
//! Domain names share their endings (`.com`, `.co.uk`), so each entry is stored
//! reversed byte by byte (`moc.elpmaxe`), sorted, and front-coded: an entry is
//! `[shared][suffix]\n`, where `shared` is how many leading bytes it has in common
//! with the entry before (entries never contain a newline; a terminator instead of a
//! length byte leaves gzip a more regular text). Every [`BLOCK`]th entry starts a block
//! and is stored whole; a table of block offsets makes the search a binary search over the
//! blocks' first entries and a short scan inside one block.
//!
//! Layout: `u32` block count (little-endian), one `u32` offset per block (from the
//! start of the entries), then the entries.

/// Entries per block: measured on the Public Suffix List and the domain lists, gzip -9
/// of the module shrinks little beyond 64, and a lookup scans at most 64 entries.
pub(crate) const BLOCK: usize = 64;

/// The longest entry the format holds (one byte for the shared length).
pub(crate) const MAX_ENTRY: usize = 255;

/// Encodes `entries` (in any order, duplicates allowed) into the table's bytes, or
/// names the first entry longer than [`MAX_ENTRY`] bytes.
pub(crate) fn encode<'a>(entries: impl IntoIterator<Item = &'a str>) -> Result<Vec<u8>, String> {
    let mut reversed: Vec<Vec<u8>> = Vec::new();
    for entry in entries {
        if entry.len() > MAX_ENTRY {
            return Err(format!("{entry:?} is longer than {MAX_ENTRY} bytes"));
        }
        if entry.contains('\n') {
            return Err(format!("{entry:?} contains a newline"));
        }
        reversed.push(entry.bytes().rev().collect());
    }
    reversed.sort();
    reversed.dedup();
    let mut offsets: Vec<u32> = Vec::new();
    let mut body: Vec<u8> = Vec::new();
    let mut previous: &[u8] = &[];
    for (i, entry) in reversed.iter().enumerate() {
        let shared = if i % BLOCK == 0 {
            offsets.push(u32::try_from(body.len()).map_err(|_| "table too large".to_string())?);
            0
        } else {
            entry
                .iter()
                .zip(previous)
                .take_while(|(a, b)| a == b)
                .count()
        };
        let suffix = &entry[shared..];
        // Both fit in a byte: no entry is longer than MAX_ENTRY.
        body.push(u8::try_from(shared).map_err(|_| "entry too long".to_string())?);
        body.extend_from_slice(suffix);
        body.push(b'\n');
        previous = entry;
    }
    let count = u32::try_from(offsets.len()).map_err(|_| "table too large".to_string())?;
    let mut bytes = count.to_le_bytes().to_vec();
    for offset in offsets {
        bytes.extend_from_slice(&offset.to_le_bytes());
    }
    bytes.extend_from_slice(&body);
    Ok(bytes)
}
