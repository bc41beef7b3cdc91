//! PDF text: the strings shown by the text operators (`Tj`, `TJ`, `'`, `"`) of every
//! content stream, uncompressed or FlateDecode, decoded through the font's ToUnicode
//! CMap when it has one, else as WinAnsi (which covers the standard 14 fonts and
//! simple fonts with the usual encodings).
//!
//! Not a PDF renderer: streams are found by their `stream`/`endstream` keywords, not
//! through the cross-reference table, so a damaged or cut file still yields what it
//! holds. Fonts are matched to ToUnicode CMaps by resource name across the whole file
//! (a name used for two different fonts on two pages takes the first CMap). Not
//! covered, and reported as not inspected where it can be told: encrypted files
//! (`/Encrypt`), streams with other filters (LZW, ASCII85, …: `unreadable`), composite
//! (Type0) fonts without a ToUnicode map (glyph ids, no text: `unreadable`), text in
//! images (scans), `/Differences` encodings and form XObjects' own resources.

use std::collections::HashMap;

use super::xml::find;
use super::{Extraction, MAX_INFLATED, MAX_TEXT, Work};
use crate::draft::Reason;

/// CMap entries kept per file (a range counts once).
const MAX_CMAP_ENTRIES: usize = 1 << 16;
/// Streams looked at per file.
const MAX_STREAMS: usize = 1 << 14;
/// How far before a stream or a font entry its object header is looked for.
const LOOK_BACK: usize = 1024;
/// Font and ToUnicode entries read per file (real files have dozens).
const MAX_FONT_ENTRIES: usize = 4096;
/// How far a `/Font << … >>` resource dictionary may reach.
const FONT_DICTIONARY: usize = 1024;

/// One ToUnicode map: source code → UTF-16 text, and the code width in bytes.
#[derive(Debug, Default)]
struct CMap {
    width: usize,
    single: HashMap<u32, String>,
    ranges: Vec<(u32, u32, Vec<u16>)>,
}

impl CMap {
    fn map(&self, code: u32, out: &mut String) {
        if let Some(text) = self.single.get(&code) {
            out.push_str(text);
            return;
        }
        let after = self.ranges.partition_point(|(low, _, _)| *low <= code);
        if let Some((low, high, base)) = after.checked_sub(1).map(|index| &self.ranges[index]) {
            if (*low..=*high).contains(&code) {
                let mut units = base.clone();
                if let Some(last) = units.last_mut() {
                    *last = last.wrapping_add(u16::try_from(code - low).unwrap_or(0));
                }
                out.extend(char::decode_utf16(units).map(|c| c.unwrap_or('\u{FFFD}')));
            }
        }
    }
}

/// A font as far as text is concerned.
#[derive(Debug, Default, Clone, Copy)]
struct Font {
    to_unicode: Option<u32>,
    composite: bool,
}

/// What was learnt from the file's objects.
#[derive(Debug, Default)]
struct Objects {
    /// Font object number → its text properties.
    fonts: HashMap<u32, Font>,
    /// Resource name (`F1`) → font object number, first seen wins.
    names: HashMap<Vec<u8>, u32>,
    /// Stream object number → ToUnicode CMap.
    cmaps: HashMap<u32, CMap>,
    cmap_entries: usize,
}

/// One stream found in the file.
struct Stream {
    number: Option<u32>,
    data: Vec<u8>,
}

pub(super) fn extract(content: &[u8], work: &mut Work) -> Extraction {
    let mut out = Extraction::default();
    if has_name(content, b"/Encrypt") {
        out.note(Reason::Encrypted);
        return out;
    }
    let mut objects = Objects::default();
    let mut streams: Vec<Stream> = Vec::new();
    let mut inflated = 0usize;
    let mut at = 0usize;
    // Object headers and dictionaries outside streams: fonts and resource names.
    dictionaries(content, None, &mut objects);
    while let Some(found) = find(&content[at..], b"stream") {
        let keyword = at + found;
        at = keyword + 6;
        if content[..keyword].ends_with(b"end") {
            continue;
        }
        if streams.len() >= MAX_STREAMS {
            out.note(Reason::TooMany);
            break;
        }
        let Some((dictionary, number)) = dictionary_before(content, keyword) else {
            continue;
        };
        let mut start = keyword + 6;
        if content.get(start) == Some(&b'\r') {
            start += 1;
        }
        if content.get(start) == Some(&b'\n') {
            start += 1;
        }
        let end = stream_end(content, dictionary, start);
        at = end.max(at);
        let raw = &content[start.min(end)..end];
        if is_binary_stream(dictionary) {
            continue;
        }
        let data = match filter(dictionary) {
            Filter::None => raw.to_vec(),
            Filter::Flate => {
                let room = MAX_INFLATED.saturating_sub(inflated);
                let data = inflate(raw, room);
                inflated += data.len();
                if data.len() >= room {
                    out.note(Reason::TooLarge);
                }
                if data.is_empty() && !raw.is_empty() {
                    out.note(Reason::Unreadable);
                }
                data
            }
            Filter::Other => {
                out.note(Reason::Unreadable);
                continue;
            }
        };
        if !work.take(data.len()) {
            out.note(Reason::Timeout);
            break;
        }
        if has_name(dictionary, b"/ObjStm") {
            dictionaries(&data, Some(&data), &mut objects);
            continue;
        }
        streams.push(Stream { number, data });
    }
    for stream in &streams {
        if find(&stream.data, b"begincmap").is_some() {
            if let Some(number) = stream.number {
                let cmap = parse_cmap(&stream.data, &mut objects.cmap_entries);
                objects.cmaps.insert(number, cmap);
            }
        }
    }
    for stream in &streams {
        if find(&stream.data, b"begincmap").is_some() || !has_word(&stream.data, b"BT") {
            continue;
        }
        if show_text(&stream.data, &objects, &mut out) {
            out.note(Reason::TooLarge);
            break;
        }
    }
    out
}

/// `name` as a whole PDF name token (not a prefix of a longer name).
fn has_name(haystack: &[u8], name: &[u8]) -> bool {
    let mut from = 0;
    while let Some(found) = find(&haystack[from..], name) {
        let end = from + found + name.len();
        if haystack.get(end).is_none_or(|b| !b.is_ascii_alphanumeric()) {
            return true;
        }
        from = end;
    }
    false
}

fn has_word(haystack: &[u8], word: &[u8]) -> bool {
    let mut from = 0;
    while let Some(found) = find(&haystack[from..], word) {
        let start = from + found;
        let end = start + word.len();
        let before = start.checked_sub(1).map(|b| haystack[b]);
        let delimited = |b: Option<u8>| b.is_none_or(|b| !b.is_ascii_alphanumeric());
        if delimited(before) && delimited(haystack.get(end).copied()) {
            return true;
        }
        from = end;
    }
    false
}

/// The dictionary that ends right before `stream` at `keyword`, and the number of its
/// object (`12 0 obj`), if both are there.
fn dictionary_before(content: &[u8], keyword: usize) -> Option<(&[u8], Option<u32>)> {
    let head = content[..keyword].trim_ascii_end();
    if !head.ends_with(b">>") {
        return None;
    }
    // The object header is at most a few KiB before (dictionaries are small); a
    // bounded look-back keeps a file of many `>> stream` keywords linear.
    let floor = keyword.saturating_sub(LOOK_BACK);
    let window = &content[floor..keyword];
    let obj = window
        .windows(3)
        .rposition(|w| w == b"obj")
        .map(|at| floor + at);
    let dictionary_start = obj.map_or(floor, |at| at + 3);
    let number = obj.and_then(|at| object_number(&content[..at]));
    Some((&content[dictionary_start..keyword], number))
}

/// `12 0 ` before `obj`: the object number.
fn object_number(before: &[u8]) -> Option<u32> {
    let mut fields = before.trim_ascii_end().rsplit(u8::is_ascii_whitespace);
    let _generation = fields.next()?;
    let number = fields.next()?;
    std::str::from_utf8(number).ok()?.parse().ok()
}

/// Where the stream's data ends: its `/Length` when that lands on `endstream`, else
/// the next `endstream`, else the end of the file.
fn stream_end(content: &[u8], dictionary: &[u8], start: usize) -> usize {
    if let Some(length) = direct_integer(dictionary, b"/Length") {
        if let Some(end) = start.checked_add(length) {
            if content
                .get(end..)
                .is_some_and(|rest| rest.trim_ascii_start().starts_with(b"endstream"))
            {
                return end;
            }
        }
    }
    content
        .get(start..)
        .and_then(|rest| find(rest, b"endstream"))
        .map_or(content.len(), |at| start + at)
}

/// `/Key 123` (not `/Key 12 0 R`).
fn direct_integer(dictionary: &[u8], key: &[u8]) -> Option<usize> {
    let at = find(dictionary, key)? + key.len();
    let rest = dictionary[at..].trim_ascii_start();
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    let after = rest[digits..].trim_ascii_start();
    let reference_digits = after.iter().take_while(|b| b.is_ascii_digit()).count();
    let is_reference = reference_digits > 0
        && after[reference_digits..]
            .trim_ascii_start()
            .starts_with(b"R");
    if digits == 0 || is_reference {
        return None;
    }
    std::str::from_utf8(&rest[..digits]).ok()?.parse().ok()
}

/// Images, font programs, cross-reference and metadata streams hold no shown text.
fn is_binary_stream(dictionary: &[u8]) -> bool {
    [
        &b"/Image"[..],
        b"/FontFile",
        b"/Length1",
        b"/Length2",
        b"/XRef",
        b"/Metadata",
        b"/EmbeddedFile",
        b"/ICCBased",
        b"/N 3",
        b"/N 4",
    ]
    .iter()
    .any(|name| has_name(dictionary, name))
}

enum Filter {
    None,
    Flate,
    Other,
}

fn filter(dictionary: &[u8]) -> Filter {
    let Some(at) = find(dictionary, b"/Filter") else {
        return Filter::None;
    };
    let rest = dictionary[at + 7..].trim_ascii_start();
    // An array of names, or one name (the dictionary goes on after it).
    let (value, names_wanted) = match rest.first() {
        Some(b'[') => (
            &rest[1..rest.iter().position(|&b| b == b']').unwrap_or(rest.len())],
            usize::MAX,
        ),
        _ => (rest, 1),
    };
    let names: Vec<&[u8]> = value
        .split(|&b| b == b'/')
        .skip(1)
        .map(|name| {
            let end = name
                .iter()
                .position(|b| !b.is_ascii_alphanumeric())
                .unwrap_or(name.len());
            &name[..end]
        })
        .take_while(|name| !name.is_empty())
        .take(names_wanted)
        .collect();
    let first_names = value.trim_ascii_start().first() == Some(&b'/');
    match names.as_slice() {
        [b"FlateDecode" | b"Fl"] if first_names => Filter::Flate,
        [] => Filter::None,
        _ => Filter::Other,
    }
}

/// Inflates a zlib (or, leniently, raw deflate) stream; a cut stream gives what it
/// holds.
fn inflate(raw: &[u8], limit: usize) -> Vec<u8> {
    use miniz_oxide::inflate::{decompress_to_vec_with_limit, decompress_to_vec_zlib_with_limit};
    match decompress_to_vec_zlib_with_limit(raw, limit) {
        Ok(data) => data,
        Err(error) if !error.output.is_empty() => error.output,
        Err(_) => match decompress_to_vec_with_limit(raw, limit) {
            Ok(data) => data,
            Err(error) => error.output,
        },
    }
}

/// Records fonts (`/Type /Font` objects with their `/ToUnicode` and whether they are
/// composite) and resource names (`/Font << /F1 5 0 R >>`). `objects_stream`: the
/// decoded content of an object stream, whose header lists `number offset` pairs.
fn dictionaries(bytes: &[u8], objects_stream: Option<&[u8]>, objects: &mut Objects) {
    // Font dictionaries: each `/ToUnicode n 0 R` or `/Type0` belongs to the object it
    // stands in, found from its `obj` header (or an object stream's offsets).
    let mut offsets = objects_stream
        .map(object_stream_offsets)
        .unwrap_or_default();
    offsets.sort_by_key(|(_, offset)| *offset);
    let owner = |at: usize| -> Option<u32> {
        if objects_stream.is_some() {
            let after = offsets.partition_point(|(_, offset)| *offset <= at);
            return after.checked_sub(1).map(|index| offsets[index].0);
        }
        let floor = at.saturating_sub(LOOK_BACK);
        let obj = bytes[floor..at].windows(3).rposition(|w| w == b"obj")?;
        object_number(&bytes[..floor + obj])
    };
    let mut from = 0;
    let mut budget = MAX_FONT_ENTRIES;
    while let Some(found) = find(&bytes[from..], b"/ToUnicode") {
        budget = match budget.checked_sub(1) {
            Some(left) => left,
            None => break,
        };
        let at = from + found;
        from = at + 10;
        if let (Some(font), Some(cmap)) = (owner(at), reference_after(&bytes[from..])) {
            objects.fonts.entry(font).or_default().to_unicode = Some(cmap);
        }
    }
    let mut from = 0;
    let mut budget = MAX_FONT_ENTRIES;
    while let Some(found) = find(&bytes[from..], b"/Type0") {
        budget = match budget.checked_sub(1) {
            Some(left) => left,
            None => break,
        };
        let at = from + found;
        from = at + 6;
        if let Some(font) = owner(at) {
            objects.fonts.entry(font).or_default().composite = true;
        }
    }
    let mut from = 0;
    let mut budget = MAX_FONT_ENTRIES;
    while let Some(found) = find(&bytes[from..], b"/Font") {
        budget = match budget.checked_sub(1) {
            Some(left) => left,
            None => break,
        };
        let at = from + found + 5;
        from = at;
        let rest = bytes[at..].trim_ascii_start();
        if !rest.starts_with(b"<<") {
            continue;
        }
        let rest = &rest[..rest.len().min(FONT_DICTIONARY)];
        let end = find(rest, b">>").unwrap_or(rest.len());
        let mut entries = &rest[2..end];
        while let Some(slash) = entries.iter().position(|&b| b == b'/') {
            let name_end = entries[slash + 1..]
                .iter()
                .position(|b| b.is_ascii_whitespace() || b"/<[(".contains(b))
                .map_or(entries.len(), |n| slash + 1 + n);
            let name = entries[slash + 1..name_end].to_vec();
            entries = &entries[name_end..];
            if let Some(number) = reference_after(entries) {
                budget = budget.saturating_sub(1);
                objects.names.entry(name).or_insert(number);
            }
            if budget == 0 {
                break;
            }
        }
    }
}

/// `12 0 R` at the start: 12.
fn reference_after(bytes: &[u8]) -> Option<u32> {
    let mut fields = bytes.trim_ascii_start().split(u8::is_ascii_whitespace);
    let number = std::str::from_utf8(fields.next()?).ok()?.parse().ok()?;
    let _generation: u32 = std::str::from_utf8(fields.next()?).ok()?.parse().ok()?;
    let r = fields.next()?;
    r.starts_with(b"R").then_some(number)
}

/// An object stream's header: `number offset` pairs, then the objects (offsets from
/// `/First`, which is where the first object starts; the header's own length is
/// close enough to place each object).
fn object_stream_offsets(data: &[u8]) -> Vec<(u32, usize)> {
    let header_end = data
        .iter()
        .position(|&b| b == b'<' || b == b'[' || b == b'/' || b == b'(')
        .unwrap_or(data.len());
    let numbers: Vec<usize> = data[..header_end]
        .split(u8::is_ascii_whitespace)
        .filter_map(|n| std::str::from_utf8(n).ok()?.parse().ok())
        .collect();
    numbers
        .chunks_exact(2)
        .filter_map(|pair| Some((u32::try_from(pair[0]).ok()?, header_end + pair[1])))
        .collect()
}

/// Reads a ToUnicode CMap's `bfchar` and `bfrange` sections.
fn parse_cmap(data: &[u8], entries: &mut usize) -> CMap {
    let mut cmap = CMap {
        width: 1,
        ..CMap::default()
    };
    let tokens = hex_tokens(data);
    let mut index = 0;
    let mut section = 0u8; // 1 bfchar, 2 bfrange
    while index < tokens.len() && *entries < MAX_CMAP_ENTRIES {
        match &tokens[index] {
            Token::Word(word) if word == b"beginbfchar" => section = 1,
            Token::Word(word) if word == b"beginbfrange" => section = 2,
            Token::Word(word) if word.starts_with(b"end") => section = 0,
            Token::Hex(source) if section == 1 => {
                if let Some(Token::Hex(target)) = tokens.get(index + 1) {
                    cmap.width = cmap.width.max(source.len().min(4));
                    cmap.single.insert(code(source), utf16_text(target));
                    *entries += 1;
                    index += 1;
                }
            }
            Token::Hex(low) if section == 2 => {
                if let (Some(Token::Hex(high)), Some(target)) =
                    (tokens.get(index + 1), tokens.get(index + 2))
                {
                    cmap.width = cmap.width.max(low.len().min(4));
                    let (low, high) = (code(low), code(high));
                    match target {
                        Token::Hex(base) => {
                            cmap.ranges.push((low, high, utf16_units(base)));
                            *entries += 1;
                        }
                        Token::Array(targets) => {
                            for (offset, target) in targets.iter().enumerate() {
                                let Some(source) = u32::try_from(offset)
                                    .ok()
                                    .and_then(|offset| low.checked_add(offset))
                                    .filter(|source| *source <= high)
                                else {
                                    break;
                                };
                                cmap.single.insert(source, utf16_text(target));
                                *entries += 1;
                            }
                        }
                        Token::Word(_) => {}
                    }
                    index += 2;
                }
            }
            _ => {}
        }
        index += 1;
    }
    cmap.ranges.sort_by_key(|(low, _, _)| *low);
    cmap
}

enum Token {
    Hex(Vec<u8>),
    Array(Vec<Vec<u8>>),
    Word(Vec<u8>),
}

/// The tokens a CMap needs: hex strings, arrays of hex strings, keywords.
fn hex_tokens(data: &[u8]) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut index = 0;
    let mut array: Option<Vec<Vec<u8>>> = None;
    while index < data.len() {
        match data[index] {
            b'<' if data.get(index + 1) != Some(&b'<') => {
                let end = data[index..]
                    .iter()
                    .position(|&b| b == b'>')
                    .map_or(data.len(), |at| index + at);
                let bytes = hex_bytes(&data[index + 1..end]);
                match array.as_mut() {
                    Some(items) => items.push(bytes),
                    None => tokens.push(Token::Hex(bytes)),
                }
                index = end + 1;
            }
            b'[' => {
                array = Some(Vec::new());
                index += 1;
            }
            b']' => {
                if let Some(items) = array.take() {
                    tokens.push(Token::Array(items));
                }
                index += 1;
            }
            byte if byte.is_ascii_alphabetic() => {
                let end = data[index..]
                    .iter()
                    .position(|b| !b.is_ascii_alphanumeric())
                    .map_or(data.len(), |at| index + at);
                tokens.push(Token::Word(data[index..end].to_vec()));
                index = end;
            }
            _ => index += 1,
        }
    }
    tokens
}

fn hex_bytes(hex: &[u8]) -> Vec<u8> {
    let digits: Vec<u8> = hex
        .iter()
        .filter_map(|&b| char::from(b).to_digit(16))
        .filter_map(|d| u8::try_from(d).ok())
        .collect();
    digits
        .chunks(2)
        .map(|pair| pair[0] << 4 | pair.get(1).copied().unwrap_or(0))
        .collect()
}

fn code(bytes: &[u8]) -> u32 {
    bytes
        .iter()
        .take(4)
        .fold(0u32, |acc, &b| acc << 8 | u32::from(b))
}

fn utf16_units(bytes: &[u8]) -> Vec<u16> {
    bytes
        .chunks(2)
        .map(|pair| u16::from(pair[0]) << 8 | u16::from(pair.get(1).copied().unwrap_or(0)))
        .collect()
}

fn utf16_text(bytes: &[u8]) -> String {
    char::decode_utf16(utf16_units(bytes))
        .map(|c| c.unwrap_or('\u{FFFD}'))
        .collect()
}

/// Runs the text operators of one content stream. Returns whether the text is full.
fn show_text(data: &[u8], objects: &Objects, out: &mut Extraction) -> bool {
    let mut font: Option<Font> = None;
    let mut operands: Vec<Operand> = Vec::new();
    let mut index = 0;
    let text = &mut out.text;
    let mut unreadable_font = false;
    while index < data.len() {
        if text.len() >= MAX_TEXT {
            return true;
        }
        let byte = data[index];
        match byte {
            b'%' => {
                index = data[index..]
                    .iter()
                    .position(|&b| b == b'\n' || b == b'\r')
                    .map_or(data.len(), |at| index + at);
            }
            b'(' => {
                let (string, end) = literal_string(data, index + 1);
                operands.push(Operand::String(string));
                index = end;
            }
            b'<' if data.get(index + 1) == Some(&b'<') => index += 2,
            b'>' if data.get(index + 1) == Some(&b'>') => index += 2,
            b'<' => {
                let end = data[index..]
                    .iter()
                    .position(|&b| b == b'>')
                    .map_or(data.len(), |at| index + at);
                operands.push(Operand::String(hex_bytes(&data[index + 1..end])));
                index = end + 1;
            }
            b'[' => {
                operands.push(Operand::ArrayStart);
                index += 1;
            }
            b']' => {
                let start = operands
                    .iter()
                    .rposition(|o| matches!(o, Operand::ArrayStart))
                    .unwrap_or(0);
                let items: Vec<Operand> = operands.drain(start..).skip(1).collect();
                operands.push(Operand::Array(items));
                index += 1;
            }
            b'/' => {
                let end = data[index + 1..]
                    .iter()
                    .position(|b| b.is_ascii_whitespace() || b"/[]()<>{}%".contains(b))
                    .map_or(data.len(), |at| index + 1 + at);
                operands.push(Operand::Name(data[index + 1..end].to_vec()));
                index = end;
            }
            b'0'..=b'9' | b'-' | b'+' | b'.' => {
                let end = data[index..]
                    .iter()
                    .position(|b| !(b.is_ascii_digit() || b"-+.".contains(b)))
                    .map_or(data.len(), |at| index + at);
                operands.push(Operand::Number(thousandths(&data[index..end])));
                index = end;
            }
            byte if byte.is_ascii_alphabetic() || byte == b'\'' || byte == b'"' || byte == b'*' => {
                let end = if byte == b'\'' || byte == b'"' {
                    index + 1
                } else {
                    data[index..]
                        .iter()
                        .position(|b| !(b.is_ascii_alphanumeric() || *b == b'*'))
                        .map_or(data.len(), |at| index + at)
                };
                let operator = &data[index..end];
                index = end;
                match operator {
                    b"Tf" => {
                        font = operands.iter().rev().find_map(|o| match o {
                            Operand::Name(name) => Some(font_named(objects, name)),
                            _ => None,
                        });
                    }
                    b"Tj" | b"'" | b"\"" => {
                        if operator != b"Tj" {
                            text.push('\n');
                        }
                        if let Some(Operand::String(string)) = operands.last() {
                            unreadable_font |= decode(string, font, objects, text);
                        }
                    }
                    b"TJ" => {
                        if let Some(Operand::Array(items)) = operands.last() {
                            for item in items {
                                match item {
                                    Operand::String(string) => {
                                        unreadable_font |= decode(string, font, objects, text);
                                    }
                                    Operand::Number(n) if *n < -180_000 => text.push(' '),
                                    _ => {}
                                }
                            }
                        }
                    }
                    b"Td" | b"TD" => {
                        let y = match operands.as_slice() {
                            [.., Operand::Number(_), Operand::Number(y)] => *y,
                            _ => 0,
                        };
                        text.push(if y == 0 { '\t' } else { '\n' });
                    }
                    b"T*" | b"Tm" | b"ET" => text.push('\n'),
                    b"BI" => {
                        // An inline image: its binary data runs from `ID` to `EI`.
                        index = find(&data[index..], b"EI").map_or(data.len(), |at| index + at + 2);
                    }
                    _ => {}
                }
                operands.clear();
            }
            _ => index += 1,
        }
        if operands.len() > 4096 {
            operands.clear();
        }
    }
    if unreadable_font {
        out.note(Reason::Unreadable);
    }
    false
}

#[derive(Debug)]
enum Operand {
    /// In thousandths (`-250` is -250,000): enough to tell a word gap in a `TJ`
    /// array and a move to another line, without float parsing in the module.
    Number(i64),
    String(Vec<u8>),
    Name(Vec<u8>),
    ArrayStart,
    Array(Vec<Operand>),
}

/// A PDF number (`12`, `-3.5`, `.25`) in thousandths; junk reads as 0.
fn thousandths(token: &[u8]) -> i64 {
    let (negative, digits) = match token.first() {
        Some(b'-') => (true, &token[1..]),
        Some(b'+') => (false, &token[1..]),
        _ => (false, token),
    };
    let mut value: i64 = 0;
    let mut scale: Option<i64> = None;
    for &byte in digits {
        match byte {
            b'0'..=b'9' => match scale.as_mut() {
                None => {
                    value = value
                        .saturating_mul(10)
                        .saturating_add(i64::from(byte - b'0'));
                }
                Some(place) if *place > 1 => {
                    *place /= 10;
                    value = value.saturating_add(i64::from(byte - b'0') * *place);
                }
                Some(_) => {}
            },
            b'.' if scale.is_none() => {
                value = value.saturating_mul(1000);
                scale = Some(1000);
            }
            _ => return 0,
        }
    }
    if scale.is_none() {
        value = value.saturating_mul(1000);
    }
    if negative { -value } else { value }
}

fn font_named(objects: &Objects, name: &[u8]) -> Font {
    objects
        .names
        .get(name)
        .and_then(|number| objects.fonts.get(number))
        .copied()
        .unwrap_or_default()
}

/// Appends a shown string's text. Returns true when the font has no way to text
/// (a composite font without ToUnicode: its codes are glyph ids).
fn decode(string: &[u8], font: Option<Font>, objects: &Objects, out: &mut String) -> bool {
    let font = font.unwrap_or_default();
    if let Some(cmap) = font.to_unicode.and_then(|n| objects.cmaps.get(&n)) {
        let width = if font.composite {
            cmap.width.max(2)
        } else {
            cmap.width
        };
        for chunk in string.chunks(width.max(1)) {
            cmap.map(code(chunk), out);
        }
        return false;
    }
    if font.composite {
        return true;
    }
    out.push_str(&crate::mime::charset::utf8_or_windows_1252(string));
    false
}

/// A literal string from after its `(`: escapes resolved, balanced parentheses kept.
/// Returns the bytes and the index after the closing `)`.
fn literal_string(data: &[u8], mut index: usize) -> (Vec<u8>, usize) {
    let mut out = Vec::new();
    let mut depth = 0usize;
    while index < data.len() {
        let byte = data[index];
        index += 1;
        match byte {
            b'\\' => {
                let Some(&next) = data.get(index) else {
                    break;
                };
                index += 1;
                match next {
                    b'n' => out.push(b'\n'),
                    b'r' => out.push(b'\r'),
                    b't' => out.push(b'\t'),
                    b'b' => out.push(8),
                    b'f' => out.push(12),
                    b'0'..=b'7' => {
                        let mut value = u32::from(next - b'0');
                        for _ in 0..2 {
                            match data.get(index) {
                                Some(&d @ b'0'..=b'7') => {
                                    value = value * 8 + u32::from(d - b'0');
                                    index += 1;
                                }
                                _ => break,
                            }
                        }
                        out.push(u8::try_from(value & 0xFF).unwrap_or(0));
                    }
                    b'\r' => {
                        if data.get(index) == Some(&b'\n') {
                            index += 1;
                        }
                    }
                    b'\n' => {}
                    other => out.push(other),
                }
            }
            b'(' => {
                depth += 1;
                out.push(byte);
            }
            b')' => {
                if depth == 0 {
                    return (out, index);
                }
                depth -= 1;
                out.push(byte);
            }
            _ => out.push(byte),
        }
    }
    (out, index)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A one-page PDF whose content stream shows each line of `text` (Helvetica,
    /// WinAnsi), Flate-compressed when `deflate`.
    pub(crate) fn pdf(text: &str, deflate: bool) -> Vec<u8> {
        let mut content = String::from("BT /F1 11 Tf 50 800 Td 14 TL\n");
        for line in text.lines() {
            let escaped = line
                .replace('\\', "\\\\")
                .replace('(', "\\(")
                .replace(')', "\\)");
            content.push_str(&format!("({escaped}) Tj T*\n"));
        }
        content.push_str("ET\n");
        let bytes: Vec<u8> = content
            .chars()
            .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
            .collect();
        let (stream, filter) = if deflate {
            (
                miniz_oxide::deflate::compress_to_vec_zlib(&bytes, 6),
                " /Filter /FlateDecode",
            )
        } else {
            (bytes, "")
        };
        let mut out = b"%PDF-1.4\n".to_vec();
        out.extend_from_slice(b"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n");
        out.extend_from_slice(b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n");
        out.extend_from_slice(b"3 0 obj << /Type /Page /Parent 2 0 R /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >> endobj\n");
        out.extend_from_slice(
            format!("4 0 obj << /Length {}{filter} >>\nstream\n", stream.len()).as_bytes(),
        );
        out.extend_from_slice(&stream);
        out.extend_from_slice(b"\nendstream endobj\n");
        out.extend_from_slice(b"5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >> endobj\n");
        out.extend_from_slice(b"trailer << /Root 1 0 R >>\n%%EOF\n");
        out
    }

    fn text_of(bytes: &[u8]) -> Extraction {
        extract(bytes, &mut Work::default())
    }

    #[test]
    fn plain_and_flate_streams() {
        for deflate in [false, true] {
            let got = text_of(&pdf("Herr Müller (geb. 1.2.1980)\nIBAN DE89", deflate));
            assert_eq!(got.gap, None);
            assert_eq!(got.text, "\nHerr Müller (geb. 1.2.1980)\nIBAN DE89\n\n");
        }
    }

    #[test]
    fn tj_arrays_hex_strings_and_to_unicode() {
        let cmap = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n1 begincodespacerange <0000> <FFFF> endcodespacerange\n2 beginbfchar <0001> <0041> <0002> <00FC> endbfchar\n1 beginbfrange <0010> <0012> <0061> endbfrange\nendcmap";
        let content = b"BT /F2 9 Tf [<0001> -300 <00020010> 20 <0011>] TJ ET BT /F1 9 Tf (x\\101\\(\\)) Tj ET";
        let mut file = b"%PDF-1.5\n".to_vec();
        file.extend_from_slice(b"7 0 obj << /Font << /F1 8 0 R /F2 9 0 R >> >> endobj\n");
        file.extend_from_slice(
            b"9 0 obj << /Type /Font /Subtype /Type0 /ToUnicode 10 0 R >> endobj\n",
        );
        file.extend_from_slice(
            format!("10 0 obj << /Length {} >>\nstream\n", cmap.len()).as_bytes(),
        );
        file.extend_from_slice(cmap);
        file.extend_from_slice(b"\nendstream\nendobj\n11 0 obj << >>\nstream\n");
        file.extend_from_slice(content);
        file.extend_from_slice(b"\nendstream\nendobj\n");
        let got = text_of(&file);
        assert_eq!(got.gap, None, "{:?}", got.text);
        assert_eq!(got.text, "A üab\nxA()\n");
    }

    #[test]
    fn composite_font_without_map_encrypted_and_other_filters() {
        let mut file = b"%PDF-1.5\n5 0 obj << /Type /Font /Subtype /Type0 >> endobj\n6 0 obj << /Font << /F1 5 0 R >> >> endobj\n7 0 obj << /Length 22 >>\nstream\nBT /F1 9 Tf <0102> Tj ET\nendstream endobj\n".to_vec();
        let got = text_of(&file);
        assert_eq!(got.gap, Some(Reason::Unreadable));
        file.extend_from_slice(b"trailer << /Encrypt 9 0 R >>");
        assert_eq!(text_of(&file).gap, Some(Reason::Encrypted));
        let lzw =
            b"%PDF-1.4\n1 0 obj << /Length 3 /Filter /LZWDecode >>\nstream\nabc\nendstream endobj";
        assert_eq!(text_of(lzw).gap, Some(Reason::Unreadable));
        let image = b"%PDF-1.4\n1 0 obj << /Subtype /Image /Filter /DCTDecode /Length 3 >>\nstream\nabc\nendstream endobj";
        assert_eq!(text_of(image).gap, None);
    }

    #[test]
    fn cut_and_broken_files_end_without_panic() {
        let whole = pdf("Geburtsdatum 01.02.1990", true);
        for end in 0..whole.len() {
            let _ = text_of(&whole[..end]);
        }
        for junk in [
            &b"%PDF-1.4 stream"[..],
            b"%PDF-1.4 >> stream\n",
            b"%PDF obj << /Length 99999999999999999999 >> stream\nBT (abc",
            b"%PDF BT ((((((( Tj [ [ [ ] TJ <<<<< /Font << /F1",
            b"%PDF 1 0 obj << /Filter [/FlateDecode /DCTDecode] >> stream\nxx endstream",
        ] {
            let _ = text_of(junk);
        }
    }

    /// Inputs shaped to make a naive reader quadratic: each must finish (in a debug
    /// build, well under a second) and say what it could not read.
    #[test]
    fn hostile_repetition_stays_linear() {
        let many_streams = [
            &b"%PDF-1.4\n"[..],
            &b"<< /Length 0 >> stream\n".repeat(60_000),
        ]
        .concat();
        let _ = text_of(&many_streams);
        let many_fonts = [&b"%PDF-1.4\n"[..], &b"/Font << /F1 1 0 R ".repeat(60_000)].concat();
        let _ = text_of(&many_fonts);
        let many_maps = [
            &b"%PDF-1.4\n1 0 obj "[..],
            &b"/ToUnicode 2 0 R /Type0 ".repeat(60_000),
        ]
        .concat();
        let _ = text_of(&many_maps);
        let mut cmap = b"%PDF-1.4\n2 0 obj << >>\nstream\nbegincmap ".to_vec();
        cmap.extend(b"1 beginbfrange <0000> <0001> <0041> endbfrange ".repeat(20_000));
        cmap.extend(b"\nendstream endobj\n3 0 obj << /Font << /F1 4 0 R >> >> endobj 4 0 obj << /Type0 /ToUnicode 2 0 R >> endobj\n5 0 obj << >>\nstream\nBT /F1 9 Tf <");
        cmap.extend(b"0001".repeat(100_000));
        cmap.extend(b"> Tj ET\nendstream endobj");
        let got = text_of(&cmap);
        assert_eq!(got.text.chars().filter(|&c| c == 'B').count(), 100_000);
        let nested = [
            &b"%PDF-1.4\n1 0 obj << >>\nstream\nBT "[..],
            &b"[".repeat(200_000),
            b" TJ ET\nendstream",
        ]
        .concat();
        let _ = text_of(&nested);
    }

    #[test]
    fn numbers_in_thousandths() {
        for (token, want) in [
            ("12", 12_000),
            ("-250", -250_000),
            ("-3.5", -3_500),
            (".25", 250),
            ("+0.0125", 12),
            ("1-2", 0),
            ("99999999999999999999999", i64::MAX),
        ] {
            assert_eq!(thousandths(token.as_bytes()), want, "{token}");
        }
    }
}
