//! How fast text comes out of documents: a Word file, an Excel workbook, an
//! OpenDocument text, PDFs (FlateDecode and uncompressed) and a zip of CSV files,
//! each timed through `check` with only the personal-data rules on (extraction plus
//! the scan of the extracted text). Prints the file size, the text inside it and MB/s
//! of each. `cargo bench -p sendguard-core --bench extract` runs it (8 MB of text per
//! document); `cargo test --benches` runs it once, quickly.
//!
//! The documents are written here, minimal but well-formed (a deflated zip of XML
//! parts; a PDF with one content stream per page), so the figure is the reader's own
//! cost and not that of any particular producer's extras.

// A bench is a terminal program: printing is its interface.
#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::cast_precision_loss)]

use std::fmt::Write as _;
use std::hint::black_box;
use std::time::{Duration, Instant};

use sendguard_core::{Address, Attachment, Draft, Policy, check};

/// A zip of deflated entries.
fn zip(entries: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in entries {
        let packed = miniz_oxide::deflate::compress_to_vec(data, 6);
        let offset = u32::try_from(out.len()).unwrap();
        let head = |signature: u32, out: &mut Vec<u8>, central: bool| {
            out.extend_from_slice(&signature.to_le_bytes());
            if central {
                out.extend_from_slice(&20u16.to_le_bytes());
            }
            out.extend_from_slice(&20u16.to_le_bytes());
            out.extend_from_slice(&0u16.to_le_bytes()); // flags
            out.extend_from_slice(&8u16.to_le_bytes()); // deflate
            out.extend_from_slice(&[0; 8]); // time, date, crc (not checked)
            out.extend_from_slice(&u32::try_from(packed.len()).unwrap().to_le_bytes());
            out.extend_from_slice(&u32::try_from(data.len()).unwrap().to_le_bytes());
            out.extend_from_slice(&u16::try_from(name.len()).unwrap().to_le_bytes());
            out.extend_from_slice(&0u16.to_le_bytes()); // extra
        };
        head(0x0403_4b50, &mut out, false);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&packed);
        head(0x0201_4b50, &mut central, true);
        central.extend_from_slice(&[0; 10]); // comment, disk, attributes
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name.as_bytes());
    }
    let at = u32::try_from(out.len()).unwrap();
    let count = u16::try_from(entries.len()).unwrap();
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&u32::try_from(central.len()).unwrap().to_le_bytes());
    out.extend_from_slice(&at.to_le_bytes());
    out.extend_from_slice(&[0; 2]);
    out
}

/// Rows of a member list: (first, last, e-mail, phone, date of birth).
fn row(i: usize) -> [String; 5] {
    [
        format!("Vorname{i}"),
        format!("Nachname{}", i * 7 % 1000),
        format!("person{i}@mail.example"),
        format!("+49 30 {:07}", i % 10_000_000),
        format!("{:02}.{:02}.19{:02}", i % 28 + 1, i % 12 + 1, 40 + i % 60),
    ]
}

fn rows_for(text_bytes: usize) -> usize {
    text_bytes / 80
}

fn docx(text_bytes: usize) -> Vec<u8> {
    let mut body = String::from("<w:document xmlns:w=\"w\"><w:body><w:tbl>");
    for i in 0..rows_for(text_bytes) {
        body.push_str("<w:tr>");
        for cell in row(i) {
            let _ = write!(body, "<w:tc><w:p><w:r><w:t>{cell}</w:t></w:r></w:p></w:tc>");
        }
        body.push_str("</w:tr>");
    }
    body.push_str("</w:tbl></w:body></w:document>");
    zip(&[("word/document.xml", body.into_bytes())])
}

fn xlsx(text_bytes: usize) -> Vec<u8> {
    let mut strings = String::from("<sst>");
    let mut sheet = String::from("<worksheet><sheetData>");
    let mut index = 0;
    for i in 0..rows_for(text_bytes) {
        sheet.push_str("<row>");
        for cell in row(i) {
            let _ = write!(strings, "<si><t>{cell}</t></si>");
            let _ = write!(sheet, "<c t=\"s\"><v>{index}</v></c>");
            index += 1;
        }
        sheet.push_str("</row>");
    }
    strings.push_str("</sst>");
    sheet.push_str("</sheetData></worksheet>");
    zip(&[
        ("xl/sharedStrings.xml", strings.into_bytes()),
        ("xl/worksheets/sheet1.xml", sheet.into_bytes()),
    ])
}

fn odt(text_bytes: usize) -> Vec<u8> {
    let mut body = String::from("<office:document-content><office:body><office:text>");
    for i in 0..rows_for(text_bytes) {
        let _ = write!(body, "<text:p>{}</text:p>", row(i).join("<text:tab/>"));
    }
    body.push_str("</office:text></office:body></office:document-content>");
    zip(&[("content.xml", body.into_bytes())])
}

fn pdf(text_bytes: usize, deflate: bool) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n1 0 obj << /Font << /F1 2 0 R >> >> endobj\n2 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj\n".to_vec();
    let rows = rows_for(text_bytes);
    let per_page = 60;
    for (object, page) in (3..).zip(0..rows.div_ceil(per_page)) {
        let mut content = String::from("BT /F1 9 Tf 40 800 Td 12 TL\n");
        for i in page * per_page..((page + 1) * per_page).min(rows) {
            let cells = row(i);
            let _ = writeln!(
                content,
                "[({}) -250 ({})] TJ 120 0 Td ({}) Tj 150 0 Td ({}) Tj 100 0 Td ({}) Tj -370 -12 Td",
                cells[0], cells[1], cells[2], cells[3], cells[4]
            );
        }
        content.push_str("ET\n");
        let (data, filter) = if deflate {
            (
                miniz_oxide::deflate::compress_to_vec_zlib(content.as_bytes(), 6),
                " /Filter /FlateDecode",
            )
        } else {
            (content.into_bytes(), "")
        };
        out.extend_from_slice(
            format!(
                "{object} 0 obj << /Length {}{filter} >>\nstream\n",
                data.len()
            )
            .as_bytes(),
        );
        out.extend_from_slice(&data);
        out.extend_from_slice(b"\nendstream\nendobj\n");
    }
    out.extend_from_slice(b"trailer << /Root 1 0 R >>\n%%EOF\n");
    out
}

fn csv_zip(text_bytes: usize) -> Vec<u8> {
    let files: Vec<(String, Vec<u8>)> = (0..4)
        .map(|n| {
            let mut csv = String::from("Vorname;Nachname;E-Mail;Telefon;Geburtsdatum\n");
            for i in 0..rows_for(text_bytes / 4) {
                csv.push_str(&row(i + n * 1_000_000).join(";"));
                csv.push('\n');
            }
            (format!("liste-{n}.csv"), csv.into_bytes())
        })
        .collect();
    let entries: Vec<(&str, Vec<u8>)> = files
        .iter()
        .map(|(name, data)| (name.as_str(), data.clone()))
        .collect();
    zip(&entries)
}

fn median(budget: Duration, mut f: impl FnMut()) -> Duration {
    f();
    let mut samples = Vec::new();
    let started = Instant::now();
    while samples.len() < 3 || (started.elapsed() < budget && samples.len() < 100) {
        let run = Instant::now();
        f();
        samples.push(run.elapsed());
    }
    samples.sort();
    samples[samples.len() / 2]
}

fn main() {
    let quick = !std::env::args().any(|arg| arg == "--bench");
    let (budget, text_mb) = if quick {
        (Duration::from_millis(1), 1)
    } else {
        (Duration::from_secs(3), 8)
    };
    let mut rules = String::new();
    for rule in sendguard_core::RuleId::ALL {
        let on = rule.id().starts_with("personal-data") || rule.id() == "content-not-inspected";
        let _ = write!(
            rules,
            "{}\"{}\":\"{}\"",
            if rules.is_empty() { "" } else { "," },
            rule.id(),
            if on { "block" } else { "off" }
        );
    }
    let policy = Policy::from_json(&format!("{{\"severity\":{{{rules}}}}}")).unwrap();
    let text = text_mb * 1024 * 1024;
    let cases: [(&str, &str, Vec<u8>); 6] = [
        ("Word (.docx)", "liste.docx", docx(text)),
        ("Excel (.xlsx)", "liste.xlsx", xlsx(text)),
        ("OpenDocument (.odt)", "liste.odt", odt(text)),
        ("PDF, FlateDecode", "liste.pdf", pdf(text, true)),
        ("PDF, uncompressed", "liste-roh.pdf", pdf(text, false)),
        ("zip of 4 CSV files", "listen.zip", csv_zip(text)),
    ];
    let mut table = String::from(
        "| document | file MB | text MB | median ms | file MB/s | text MB/s | findings |\n\
         |---|---:|---:|---:|---:|---:|---|\n",
    );
    for (label, name, content) in cases {
        let file_mb = content.len() as f64 / 1_000_000.0;
        let draft = Draft {
            from: Some(Address::new("me@corp.example")),
            to: vec![Address::new("partner@partner.example")],
            attachments: vec![Attachment {
                name: name.to_string(),
                size: content.len() as u64,
                content: Some(content),
                ..Attachment::default()
            }],
            ..Draft::default()
        };
        let report = check(&draft, &policy);
        let rules: Vec<&str> = report.findings.iter().map(|f| f.rule.id()).collect();
        let took = median(budget, || {
            black_box(check(black_box(&draft), &policy));
        });
        let text_mb = text as f64 / 1_000_000.0;
        let seconds = took.as_secs_f64();
        let _ = writeln!(
            table,
            "| {label} | {file_mb:.2} | {text_mb:.1} | {:.1} | {:.1} | {:.0} | {} |",
            seconds * 1000.0,
            file_mb / seconds,
            text_mb / seconds,
            rules.join(" ")
        );
    }
    print!("{table}");
}
