//! Recipient addresses: what one entry of To, Cc or Bcc holds, and a tolerant parser for
//! address lists that people paste (`a@x.de; "Doe, Jane" <jane@y.com>`).

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

/// Parses a pasted list of addresses, as people copy them out of Outlook, Excel or a
/// mail header: separated by commas, semicolons, tabs or new lines, each either a bare
/// address or `Name <address>`, with quoted names that may contain separators.
///
/// Pieces that hold no `@` at all are returned in the error list (with their position,
/// 1-based) instead of being silently dropped, so the user can correct them.
///
/// ```
/// use sendguard_core::parse_address_list;
///
/// let (addresses, rejected) = parse_address_list(
///     "\"Doe, Jane\" <jane@example.com>; bob@example.org\nnot an address",
/// );
/// assert_eq!(addresses.len(), 2);
/// assert_eq!(addresses[0].name.as_deref(), Some("Doe, Jane"));
/// assert_eq!(rejected, vec![(3, "not an address".to_string())]);
/// ```
pub fn parse_address_list(text: &str) -> (Vec<Address>, Vec<(usize, String)>) {
    let mut addresses = Vec::new();
    let mut rejected = Vec::new();
    for (index, piece) in split_list(text).into_iter().enumerate() {
        match parse_mailbox(&piece) {
            Some(address) => addresses.push(address),
            None => rejected.push((index + 1, piece)),
        }
    }
    (addresses, rejected)
}

/// Splits at top-level separators, respecting quotes and angle brackets.
///
/// Outlook copies recipients as `Müller, Hans <hans@x.de>; …`: when the text has a
/// top-level semicolon, commas belong to names and only `;` and line breaks separate.
fn split_list(text: &str) -> Vec<String> {
    let commas_separate = !has_top_level_semicolon(text);
    let mut pieces = Vec::new();
    let mut current = String::new();
    let mut in_quotes = false;
    let mut in_angle = false;
    let mut comment_depth = 0usize;
    let mut escaped = false;
    for c in text.chars() {
        if escaped {
            current.push(c);
            escaped = false;
            continue;
        }
        match c {
            '\\' if in_quotes => {
                current.push(c);
                escaped = true;
            }
            '"' if comment_depth == 0 => {
                in_quotes = !in_quotes;
                current.push(c);
            }
            '(' if !in_quotes => {
                comment_depth += 1;
                current.push(c);
            }
            ')' if !in_quotes && comment_depth > 0 => {
                comment_depth -= 1;
                current.push(c);
            }
            _ if comment_depth > 0 => current.push(c),
            '<' if !in_quotes => {
                in_angle = true;
                current.push(c);
            }
            '>' if !in_quotes => {
                in_angle = false;
                current.push(c);
            }
            ';' | '\n' | '\r' | '\t' if !in_quotes && !in_angle => {
                push_piece(&mut pieces, &mut current);
            }
            ',' if commas_separate && !in_quotes && !in_angle => {
                push_piece(&mut pieces, &mut current);
            }
            _ => current.push(c),
        }
    }
    push_piece(&mut pieces, &mut current);
    pieces
}

fn has_top_level_semicolon(text: &str) -> bool {
    let mut in_quotes = false;
    let mut in_angle = false;
    for c in text.chars() {
        match c {
            '"' => in_quotes = !in_quotes,
            '<' if !in_quotes => in_angle = true,
            '>' if !in_quotes => in_angle = false,
            ';' if !in_quotes && !in_angle => return true,
            _ => {}
        }
    }
    false
}

fn push_piece(pieces: &mut Vec<String>, current: &mut String) {
    let piece = current.trim();
    if !piece.is_empty() {
        pieces.push(piece.to_string());
    }
    current.clear();
}

/// `Name <addr>`, `<addr>`, `addr`, or `addr (comment)`.
fn parse_mailbox(piece: &str) -> Option<Address> {
    if let Some(open) = piece.rfind('<') {
        let close = piece[open..].find('>').map(|i| open + i)?;
        let address = piece[open + 1..close].trim();
        if !address.contains('@') {
            return None;
        }
        let name = crate::mime::addresses::unquote(piece[..open].trim());
        return Some(Address {
            name: (!name.is_empty()).then_some(name),
            address: strip_mailto(address).to_string(),
            group: None,
        });
    }
    let bare = match piece.find('(') {
        Some(comment) => piece[..comment].trim(),
        None => piece,
    };
    let bare = strip_mailto(bare.trim_matches(|c: char| c == '\'' || c == '"'));
    (bare.contains('@') && !bare.contains(char::is_whitespace)).then(|| Address::new(bare))
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
