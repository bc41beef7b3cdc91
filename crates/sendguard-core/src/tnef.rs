//! `winmail.dat` (TNEF, `application/ms-tnef`): the attachments Outlook wraps into one
//! file for other Outlooks. Clients that unpack it (Outlook, Thunderbird with an
//! add-on, many web mailers) show the inner files, so the checker lists them: the
//! short name (`attAttachTitle`), the long name from the MAPI properties
//! (`PR_ATTACH_LONG_FILENAME`) and the data (`attAttachData`).

use crate::little_endian::{u16_at, u32_at};

/// One file inside a TNEF stream.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct TnefFile {
    pub(crate) names: Vec<String>,
    pub(crate) content: Vec<u8>,
}

const SIGNATURE: u32 = 0x223E_9F78;
const ATT_ATTACH_REND_DATA: u32 = 0x0006_9002;
const ATT_ATTACH_TITLE: u32 = 0x0001_8010;
const ATT_ATTACH_DATA: u32 = 0x0006_800F;
const ATT_ATTACHMENT: u32 = 0x0006_9005;
const LEVEL_ATTACHMENT: u8 = 2;

/// Whether the bytes start with the TNEF signature.
pub(crate) fn looks_like_tnef(bytes: &[u8]) -> bool {
    bytes.get(..4) == Some(&SIGNATURE.to_le_bytes()[..])
}

/// The files of a TNEF stream, at most `max_files`; `None` when the stream is not TNEF.
/// The second value says whether the stream was cut short or corrupt.
pub(crate) fn files(bytes: &[u8], max_files: usize) -> Option<(Vec<TnefFile>, bool)> {
    if !looks_like_tnef(bytes) {
        return None;
    }
    let mut files: Vec<TnefFile> = Vec::new();
    let mut at = 6; // signature, key
    let mut broken = false;
    while at < bytes.len() {
        let (Some(&level), Some(id), Some(len)) =
            (bytes.get(at), u32_at(bytes, at + 1), u32_at(bytes, at + 5))
        else {
            broken = true;
            break;
        };
        let start = at + 9;
        let Some(data) = usize::try_from(len)
            .ok()
            .and_then(|len| bytes.get(start..start.checked_add(len)?))
        else {
            broken = true;
            break;
        };
        at = start + data.len() + 2; // checksum
        if level != LEVEL_ATTACHMENT {
            continue;
        }
        if id == ATT_ATTACH_REND_DATA || files.is_empty() {
            if files.len() >= max_files {
                broken = true;
                break;
            }
            files.push(TnefFile::default());
        }
        let Some(file) = files.last_mut() else {
            continue;
        };
        match id {
            ATT_ATTACH_TITLE => add_name(
                file,
                crate::mime::charset::utf8_or_windows_1252(until_nul(data)),
            ),
            ATT_ATTACH_DATA => file.content = data.to_vec(),
            ATT_ATTACHMENT => {
                for name in long_names(data) {
                    add_name(file, name);
                }
            }
            _ => {}
        }
    }
    Some((files, broken))
}

fn until_nul(data: &[u8]) -> &[u8] {
    let end = data.iter().position(|&b| b == 0).unwrap_or(data.len());
    &data[..end]
}

fn add_name(file: &mut TnefFile, name: String) {
    let name = name.trim().to_string();
    if !name.is_empty() && !file.names.contains(&name) {
        // The long name first: it is what the user sees.
        file.names.insert(0, name);
    }
}

const PR_ATTACH_LONG_FILENAME: u16 = 0x3707;
const PR_ATTACH_FILENAME: u16 = 0x3704;
const PR_DISPLAY_NAME: u16 = 0x3001;

/// The file-name properties of an `attAttachment` MAPI property list. Stops at the
/// first property type it cannot size.
fn long_names(data: &[u8]) -> Vec<String> {
    let mut names = Vec::new();
    let Some(count) = u32_at(data, 0) else {
        return names;
    };
    let mut at = 4usize;
    for _ in 0..count.min(1024) {
        let (Some(kind), Some(id)) = (u16_at(data, at), u16_at(data, at + 2)) else {
            break;
        };
        at += 4;
        if id >= 0x8000 {
            // Named property: GUID, then a number or a UTF-16 name.
            let Some(name_kind) = u32_at(data, at + 16) else {
                break;
            };
            at += 20;
            if name_kind == 0 {
                at += 4;
            } else {
                let Some(len) = u32_at(data, at).and_then(|l| usize::try_from(l).ok()) else {
                    break;
                };
                at += 4 + padded(len);
            }
        }
        let multi = kind & 0x1000 != 0;
        let base = kind & 0x0FFF;
        let values = if multi || matches!(base, 0x001E | 0x001F | 0x0102 | 0x000D | 0x0048) {
            let Some(n) = u32_at(data, at) else {
                break;
            };
            at += 4;
            n.min(1024)
        } else {
            1
        };
        let fixed = match base {
            0x0002 | 0x000B => Some(4), // short, boolean (padded to 4)
            0x0003 | 0x0004 | 0x000A => Some(4),
            0x0005 | 0x0006 | 0x0007 | 0x0014 | 0x0040 => Some(8),
            0x0048 => Some(16),
            0x001E | 0x001F | 0x0102 | 0x000D => None,
            _ => return names,
        };
        for _ in 0..values {
            match fixed {
                Some(size) => at += size,
                None => {
                    let Some(len) = u32_at(data, at).and_then(|l| usize::try_from(l).ok()) else {
                        return names;
                    };
                    let Some(value) = data.get(at + 4..(at + 4).saturating_add(len)) else {
                        return names;
                    };
                    if matches!(
                        id,
                        PR_ATTACH_LONG_FILENAME | PR_ATTACH_FILENAME | PR_DISPLAY_NAME
                    ) {
                        let text = if base == 0x001F {
                            let units: Vec<u16> = value
                                .chunks_exact(2)
                                .map(|pair| u16::from_le_bytes([pair[0], pair[1]]))
                                .collect();
                            String::from_utf16_lossy(&units)
                        } else {
                            crate::mime::charset::utf8_or_windows_1252(value)
                        };
                        let text = text.trim_end_matches('\0').to_string();
                        if id != PR_DISPLAY_NAME || text.contains('.') {
                            names.push(text);
                        }
                    }
                    at += 4 + padded(len);
                }
            }
        }
    }
    names
}

fn padded(len: usize) -> usize {
    len.saturating_add(3) & !3
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn attribute(out: &mut Vec<u8>, level: u8, id: u32, data: &[u8]) {
        out.push(level);
        out.extend_from_slice(&id.to_le_bytes());
        out.extend_from_slice(&u32::try_from(data.len()).unwrap_or(0).to_le_bytes());
        out.extend_from_slice(data);
        out.extend_from_slice(&[0, 0]);
    }

    /// A TNEF stream with one attachment (test helper for other modules too).
    pub(crate) fn winmail(short: &str, long: &str, content: &[u8]) -> Vec<u8> {
        let mut out = SIGNATURE.to_le_bytes().to_vec();
        out.extend_from_slice(&[1, 0]);
        attribute(&mut out, 1, 0x0007_8008, b"IPM.Microsoft Mail.Note\0");
        attribute(&mut out, 2, ATT_ATTACH_REND_DATA, &[0; 14]);
        attribute(
            &mut out,
            2,
            ATT_ATTACH_TITLE,
            format!("{short}\0").as_bytes(),
        );
        attribute(&mut out, 2, ATT_ATTACH_DATA, content);
        let mut props = 1u32.to_le_bytes().to_vec();
        props.extend_from_slice(&0x001Fu16.to_le_bytes());
        props.extend_from_slice(&PR_ATTACH_LONG_FILENAME.to_le_bytes());
        props.extend_from_slice(&1u32.to_le_bytes());
        let utf16: Vec<u8> = long
            .encode_utf16()
            .chain([0])
            .flat_map(u16::to_le_bytes)
            .collect();
        props.extend_from_slice(&u32::try_from(utf16.len()).unwrap_or(0).to_le_bytes());
        props.extend_from_slice(&utf16);
        props.resize(props.len().div_ceil(4) * 4, 0);
        attribute(&mut out, 2, ATT_ATTACHMENT, &props);
        out
    }

    #[test]
    fn names_and_content() {
        let stream = winmail("INVOIC~1.EXE", "Invoice March.pdf.exe", b"MZ");
        let (found, broken) = files(&stream, 10).unwrap_or_default();
        assert!(!broken);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].names, ["Invoice March.pdf.exe", "INVOIC~1.EXE"]);
        assert_eq!(found[0].content, b"MZ");
        let (_, broken) = files(&stream[..stream.len() - 5], 10).unwrap_or_default();
        assert!(broken);
        assert!(files(b"PK", 10).is_none());
    }
}
