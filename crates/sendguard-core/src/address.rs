//! Recipient addresses: what one entry of To, Cc or Bcc holds, and a tolerant parser for
//! address lists that people paste (`a@x.de; "Doe, Jane" <jane@y.com>`, `Becker, Jonas
//! <jonas@x.de>` one per line, Excel's name and address columns).

use serde::{Deserialize, Serialize};

/// One mailbox in From, To, Cc or Bcc.
///
/// `address` is kept exactly as the draft gave it (fixes write it back unchanged); rules
/// compare it through [`Address::key`], which lower-cases it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Address {
    /// Display name, decoded (`Doe, Jane`), if the draft had one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The address, `local@domain`, as written.
    pub address: String,
    /// The RFC 5322 group this address was listed in (`Team: a@x, b@y;`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
}

impl Address {
    /// An address without display name or group.
    pub fn new(address: impl Into<String>) -> Self {
        Address {
            name: None,
            address: address.into(),
            group: None,
        }
    }

    /// The identity used to compare recipients: the address, trimmed and lower-cased.
    ///
    /// Local parts are case-sensitive in theory and never in practice; treating
    /// `Anna@X.de` and `anna@x.de` as one recipient is what users expect.
    pub fn key(&self) -> String {
        self.address.trim().to_lowercase()
    }

    /// The domain part (after the last `@`), if the entry is one plausible address.
    ///
    /// An entry that holds several addresses (`a@x.de b@y.de`, `a@x.de, b@y.de`) has no
    /// domain: it is one unusable entry, never one valid recipient at the last domain.
    /// A quoted local part (`"john doe"@a.example`) may hold anything else.
    ///
    /// A local part that routes the mail on to another host has no domain either: the
    /// percent hack (`user%evil.example@corp.example`) and UUCP bang paths
    /// (`evil.example!user@corp.example`) are delivered to `corp.example` first, and a
    /// relay that still honours them forwards the mail to a host that is nowhere in the
    /// domain. Such an entry is an invalid recipient, never an internal one; quoting
    /// does not change that, since relays read the local part unquoted.
    pub fn domain(&self) -> Option<&str> {
        let (local, domain) = self.address.trim().rsplit_once('@')?;
        if local.contains(['%', '!']) {
            return None;
        }
        let quoted = local.len() >= 2 && local.starts_with('"') && local.ends_with('"');
        let plain_local = !local.contains(|c: char| {
            c.is_whitespace()
                || matches!(
                    c,
                    '@' | '<' | '>' | ',' | ';' | ':' | '(' | ')' | '[' | ']' | '"' | '\\'
                )
        });
        (!local.is_empty() && !domain.is_empty() && (quoted || plain_local)).then_some(domain)
    }
}

/// Parses a pasted list of addresses, as people copy them out of Outlook, Excel, a web
/// page or a mail header, and returns the addresses and the pieces that are not one.
///
/// What it reads:
///
/// - separators: `;`, `,`, tabs and line breaks; a line break always ends an entry (an
///   unfinished quote or `<` spoils only its own line);
/// - `address`, `Name <address>`, `"Name" <address>`, `Name (address)`,
///   `address (comment)`, `mailto:address`;
/// - names with commas as Outlook and German address books write them, with or without
///   semicolons between entries: `Becker, Jonas <jonas.becker@x.de>` one per line is
///   one person, not `Becker` (rejected) and `Jonas <…>`. A run of comma-separated words
///   without `@` belongs to the named address that follows it; a run that no named
///   address follows is rejected as one piece;
/// - Excel's columns (cells separated by tabs): a row with exactly one cell holding an
///   address and other cells without `@` is one person, the other cells their name
///   (`Becker, Jonas⇥jonas.becker@x.de`, `Jonas⇥Becker⇥jonas.becker@x.de`);
/// - addresses separated only by blanks (`a@x.de b@y.de`), when every blank-separated
///   word is an address.
///
/// Nothing is guessed: `Anna anna@x.de` (a name without brackets) and
/// `anna berger@x.de` are rejected, not read as someone's address. Rejected pieces come
/// with their position (1-based, counting the pieces of the list: entries between
/// separators, an Excel row, a run of blank-separated addresses), so the user can
/// correct them; nothing is dropped silently.
///
/// ```
/// use sendguard_core::parse_address_list;
///
/// let (addresses, rejected) = parse_address_list(
///     "Becker, Jonas <jonas@example.com>\nbob@example.org carla@example.org\nnot an address",
/// );
/// assert_eq!(addresses.len(), 3);
/// assert_eq!(addresses[0].name.as_deref(), Some("Becker, Jonas"));
/// assert_eq!(rejected, vec![(3, "not an address".to_string())]);
/// ```
pub fn parse_address_list(text: &str) -> (Vec<Address>, Vec<(usize, String)>) {
    let mut addresses = Vec::new();
    let mut rejected = Vec::new();
    let mut position = 0;
    for piece in pieces(text) {
        position += 1;
        match piece {
            Piece::Row(address) => addresses.push(address),
            Piece::Entry(entry) => match parse_entry(&entry) {
                Some(found) => addresses.extend(found),
                None => rejected.push((position, entry)),
            },
        }
    }
    (addresses, rejected)
}

/// One entry of a pasted list: text still to read, or an Excel row already read.
enum Piece {
    Entry(String),
    Row(Address),
}

/// The entries of a pasted list: line by line, a line cell by cell (tabs), a cell
/// split at `,` and `;` with names that contain commas put back together.
fn pieces(text: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    for line in text.split(['\n', '\r']) {
        let cells = split_top_level(line, &['\t']);
        if cells.len() > 1
            && let Some(address) = excel_row(&cells)
        {
            out.push(Piece::Row(address));
            continue;
        }
        for (cell, _) in &cells {
            out.extend(cell_entries(cell).into_iter().map(Piece::Entry));
        }
    }
    out
}

/// Splits at `separators`, outside quotes, angle brackets and
/// comments. Pieces keep their text as written (untrimmed).
fn split_top_level(text: &str, separators: &[char]) -> Vec<(String, Option<char>)> {
    let mut pieces = Vec::new();
    let mut current = String::new();
    let mut in_quotes = false;
    let mut in_angle = false;
    let mut comment_depth = 0usize;
    let mut escaped = false;
    for c in text.chars() {
        if escaped {
            escaped = false;
            current.push(c);
            continue;
        }
        let top = !in_quotes && !in_angle && comment_depth == 0;
        if top && separators.contains(&c) {
            pieces.push((std::mem::take(&mut current), Some(c)));
            continue;
        }
        match c {
            '\\' if in_quotes => escaped = true,
            '"' if comment_depth == 0 => in_quotes = !in_quotes,
            '(' if !in_quotes => comment_depth += 1,
            ')' if !in_quotes && comment_depth > 0 => comment_depth -= 1,
            '<' if !in_quotes && comment_depth == 0 => in_angle = true,
            '>' if !in_quotes && comment_depth == 0 => in_angle = false,
            _ => {}
        }
        current.push(c);
    }
    pieces.push((current, None));
    pieces
}

/// A word that may be part of a display name: no address, no brackets or quotes.
fn name_word(token: &str) -> bool {
    !token.contains(['@', '<', '>', '(', ')', '"'])
}

/// A named address: `Name <address>` or `Name (address)`.
fn named_address(token: &str) -> bool {
    token.contains('@') && token.contains(['<', '('])
}

/// One cell's entries: split at `,` and `;`, then a run of comma-separated name words
/// joined to the named address after it (`Becker, Jonas <j@x.de>`), or kept together
/// as one rejected piece when none follows.
fn cell_entries(cell: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut run: Option<String> = None;
    for (token, separator) in split_top_level(cell, &[',', ';']) {
        let token = token.trim();
        if token.is_empty() {
            out.extend(run.take());
            continue;
        }
        if name_word(token) {
            let joined = match run.take() {
                Some(words) => format!("{words}, {token}"),
                None => token.to_string(),
            };
            if separator == Some(',') {
                run = Some(joined);
            } else {
                out.push(joined);
            }
            continue;
        }
        match run.take() {
            Some(words) if named_address(token) => out.push(format!("{words}, {token}")),
            Some(words) => {
                out.push(words);
                out.push(token.to_string());
            }
            None => out.push(token.to_string()),
        }
    }
    out.extend(run);
    out
}

/// An Excel row: exactly one cell is an address without a name, the others hold no
/// `@` and become the name (joined by a space). Anything else is not a row.
fn excel_row(cells: &[(String, Option<char>)]) -> Option<Address> {
    let cells: Vec<&str> = cells
        .iter()
        .map(|(cell, _)| cell.trim())
        .filter(|cell| !cell.is_empty())
        .collect();
    let mut with_at = cells.iter().filter(|cell| cell.contains('@'));
    let address_cell = *with_at.next()?;
    if with_at.next().is_some() {
        return None;
    }
    let address = parse_mailbox(address_cell).filter(|a| a.name.is_none())?;
    let name: Vec<String> = cells
        .iter()
        .filter(|cell| **cell != address_cell)
        .map(|cell| crate::mime::addresses::unquote(cell))
        .collect();
    if name
        .iter()
        .any(|part| !name_word(part) && part.contains(['<', '>']))
    {
        return None;
    }
    let name = name.join(" ");
    let name = name.trim();
    Some(Address {
        name: (!name.is_empty()).then(|| name.to_string()),
        ..address
    })
}

/// One entry: a mailbox, several `Name <address>` in a row, or addresses separated by
/// blanks only.
fn parse_entry(entry: &str) -> Option<Vec<Address>> {
    if let Some(address) = parse_mailbox(entry) {
        return Some(vec![address]);
    }
    // `Anna <a@x.de> Bob <b@y.de>`: split after each `>`.
    if entry.matches('>').count() > 1 && !entry.contains('"') {
        let mut found = Vec::new();
        let mut rest = entry;
        while let Some(close) = rest.find('>') {
            found.push(parse_mailbox(rest[..=close].trim())?);
            rest = &rest[close + 1..];
        }
        return rest.trim().is_empty().then_some(found);
    }
    // `a@x.de b@y.de`: every blank-separated word an address.
    if !entry.contains(['<', '(', '"']) {
        let words: Vec<&str> = entry.split_whitespace().collect();
        if words.len() > 1 && words.iter().all(|word| word.contains('@')) {
            return words.iter().map(|word| parse_mailbox(word)).collect();
        }
    }
    None
}

/// `Name <address>`, `<address>`, `Name (address)`, `address`, or `address (comment)`.
fn parse_mailbox(piece: &str) -> Option<Address> {
    let unquote = crate::mime::addresses::unquote;
    if let Some(open) = piece.rfind('<') {
        let close = piece[open..].find('>').map(|i| open + i)?;
        let address = piece[open + 1..close].trim();
        let name = unquote(piece[..open].trim());
        let after = piece[close + 1..].trim();
        // Whatever follows must be a comment; a name must not hide another address.
        let after_is_comment = after.is_empty()
            || (after.starts_with('(') && after.ends_with(')') && !after.contains('@'));
        if !address.contains('@') || !after_is_comment || name.contains(['<', '>']) {
            return None;
        }
        return Some(Address {
            name: (!name.is_empty()).then_some(name),
            address: strip_mailto(address).to_string(),
            group: None,
        });
    }
    if let Some(open) = piece.find('(')
        && piece.ends_with(')')
    {
        let before = piece[..open].trim();
        let inner = strip_mailto(piece[open + 1..piece.len() - 1].trim());
        let bare = |s: &str| {
            s.contains('@') && !s.contains(|c: char| c.is_whitespace() || "()<>\",;".contains(c))
        };
        if !before.is_empty() && !before.contains('@') && bare(inner) {
            // `Becker, Jonas (jonas.becker@x.de)`: the name, then the address.
            return Some(Address {
                name: Some(unquote(before)),
                address: inner.to_string(),
                group: None,
            });
        }
    }
    // `address (comment)`: the comment runs to the end and holds no other address.
    let bare = match piece.find('(') {
        Some(open) if piece.ends_with(')') && !piece[open..].contains('@') => piece[..open].trim(),
        Some(_) => return None,
        None => piece,
    };
    let bare = strip_mailto(bare.trim_matches(|c: char| c == '\'' || c == '"'));
    (bare.contains('@') && !bare.contains(|c: char| c.is_whitespace() || "<>,;\"".contains(c)))
        .then(|| Address::new(bare))
}

fn strip_mailto(address: &str) -> &str {
    address
        .get(..7)
        .filter(|prefix| prefix.eq_ignore_ascii_case("mailto:"))
        .map_or(address, |_| &address[7..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outlook_style_semicolons_and_names_with_commas() {
        let (list, rejected) =
            parse_address_list("Müller, Hans <hans@x.de>; \"Doe; Jane\" <jane@y.com>;; ");
        assert!(rejected.is_empty());
        assert_eq!(list.len(), 2);
        assert_eq!(list[0].name.as_deref(), Some("Müller, Hans"));
        assert_eq!(list[1].name.as_deref(), Some("Doe; Jane"));
    }

    #[test]
    fn bare_mailto_and_comment_forms() {
        let (list, _) = parse_address_list("mailto:A@B.de, c@d.de (Carla)\t'e@f.de'");
        let addresses: Vec<_> = list.iter().map(|a| a.address.as_str()).collect();
        assert_eq!(addresses, ["A@B.de", "c@d.de", "e@f.de"]);
    }

    #[test]
    fn garbage_is_reported_not_dropped() {
        let (list, rejected) = parse_address_list("<>, <no-at>, \"unterminated");
        assert!(list.is_empty());
        assert_eq!(rejected.len(), 3);
    }

    /// Every `@` of the input ends up in an address or a rejected piece: nothing a
    /// person pasted is dropped silently.
    fn nothing_lost(input: &str) {
        let (list, rejected) = parse_address_list(input);
        let kept: usize = list
            .iter()
            .map(|a| a.address.matches('@').count())
            .sum::<usize>()
            + list
                .iter()
                .filter_map(|a| a.name.as_deref())
                .map(|n| n.matches('@').count())
                .sum::<usize>()
            + rejected
                .iter()
                .map(|(_, r)| r.matches('@').count())
                .sum::<usize>();
        assert_eq!(
            kept,
            input.matches('@').count(),
            "{input:?} -> {list:?} {rejected:?}"
        );
    }

    #[test]
    fn pasted_forms_lose_nobody() {
        let people = [
            "Becker, Jonas <jonas.becker@firma.de>",
            "\"Doe, Jane\" <jane@example.com>",
            "Anna Müller (anna@y.de)",
            "c@d.de (Carla, Vertrieb)",
            "bare@x.de",
            "mailto:m@x.de",
            "Becker, Jonas\tj@x.de",
            "Name only",
            "<no-at>",
            "a@x.de b@y.de",
            "Anna <a@x.de> Bob <b@y.de>",
            "Anna <a@x.de> b@y.de",
            "\"unterminated <u@x.de>",
            "Broken <b@x.de",
        ];
        for separator in ["\n", "\r\n", "; ", ", ", "\t", " "] {
            for a in people {
                for b in people {
                    nothing_lost(&format!("{a}{separator}{b}"));
                }
            }
        }
    }

    #[test]
    fn an_unfinished_quote_spoils_only_its_line() {
        let (list, rejected) =
            parse_address_list("\"Becker, Jonas <j@x.de>\nanna@y.de\nBroken <b@x.de\nc@z.de");
        let addresses: Vec<_> = list.iter().map(|a| a.address.as_str()).collect();
        assert!(
            addresses.contains(&"anna@y.de") && addresses.contains(&"c@z.de"),
            "{list:?}"
        );
        assert!(rejected.iter().any(|(_, piece)| piece == "Broken <b@x.de"));
    }

    #[test]
    fn hostile_inputs_are_linear_and_never_panic() {
        let started = std::time::Instant::now();
        let inputs = [
            ",".repeat(200_000),
            "a,".repeat(100_000),
            "(".repeat(100_000) + "a@x.de",
            ")".repeat(100_000),
            "<".repeat(100_000),
            "\"".repeat(100_001),
            "\t".repeat(100_000) + "a@x.de",
            "Becker, Jonas\tj@x.de\n".repeat(20_000),
            "a@x.de ".repeat(50_000),
            "Anna <a@x.de> ".repeat(20_000),
            "\u{202E}\0\u{FEFF}@\u{0}<>()".repeat(10_000),
        ];
        for input in &inputs {
            let (list, rejected) = parse_address_list(input);
            assert!(list.len() + rejected.len() <= input.len() + 1);
        }
        assert_eq!(
            parse_address_list(&"a@x.de ".repeat(50_000)).0.len(),
            50_000
        );
        assert_eq!(
            parse_address_list(&"Becker, Jonas\tj@x.de\n".repeat(20_000))
                .0
                .len(),
            20_000
        );
        // Debug build, shared machine: generous, but quadratic would take minutes.
        assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
    }

    #[test]
    fn key_lowercases_and_domain_needs_both_parts() {
        let a = Address::new(" Anna@Example.COM ");
        assert_eq!(a.key(), "anna@example.com");
        assert_eq!(a.domain(), Some("Example.COM"));
        assert_eq!(Address::new("@x.de").domain(), None);
        assert_eq!(Address::new("anna@").domain(), None);
        assert_eq!(Address::new("a@x.de b@y.de").domain(), None);
        assert_eq!(Address::new("a@x.de, b@y.de").domain(), None);
        assert_eq!(
            Address::new("\"john doe\"@a.example").domain(),
            Some("a.example")
        );
    }

    #[test]
    fn percent_hack_and_bang_paths_have_no_domain() {
        for routed in [
            "user%evil.example@corp.example",
            "user%evil.example%relay.example@corp.example",
            "%@corp.example",
            "evil.example!user@corp.example",
            "a!b!user@corp.example",
            "\"user%evil.example\"@corp.example",
            "\"evil.example!user\"@corp.example",
        ] {
            assert_eq!(Address::new(routed).domain(), None, "{routed}");
        }
        assert_eq!(
            Address::new("user@corp.example").domain(),
            Some("corp.example")
        );
    }
}
