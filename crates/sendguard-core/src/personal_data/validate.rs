//! Check-digit validators for the identifiers the personal-data rules look for.
//!
//! Each takes the identifier normalized by the scanner (ASCII, upper case, separators
//! removed) and says whether it is well-formed and its check digit(s) agree. None of
//! them allocates: the scanner calls them on every candidate.

/// IBAN lengths by country, from the SWIFT IBAN registry (`data/personal-data/`,
/// see its `SOURCES.md`): one `CC NN` line per country, sorted.
const IBAN_LENGTHS: &str = include_str!("../../data/personal-data/iban-lengths.txt");

/// The registry's IBAN length for a country code (`DE` → 22), if it has one.
pub(crate) fn iban_length(country: &[u8]) -> Option<usize> {
    // After the `#` header every line is `CC NN\n` (six bytes), sorted by country:
    // a binary search over fixed-width rows, no parsing per call.
    let bytes = IBAN_LENGTHS.as_bytes();
    let mut start = 0;
    while bytes.get(start) == Some(&b'#') {
        start += bytes[start..].iter().position(|&b| b == b'\n')? + 1;
    }
    let table = &bytes[start..];
    let (mut low, mut high) = (0, table.len() / 6);
    while low < high {
        let middle = (low + high) / 2;
        let row = &table[middle * 6..middle * 6 + 6];
        match row[..2].cmp(country) {
            std::cmp::Ordering::Less => low = middle + 1,
            std::cmp::Ordering::Greater => high = middle,
            std::cmp::Ordering::Equal => {
                return Some(usize::from(row[3] - b'0') * 10 + usize::from(row[4] - b'0'));
            }
        }
    }
    None
}

/// The value of an IBAN/MRZ character: digits 0–9, letters A=10 … Z=35.
fn alnum_value(byte: u8) -> Option<u32> {
    match byte {
        b'0'..=b'9' => Some(u32::from(byte - b'0')),
        b'A'..=b'Z' => Some(u32::from(byte - b'A') + 10),
        _ => None,
    }
}

/// An IBAN: the country's registry length, two check digits, and ISO 7064 MOD 97-10
/// over the rearranged number giving 1.
pub(crate) fn is_iban(iban: &[u8]) -> bool {
    if iban.len() < 5
        || !iban[..2].iter().all(u8::is_ascii_uppercase)
        || !iban[2..4].iter().all(u8::is_ascii_digit)
        || iban_length(&iban[..2]) != Some(iban.len())
    {
        return false;
    }
    let mut remainder = 0u32;
    for &byte in iban[4..].iter().chain(&iban[..4]) {
        let Some(value) = alnum_value(byte) else {
            return false;
        };
        remainder = if value < 10 {
            (remainder * 10 + value) % 97
        } else {
            (remainder * 100 + value) % 97
        };
    }
    remainder == 1
}

/// The Luhn check (ISO/IEC 7812-1 Annex B) over a string of digits.
pub(crate) fn luhn(digits: &[u8]) -> bool {
    let mut sum = 0u32;
    for (index, &byte) in digits.iter().rev().enumerate() {
        if !byte.is_ascii_digit() {
            return false;
        }
        let mut value = u32::from(byte - b'0');
        if index % 2 == 1 {
            value *= 2;
            if value > 9 {
                value -= 9;
            }
        }
        sum += value;
    }
    sum % 10 == 0
}

/// Issuer ranges of the big card schemes: (lowest prefix, highest prefix, prefix
/// digits, shortest, longest number). Public facts of each scheme's numbering.
const CARD_RANGES: &[(u32, u32, usize, usize, usize)] = &[
    (4, 4, 1, 13, 19),       // Visa
    (51, 55, 2, 16, 16),     // Mastercard
    (2221, 2720, 4, 16, 16), // Mastercard 2-series
    (34, 34, 2, 15, 15),     // American Express
    (37, 37, 2, 15, 15),     // American Express
    (6011, 6011, 4, 16, 19), // Discover
    (644, 649, 3, 16, 19),   // Discover
    (65, 65, 2, 16, 19),     // Discover
    (3528, 3589, 4, 16, 19), // JCB
    (300, 305, 3, 14, 19),   // Diners Club International
    (36, 36, 2, 14, 19),     // Diners Club International
    (38, 39, 2, 16, 19),     // Diners Club
    (62, 62, 2, 16, 19),     // UnionPay
    (50, 50, 2, 12, 19),     // Maestro
    (56, 58, 2, 12, 19),     // Maestro
    (67, 67, 2, 12, 19),     // Maestro (incl. former girocard co-badges)
];

/// A payment card number: an issuer range with a length it issues, and Luhn.
pub(crate) fn is_card(digits: &[u8]) -> bool {
    if !(12..=19).contains(&digits.len()) || !digits.iter().all(u8::is_ascii_digit) {
        return false;
    }
    // Runs like 4444 4444 4444 4444 pass Luhn by accident and are no one's card.
    if digits.iter().all(|&d| d == digits[0]) {
        return false;
    }
    let prefix = |n: usize| -> u32 {
        digits[..n]
            .iter()
            .fold(0, |acc, &d| acc * 10 + u32::from(d - b'0'))
    };
    let issued = CARD_RANGES
        .iter()
        .any(|&(low, high, width, shortest, longest)| {
            (low..=high).contains(&prefix(width)) && (shortest..=longest).contains(&digits.len())
        });
    issued && luhn(digits)
}

/// The German tax identification number (steuerliche Identifikationsnummer, § 139b AO):
/// 11 digits, no leading zero; among the first ten exactly one digit occurs twice or
/// three times (three times not all adjacent) and every other digit at most once; the
/// last digit is the ISO 7064 MOD 11,10 check digit over the first ten.
pub(crate) fn is_tax_id(digits: &[u8]) -> bool {
    if digits.len() != 11 || !digits.iter().all(u8::is_ascii_digit) || digits[0] == b'0' {
        return false;
    }
    let mut counts = [0u8; 10];
    for &d in &digits[..10] {
        counts[usize::from(d - b'0')] += 1;
    }
    let repeated: Vec<usize> = (0..10).filter(|&d| counts[d] > 1).collect();
    if repeated.len() != 1 || counts[repeated[0]] > 3 {
        return false;
    }
    if counts[repeated[0]] == 3 {
        let digit = b'0' + u8::try_from(repeated[0]).unwrap_or(0);
        if digits[..10]
            .windows(3)
            .any(|w| w.iter().all(|&d| d == digit))
        {
            return false;
        }
    }
    mod_11_10(&digits[..10]) == digits[10] - b'0'
}

/// ISO 7064 MOD 11,10: the check digit for a string of digits.
pub(crate) fn mod_11_10(digits: &[u8]) -> u8 {
    let mut product = 10u32;
    for &d in digits {
        let mut sum = (u32::from(d - b'0') + product) % 10;
        if sum == 0 {
            sum = 10;
        }
        product = (sum * 2) % 11;
    }
    let check = 11 - product;
    u8::try_from(if check == 10 { 0 } else { check }).unwrap_or(0)
}

/// The sum of the decimal digits of `n`.
fn cross_sum(mut n: u32) -> u32 {
    let mut sum = 0;
    while n > 0 {
        sum += n % 10;
        n /= 10;
    }
    sum
}

/// The letter's position in the alphabet as two digits (`A` → `01`, `Z` → `26`).
fn letter_digits(letter: u8) -> [u32; 2] {
    let position = u32::from(letter - b'A') + 1;
    [position / 10, position % 10]
}

/// The German pension insurance number (Rentenversicherungsnummer, VKVV § 2): area
/// number (02–89), birth date DDMMYY, the birth name's initial, a two-digit serial and a
/// check digit. The letter becomes its alphabet position (two digits); the twelve
/// digits before the check are weighted 2,1,2,5,7,1,2,1,2,1,2,1, the products' digit
/// sums added, and the sum modulo 10 is the check digit.
pub(crate) fn is_pension_number(id: &[u8]) -> bool {
    if id.len() != 12
        || !id[..8].iter().all(u8::is_ascii_digit)
        || !id[8].is_ascii_uppercase()
        || !id[9..].iter().all(u8::is_ascii_digit)
    {
        return false;
    }
    let number = |range: std::ops::Range<usize>| -> u32 {
        id[range]
            .iter()
            .fold(0, |acc, &d| acc * 10 + u32::from(d - b'0'))
    };
    let (area, day, month) = (number(0..2), number(2..4), number(4..6));
    // Day and month may be raised by the issuer when a date is unknown or exhausted
    // (day + 30, month + 20 are rare); accept the plain calendar and those offsets.
    let day_ok = (1..=31).contains(&day) || (31..=61).contains(&day);
    let month_ok = (1..=12).contains(&month) || (21..=32).contains(&month);
    if !(2..=89).contains(&area) || !day_ok || !month_ok {
        return false;
    }
    const WEIGHTS: [u32; 12] = [2, 1, 2, 5, 7, 1, 2, 1, 2, 1, 2, 1];
    let [letter_high, letter_low] = letter_digits(id[8]);
    let digits = id[..8]
        .iter()
        .map(|&d| u32::from(d - b'0'))
        .chain([letter_high, letter_low])
        .chain(id[9..11].iter().map(|&d| u32::from(d - b'0')));
    let sum: u32 = digits
        .zip(WEIGHTS)
        .map(|(digit, weight)| cross_sum(digit * weight))
        .sum();
    sum % 10 == u32::from(id[11] - b'0')
}

/// The German health insurance number (unveränderbarer Teil der
/// Krankenversichertennummer, § 290 SGB V): a letter and nine digits, the last a check
/// digit. The letter becomes two digits (`A` → `01`); the ten digits before the check
/// are weighted 1,2,1,2,…, each product's digit sum added, and the sum modulo 10 is the
/// check digit.
pub(crate) fn is_health_insurance_number(id: &[u8]) -> bool {
    if id.len() != 10 || !id[0].is_ascii_uppercase() || !id[1..].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let [high, low] = letter_digits(id[0]);
    let digits = [high, low]
        .into_iter()
        .chain(id[1..9].iter().map(|&d| u32::from(d - b'0')));
    let sum: u32 = digits
        .zip([1, 2].into_iter().cycle())
        .map(|(digit, weight)| cross_sum(digit * weight))
        .sum();
    sum % 10 == u32::from(id[9] - b'0')
}

/// The ICAO 9303 Part 3 §4.9 check digit over MRZ characters (digits, A–Z, filler `<`):
/// weights 7, 3, 1 repeating, sum modulo 10.
pub(crate) fn mrz_check_digit(field: &[u8]) -> Option<u8> {
    let mut sum = 0u32;
    for (&byte, weight) in field.iter().zip([7u32, 3, 1].into_iter().cycle()) {
        let value = if byte == b'<' { 0 } else { alnum_value(byte)? };
        sum += value * weight;
    }
    u8::try_from(sum % 10).ok()
}

/// A field followed by its MRZ check digit.
pub(crate) fn mrz_field_ok(field: &[u8], check: u8) -> bool {
    check.is_ascii_digit() && mrz_check_digit(field) == Some(check - b'0')
}

/// A German identity card or passport number as printed with its check digit: nine
/// characters of the alphabet German documents use (digits and
/// `C F G H J K L M N P R T V W X Y Z`, no vowels or look-alikes), not all digits,
/// then the ICAO 9303 check digit.
pub(crate) fn is_german_document_number(id: &[u8]) -> bool {
    const LETTERS: &[u8] = b"CFGHJKLMNPRTVWXYZ";
    id.len() == 10
        && id[..9]
            .iter()
            .all(|b| b.is_ascii_digit() || LETTERS.contains(b))
        && id[0].is_ascii_uppercase()
        && mrz_field_ok(&id[..9], id[9])
}

/// A machine-readable zone line pair or triple that carries a document number and a
/// birth date with valid check digits: TD3 (passport, 2 × 44), TD2 (2 × 36) or TD1 (ID
/// card, 3 × 30). `lines` are consecutive lines of text, trimmed.
pub(crate) fn is_mrz(lines: &[&[u8]]) -> bool {
    let ok = |line: &&[u8], len: usize| {
        line.len() == len
            && line
                .iter()
                .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase() || *b == b'<')
    };
    match lines {
        // TD3 and TD2: line 2 holds number (0..9, check 9), birth (13..19, check 19),
        // expiry (21..27, check 27).
        [first, second, ..]
            if (ok(first, 44) && ok(second, 44)) || (ok(first, 36) && ok(second, 36)) =>
        {
            mrz_field_ok(&second[0..9], second[9])
                && mrz_field_ok(&second[13..19], second[19])
                && mrz_field_ok(&second[21..27], second[27])
        }
        // TD1: line 1 number (5..14, check 14); line 2 birth (0..6, check 6), expiry
        // (8..14, check 14).
        [first, second, third, ..] if ok(first, 30) && ok(second, 30) && ok(third, 30) => {
            mrz_field_ok(&first[5..14], first[14])
                && mrz_field_ok(&second[0..6], second[6])
                && mrz_field_ok(&second[8..14], second[14])
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The vendored table is the file its SOURCES.md row describes.
    #[test]
    fn vendored_tables_match_sources() {
        let sources = include_str!("../../data/personal-data/SOURCES.md");
        let row = sources
            .lines()
            .find(|line| line.starts_with("| `iban-lengths.txt`"))
            .unwrap();
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let entries = IBAN_LENGTHS.lines().filter(|l| !l.starts_with('#')).count();
        assert_eq!(cells[4], entries.to_string());
        assert_eq!(cells[5], IBAN_LENGTHS.len().to_string());
        let special = include_str!("../../data/personal-data/special-categories.txt");
        let row = sources
            .lines()
            .find(|line| line.starts_with("| `special-categories.txt`"))
            .unwrap();
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let terms = special
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .count();
        assert_eq!(cells[4], terms.to_string());
        assert_eq!(cells[5], special.len().to_string());
        for line in IBAN_LENGTHS.lines().filter(|l| !l.starts_with('#')) {
            let length = iban_length(&line.as_bytes()[..2]).unwrap();
            assert!((15..=34).contains(&length), "{line}");
        }
    }

    /// Changes one character to the next digit (or letter), so the check must fail.
    fn one_off(valid: &str, index: usize) -> Vec<u8> {
        let mut bytes = valid.as_bytes().to_vec();
        bytes[index] = match bytes[index] {
            b'9' => b'0',
            b'Z' => b'A',
            other => other + 1,
        };
        bytes
    }

    /// Example IBANs of the SWIFT IBAN registry (Release 99, per-country "IBAN
    /// electronic format example"); each one character off must fail.
    #[test]
    fn iban_registry_examples_and_near_misses() {
        let examples = [
            "DE89370400440532013000",
            "GB29NWBK60161331926819",
            "FR1420041010050500013M02606",
            "NO9386011117947",
            "BE68539007547034",
            "NL91ABNA0417164300",
            "CH9300762011623852957",
            "AT611904300234573201",
            "ES9121000418450200051332",
            "IT60X0542811101000000123456",
            "MT84MALT011000012345MTLCAST001S",
            "PL61109010140000071219812874",
        ];
        for iban in examples {
            assert!(is_iban(iban.as_bytes()), "{iban}");
            for index in 2..iban.len() {
                assert!(!is_iban(&one_off(iban, index)), "{iban} changed at {index}");
            }
        }
        assert!(!is_iban(b"DE8937040044053201300")); // one digit short
        assert!(!is_iban(b"XX89370400440532013000")); // no such country
        assert!(!is_iban(b"DE89370400440532013000X"));
        assert_eq!(iban_length(b"DE"), Some(22));
        assert_eq!(iban_length(b"NO"), Some(15));
        assert_eq!(iban_length(b"ZZ"), None);
    }

    /// Test numbers the schemes publish for their sandboxes (Stripe, Adyen and
    /// PayPal list the same ones): Visa, Mastercard (5- and 2-series), Amex, Discover,
    /// JCB, Diners.
    #[test]
    fn card_test_numbers_and_near_misses() {
        let cards = [
            "4111111111111111",
            "4012888888881881",
            "5555555555554444",
            "5105105105105100",
            "2223003122003222",
            "378282246310005",
            "371449635398431",
            "6011111111111117",
            "3530111333300000",
            "30569309025904",
        ];
        for card in cards {
            assert!(is_card(card.as_bytes()), "{card}");
            assert!(!is_card(&one_off(card, card.len() - 1)), "{card}");
            assert!(!is_card(&one_off(card, 7)), "{card}");
        }
        assert!(!is_card(b"1234567812345670")); // Luhn-valid, no issuer starts with 1
        assert!(!is_card(b"4444444444444444"));
        assert!(!is_card(b"37828224631000")); // Amex prefix, wrong length
    }

    /// Tax ids: `12345678995`, the worked example of kryptografie.de's description of
    /// the procedure, `86095742719`, the number test suites and ELSTER-style test data
    /// commonly use, and further numbers that follow § 139b AO (checked against an
    /// independent Python implementation of the published algorithm); near misses fail.
    #[test]
    fn tax_id_examples_and_near_misses() {
        for id in [
            "12345678995",
            "86095742719",
            "47036892816",
            "65929970489",
            "25768131411",
        ] {
            assert!(is_tax_id(id.as_bytes()), "{id}");
            assert!(!is_tax_id(&one_off(id, 10)), "{id}");
            assert!(!is_tax_id(&one_off(id, 3)), "{id}");
        }
        // Well-formed check digit, broken repetition rules:
        assert!(!is_tax_id(b"01234567896")); // leading zero
        assert!(!is_tax_id(b"12345678903")); // no digit repeated
        assert!(!is_tax_id(b"11123456786")); // one digit three times in a row
        assert!(!is_tax_id(b"1234567890"));
    }

    #[test]
    fn mod_11_10_matches_the_vat_id_rule() {
        // German VAT ids (USt-IdNr.) use the same MOD 11,10 over eight digits
        // (ZMDV Anlage 3): DE136695976 is Deutsche Telekom's published number.
        assert_eq!(mod_11_10(b"13669597"), 6);
    }

    /// Pension insurance numbers: kryptografie.de's worked example of the VKVV check
    /// (`10010490A443`), the widely quoted `65 170839 J 003`, and near misses.
    #[test]
    fn pension_numbers_and_near_misses() {
        for id in ["10010490A443", "65170839J003", "12280488M507"] {
            assert!(is_pension_number(id.as_bytes()), "{id}");
            assert!(!is_pension_number(&one_off(id, 11)), "{id}");
        }
        assert!(!is_pension_number(b"10013490A443")); // month 34
        assert!(!is_pension_number(b"99010490A443")); // area 99
        assert!(!is_pension_number(b"100104900443"));
    }

    /// Health insurance numbers: `A123456780` is the number of gematik's VSDM test
    /// insured person (Andrea Amsel); near misses fail.
    #[test]
    fn health_insurance_numbers_and_near_misses() {
        for id in ["A123456780", "T987654328"] {
            assert!(is_health_insurance_number(id.as_bytes()), "{id}");
            assert!(!is_health_insurance_number(&one_off(id, 9)), "{id}");
            assert!(!is_health_insurance_number(&one_off(id, 4)), "{id}");
        }
        assert!(!is_health_insurance_number(b"1123456780"));
    }

    /// ICAO Doc 9303: Part 3's worked example (birth date 520727 → 3), the Part 4
    /// specimen passport of Anna Maria Eriksson (TD3) and the Part 5 specimen ID card
    /// (TD1); the German specimen identity card of Erika Mustermann (T22000129, check 3).
    #[test]
    fn icao_9303_specimens_and_near_misses() {
        assert_eq!(mrz_check_digit(b"520727"), Some(3));
        let td3: [&[u8]; 2] = [
            b"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
            b"L898902C36UTO7408122F1204159ZE184226B<<<<<10",
        ];
        assert!(is_mrz(&td3));
        let td1: [&[u8]; 3] = [
            b"I<UTOD231458907<<<<<<<<<<<<<<<",
            b"7408122F1204159UTO<<<<<<<<<<<6",
            b"ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
        ];
        assert!(is_mrz(&td1));
        let broken = one_off(std::str::from_utf8(td3[1]).unwrap(), 3);
        assert!(!is_mrz(&[td3[0], &broken]));
        let broken = one_off(std::str::from_utf8(td1[1]).unwrap(), 2);
        assert!(!is_mrz(&[td1[0], &broken, td1[2]]));
        assert!(is_german_document_number(b"T220001293"));
        assert!(!is_german_document_number(b"T220001294"));
        assert!(!is_german_document_number(b"T22000A293")); // A is not in the alphabet
        assert!(!is_german_document_number(b"1220001293")); // starts with a digit
    }
}
