//! Transfer decodings as receivers apply them: forgiving, never failing.
//!
//! Mail clients do not reject a part whose base64 has a stray character; they skip it
//! and show the file. A checker that stopped there would miss the `MZ` the recipient
//! gets, so these decoders skip what they cannot read and keep going.

/// Base64 as Thunderbird and Outlook read it: every byte outside the alphabet
/// (line breaks, spaces, stray punctuation, `=` padding) is skipped; a final group of
/// two or three characters still yields its one or two bytes.
pub(crate) fn base64(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len() / 4 * 3 + 3);
    let mut quantum = 0u32;
    let mut count = 0u8;
    for &byte in input {
        let value = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => continue,
        };
        quantum = (quantum << 6) | u32::from(value);
        count += 1;
        if count == 4 {
            out.extend_from_slice(&quantum.to_be_bytes()[1..]);
            quantum = 0;
            count = 0;
        }
    }
    match count {
        2 => out.push(be_byte(quantum << 12, 1)),
        3 => {
            let bits = quantum << 6;
            out.push(be_byte(bits, 1));
            out.push(be_byte(bits, 2));
        }
        _ => {}
    }
    out
}

fn be_byte(value: u32, index: usize) -> u8 {
    value.to_be_bytes()[index]
}

fn hex(byte: u8) -> Option<u8> {
    char::from(byte)
        .to_digit(16)
        .and_then(|digit| u8::try_from(digit).ok())
}

/// Quoted-printable (RFC 2045 §6.7): `=XX` escapes and soft line breaks; an `=` that
/// starts neither is kept as it is, as receivers do. With `underscore_space`, the
/// variant of encoded words (RFC 2047 `Q`), where `_` stands for a space.
pub(crate) fn quoted_printable(input: &[u8], underscore_space: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len());
    let mut index = 0;
    while index < input.len() {
        let byte = input[index];
        if byte == b'=' {
            let rest = &input[index + 1..];
            // Soft line break: `=`, optional trailing blanks, then the line end.
            let blanks = rest
                .iter()
                .take_while(|b| matches!(b, b' ' | b'\t'))
                .count();
            match rest.get(blanks..) {
                Some([b'\r', b'\n', ..]) => {
                    index += 1 + blanks + 2;
                    continue;
                }
                Some([b'\n', ..]) => {
                    index += 1 + blanks + 1;
                    continue;
                }
                _ => {}
            }
            if let (Some(high), Some(low)) = (
                rest.first().copied().and_then(hex),
                rest.get(1).copied().and_then(hex),
            ) {
                out.push(high << 4 | low);
                index += 3;
                continue;
            }
            out.push(byte);
        } else if byte == b'_' && underscore_space {
            out.push(b' ');
        } else {
            out.push(byte);
        }
        index += 1;
    }
    out
}

/// One uuencoded file found in a text: the name from its `begin` line and the bytes.
pub(crate) struct UuFile {
    pub(crate) name: String,
    pub(crate) content: Vec<u8>,
}

/// Finds every `begin <mode> <name>` … `end` block (the `x-uuencode` transfer encoding,
/// and the inline attachments Outlook Express wrote into plain text, which Thunderbird
/// still shows as files). A block without `end` runs to the end of the text.
pub(crate) fn uudecode_all(text: &[u8]) -> Vec<UuFile> {
    let mut files = Vec::new();
    let mut lines = text.split(|&b| b == b'\n').map(trim_line_end);
    while let Some(line) = lines.next() {
        let Some(name) = begin_line(line) else {
            continue;
        };
        let mut content = Vec::new();
        for line in lines.by_ref() {
            if line == b"end" {
                break;
            }
            uudecode_line(line, &mut content);
        }
        files.push(UuFile { name, content });
    }
    files
}

fn trim_line_end(line: &[u8]) -> &[u8] {
    let end = line
        .iter()
        .rposition(|b| !matches!(b, b'\r' | b' ' | b'\t'))
        .map_or(0, |i| i + 1);
    &line[..end]
}

/// `begin 644 name with spaces.exe` → the name.
fn begin_line(line: &[u8]) -> Option<String> {
    let rest = line.strip_prefix(b"begin ")?;
    let space = rest.iter().position(|&b| b == b' ')?;
    let (mode, name) = (&rest[..space], &rest[space + 1..]);
    if mode.is_empty() || !mode.iter().all(|b| (b'0'..=b'7').contains(b)) {
        return None;
    }
    let name = String::from_utf8_lossy(name).trim().to_string();
    (!name.is_empty()).then_some(name)
}

fn uudecode_line(line: &[u8], out: &mut Vec<u8>) {
    let Some((&first, rest)) = line.split_first() else {
        return;
    };
    let length = usize::from(first.wrapping_sub(b' ') & 0x3f);
    let value = |b: &u8| u32::from(b.wrapping_sub(b' ') & 0x3f);
    let mut produced = 0;
    for group in rest.chunks(4) {
        let mut quantum = 0u32;
        for index in 0..4 {
            quantum = (quantum << 6) | group.get(index).map_or(0, value);
        }
        for byte in &quantum.to_be_bytes()[1..] {
            if produced < length {
                out.push(*byte);
                produced += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_skips_what_receivers_skip() {
        assert_eq!(base64(b"TVqQ\r\nAA=="), b"MZ\x90\x00");
        assert_eq!(base64(b"TV!qQ AA"), b"MZ\x90\x00");
        assert_eq!(base64(b"TVo"), b"MZ");
        assert_eq!(base64(b""), b"");
    }

    #[test]
    fn quoted_printable_forms() {
        assert_eq!(quoted_printable(b"a=3Db=\r\nc= d=zz", false), b"a=bc= d=zz");
        assert_eq!(quoted_printable(b"a_b=5F", true), b"a b_");
    }

    #[test]
    fn uuencoded_blocks() {
        let text = b"Hi\r\nbegin 644 run me.exe\r\n\"35H`\r\n`\r\nend\r\nbye\r\n";
        let files = uudecode_all(text);
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].name, "run me.exe");
        assert_eq!(files[0].content, b"MZ");
        assert!(uudecode_all(b"begin here\r\n").is_empty());
    }
}
