//! A sorted, newline-separated list searched in place.
//!
//! `build.rs` writes the domain data this way so that nothing is parsed or indexed at
//! start-up: a lookup is a binary search over byte offsets, stepping to line
//! boundaries. About 14 comparisons for the 10,000-rule Public Suffix List.

/// Lines sorted in byte order (as `str::cmp` orders them), without duplicates.
#[derive(Clone, Copy)]
pub(crate) struct SortedLines(pub(crate) &'static str);

impl SortedLines {
    /// Whether `needle` is one of the lines.
    pub(crate) fn contains(self, needle: &str) -> bool {
        let text = self.0;
        let bytes = text.as_bytes();
        // Invariant: `low` is the start of a line (or past the end); every line
        // starting before `low` is less than `needle`, every line starting at or after
        // `high` is greater.
        let (mut low, mut high) = (0, bytes.len());
        while low < high {
            let middle = low + (high - low) / 2;
            let start = bytes[low..middle]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(low, |i| low + i + 1);
            let end = bytes[start..high]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(high, |i| start + i);
            match text[start..end].cmp(needle) {
                std::cmp::Ordering::Equal => return true,
                std::cmp::Ordering::Less => low = end + 1,
                std::cmp::Ordering::Greater => high = start,
            }
        }
        false
    }

    /// How many lines there are.
    #[cfg(test)]
    pub(crate) fn len(self) -> usize {
        if self.0.is_empty() {
            0
        } else {
            self.0.matches('\n').count() + 1
        }
    }
}

/// A set of short strings (domain names) stored reversed and front-coded, as
/// `front_coding.rs` encodes it at build time: searched in place, no start-up work.
/// About a tenth smaller than [`SortedLines`] after gzip, as the module ships.
#[derive(Clone, Copy)]
pub(crate) struct ReversedSet(pub(crate) &'static [u8]);

impl ReversedSet {
    /// The block count, the offset table and the entries.
    fn parts(self) -> (usize, &'static [u8], &'static [u8]) {
        let Some((count, rest)) = self.0.split_first_chunk::<4>() else {
            return (0, &[], &[]);
        };
        let blocks = u32::from_le_bytes(*count) as usize;
        match rest.split_at_checked(blocks * 4) {
            Some((index, entries)) => (blocks, index, entries),
            None => (0, &[], &[]),
        }
    }

    /// Whether `needle` is one of the entries.
    pub(crate) fn contains(self, needle: &str) -> bool {
        use std::cmp::Ordering;
        const MAX: usize = 255;
        if needle.len() > MAX {
            return false;
        }
        let mut key = [0u8; MAX];
        for (slot, byte) in key.iter_mut().zip(needle.bytes().rev()) {
            *slot = byte;
        }
        let key = &key[..needle.len()];
        let (blocks, index, entries) = self.parts();
        let offset = |block: usize| {
            let b = &index[block * 4..block * 4 + 4];
            u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize
        };
        // The entry's bytes after its shared-length byte at `at`, up to its newline.
        let rest = |at: usize, end: usize| {
            let tail = entries.get(at + 1..end).unwrap_or(&[]);
            let length = tail.iter().position(|&b| b == b'\n').unwrap_or(tail.len());
            &tail[..length]
        };
        // A block's first entry is stored whole: [0][bytes]\n.
        let first = |block: usize| rest(offset(block), entries.len());
        // How many blocks start at or below `key`; the last of them may hold it.
        let (mut low, mut high) = (0, blocks);
        while low < high {
            let middle = low + (high - low) / 2;
            if first(middle) <= key {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        let Some(block) = low.checked_sub(1) else {
            return false;
        };
        let end = if low < blocks {
            offset(low)
        } else {
            entries.len()
        };
        let mut current = [0u8; MAX];
        let mut at = offset(block);
        while at + 2 <= end {
            let shared = entries[at] as usize;
            let suffix = rest(at, end);
            let length = shared + suffix.len();
            if length > MAX {
                return false;
            }
            current[shared..length].copy_from_slice(suffix);
            at += 2 + suffix.len();
            match current[..length].cmp(key) {
                Ordering::Equal => return true,
                Ordering::Greater => return false,
                Ordering::Less => {}
            }
        }
        false
    }

    /// How many entries there are.
    #[cfg(test)]
    pub(crate) fn len(self) -> usize {
        let (_, _, entries) = self.parts();
        let (mut count, mut at) = (0, 0);
        while at + 2 <= entries.len() {
            at += entries[at..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(entries.len(), |i| i + 1);
            count += 1;
        }
        count
    }
}

#[cfg(test)]
mod tests {
    fn reversed(words: &[&str]) -> ReversedSet {
        let bytes = crate::front_coding::encode(words.iter().copied()).unwrap();
        ReversedSet(Box::leak(bytes.into_boxed_slice()))
    }

    #[test]
    fn reversed_set_finds_every_entry_and_nothing_else() {
        // More than two blocks, with shared endings and prefixes of each other.
        let mut words: Vec<String> = (0..300)
            .map(|i| format!("host{i}.example{}.com", i % 7))
            .collect();
        words.extend(["com", "co.uk", "uk", "a", "example.com", "b.example.com"].map(String::from));
        let refs: Vec<&str> = words.iter().map(String::as_str).collect();
        let table = reversed(&refs);
        for word in &refs {
            assert!(table.contains(word), "{word}");
        }
        for absent in [
            "",
            "m",
            "om",
            "xcom",
            "host300.example6.com",
            "host1.example2.com",
            "k",
            "co",
            "example",
            "zzz",
            "0",
            "example.co.uk",
        ] {
            assert!(!table.contains(absent), "{absent}");
        }
        assert!(!table.contains(&"a".repeat(300)));
        assert_eq!(table.len(), refs.len());
    }

    #[test]
    fn reversed_set_edges() {
        assert!(!reversed(&[]).contains("a"));
        assert_eq!(reversed(&[]).len(), 0);
        assert!(reversed(&["a"]).contains("a"));
        assert!(!reversed(&["a"]).contains("b"));
        assert!(reversed(&["a", "b", "a"]).contains("b"));
        assert_eq!(reversed(&["a", "b", "a"]).len(), 2);
        assert!(crate::front_coding::encode([&*"x".repeat(256)]).is_err());
        assert!(crate::front_coding::encode(["a\nb"]).is_err());
    }

    use super::*;

    #[test]
    fn finds_every_line_and_nothing_else() {
        let words = [
            "a",
            "ab",
            "abc",
            "b",
            "ba",
            "c",
            "co.uk",
            "com",
            "de",
            "example.com",
        ];
        let joined = words.join("\n");
        let table = SortedLines(Box::leak(joined.into_boxed_str()));
        for word in words {
            assert!(table.contains(word), "{word}");
        }
        for absent in [
            "", "aa", "abd", "bb", "co", "d", "dd", "example", "zzz", "0",
        ] {
            assert!(!table.contains(absent), "{absent}");
        }
        assert_eq!(table.len(), words.len());
    }

    #[test]
    fn edge_sizes() {
        assert!(!SortedLines("").contains("a"));
        assert!(SortedLines("a").contains("a"));
        assert!(!SortedLines("a").contains("b"));
        assert!(SortedLines("a\nb").contains("b"));
        assert!(SortedLines("a\nb").contains("a"));
    }
}
