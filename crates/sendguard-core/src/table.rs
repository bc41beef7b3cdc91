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

#[cfg(test)]
mod tests {
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
