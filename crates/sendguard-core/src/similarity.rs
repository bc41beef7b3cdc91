//! How alike two short strings are: one edit distance for the whole core.
//!
//! Two users: the policy reader suggests the key a typo probably meant ("did you mean
//! `severity`?"), and `lookalike-recipient` measures how far a recipient's domain label
//! is from a known one. Both compare short strings (keys, domain labels of at most 63
//! characters), so the plain dynamic programme is enough; `edit_distance_within` stops
//! early when a limit is exceeded, which is what the per-recipient check needs.

/// Damerau–Levenshtein distance (optimal string alignment) over characters: insertions,
/// deletions, substitutions and swaps of two neighbours each cost 1.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    distance(&a, &b, usize::MAX).unwrap_or(usize::MAX)
}

/// The distance of `a` and `b` if it is at most `limit`, else `None` (cheaply: the
/// length difference alone often decides, and a row whose minimum exceeds the limit
/// ends the computation).
pub(crate) fn edit_distance_within(a: &[char], b: &[char], limit: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    distance(a, b, limit)
}

fn distance(a: &[char], b: &[char], limit: usize) -> Option<usize> {
    // Three rows: the one before the previous is needed for the swap of neighbours.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current: Vec<usize> = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        current[0] = i;
        let mut row_minimum = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (previous[j - 1] + cost)
                .min(previous[j] + 1)
                .min(current[j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(before[j - 2] + 1);
            }
            current[j] = best;
            row_minimum = row_minimum.min(best);
        }
        if row_minimum > limit {
            return None;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    let result = previous[b.len()];
    (result <= limit).then_some(result)
}

/// The closest candidate, if it is close enough to be what was meant: within a third of
/// its length (at least 2), or a prefix of it, or it a prefix of the input.
pub(crate) fn suggest<'c>(unknown: &str, candidates: &[&'c str]) -> Option<&'c str> {
    candidates
        .iter()
        .map(|candidate| (edit_distance(unknown, candidate), *candidate))
        .filter(|(distance, candidate)| {
            *distance <= 2.max(candidate.len() / 3)
                || unknown.starts_with(candidate)
                || candidate.starts_with(unknown)
        })
        .min()
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(text: &str) -> Vec<char> {
        text.chars().collect()
    }

    #[test]
    fn edit_distance_basics() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("abc", ""), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }

    #[test]
    fn a_swap_of_neighbours_costs_one() {
        assert_eq!(edit_distance("siemens", "seimens"), 1);
        assert_eq!(edit_distance("ab", "ba"), 1);
        // Optimal string alignment: a swapped pair is not edited again.
        assert_eq!(edit_distance("ca", "abc"), 3);
    }

    #[test]
    fn within_a_limit() {
        assert_eq!(
            edit_distance_within(&chars("gmail"), &chars("gmial"), 1),
            Some(1)
        );
        assert_eq!(
            edit_distance_within(&chars("gmail"), &chars("hotmail"), 2),
            None
        );
        assert_eq!(edit_distance_within(&chars("a"), &chars("abcd"), 2), None);
        assert_eq!(
            edit_distance_within(&chars("kitten"), &chars("sitting"), 3),
            Some(3)
        );
        assert_eq!(
            edit_distance_within(&chars("kitten"), &chars("sitting"), 2),
            None
        );
    }

    #[test]
    fn suggestions() {
        assert_eq!(
            suggest("severty", &["severity", "internal_domains"]),
            Some("severity")
        );
        assert_eq!(suggest("zzzzzz", &["severity", "internal_domains"]), None);
    }
}
