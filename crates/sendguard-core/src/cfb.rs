//! Compound File Binary (MS-CFB, "OLE structured storage"): the container of Outlook's
//! `.msg` files. A file of fixed-size sectors; a FAT of next-sector links (found through
//! the header's DIFAT) chains them into streams; a directory of 128-byte entries forms
//! a tree of storages (folders) and streams (files); streams under the cutoff (4 KiB)
//! live in 64-byte mini sectors inside one "mini stream".
//!
//! Every number in the file is hostile: a sector beyond the end, a chain that loops, a
//! stream declaring gigabytes, a directory tree that loops or nests a thousand deep.
//! Each becomes a [`CfbError`] saying what and where (the byte offset), never a panic,
//! a hang or an allocation the file's own size does not justify. The whole reader does
//! work proportional to the file: all streams together may not read more bytes than
//! the file has, twice over.

use std::fmt;

use crate::little_endian::{u16_at, u32_at, u64_at};

/// The first eight bytes of every compound file.
pub(crate) const MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
const FREE: u32 = 0xFFFF_FFFF;
const NO_ENTRY: u32 = 0xFFFF_FFFF;
const HEADER_DIFAT: usize = 109;
const ENTRY_BYTES: usize = 128;
const MINI_SECTOR: usize = 64;
const MINI_CUTOFF: u64 = 4096;
/// Storages inside storages: Outlook nests two per attached message; 64 levels is
/// far beyond any real file.
pub(crate) const MAX_DEPTH: usize = 64;

const TYPE_STORAGE: u8 = 1;
const TYPE_STREAM: u8 = 2;
const TYPE_ROOT: u8 = 5;

/// What is wrong with a compound file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CfbErrorKind {
    /// It does not start with the compound-file signature.
    NotCfb,
    /// The header's fields are impossible (sector size, byte order).
    BadHeader,
    /// A sector number points outside the file.
    OutOfRange,
    /// A sector chain or the directory tree comes back to itself.
    Loop,
    /// A chain ends before its stream's declared size.
    Truncated,
    /// A declared size is larger than the file can hold, or the streams together read
    /// more than the file has.
    TooLarge,
    /// A directory entry is impossible (unknown type, a child that does not exist).
    BadDirectory,
    /// Storages nest deeper than [`MAX_DEPTH`].
    TooDeep,
}

/// A compound file that cannot be read, with the byte offset where it goes wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CfbError {
    pub(crate) kind: CfbErrorKind,
    /// The byte offset in the file of the field or sector concerned, when there is one.
    pub(crate) offset: Option<u64>,
    pub(crate) detail: String,
}

impl CfbError {
    fn new(kind: CfbErrorKind, offset: Option<u64>, detail: impl Into<String>) -> Self {
        CfbError {
            kind,
            offset,
            detail: detail.into(),
        }
    }
}

impl fmt::Display for CfbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.detail)?;
        if let Some(offset) = self.offset {
            write!(f, " (at byte {offset})")?;
        }
        Ok(())
    }
}

/// One directory entry.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub(crate) name: String,
    kind: u8,
    left: u32,
    right: u32,
    child: u32,
    start: u32,
    size: u64,
    /// Byte offset of the entry in the file, for errors.
    at: u64,
}

impl Entry {
    pub(crate) fn is_storage(&self) -> bool {
        matches!(self.kind, TYPE_STORAGE | TYPE_ROOT)
    }
}

/// An opened compound file: its tables read and its directory tree checked.
#[derive(Debug)]
pub(crate) struct Cfb<'a> {
    bytes: &'a [u8],
    sector_size: usize,
    fat: Vec<u32>,
    mini_fat: Vec<u32>,
    mini_stream: Vec<u8>,
    entries: Vec<Entry>,
    /// The children of each storage, in directory order (sorted by name as the tree
    /// stores them); empty for streams.
    children: Vec<Vec<usize>>,
    /// Bytes all streams may still read together: twice the file's length at the start.
    budget: std::cell::Cell<usize>,
}

impl<'a> Cfb<'a> {
    /// Opens the file: header, DIFAT, FAT, directory, mini FAT and mini stream.
    pub(crate) fn open(bytes: &'a [u8]) -> Result<Cfb<'a>, CfbError> {
        if bytes.get(..8) != Some(&MAGIC[..]) {
            return Err(CfbError::new(
                CfbErrorKind::NotCfb,
                Some(0),
                "not a compound file (Outlook .msg): the signature D0 CF 11 E0 A1 B1 1A E1 is missing",
            ));
        }
        let field = |at: usize| u32_at(bytes, at).unwrap_or(0);
        let major = u16_at(bytes, 0x1A).unwrap_or(0);
        let shift = u16_at(bytes, 0x1E).unwrap_or(0);
        if u16_at(bytes, 0x1C) != Some(0xFFFE) {
            return Err(CfbError::new(
                CfbErrorKind::BadHeader,
                Some(0x1C),
                "the byte-order mark is not FFFE",
            ));
        }
        let sector_size = match (major, shift) {
            (3, 9) => 512,
            (4, 12) => 4096,
            _ => {
                return Err(CfbError::new(
                    CfbErrorKind::BadHeader,
                    Some(0x1A),
                    format!("version {major} with sector shift {shift} is not a compound file"),
                ));
            }
        };
        if bytes.len() < 512 {
            return Err(CfbError::new(
                CfbErrorKind::Truncated,
                Some(bytes.len() as u64),
                "the file ends inside its header",
            ));
        }
        // Sectors in the file; a last sector cut short still counts (read as far as it goes).
        let sectors = (bytes.len() - sector_size.min(bytes.len())).div_ceil(sector_size);
        let mut cfb = Cfb {
            bytes,
            sector_size,
            fat: Vec::new(),
            mini_fat: Vec::new(),
            mini_stream: Vec::new(),
            entries: Vec::new(),
            children: Vec::new(),
            budget: std::cell::Cell::new(bytes.len().saturating_mul(2)),
        };
        cfb.read_fat(
            field(0x2C) as usize,
            field(0x44),
            field(0x48) as usize,
            sectors,
        )?;
        let directory = cfb.chain_bytes(&cfb.fat, field(0x30), None, "the directory")?;
        cfb.read_entries(&directory, major)?;
        cfb.mini_fat = words(&cfb.chain_bytes(&cfb.fat, field(0x3C), None, "the mini FAT")?);
        if let Some(root) = cfb.entries.first() {
            let (start, size) = (root.start, root.size);
            if size > 0 {
                cfb.mini_stream =
                    cfb.chain_bytes(&cfb.fat, start, Some(size), "the mini stream")?;
            }
        }
        cfb.read_tree()?;
        Ok(cfb)
    }

    /// The root storage's index.
    pub(crate) fn root(&self) -> usize {
        0
    }

    pub(crate) fn entry(&self, index: usize) -> &Entry {
        &self.entries[index]
    }

    /// The children of a storage (none for a stream).
    pub(crate) fn children(&self, storage: usize) -> &[usize] {
        self.children.get(storage).map_or(&[], Vec::as_slice)
    }

    /// The child of `storage` named `name` (compared without case, as CFB does).
    pub(crate) fn child(&self, storage: usize, name: &str) -> Option<usize> {
        self.children(storage)
            .iter()
            .copied()
            .find(|&i| self.entries[i].name.eq_ignore_ascii_case(name))
    }

    /// The content of the stream at `index`.
    pub(crate) fn stream(&self, index: usize) -> Result<Vec<u8>, CfbError> {
        let entry = &self.entries[index];
        let what = format!("the stream `{}`", entry.name);
        if entry.kind != TYPE_STREAM {
            return Err(CfbError::new(
                CfbErrorKind::BadDirectory,
                Some(entry.at),
                format!("{what} is a storage, not a stream"),
            ));
        }
        if entry.size == 0 {
            return Ok(Vec::new());
        }
        if entry.size < MINI_CUTOFF {
            let start = entry.start;
            let sectors =
                self.chain(&self.mini_fat, start, Some(entry.size), MINI_SECTOR, &what)?;
            // Under the 4 KiB cutoff: fits any usize.
            let size = usize::try_from(entry.size).unwrap_or(0);
            let mut out = Vec::with_capacity(size);
            for sector in sectors {
                let piece = (sector as usize).checked_mul(MINI_SECTOR).and_then(|from| {
                    // A mini stream cut short still gives what it holds.
                    let to = from.checked_add(MINI_SECTOR)?.min(self.mini_stream.len());
                    self.mini_stream
                        .get(from..to)
                        .filter(|piece| !piece.is_empty())
                });
                let Some(piece) = piece else {
                    return Err(CfbError::new(
                        CfbErrorKind::OutOfRange,
                        Some(entry.at),
                        format!("{what}: mini sector {sector} is beyond the mini stream"),
                    ));
                };
                out.extend_from_slice(piece);
            }
            if out.len() < size {
                return Err(CfbError::new(
                    CfbErrorKind::Truncated,
                    Some(entry.at),
                    format!(
                        "{what} declares {size} bytes; the mini stream holds {}",
                        out.len()
                    ),
                ));
            }
            out.truncate(size);
            Ok(out)
        } else {
            self.chain_bytes(&self.fat, entry.start, Some(entry.size), &what)
        }
    }

    fn sector(&self, sector: u32) -> Option<&'a [u8]> {
        let from = (sector as usize)
            .checked_add(1)?
            .checked_mul(self.sector_size)?;
        let to = from.checked_add(self.sector_size)?.min(self.bytes.len());
        self.bytes.get(from..to).filter(|piece| !piece.is_empty())
    }

    fn offset_of(&self, sector: u32) -> u64 {
        (u64::from(sector) + 1) * self.sector_size as u64
    }

    /// The FAT: its sector numbers from the header's 109 DIFAT slots, then the DIFAT
    /// chain (each DIFAT sector's last slot links the next).
    fn read_fat(
        &mut self,
        fat_sectors: usize,
        mut difat: u32,
        difat_sectors: usize,
        sectors: usize,
    ) -> Result<(), CfbError> {
        if fat_sectors > sectors {
            return Err(CfbError::new(
                CfbErrorKind::TooLarge,
                Some(0x2C),
                format!("the header declares {fat_sectors} FAT sectors; the file has {sectors}"),
            ));
        }
        let mut listed: Vec<u32> = (0..HEADER_DIFAT)
            .filter_map(|i| u32_at(self.bytes, 0x4C + 4 * i))
            .collect();
        let per_sector = self.sector_size / 4 - 1;
        let mut seen = Vec::new();
        while difat != END_OF_CHAIN && difat != FREE && listed.len() < fat_sectors + HEADER_DIFAT {
            if seen.contains(&difat) || seen.len() > difat_sectors.max(sectors) {
                return Err(CfbError::new(
                    CfbErrorKind::Loop,
                    Some(self.offset_of(difat)),
                    "the DIFAT chain loops",
                ));
            }
            seen.push(difat);
            let Some(sector) = self.sector(difat) else {
                return Err(CfbError::new(
                    CfbErrorKind::OutOfRange,
                    Some(0x44),
                    format!("DIFAT sector {difat} is beyond the end of the file"),
                ));
            };
            listed.extend((0..per_sector).filter_map(|i| u32_at(sector, 4 * i)));
            difat = u32_at(sector, 4 * per_sector).unwrap_or(END_OF_CHAIN);
        }
        for &fat_sector in listed.iter().take(fat_sectors) {
            let Some(sector) = self.sector(fat_sector) else {
                return Err(CfbError::new(
                    CfbErrorKind::OutOfRange,
                    Some(0x4C),
                    format!("FAT sector {fat_sector} is beyond the end of the file"),
                ));
            };
            self.fat.extend(words(sector));
        }
        Ok(())
    }

    fn read_entries(&mut self, directory: &[u8], major: u16) -> Result<(), CfbError> {
        let first = self.offset_of(u32_at(self.bytes, 0x30).unwrap_or(0));
        for (index, raw) in directory.chunks_exact(ENTRY_BYTES).enumerate() {
            let at = first + (index * ENTRY_BYTES) as u64;
            let kind = raw[0x42];
            let name_bytes = usize::from(u16_at(raw, 0x40).unwrap_or(0)).min(64);
            let units: Vec<u16> = raw[..name_bytes]
                .chunks_exact(2)
                .map(|pair| u16::from_le_bytes([pair[0], pair[1]]))
                .take_while(|&unit| unit != 0)
                .collect();
            let size = u64_at(raw, 0x78).unwrap_or(0);
            self.entries.push(Entry {
                name: String::from_utf16_lossy(&units),
                kind,
                left: u32_at(raw, 0x44).unwrap_or(NO_ENTRY),
                right: u32_at(raw, 0x48).unwrap_or(NO_ENTRY),
                child: u32_at(raw, 0x4C).unwrap_or(NO_ENTRY),
                start: u32_at(raw, 0x74).unwrap_or(END_OF_CHAIN),
                // Version 3 files may leave garbage in the high half.
                size: if major == 3 { size & 0xFFFF_FFFF } else { size },
                at,
            });
        }
        match self.entries.first() {
            Some(root) if root.kind == TYPE_ROOT => Ok(()),
            Some(root) => Err(CfbError::new(
                CfbErrorKind::BadDirectory,
                Some(root.at),
                "the first directory entry is not the root storage",
            )),
            None => Err(CfbError::new(
                CfbErrorKind::BadDirectory,
                Some(0x30),
                "the directory is empty",
            )),
        }
    }

    /// Every storage's children, walking the tree from the root once. An entry reached
    /// twice (a loop, or one entry under two storages) is an error.
    fn read_tree(&mut self) -> Result<(), CfbError> {
        let count = self.entries.len();
        let mut reached = vec![false; count];
        let mut children = vec![Vec::new(); count];
        reached[0] = true;
        // (storage, depth) still to list.
        let mut storages = vec![(0usize, 0usize)];
        while let Some((storage, depth)) = storages.pop() {
            if depth > MAX_DEPTH {
                return Err(CfbError::new(
                    CfbErrorKind::TooDeep,
                    Some(self.entries[storage].at),
                    format!("storages nest deeper than {MAX_DEPTH} levels"),
                ));
            }
            let mut pending = vec![self.entries[storage].child];
            let mut found = Vec::new();
            while let Some(link) = pending.pop() {
                if link == NO_ENTRY {
                    continue;
                }
                let index = link as usize;
                let Some(entry) = self.entries.get(index) else {
                    return Err(CfbError::new(
                        CfbErrorKind::BadDirectory,
                        Some(self.entries[storage].at),
                        format!("directory entry {link} does not exist"),
                    ));
                };
                if std::mem::replace(&mut reached[index], true) {
                    return Err(CfbError::new(
                        CfbErrorKind::Loop,
                        Some(entry.at),
                        format!("directory entry {link} is reached twice"),
                    ));
                }
                if !matches!(entry.kind, TYPE_STORAGE | TYPE_STREAM) {
                    return Err(CfbError::new(
                        CfbErrorKind::BadDirectory,
                        Some(entry.at),
                        format!("directory entry {link} has type {}", entry.kind),
                    ));
                }
                pending.push(entry.right);
                pending.push(entry.left);
                found.push(index);
                if entry.kind == TYPE_STORAGE {
                    storages.push((index, depth + 1));
                }
            }
            found.sort_by(|&a, &b| self.entries[a].name.cmp(&self.entries[b].name));
            children[storage] = found;
        }
        self.children = children;
        Ok(())
    }

    /// The bytes of a FAT chain, cut to `size` (all of it when `None`).
    fn chain_bytes(
        &self,
        table: &[u32],
        start: u32,
        size: Option<u64>,
        what: &str,
    ) -> Result<Vec<u8>, CfbError> {
        if let Some(size) = size {
            if size > self.bytes.len() as u64 {
                return Err(CfbError::new(
                    CfbErrorKind::TooLarge,
                    None,
                    format!(
                        "{what} declares {size} bytes; the file has {}",
                        self.bytes.len()
                    ),
                ));
            }
        }
        let sectors = self.chain(table, start, size, self.sector_size, what)?;
        let mut out = Vec::with_capacity(sectors.len() * self.sector_size);
        for sector in sectors {
            // In range: `chain` checked every number against the table, and the table
            // only reaches sectors of the file. A cut-short last sector reads shorter.
            let piece = self.sector(sector).ok_or_else(|| {
                CfbError::new(
                    CfbErrorKind::OutOfRange,
                    Some(self.offset_of(sector)),
                    format!("{what}: sector {sector} is beyond the end of the file"),
                )
            })?;
            out.extend_from_slice(piece);
        }
        if let Some(size) = size {
            if (out.len() as u64) < size {
                return Err(CfbError::new(
                    CfbErrorKind::Truncated,
                    None,
                    format!(
                        "{what} declares {size} bytes; its sectors hold {}",
                        out.len()
                    ),
                ));
            }
            out.truncate(usize::try_from(size).unwrap_or(usize::MAX));
        }
        Ok(out)
    }

    /// The sector numbers of a chain starting at `start`: as many as `size` needs in
    /// sectors of `unit` bytes (the whole chain when `None`). Stops with an error at a
    /// number outside `table`, a sector seen before in this chain, or a chain that ends
    /// before `size` is covered.
    fn chain(
        &self,
        table: &[u32],
        start: u32,
        size: Option<u64>,
        unit: usize,
        what: &str,
    ) -> Result<Vec<u32>, CfbError> {
        let needed =
            size.map(|size| usize::try_from(size.div_ceil(unit as u64)).unwrap_or(usize::MAX));
        let mut out = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut sector = start;
        while sector != END_OF_CHAIN && needed.is_none_or(|needed| out.len() < needed) {
            let Some(&next) = table.get(sector as usize) else {
                if sector == FREE && size.is_none() {
                    break; // An absent table (no mini FAT, say) is empty.
                }
                return Err(CfbError::new(
                    CfbErrorKind::OutOfRange,
                    None,
                    format!("{what}: sector {sector} is outside the allocation table"),
                ));
            };
            if !seen.insert(sector) {
                return Err(CfbError::new(
                    CfbErrorKind::Loop,
                    None,
                    format!("{what}: its sector chain loops at sector {sector}"),
                ));
            }
            let left = self.budget.get();
            if left < unit {
                return Err(CfbError::new(
                    CfbErrorKind::TooLarge,
                    None,
                    format!("{what}: the streams together read more than the file holds"),
                ));
            }
            self.budget.set(left - unit);
            out.push(sector);
            sector = next;
        }
        if let Some(needed) = needed {
            if out.len() < needed {
                return Err(CfbError::new(
                    CfbErrorKind::Truncated,
                    None,
                    format!(
                        "{what}: its sector chain ends after {} of {needed} sectors",
                        out.len()
                    ),
                ));
            }
        }
        Ok(out)
    }
}

fn words(bytes: &[u8]) -> Vec<u32> {
    bytes
        .chunks_exact(4)
        .map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]]))
        .collect()
}

#[cfg(test)]
#[allow(clippy::cast_possible_truncation)] // test files of a few KiB: every count fits
pub(crate) mod tests {
    use super::*;

    /// A test compound file (version 3, 512-byte sectors): the given directory tree,
    /// every stream in the regular FAT (the writer pads streams under 4 KiB up to the
    /// cutoff? no: it writes small streams into the mini stream like Outlook does).
    #[derive(Debug, Clone)]
    pub(crate) enum Node {
        Stream(String, Vec<u8>),
        Storage(String, Vec<Node>),
    }

    /// Writes a version-3 compound file holding `nodes` under the root. Small streams
    /// go to the mini stream, as real writers put them; storages' children form a
    /// right-leaning list (a valid, if unbalanced, tree).
    pub(crate) fn write(nodes: &[Node]) -> Vec<u8> {
        struct Flat {
            name: String,
            kind: u8,
            child: u32,
            right: u32,
            data: Vec<u8>,
        }
        fn flatten(nodes: &[Node], out: &mut Vec<Flat>) -> u32 {
            let mut first = NO_ENTRY;
            let mut previous: Option<usize> = None;
            for node in nodes {
                let index = out.len();
                let (name, kind, data) = match node {
                    Node::Stream(name, data) => (name.clone(), TYPE_STREAM, data.clone()),
                    Node::Storage(name, _) => (name.clone(), TYPE_STORAGE, Vec::new()),
                };
                out.push(Flat {
                    name,
                    kind,
                    child: NO_ENTRY,
                    right: NO_ENTRY,
                    data,
                });
                if let Node::Storage(_, children) = node {
                    let child = flatten(children, out);
                    out[index].child = child;
                }
                match previous {
                    Some(p) => out[p].right = index as u32,
                    None => first = index as u32,
                }
                previous = Some(index);
            }
            first
        }
        let mut flat = vec![Flat {
            name: "Root Entry".into(),
            kind: TYPE_ROOT,
            child: NO_ENTRY,
            right: NO_ENTRY,
            data: Vec::new(),
        }];
        let child = flatten(nodes, &mut flat);
        flat[0].child = child;

        // Mini stream and mini FAT for the small streams, big ones in regular sectors.
        let mut mini = Vec::new();
        let mut mini_fat: Vec<u32> = Vec::new();
        let mut starts = vec![END_OF_CHAIN; flat.len()];
        let mut big: Vec<(usize, Vec<u8>)> = Vec::new();
        for (i, f) in flat.iter().enumerate().skip(1) {
            if f.kind != TYPE_STREAM || f.data.is_empty() {
                continue;
            }
            if (f.data.len() as u64) < MINI_CUTOFF {
                let first = (mini.len() / MINI_SECTOR) as u32;
                starts[i] = first;
                let count = f.data.len().div_ceil(MINI_SECTOR);
                for k in 0..count as u32 {
                    mini_fat.push(if k + 1 == count as u32 {
                        END_OF_CHAIN
                    } else {
                        first + k + 1
                    });
                }
                mini.extend_from_slice(&f.data);
                mini.resize(mini.len().div_ceil(MINI_SECTOR) * MINI_SECTOR, 0);
            } else {
                big.push((i, f.data.clone()));
            }
        }
        // Sector layout: [FAT sectors][directory][mini FAT][mini stream][big streams].
        let sector = 512usize;
        let count = |len: usize| len.div_ceil(sector);
        let dir_bytes = flat.len() * ENTRY_BYTES;
        let mini_fat_bytes = mini_fat.len() * 4;
        let mut content_sectors = count(dir_bytes) + count(mini_fat_bytes) + count(mini.len());
        content_sectors += big.iter().map(|(_, d)| count(d.len())).sum::<usize>();
        let mut fat_sectors = 1;
        while fat_sectors * 128 < fat_sectors + content_sectors {
            fat_sectors += 1;
        }
        assert!(fat_sectors <= HEADER_DIFAT, "test writer: too big");
        let mut fat: Vec<u32> = vec![0xFFFF_FFFD; fat_sectors];
        let mut body: Vec<u8> = Vec::new();
        let mut place = |data: &[u8], fat: &mut Vec<u32>| -> u32 {
            if data.is_empty() {
                return END_OF_CHAIN;
            }
            let first = fat.len() as u32;
            let n = count(data.len()) as u32;
            for k in 0..n {
                fat.push(if k + 1 == n {
                    END_OF_CHAIN
                } else {
                    first + k + 1
                });
            }
            body.extend_from_slice(data);
            body.resize(body.len().div_ceil(sector) * sector, 0);
            first
        };
        let mut dir = Vec::new();
        // Directory sectors are placed first, but their content needs the starts:
        // reserve them now, fill in later.
        let dir_first = place(&vec![0; dir_bytes], &mut fat);
        let mini_fat_raw: Vec<u8> = mini_fat.iter().flat_map(|w| w.to_le_bytes()).collect();
        let mini_fat_first = place(&mini_fat_raw, &mut fat);
        let mini_first = place(&mini, &mut fat);
        for (i, data) in &big {
            starts[*i] = place(data, &mut fat);
        }
        starts[0] = mini_first;
        for (i, f) in flat.iter().enumerate() {
            let mut raw = vec![0u8; ENTRY_BYTES];
            let units: Vec<u16> = f.name.encode_utf16().chain([0]).collect();
            for (k, unit) in units.iter().enumerate().take(32) {
                raw[2 * k..2 * k + 2].copy_from_slice(&unit.to_le_bytes());
            }
            let name_len = (units.len().min(32) * 2) as u16;
            raw[0x40..0x42].copy_from_slice(&name_len.to_le_bytes());
            raw[0x42] = f.kind;
            raw[0x43] = 1;
            raw[0x44..0x48].copy_from_slice(&NO_ENTRY.to_le_bytes());
            raw[0x48..0x4C].copy_from_slice(&f.right.to_le_bytes());
            raw[0x4C..0x50].copy_from_slice(&f.child.to_le_bytes());
            raw[0x74..0x78].copy_from_slice(&starts[i].to_le_bytes());
            let size = if i == 0 { mini.len() } else { f.data.len() } as u64;
            raw[0x78..0x80].copy_from_slice(&size.to_le_bytes());
            dir.extend_from_slice(&raw);
        }
        let dir_at = (dir_first as usize - fat_sectors) * sector;
        body[dir_at..dir_at + dir.len()].copy_from_slice(&dir);
        fat.resize(fat_sectors * 128, FREE);

        let mut out = vec![0u8; 512];
        out[..8].copy_from_slice(&MAGIC);
        out[0x18..0x1A].copy_from_slice(&0x3Eu16.to_le_bytes());
        out[0x1A..0x1C].copy_from_slice(&3u16.to_le_bytes());
        out[0x1C..0x1E].copy_from_slice(&0xFFFEu16.to_le_bytes());
        out[0x1E..0x20].copy_from_slice(&9u16.to_le_bytes());
        out[0x20..0x22].copy_from_slice(&6u16.to_le_bytes());
        out[0x2C..0x30].copy_from_slice(&(fat_sectors as u32).to_le_bytes());
        out[0x30..0x34].copy_from_slice(&dir_first.to_le_bytes());
        out[0x38..0x3C].copy_from_slice(&4096u32.to_le_bytes());
        out[0x3C..0x40].copy_from_slice(&mini_fat_first.to_le_bytes());
        out[0x40..0x44].copy_from_slice(&(count(mini_fat_bytes) as u32).to_le_bytes());
        out[0x44..0x48].copy_from_slice(&END_OF_CHAIN.to_le_bytes());
        for k in 0..HEADER_DIFAT {
            let value = if k < fat_sectors { k as u32 } else { FREE };
            out[0x4C + 4 * k..0x50 + 4 * k].copy_from_slice(&value.to_le_bytes());
        }
        out.extend(fat.iter().flat_map(|w| w.to_le_bytes()));
        out.extend_from_slice(&body);
        out
    }

    fn stream(name: &str, data: &[u8]) -> Node {
        Node::Stream(name.into(), data.to_vec())
    }

    #[test]
    fn reads_what_the_writer_wrote() {
        let big: Vec<u8> = (0..10_000u32).map(|i| i as u8).collect();
        let file = write(&[
            stream("small", b"hello"),
            Node::Storage(
                "folder".into(),
                vec![stream("inner", b"x"), stream("big", &big)],
            ),
        ]);
        let cfb = Cfb::open(&file).unwrap();
        let root = cfb.root();
        let small = cfb.child(root, "SMALL").unwrap();
        assert_eq!(cfb.stream(small).unwrap(), b"hello");
        let folder = cfb.child(root, "folder").unwrap();
        assert!(cfb.entry(folder).is_storage());
        assert_eq!(cfb.children(folder).len(), 2);
        let inner = cfb.child(folder, "inner").unwrap();
        assert_eq!(cfb.stream(inner).unwrap(), b"x");
        assert_eq!(cfb.stream(cfb.child(folder, "big").unwrap()).unwrap(), big);
        assert!(cfb.stream(folder).is_err());
    }

    fn sector_of(n: usize) -> usize {
        (n + 1) * 512
    }

    fn put(file: &mut [u8], at: usize, value: u32) {
        file[at..at + 4].copy_from_slice(&value.to_le_bytes());
    }

    /// The directory entry `index`'s byte offset in a file from [`write`].
    fn entry_at(file: &[u8], index: usize) -> usize {
        let fat_sectors = u32_at(file, 0x2C).unwrap() as usize;
        sector_of(fat_sectors) + index * ENTRY_BYTES
    }

    #[test]
    fn hostile_files_are_errors_with_a_place() {
        let big = vec![7u8; 5000];
        let good = write(&[stream("a", b"hello"), stream("big", &big)]);
        let open_kind = |file: &[u8]| Cfb::open(file).map(|_| ()).unwrap_err().kind;
        let stream_kind = |file: &[u8], name: &str| {
            let cfb = Cfb::open(file).unwrap();
            let index = cfb.child(0, name).unwrap();
            cfb.stream(index).unwrap_err()
        };

        assert_eq!(open_kind(b"PK\x03\x04"), CfbErrorKind::NotCfb);
        assert_eq!(open_kind(&good[..300]), CfbErrorKind::Truncated);
        let mut bad = good.clone();
        bad[0x1E] = 20;
        assert_eq!(open_kind(&bad), CfbErrorKind::BadHeader);

        // A FAT sector number beyond the file.
        let mut bad = good.clone();
        put(&mut bad, 0x4C, 999_999);
        let error = Cfb::open(&bad).unwrap_err();
        assert_eq!(error.kind, CfbErrorKind::OutOfRange);
        assert_eq!(error.offset, Some(0x4C));

        // The big stream's chain loops back to its own first sector.
        let mut bad = good.clone();
        let big_entry = entry_at(&bad, 2);
        let first = u32_at(&bad, big_entry + 0x74).unwrap();
        put(&mut bad, 512 + 4 * first as usize, first);
        assert_eq!(stream_kind(&bad, "big").kind, CfbErrorKind::Loop);

        // A declared size of 2^40 bytes.
        let mut bad = good.clone();
        bad[big_entry + 0x78..big_entry + 0x80].copy_from_slice(&(1u64 << 40).to_le_bytes());
        let error = Cfb::open(&bad).unwrap();
        assert!(error.child(0, "big").is_some());
        // Version 3 ignores the high half: 2^40 reads as 0. A size the file cannot
        // hold within the low half:
        bad[big_entry + 0x78..big_entry + 0x80].copy_from_slice(&0xFFFF_0000u64.to_le_bytes());
        assert_eq!(stream_kind(&bad, "big").kind, CfbErrorKind::TooLarge);

        // A chain that ends early.
        let mut bad = good.clone();
        bad[big_entry + 0x78..big_entry + 0x80].copy_from_slice(&6000u64.to_le_bytes());
        assert_eq!(stream_kind(&bad, "big").kind, CfbErrorKind::Truncated);

        // A small stream pointing beyond the mini FAT.
        let mut bad = good.clone();
        put(&mut bad, entry_at(&good, 1) + 0x74, 70_000);
        assert_eq!(stream_kind(&bad, "a").kind, CfbErrorKind::OutOfRange);

        // The directory tree loops: an entry is its own right sibling.
        let mut bad = good.clone();
        put(&mut bad, entry_at(&good, 1) + 0x48, 1);
        let error = Cfb::open(&bad).unwrap_err();
        assert_eq!(error.kind, CfbErrorKind::Loop);
        assert_eq!(error.offset, Some(entry_at(&good, 1) as u64));

        // A child that does not exist.
        let mut bad = good.clone();
        put(&mut bad, entry_at(&good, 0) + 0x4C, 4000);
        assert_eq!(open_kind(&bad), CfbErrorKind::BadDirectory);
    }

    #[test]
    fn deep_storages_are_an_error_not_a_stack_overflow() {
        let mut node = stream("leaf", b"x");
        for _ in 0..MAX_DEPTH + 2 {
            node = Node::Storage("s".into(), vec![node]);
        }
        let file = write(&[node]);
        assert_eq!(
            Cfb::open(&file).map(|_| ()).unwrap_err().kind,
            CfbErrorKind::TooDeep
        );
    }

    #[test]
    fn every_truncation_and_bit_flip_is_an_answer() {
        let big = vec![7u8; 5000];
        let good = write(&[
            stream("a", b"hello"),
            Node::Storage("s".into(), vec![stream("big", &big)]),
        ]);
        let read_all = |file: &[u8]| {
            if let Ok(cfb) = Cfb::open(file) {
                for index in 0..cfb.entries.len() {
                    let _ = cfb.stream(index);
                }
            }
        };
        for len in (0..good.len()).step_by(97) {
            read_all(&good[..len]);
        }
        for at in (0..good.len()).step_by(13) {
            let mut bad = good.clone();
            bad[at] ^= 0xFF;
            read_all(&bad);
        }
    }
}
