//! Address fields (`To`, `Cc`, `Resent-To`, …) read the way that exposes the most.
//!
//! RFC 5322 grammar, plus what receivers do with broken headers: a `"` or `<` that is
//! never closed does not swallow the rest of the list (it is read as an ordinary
//! character), comments are dropped wherever they stand (`bob(c)@(c)b.example`), entries
//! separated only by blanks are separate recipients, and an encoded word is never
//! decoded inside an address (RFC 2047 §5 forbids it), so one that hides an address
//! stays unusable and is reported as such.

use super::charset;
use super::header::{decode_words, split_outside_quotes};
use crate::address::Address;

/// How often an unbalanced `"`, `<` or `(` is read again as a plain character before
/// the rest of the field counts as the unfinished quote or comment.
const MAX_RESCANS: usize = 8;

/// The mailboxes of one address field, in order, with their group names.
pub(crate) fn parse(raw: &[u8]) -> Vec<Address> {
    let text = charset::utf8_or_windows_1252(raw);
    let mut literal = Vec::new();
    let entries = loop {
        match scan(&text, &literal) {
            Ok(entries) => break entries,
            Err(position) if literal.len() < MAX_RESCANS => literal.push(position),
            Err(_) => break scan_lenient(&text, &literal),
        }
    };
    let mut out = Vec::new();
    for entry in entries {
        mailboxes(&entry.text, entry.group.as_deref(), &mut out);
    }
    out
}

struct Entry {
    group: Option<String>,
    text: String,
}

/// Splits the field into entries. Fails with the position of an opening `"`, `<` or
/// `(` that is never closed, unless it is listed in `literal`.
fn scan(text: &str, literal: &[usize]) -> Result<Vec<Entry>, usize> {
    let (entries, open) = scan_inner(text, literal);
    match open {
        Some(position) => Err(position),
        None => Ok(entries),
    }
}

fn scan_lenient(text: &str, literal: &[usize]) -> Vec<Entry> {
    scan_inner(text, literal).0
}

fn scan_inner(text: &str, literal: &[usize]) -> (Vec<Entry>, Option<usize>) {
    let mut entries = Vec::new();
    let mut current = String::new();
    let mut group: Option<String> = None;
    let mut quote: Option<usize> = None;
    let mut angle: Option<usize> = None;
    let mut comment: Option<usize> = None;
    let mut depth = 0usize;
    let mut escaped = false;
    let mut finish = |current: &mut String, group: &Option<String>| {
        let text = std::mem::take(current);
        if !text.trim().is_empty() {
            entries.push(Entry {
                group: group.clone(),
                text,
            });
        }
    };
    for (position, c) in text.char_indices() {
        if escaped {
            escaped = false;
            if depth == 0 {
                current.push(c);
            }
            continue;
        }
        let plain = literal.contains(&position);
        if depth > 0 {
            match c {
                '\\' => escaped = true,
                '(' if !plain => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        comment = None;
                        current.push(' ');
                    }
                }
                _ => {}
            }
            continue;
        }
        if quote.is_some() {
            match c {
                '\\' => {
                    escaped = true;
                    current.push(c);
                }
                '"' => {
                    quote = None;
                    current.push(c);
                }
                _ => current.push(c),
            }
            continue;
        }
        match c {
            _ if plain => current.push(c),
            '"' => {
                quote = Some(position);
                current.push(c);
            }
            '(' => {
                depth = 1;
                comment = Some(position);
            }
            '<' => {
                // A second `<` before any `>`: the first was not an opening.
                angle = Some(position);
                current.push(c);
            }
            '>' => {
                angle = None;
                current.push(c);
            }
            ',' if angle.is_none() => finish(&mut current, &group),
            ':' if angle.is_none() && group.is_none() && !current.contains('@') => {
                let name = decode_words(current.trim());
                current.clear();
                group = Some(unquote(&name));
            }
            ';' if angle.is_none() => {
                finish(&mut current, &group);
                group = None;
            }
            _ => current.push(c),
        }
    }
    let open = quote.or(comment).or(angle);
    finish(&mut current, &group);
    (entries, open)
}

/// One entry's mailboxes: `Name <addr>`, `addr`, or several addresses separated only
/// by blanks (each is one).
fn mailboxes(entry: &str, group: Option<&str>, out: &mut Vec<Address>) {
    let group = group
        .map(str::trim)
        .filter(|g| !g.is_empty())
        .map(str::to_string);
    let push = |out: &mut Vec<Address>, name: Option<String>, address: String| {
        out.push(Address {
            name: name.filter(|n| !n.is_empty() && *n != address),
            address,
            group: group.clone(),
        });
    };
    if let Some((open, close)) = angle_brackets(entry) {
        let name = unquote(&decode_words(entry[..open].trim()));
        let inside = strip_route(&entry[open + 1..close]);
        let mut tokens = addr_tokens(inside);
        let first = if tokens.is_empty() {
            String::new()
        } else {
            tokens.remove(0)
        };
        if !first.is_empty() {
            push(out, Some(name), first);
        } else if !name.is_empty() {
            // `Name <>`: no address, but the entry is there; reported as unusable.
            push(out, None, name);
        }
        for token in tokens {
            push(out, None, token);
        }
        // Text after `>` that holds more addresses: recipients too.
        for token in addr_tokens(&entry[close + 1..]) {
            if token.contains('@') {
                push(out, None, token);
            }
        }
        return;
    }
    // A stray `<`, `>` or `(` left by a broken field is not part of the address.
    let tokens: Vec<String> = addr_tokens(entry)
        .into_iter()
        .map(|token| token.trim_matches(['<', '>', '(', ')']).to_string())
        .filter(|token| !token.is_empty())
        .collect();
    let with_at: Vec<&String> = tokens.iter().filter(|t| t.contains('@')).collect();
    match with_at.len() {
        // No address at all: keep the words, so the entry is reported as unusable.
        0 => {
            // Not decoded: an encoded word that hides an address is no address.
            let words = tokens.join(" ");
            if !words.is_empty() {
                push(out, None, words);
            }
        }
        1 => {
            let address = with_at[0].clone();
            let name: Vec<&str> = tokens
                .iter()
                .filter(|t| !t.contains('@'))
                .map(String::as_str)
                .collect();
            push(out, Some(unquote(&decode_words(&name.join(" ")))), address);
        }
        _ => {
            for address in with_at {
                push(out, None, address.clone());
            }
        }
    }
}

/// Whether the unescaped `"` in `text` pair up. When they do not, the stray one is
/// an ordinary character (it must not hide the address after it).
fn quotes_pair(text: &str) -> bool {
    let mut count = 0usize;
    let mut escaped = false;
    for c in text.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => count += 1,
            _ => {}
        }
    }
    count % 2 == 0
}

/// The last `<…>` pair that holds something, outside quotes.
fn angle_brackets(entry: &str) -> Option<(usize, usize)> {
    let quoting = quotes_pair(entry);
    let mut quoted = false;
    let mut escaped = false;
    let mut open = None;
    let mut found = None;
    for (position, c) in entry.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' if quoted => escaped = true,
            '"' if quoting => quoted = !quoted,
            '<' if !quoted => open = Some(position),
            '>' if !quoted => {
                if let Some(start) = open.take() {
                    found = Some((start, position));
                }
            }
            _ => {}
        }
    }
    found
}

/// `@relay.example:a@x.example` (an obsolete source route) → `a@x.example`.
fn strip_route(inside: &str) -> &str {
    let trimmed = inside.trim();
    match trimmed.strip_prefix('@').and_then(|_| trimmed.find(':')) {
        Some(colon) => &trimmed[colon + 1..],
        None => trimmed,
    }
}

/// Splits at blanks outside quotes, then joins pieces that a blank separated from an
/// `@` or a `.` (`bob @ b.example` is one address with folding white space in it).
fn addr_tokens(text: &str) -> Vec<String> {
    let raw = split_outside_quotes(text, quotes_pair(text), char::is_whitespace)
        .into_iter()
        .filter(|piece| !piece.is_empty());
    let mut tokens: Vec<String> = Vec::new();
    for piece in raw {
        let joins = tokens
            .last()
            .is_some_and(|last| last.ends_with(['@', '.']) || piece.starts_with(['@', '.']));
        match tokens.last_mut() {
            Some(last) if joins => last.push_str(&piece),
            _ => tokens.push(piece),
        }
    }
    tokens
}

/// A display name without surrounding quotes and with escapes resolved; an opening
/// quote that never closes is dropped too.
pub(crate) fn unquote(name: &str) -> String {
    let name = name.trim();
    let inner = name
        .strip_prefix('"')
        .map(|rest| rest.strip_suffix('"').unwrap_or(rest))
        .unwrap_or(name);
    let mut out = String::with_capacity(inner.len());
    let mut escaped = false;
    for c in inner.chars() {
        if escaped || c != '\\' {
            out.push(c);
            escaped = false;
        } else {
            escaped = true;
        }
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addresses(raw: &str) -> Vec<String> {
        parse(raw.as_bytes())
            .into_iter()
            .map(|a| a.address)
            .collect()
    }

    #[test]
    fn names_groups_and_quotes() {
        let list = parse(
            b"Partners: a@x.example, \"Doe, Jane\" <j@y.example>;, solo@z.example, =?UTF-8?Q?M=C3=BCller?= <m@q.example>",
        );
        assert_eq!(list.len(), 4);
        assert_eq!(list[0].group.as_deref(), Some("Partners"));
        assert_eq!(list[1].name.as_deref(), Some("Doe, Jane"));
        assert_eq!(list[2].group, None);
        assert_eq!(list[3].name.as_deref(), Some("Müller"));
    }

    #[test]
    fn comments_disappear() {
        assert_eq!(addresses("bob(c)@(c)b.example"), ["bob@b.example"]);
        assert_eq!(addresses("a@x.example (Anna, Sales)"), ["a@x.example"]);
        assert!(addresses("unlisted-recipients:; (no To-header on input)").is_empty());
        assert!(addresses("undisclosed-recipients:;").is_empty());
    }

    #[test]
    fn unbalanced_quote_or_angle_does_not_swallow_the_list() {
        assert_eq!(
            addresses("\"Bob <b@x.example>, c@y.example, d@z.example"),
            ["b@x.example", "c@y.example", "d@z.example"]
        );
        assert_eq!(
            addresses("<a@x.example, c@y.example, d@z.example"),
            ["a@x.example", "c@y.example", "d@z.example"]
        );
        assert_eq!(
            addresses("(a@x.example, c@y.example"),
            ["a@x.example", "c@y.example"]
        );
    }

    #[test]
    fn blank_separated_entries_are_separate() {
        assert_eq!(
            addresses("a@x.example b@y.example\tc@z.example"),
            ["a@x.example", "b@y.example", "c@z.example"]
        );
        assert_eq!(addresses("<a@x.example b@y.example>").len(), 2);
    }

    #[test]
    fn quoted_local_parts_and_encoded_words() {
        assert_eq!(
            addresses("\"john doe\"@a.example"),
            ["\"john doe\"@a.example"]
        );
        assert_eq!(
            addresses("=?utf-8?b?YUB4LmV4YW1wbGU=?="),
            ["=?utf-8?b?YUB4LmV4YW1wbGU=?="]
        );
        assert_eq!(
            addresses("Jane <@relay.example:j@y.example>"),
            ["j@y.example"]
        );
    }
}
