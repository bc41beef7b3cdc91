//! Recall and precision of `lookalike-recipient`, measured through `check` as a front
//! end calls it.
//!
//! **Recall**: a generator (below, written for this test) makes look-alikes of 110
//! company domains (German and international) and of the big mail providers, with every
//! technique the rule claims: homoglyphs from other scripts, digits for letters, `rn`
//! for `m` (and `vv`/`w`, `cl`/`d`), a neighbouring key (QWERTZ and QWERTY), two letters
//! swapped, a letter left out or doubled, a hyphen added or removed, another TLD, the
//! country moved into the name. Each look-alike is sent from the company (or, for a
//! provider, to the provider's look-alike from an unrelated company) and must be
//! reported as resembling the original. A variant that is itself a real, listed mail
//! domain (`gmx.at` from `gmx.de`) is not a look-alike and is left out.
//!
//! **Precision**: legitimate pairs that must not be reported: every pair of the big
//! providers' own domains (`gmx.de`/`gmx.net`/`gmx.at`, `outlook.com`/`hotmail.de`, …),
//! each company's own country domains (`firm.de` → `firm.at`, `firm.ch`, `firm.co.uk`),
//! and distinct firms with similar names. Both as sender/recipient and as two
//! recipients of one draft.
//!
//! `cargo xtask test "cargo test"` runs this with `--nocapture`, so the figures are
//! printed; the README quotes them. Thresholds: recall ≥ 95 %, false positives ≤ 1 %.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::collections::{BTreeMap, BTreeSet};

use sendguard_core::{Address, Draft, Policy, RuleId, check};

/// Company domains: German (many hyphenated Mittelstand names) and international.
const COMPANIES: &[&str] = &[
    "siemens.de",
    "bosch.de",
    "allianz.de",
    "lidl.de",
    "dachser.com",
    "rhein-hydraulik.de",
    "muellermilch.de",
    "kaeser.com",
    "stadtwerke-muenchen.de",
    "hornbach.de",
    "voith.com",
    "trumpf.com",
    "festo.com",
    "wuerth.de",
    "stihl.de",
    "kaercher.com",
    "miele.de",
    "vorwerk.de",
    "henkel.de",
    "beiersdorf.de",
    "otto.de",
    "zalando.de",
    "rossmann.de",
    "edeka.de",
    "rewe.de",
    "aldi-sued.de",
    "deutsche-bahn.com",
    "lufthansa.com",
    "telekom.de",
    "commerzbank.de",
    "sparkasse-koelnbonn.de",
    "volksbank-mittelhessen.de",
    "hannover-re.com",
    "talanx.com",
    "ergo.de",
    "debeka.de",
    "huk-coburg.de",
    "brose.com",
    "schaeffler.com",
    "continental.com",
    "zf.com",
    "mahle.com",
    "knorr-bremse.com",
    "krones.com",
    "heraeus.com",
    "fuchs.com",
    "wacker.com",
    "evonik.com",
    "lanxess.com",
    "covestro.com",
    "merck-group.com",
    "fresenius.com",
    "bbraun.de",
    "draeger.com",
    "carl-zeiss.de",
    "jenoptik.com",
    "sartorius.com",
    "qiagen.com",
    "infineon.com",
    "sap.com",
    "software-ag.com",
    "datev.de",
    "hetzner.de",
    "ionos.de",
    "steuerberatung-klein.de",
    "kanzlei-hoffmann.de",
    "praxis-dr-weber.de",
    "autohaus-schneider.de",
    "baeckerei-mayer.de",
    "elektro-fischer.de",
    "dachdecker-wagner.de",
    "spedition-becker.de",
    "maschinenbau-schulz.de",
    "metallbau-richter.de",
    "nordsee-logistik.de",
    "schwarzwald-holz.de",
    "ostsee-reederei.de",
    "harz-energie.de",
    "lieferant-meier.de",
    "immobilien-koch.de",
    "unilever.com",
    "nestle.com",
    "philips.com",
    "maersk.com",
    "novartis.com",
    "roche.com",
    "ikea.com",
    "volvocars.com",
    "ericsson.com",
    "nokia.com",
    "spotify.com",
    "heineken.com",
    "danone.com",
    "michelin.com",
    "renault.com",
    "airbus.com",
    "thalesgroup.com",
    "schneider-electric.com",
    "bnpparibas.com",
    "santander.com",
    "unicredit.it",
    "generali.com",
    "barclays.co.uk",
    "tesco.com",
    "vodafone.com",
    "microsoft.com",
    "amazon.com",
    "paypal.com",
    "dropbox.com",
    "salesforce.com",
];

/// The big mail providers (a subset of `data/lookalike-providers.txt`).
const PROVIDERS: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "outlook.com",
    "hotmail.com",
    "hotmail.de",
    "live.com",
    "yahoo.com",
    "yahoo.de",
    "icloud.com",
    "gmx.de",
    "gmx.net",
    "web.de",
    "t-online.de",
    "freenet.de",
    "posteo.de",
    "mailbox.org",
    "aol.com",
    "protonmail.com",
    "bluewin.ch",
];

/// Provider families: each one's domains, all legitimate.
const PROVIDER_FAMILIES: &[&[&str]] = &[
    &["gmx.de", "gmx.net", "gmx.at", "gmx.ch", "gmx.com"],
    &["web.de", "gmx.de", "t-online.de", "freenet.de", "arcor.de"],
    &[
        "outlook.com",
        "outlook.de",
        "hotmail.com",
        "hotmail.de",
        "live.com",
        "live.de",
        "msn.com",
    ],
    &["gmail.com", "googlemail.com"],
    &["yahoo.com", "yahoo.de", "aol.com", "aol.de"],
    &["icloud.com", "me.com", "mac.com"],
    &["protonmail.com", "proton.me", "posteo.de", "mailbox.org"],
    &["bluewin.ch", "gmx.ch", "a1.net", "aon.at", "gmx.at"],
];

/// Distinct firms with similar names: legitimate, different organizations.
const SIMILAR_FIRMS: &[(&str, &str)] = &[
    ("mueller-logistik.de", "mueller-elektro.de"),
    ("schmidt-bau.de", "schmidt-haus.de"),
    ("autohaus-schneider.de", "autohaus-schreiner.de"),
    ("kanzlei-hoffmann.de", "kanzlei-hofmeister.de"),
    ("stadtwerke-muenchen.de", "stadtwerke-muenster.de"),
    ("sparkasse-koelnbonn.de", "sparkasse-bonn.de"),
    ("volksbank-mittelhessen.de", "volksbank-mittelrhein.de"),
    ("spedition-becker.de", "spedition-baecker.de"),
    ("baeckerei-mayer.de", "baeckerei-maier.de"),
    ("praxis-dr-weber.de", "praxis-dr-werner.de"),
    ("elektro-fischer.de", "elektro-fiedler.de"),
    ("siemens.de", "siemens-energy.com"),
    ("allianz.de", "alliander.com"),
    ("bosch.de", "bosch-home.com"),
    ("merck-group.com", "merck.com"),
    ("otto.de", "otto-group.com"),
    ("ergo.de", "ergon.de"),
    ("continental.com", "continentale.de"),
    ("henkel.de", "hengel.de"),
    ("voith.com", "voit.de"),
    ("krones.com", "kronos.com"),
    ("lanxess.com", "lanxess-solutions.com"),
    ("miele.de", "miele-professional.de"),
    ("wacker.com", "wacker-neuson.com"),
    ("heraeus.com", "heraeus-medical.com"),
    ("telekom.de", "telefonica.de"),
    ("nordsee-logistik.de", "nordsee-logistics.com"),
    ("harz-energie.de", "harzenergie-netz.de"),
    ("lieferant-meier.de", "lieferant-meyer-gmbh.de"),
    ("dachser.com", "dachsler.de"),
    ("festo.com", "festool.com"),
    ("kaeser.com", "kaiser.de"),
    ("brose.com", "brosen.de"),
    ("mahle.com", "mahler.de"),
    ("sap.com", "sapient.com"),
    ("infineon.com", "infinion.de"),
    ("nestle.com", "nestle-waters.com"),
    ("philips.com", "phillips66.com"),
    ("renault.com", "renault-trucks.com"),
    ("airbus.com", "airbusgroup.com"),
    ("ikea.com", "ikano.com"),
    ("maersk.com", "maersk-drilling.com"),
    ("roche.com", "rochester.edu"),
    ("tesco.com", "tesla.com"),
    ("amazon.com", "amazonas-reisen.de"),
    ("paypal.com", "paysafe.com"),
    ("dropbox.com", "dropcam.com"),
    ("spotify.com", "shopify.com"),
    ("nokia.com", "nikon.com"),
    ("zalando.de", "zalando-lounge.de"),
];

/// Country domains a company uses for itself besides its own.
const OWN_COUNTRIES: &[&str] = &[
    "at", "ch", "fr", "nl", "it", "es", "pl", "be", "co.uk", "com.au",
];

// ------------------------------------------------------------------ the generator

/// Look-alike letters from other scripts (Cyrillic, Greek, Latin extensions).
const HOMOGLYPHS: &[(char, char)] = &[
    ('a', '\u{430}'),
    ('e', '\u{435}'),
    ('o', '\u{43e}'),
    ('p', '\u{440}'),
    ('c', '\u{441}'),
    ('x', '\u{445}'),
    ('y', '\u{443}'),
    ('i', '\u{456}'),
    ('s', '\u{455}'),
    ('o', '\u{3bf}'),
    ('k', '\u{3ba}'),
    ('n', '\u{3b7}'),
    ('i', '\u{131}'),
];

const QWERTZ_ROWS: [&str; 3] = ["qwertzuiop", "asdfghjkl", "yxcvbnm"];
const QWERTY_ROWS: [&str; 3] = ["qwertyuiop", "asdfghjkl", "zxcvbnm"];

/// A key next to `c` on the given rows (same row, right or left).
fn neighbour(rows: &[&str; 3], c: char) -> Option<char> {
    rows.iter().find_map(|row| {
        let chars: Vec<char> = row.chars().collect();
        let at = chars.iter().position(|&k| k == c)?;
        chars
            .get(at + 1)
            .or(at.checked_sub(1).map(|i| &chars[i]))
            .copied()
    })
}

fn split(domain: &str) -> (&str, &str) {
    domain.split_once('.').unwrap()
}

/// Up to `limit` label positions spread over the label, skipping the first letter
/// (people rarely mistype it, and attackers keep it).
fn positions(label: &[char], limit: usize) -> Vec<usize> {
    let inner: Vec<usize> = (1..label.len()).collect();
    if inner.len() <= limit {
        return inner;
    }
    (0..limit)
        .map(|k| inner[k * (inner.len() - 1) / (limit - 1).max(1)])
        .collect()
}

/// Every look-alike of `domain`, by technique.
fn lookalikes(domain: &str) -> Vec<(&'static str, String)> {
    let (label, suffix) = split(domain);
    let chars: Vec<char> = label.chars().collect();
    let make = |chars: &[char]| format!("{}.{suffix}", chars.iter().collect::<String>());
    let mut out: Vec<(&'static str, String)> = Vec::new();
    // Homoglyphs: the first two letters that have one.
    let mut done = 0;
    for (index, c) in chars.iter().enumerate() {
        if let Some(&(_, glyph)) = HOMOGLYPHS.iter().find(|(latin, _)| latin == c) {
            let mut variant = chars.clone();
            variant[index] = glyph;
            out.push(("homoglyph", make(&variant)));
            done += 1;
            if done == 2 {
                break;
            }
        }
    }
    // Digits for letters.
    for (letter, digit) in [('l', '1'), ('o', '0'), ('i', '1')] {
        if let Some(index) = chars.iter().position(|&c| c == letter) {
            let mut variant = chars.clone();
            variant[index] = digit;
            out.push(("digit for letter", make(&variant)));
        }
    }
    // Sequences read as one letter, and back.
    for (one, two) in [("m", "rn"), ("w", "vv"), ("d", "cl")] {
        if label.contains(one) {
            out.push((
                "rn/m sequence",
                format!("{}.{suffix}", label.replacen(one, two, 1)),
            ));
        }
        if label.contains(two) {
            out.push((
                "rn/m sequence",
                format!("{}.{suffix}", label.replacen(two, one, 1)),
            ));
        }
    }
    for index in positions(&chars, 3) {
        let c = chars[index];
        for (name, rows) in [
            ("neighbouring key", &QWERTZ_ROWS),
            ("neighbouring key", &QWERTY_ROWS),
        ] {
            if let Some(key) = neighbour(rows, c) {
                let mut variant = chars.clone();
                variant[index] = key;
                out.push((name, make(&variant)));
            }
        }
        if index + 1 < chars.len() && chars[index] != chars[index + 1] {
            let mut variant = chars.clone();
            variant.swap(index, index + 1);
            out.push(("swapped letters", make(&variant)));
        }
        if chars.len() > 4 {
            let mut variant = chars.clone();
            variant.remove(index);
            out.push(("letter left out", make(&variant)));
        }
        let mut variant = chars.clone();
        variant.insert(index, c);
        out.push(("letter doubled", make(&variant)));
    }
    // Hyphens.
    if let Some(index) = chars.iter().position(|&c| c == '-') {
        let mut variant = chars.clone();
        variant.remove(index);
        out.push(("hyphen", make(&variant)));
    } else if chars.len() >= 6 {
        let mut variant = chars.clone();
        variant.insert(chars.len() / 2, '-');
        out.push(("hyphen", make(&variant)));
    }
    // Another TLD, and the country in the name.
    let swaps: &[&str] = match suffix {
        // Not another country: companies own those (the precision part checks them).
        "com" => &["co", "net", "cm", "org"],
        "de" => &["com", "net", "co"],
        _ => &["com", "net"],
    };
    for other in swaps {
        out.push(("TLD swap", format!("{label}.{other}")));
    }
    if suffix != "com" {
        let flat = suffix.replace('.', "");
        out.push(("TLD swap", format!("{label}-{flat}.com")));
        out.push(("TLD swap", format!("{label}{flat}.com")));
    }
    out.retain(|(_, variant)| variant != domain);
    out
}

// ------------------------------------------------------------------ measuring

fn draft(from: &str, to: &[&str]) -> Draft {
    Draft {
        from: Some(Address::new(format!("anna.schulz@{from}"))),
        to: to
            .iter()
            .map(|d| Address::new(format!("max.mustermann@{d}")))
            .collect(),
        ..Draft::default()
    }
}

/// Whether the report holds a lookalike-recipient finding that names `original`.
fn reported(draft: &Draft, original: Option<&str>) -> bool {
    check(draft, &Policy::default()).findings.iter().any(|f| {
        f.rule == RuleId::LookalikeRecipient
            && original.is_none_or(|o| f.message.get(sendguard_core::Lang::En).contains(o))
    })
}

/// A real domain the variant may have hit by chance (another of the originals or a
/// provider family's own): not a look-alike.
fn legitimate(variant: &str) -> bool {
    PROVIDER_FAMILIES
        .iter()
        .any(|family| family.contains(&variant))
        || PROVIDERS.contains(&variant)
        || COMPANIES.contains(&variant)
}

/// Whether the shipped freemail lists hold the variant: a real mail domain (`gmx.co`,
/// `hotmail.net`), which the rule rightly leaves alone; counted and printed apart.
fn listed_freemail(draft: &Draft) -> bool {
    check(draft, &Policy::default())
        .findings
        .iter()
        .any(|f| f.rule == RuleId::FreemailRecipient)
}

#[test]
fn recall_and_false_positives() {
    // ---- recall
    let mut by_technique: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut missed: Vec<String> = Vec::new();
    let mut seen = BTreeSet::new();
    let mut listed: Vec<String> = Vec::new();
    for original in COMPANIES.iter().chain(PROVIDERS) {
        let provider = PROVIDERS.contains(original);
        for (technique, variant) in lookalikes(original) {
            if legitimate(&variant) || !seen.insert((original.to_string(), variant.clone())) {
                continue;
            }
            let sender = if provider {
                "corp-holding.example"
            } else {
                original
            };
            let mail = draft(sender, &[&variant]);
            if listed_freemail(&mail) {
                listed.push(variant);
                continue;
            }
            let found = reported(&mail, Some(original));
            let entry = by_technique.entry(technique).or_default();
            entry.0 += usize::from(found);
            entry.1 += 1;
            if !found {
                missed.push(format!("{variant} ({technique}, from {original})"));
            }
        }
    }
    let (hits, total) = by_technique
        .values()
        .fold((0, 0), |(h, t), (hit, all)| (h + hit, t + all));
    let recall = 100.0 * hits as f64 / total as f64;

    // ---- precision
    let mut legit: Vec<(String, String, &str)> = Vec::new();
    for family in PROVIDER_FAMILIES {
        for a in *family {
            for b in *family {
                if a != b {
                    legit.push((a.to_string(), b.to_string(), "provider family"));
                }
            }
        }
    }
    for company in COMPANIES {
        let (label, suffix) = split(company);
        for country in OWN_COUNTRIES {
            if *country != suffix {
                legit.push((
                    company.to_string(),
                    format!("{label}.{country}"),
                    "own country domain",
                ));
            }
        }
    }
    for (a, b) in SIMILAR_FIRMS {
        legit.push((a.to_string(), b.to_string(), "similar firm"));
        legit.push((b.to_string(), a.to_string(), "similar firm"));
    }
    let mut false_positives: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut fired: Vec<String> = Vec::new();
    for (known, recipient, kind) in &legit {
        // As sender and recipient, and as two recipients of one draft.
        let as_sender = reported(&draft(known, &[recipient]), None);
        let both = reported(&draft("corp-holding.example", &[known, recipient]), None);
        for hit in [as_sender, both] {
            let entry = false_positives.entry(kind).or_default();
            entry.0 += usize::from(hit);
            entry.1 += 1;
        }
        if as_sender || both {
            fired.push(format!("{known} -> {recipient} ({kind})"));
        }
    }
    let (fp, checked) = false_positives
        .values()
        .fold((0, 0), |(f, t), (hit, all)| (f + hit, t + all));
    let fp_rate = 100.0 * fp as f64 / checked as f64;

    println!(
        "lookalike-recipient recall: {hits}/{total} = {recall:.1} % over {} originals",
        COMPANIES.len() + PROVIDERS.len()
    );
    for (technique, (hit, all)) in &by_technique {
        println!(
            "  {technique:<18} {hit:>5}/{all:<5} {:.1} %",
            100.0 * *hit as f64 / *all as f64
        );
    }
    println!(
        "  left out: {} variants that are listed freemail domains ({})",
        listed.len(),
        listed.join(", ")
    );
    println!("lookalike-recipient false positives: {fp}/{checked} = {fp_rate:.2} %");
    for (kind, (hit, all)) in &false_positives {
        println!("  {kind:<18} {hit:>5}/{all:<5}");
    }
    for line in missed.iter().take(40) {
        println!("  missed: {line}");
    }
    for line in &fired {
        println!("  fired on legitimate: {line}");
    }
    assert!(COMPANIES.len() >= 100);
    assert!(total >= 1_000, "only {total} look-alikes generated");
    assert!(recall >= 95.0, "recall {recall:.1} % < 95 %");
    assert!(fp_rate <= 1.0, "false positives {fp_rate:.2} % > 1 %");
}
