#!/usr/bin/env python3
"""Writes the labelled personal-data corpus: mails and files of an ordinary German
company (invoices, HR mails, medical letters, member lists, newsletters, business
mail) with the identifiers each one holds, in `labels.json`.

Every identifier is computed here from the published check-digit rules, independently
of the Rust validators, with a fixed seed; the people are invented. Run it from this
directory (`python3 generate.py`) and commit the output; the Rust test
`personal_data::evaluation` reads it and prints precision and recall per detector.
"""
import json
import random
from pathlib import Path

import documents

rng = random.Random(20261201)
OUT = Path(__file__).parent / "corpus"
COMPANY_IBAN = "DE89370400440532013000"  # the company's own: listed in policy.json
FIRST = ["Anna", "Jonas", "Lea", "Paul", "Mia", "Felix", "Emma", "Lukas", "Sofia", "Noah",
         "Hannah", "Elias", "Lina", "Ben", "Marie", "Finn", "Clara", "Leon", "Ida", "Karl"]
LAST = ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
        "Schulz", "Hoffmann", "Koch", "Richter", "Klein", "Wolf", "Neumann", "Braun"]
STREETS = ["Hauptstraße", "Gartenweg", "Lindenallee", "Bahnhofstraße", "Am Markt"]
CITIES = [("10115", "Berlin"), ("20095", "Hamburg"), ("80331", "München"), ("50667", "Köln"),
          ("04109", "Leipzig"), ("01067", "Dresden")]


def digits(n):
    return "".join(rng.choice("0123456789") for _ in range(n))


def iban_de():
    bban = digits(8) + digits(10)
    number = int(bban + "131400")  # D=13, E=14, check digits 00
    return f"DE{98 - number % 97:02d}{bban}"


def iban_at():
    bban = digits(16)
    number = int(bban + "102900")  # A=10, T=29
    return f"AT{98 - number % 97:02d}{bban}"


def luhn_complete(prefix, length):
    body = prefix + digits(length - len(prefix) - 1)
    total = 0
    for index, ch in enumerate(reversed(body)):
        value = int(ch)
        if index % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return body + str((10 - total % 10) % 10)


def card():
    kind = rng.choice(["visa", "mc", "amex"])
    if kind == "visa":
        return luhn_complete("4", 16)
    if kind == "mc":
        return luhn_complete(str(rng.randint(51, 55)), 16)
    return luhn_complete(rng.choice(["34", "37"]), 15)


def mod_11_10(ds):
    product = 10
    for d in ds:
        total = (d + product) % 10 or 10
        product = (total * 2) % 11
    check = 11 - product
    return 0 if check == 10 else check


def tax_id():
    while True:
        first = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(9)]
        counts = {d: first.count(d) for d in set(first)}
        repeated = [d for d, c in counts.items() if c > 1]
        if len(repeated) == 1 and counts[repeated[0]] == 2:
            return "".join(map(str, first)) + str(mod_11_10(first))


def cross(n):
    return sum(int(c) for c in str(n))


def pension_number():
    area = rng.randint(2, 89)
    day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(40, 99)
    letter = rng.choice("ABDEFGHKLMNPRSTWZ")
    serial = rng.randint(0, 99)
    head = f"{area:02d}{day:02d}{month:02d}{year:02d}"
    position = ord(letter) - 64
    ds = [int(c) for c in head] + [position // 10, position % 10] + [serial // 10, serial % 10]
    weights = [2, 1, 2, 5, 7, 1, 2, 1, 2, 1, 2, 1]
    check = sum(cross(d * w) for d, w in zip(ds, weights)) % 10
    return f"{head}{letter}{serial:02d}{check}"


def kvnr():
    letter = rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    body = digits(8)
    position = ord(letter) - 64
    ds = [position // 10, position % 10] + [int(c) for c in body]
    check = sum(cross(d * w) for d, w in zip(ds, [1, 2] * 5)) % 10
    return f"{letter}{body}{check}"


MRZ_VALUES = {**{str(d): d for d in range(10)}, **{chr(65 + i): 10 + i for i in range(26)}, "<": 0}


def mrz_check(field):
    return str(sum(MRZ_VALUES[c] * w for c, w in zip(field, [7, 3, 1] * 20)) % 10)


def document_number():
    alphabet = "0123456789CFGHJKLMNPRTVWXYZ"
    number = rng.choice("CFGHJKLMNPRTVWXYZ") + "".join(rng.choice(alphabet) for _ in range(8))
    return number + mrz_check(number)


def passport_mrz(last, first):
    number = document_number()[:9]
    birth = f"{rng.randint(50, 99)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    expiry = f"{rng.randint(28, 35)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    name = f"P<D<<{last.upper().replace('Ü', 'UE')}<<{first.upper()}"
    line1 = (name + "<" * 44)[:44]
    core = number + mrz_check(number) + "D<<" + birth + mrz_check(birth) + "F" + expiry + mrz_check(expiry)
    personal = "<" * 14
    line2 = core + personal + "<"
    composite = line2[0:10] + line2[13:20] + line2[21:43]
    line2 = line2[:43] + mrz_check(composite)
    return line1, line2, number


def person():
    return rng.choice(FIRST), rng.choice(LAST)


def spaced(value, group=4):
    return " ".join(value[i:i + group] for i in range(0, len(value), group))


def phone():
    return rng.choice(["+49 30 ", "+49 89 ", "0171 ", "0221 ", "+49 (0)40 "]) + digits(7)


def email(first, last, i):
    domain = rng.choice(["gmail.com", "web.de", "gmx.de", "t-online.de", "posteo.de"])
    plain = (first + "." + last).lower().replace("ü", "ue")
    return f"{plain}{i}@{domain}"


def near_miss_iban():
    value = iban_de()
    bad = value[:-1] + str((int(value[-1]) + 1) % 10)
    return bad


def signature():
    return ("\n-- \nNordlicht Handels GmbH · Hafenstraße 3 · 24103 Kiel\n"
            f"Tel. +49 431 5550100 · IBAN {spaced(COMPANY_IBAN)} · BIC COBADEFFXXX\n"
            "Amtsgericht Kiel HRB 12345 · USt-IdNr. DE136695976\n")


cases = []


def case(name, kind, text, labels, list_expected=False):
    if isinstance(text, bytes):
        (OUT / name).write_bytes(text)
    else:
        (OUT / name).write_text(text, encoding="utf-8")
    entry = {"file": name, "kind": kind, "list": list_expected}
    entry.update({k: v for k, v in labels.items() if v})
    cases.append(entry)


def birth():
    """A date of birth: (shown as in German letters, label YYYYMMDD)."""
    day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(1940, 2005)
    style = rng.choice(["%d.%m.%Y", "%02d.%02d.%Y", "%Y-%m-%d"])
    if style == "%Y-%m-%d":
        shown = f"{year}-{month:02d}-{day:02d}"
    elif style == "%02d.%02d.%Y":
        shown = f"{day:02d}.{month:02d}.{year}"
    else:
        shown = f"{day}.{month}.{year}"
    return shown, f"{year}{month:02d}{day:02d}"


def birth_of(text):
    """The label of the `geb. d.m.19yy` date in a medical letter."""
    after = text.split("geb. ", 1)[1].split("\n", 1)[0]
    day, month, year = after.split(".")
    return f"{int(year):04d}{int(month):02d}{int(day):02d}"


ICD_CODES = ["J06.9", "F32.1", "F43.2", "M54.5", "K29.7", "I10.90", "E11.9", "G43.0", "S82.6",
             "C50.4", "Z34", "A09.9", "N39.0", "R51", "F41.1", "T14.0"]


def people_rows(n, with_iban, with_birth):
    header = ["Vorname", "Nachname", "E-Mail", "Telefon"]
    if with_birth:
        header.append(rng.choice(["Geburtsdatum", "geb. am", "Date of birth", "DOB"]))
    if with_iban:
        header.append("IBAN")
    rows, ibans, births = [header], [], []
    for j in range(n):
        first, last = person()
        row = [first, last, email(first, last, j), phone()]
        if with_birth:
            shown, label = birth()
            births.append(label)
            row.append(shown)
        if with_iban:
            value = iban_de()
            ibans.append(value)
            row.append(value)
        rows.append(row)
    return rows, ibans, births


def medical_letter():
    first, last = person()
    shown, label = birth()
    code = rng.choice(ICD_CODES)
    certainty = rng.choice(["", " G", " V", " Z"])
    lines = [rng.choice(["Arztbrief", "Befund", "Entlassungsbericht", "Medical report"]),
             f"Patient: {first} {last}, " + rng.choice([f"geb. {shown}", f"geboren am {shown}", f"born {shown}"]),
             rng.choice([f"Diagnose (ICD-10): {code}{certainty}", f"ICD-10-GM: {code}{certainty}",
                         f"Diagnosis: ICD {code}", f"Dg.: {code}{certainty}"]),
             f"Weitere Behandlung ab {rng.randint(1, 28)}.{rng.randint(1, 12)}.2027, Zimmer B{rng.randint(10, 99)}.",
             f"Dr. med. {rng.choice(LAST)}"]
    return lines, label


def documents_cases():
    """Member lists and medical letters as Word, Excel, OpenDocument, PDF and zip files
    (written by documents.py), and hard negatives for dates and codes."""
    writers = [
        ("docx", lambda rows: documents.docx(["Mitgliederliste Stand 11/2026"], table=rows)),
        ("xlsx", documents.xlsx),
        ("ods", documents.ods),
        ("odt", lambda rows: documents.odt(["\t".join(r) for r in rows])),
        ("pdf", lambda rows: documents.pdf(["  ".join(r) for r in rows])),
        ("pptx", lambda rows: documents.pptx([["  ".join(r) for r in rows]])),
    ]
    for i in range(12):
        extension, write = writers[i % len(writers)]
        rows, ibans, births = people_rows(rng.randint(12, 40), i % 3 == 1, i % 2 == 0)
        case(f"members-{i:02d}.{extension}", "member-list", write(rows),
             {"iban": ibans, "date-of-birth": births}, list_expected=True)
    for i in range(3):
        rows, ibans, births = people_rows(rng.randint(12, 30), False, True)
        inner = documents.xlsx(rows) if i % 2 else documents.docx(["Teilnehmer"], table=rows)
        name = "teilnehmer.xlsx" if i % 2 else "teilnehmer.docx"
        case(f"members-zip-{i:02d}.zip", "member-list",
             documents.archive([("README.txt", "Liste anbei."), (name, inner)]),
             {"date-of-birth": births}, list_expected=True)
    letter_writers = [
        ("docx", documents.docx),
        ("odt", documents.odt),
        ("pdf", lambda lines: documents.pdf(lines, compress=True)),
        ("pdf", lambda lines: documents.pdf(lines, unicode_font=True)),
    ]
    for i in range(8):
        extension, write = letter_writers[i % len(letter_writers)]
        lines, label = medical_letter()
        case(f"medical-letter-{i:02d}.{extension}", "medical", write(lines),
             {"special": ["health"], "icd10": True, "date-of-birth": [label]})
    # A sick note with only a code as its health term.
    for i in range(3):
        first, last = person()
        code = rng.choice(ICD_CODES)
        text = (f"Hallo Frau {last},\n\nanbei die AU von Herrn {first} {last} bis Freitag, "
                f"ICD {code} G.\n\nGruß, Personalabteilung")
        case(f"sick-note-code-{i:02d}.txt", "hr", text, {"special": ["health"], "icd10": True})
    # Hard negatives: codes and dates where no diagnosis or birth is meant.
    for i in range(6):
        first, last = person()
        text = (f"Hallo {first},\n\ndie Teile A12.3, B20 und C50.4 liegen in Halle E11, Regal F32.\n"
                f"Termin am {rng.randint(1, 28)}.{rng.randint(1, 12)}.2027, Rechnung vom "
                f"{rng.randint(1, 28)}.{rng.randint(1, 12)}.2026, Lieferung KW {rng.randint(1, 52)}.\n"
                f"Flug LH{rng.randint(100, 999)}, Sitz {rng.randint(1, 40)}C, Gate B{rng.randint(10, 60)}.\n"
                f"Gegründet {rng.randint(1950, 2000)}, seit 01.01.{rng.randint(1990, 2020)} am Markt.\n"
                f"\nBeste Grüße\n{first} {last}")
        case(f"codes-and-dates-{i:02d}.txt", "hard-negative", text, {})
    for i in range(3):
        text = (f"Sehr geehrte Frau {rng.choice(LAST)},\n\nunser Seminar zu ICD-10-Codes: F32.1 "
                f"richtig kodieren, Geburtsdatum-Felder im Formular ab 1.1.2027.\n"
                f"Newsletter abbestellen: https://news.example/u/{digits(8)}\n")
        case(f"mailing-codes-{i:02d}.txt", "newsletter", text, {})
    rows = [["Name", "Geburtstag (Feier)", "Raum"]] + [
        [f"{person()[0]}", f"{rng.randint(1, 28)}.{rng.randint(1, 12)}.2027", f"B{rng.randint(10, 99)}"]
        for _ in range(4)]
    case("party-plan.xlsx", "business", documents.xlsx(rows), {})
    case("encrypted-looking.docx", "business", documents.docx(["Angebot 2027", "Preis 1.250,00 EUR"]), {})


def main():
    OUT.mkdir(exist_ok=True)
    for old in OUT.iterdir():
        old.unlink()
    # Invoices from the company: its own IBAN, sometimes the customer's for direct debit.
    for i in range(8):
        first, last = person()
        customer = iban_de() if i % 2 else None
        text = (f"Sehr geehrte/r {first} {last},\n\nanbei Rechnung Nr. 2026-{digits(5)} vom "
                f"{rng.randint(1, 28)}.11.2026 über {rng.randint(20, 900)},{digits(2)} EUR.\n"
                f"Kundennummer {digits(8)}, Bestellnummer {digits(11)}.\n")
        if customer:
            text += (f"Der Betrag wird per SEPA-Lastschrift von Ihrem Konto {spaced(customer)} "
                     f"eingezogen (Mandatsreferenz M-{digits(6)}).\n")
        else:
            text += f"Bitte überweisen Sie auf unser Konto IBAN {spaced(COMPANY_IBAN)}.\n"
        text += "\nMit freundlichen Grüßen\nBuchhaltung" + signature()
        case(f"invoice-{i:02d}.txt", "invoice", text, {"iban": [customer] if customer else []})
    # A service provider gets a payment run: several customers' IBANs.
    for i in range(4):
        rows = ["Name;IBAN;Betrag;Verwendungszweck"]
        ibans = []
        for _ in range(rng.randint(3, 12)):
            first, last = person()
            value = iban_de() if rng.random() < 0.8 else iban_at()
            ibans.append(value)
            rows.append(f"{first} {last};{value};{rng.randint(10, 99)},00;Beitrag {digits(4)}")
        case(f"sepa-run-{i:02d}.csv", "payment-run", "\n".join(rows) + "\n", {"iban": ibans},
             list_expected=False)
    # HR mails: tax ids, pension and health insurance numbers, ID cards.
    for i in range(10):
        first, last = person()
        t, p, k = tax_id(), pension_number(), kvnr()
        doc = document_number()
        style = i % 3
        if style == 0:
            text = (f"Hallo Frau Lange,\n\nfür die Anmeldung von {first} {last} zum 1.1.:\n"
                    f"Steuer-ID: {t[:2]} {t[2:5]} {t[5:8]} {t[8:]}\n"
                    f"Sozialversicherungsnummer {p[:2]} {p[2:8]} {p[8]} {p[9:]}\n"
                    f"Krankenkasse: TK, Versichertennummer {k}\n"
                    f"Personalausweis-Nr. {doc}\n\nViele Grüße\nPersonal")
            labels = {"tax-id": [t], "pension-number": [p], "health-insurance-number": [k],
                      "id-document": [doc]}
        elif style == 1:
            text = (f"Hi,\nplease find the onboarding data of {first} {last}.\n"
                    f"Tax ID (IdNr): {t}\nPension insurance no. {p}\n"
                    f"Start date: 01.{rng.randint(1, 12):02d}.2027, salary band E{rng.randint(9, 14)}.\n"
                    f"Phone {phone()}\n\nThanks, HR")
            labels = {"tax-id": [t], "pension-number": [p]}
        else:
            line1, line2, number = passport_mrz(last, first)
            text = (f"Guten Tag,\n\nanbei der Scan des Reisepasses von {first} {last} für die "
                    f"Visumsbeantragung (OCR-Text):\n\n{line1}\n{line2}\n\nGruß")
            labels = {"id-document": [number]}
        case(f"hr-{i:02d}.txt", "hr", text, labels)
    # Medical letters and sick notes.
    for i in range(6):
        first, last = person()
        k = kvnr()
        text = (f"Arztbrief\n\nPatient: {first} {last}, geb. {rng.randint(1, 28)}.{rng.randint(1, 12)}.19{rng.randint(40, 99)}\n"
                f"Kostenträger: AOK Nordost, Versicherten-Nr.: {k}\n"
                f"Diagnose: J06.9 akute Infektion der oberen Atemwege\n"
                f"Arbeitsunfähig vom {rng.randint(1, 20)}.11. bis {rng.randint(21, 28)}.11.2026.\n"
                f"Praxis Dr. med. Weiß, Tel. 030 {digits(7)}\n")
        case(f"medical-{i:02d}.txt", "medical", text,
             {"health-insurance-number": [k], "special": ["health"], "icd10": True,
              "date-of-birth": [birth_of(text)]})
    # HR mails with special categories: church tax, union dues, a sick note; and
    # mailings that only talk about such topics.
    for i in range(6):
        first, last = person()
        if i % 3 == 0:
            text = (f"Hallo Frau {last},\n\nfür die Lohnabrechnung von Herrn {first} {last}:\n"
                    f"Konfession: rk, Kirchensteuermerkmal ab 1.1. ändern.\nGruß, Lohnbüro")
            special = ["religion"]
        elif i % 3 == 1:
            text = (f"Hi,\n\nMr {last} is a trade union membership case: dues of "
                    f"{rng.randint(10, 40)} EUR are deducted from his salary.\nRegards, Payroll")
            special = ["trade-union"]
        else:
            text = (f"Liebe Frau {last},\n\nIhre Krankmeldung ist angekommen, die "
                    f"Arbeitsunfähigkeitsbescheinigung bitte bis Mittwoch nachreichen.\nGute Besserung!")
            special = ["health"]
        case(f"hr-special-{i:02d}.txt", "hr", text, {"special": special})
    for i in range(4):
        text = (f"Sehr geehrte Frau {rng.choice(LAST)},\n\nin unserem Webinar am {rng.randint(1, 28)}.3. geht es um "
                f"Krankschreibung per Telefon, Mutterschutz und die Kirchensteuer.\n"
                f"Newsletter abbestellen: https://news.example/u/{digits(8)}\n")
        case(f"mailing-topics-{i:02d}.txt", "newsletter", text, {})
    # Member lists as CSV and VCF, with and without bank data.
    for i in range(6):
        n = rng.randint(12, 60)
        rows = ["Vorname;Nachname;Straße;PLZ;Ort;E-Mail;Telefon;IBAN"]
        ibans = []
        for j in range(n):
            first, last = person()
            postcode, city = rng.choice(CITIES)
            value = iban_de() if i % 2 else ""
            if value:
                ibans.append(value)
            rows.append(f"{first};{last};{rng.choice(STREETS)} {rng.randint(1, 99)};{postcode};{city};"
                        f"{email(first, last, j)};{phone()};{value}")
        case(f"members-{i:02d}.csv", "member-list", "\n".join(rows) + "\n", {"iban": ibans},
             list_expected=True)
    for i in range(4):
        cards = []
        for j in range(rng.randint(10, 30)):
            first, last = person()
            cards.append(f"BEGIN:VCARD\r\nVERSION:3.0\r\nN:{last};{first};;;\r\nFN:{first} {last}\r\n"
                         f"EMAIL;TYPE=home:{email(first, last, j)}\r\nTEL;TYPE=cell:{phone()}\r\nEND:VCARD\r\n")
        case(f"contacts-{i:02d}.vcf", "member-list", "".join(cards), {}, list_expected=True)
    # A pasted table in a mail body.
    for i in range(3):
        lines = ["Hallo zusammen,", "", "hier die Teilnehmer für den Workshop:", ""]
        for j in range(rng.randint(11, 25)):
            first, last = person()
            lines.append(f"{first} {last}\t{email(first, last, j)}\tTel. {phone()}")
        case(f"pasted-table-{i:02d}.txt", "member-list", "\n".join(lines) + signature(), {},
             list_expected=True)
    # Card data where it does not belong.
    for i in range(3):
        first, last = person()
        c = card()
        shown = " ".join([c[:4], c[4:8], c[8:12], c[12:]]) if len(c) == 16 else f"{c[:4]} {c[4:10]} {c[10:]}"
        text = (f"Hallo,\n\nbitte buchen Sie das Hotel für {first} {last} mit der Firmenkreditkarte "
                f"{shown}, gültig bis 0{rng.randint(1, 9)}/28.\n\nDanke")
        case(f"card-{i:02d}.txt", "card", text, {"card": [c]})
    # Newsletters and ordinary business mail: numbers everywhere, no identifiers.
    for i in range(10):
        text = (f"Newsletter {rng.randint(1, 52)}/2026\n\nUnsere Angebote der Woche: Artikel {digits(6)} "
                f"für {rng.randint(5, 99)},99 €, Bestellnummer {digits(11)}, Sendungsnummer "
                f"{digits(20)}, Gutscheincode {rng.choice('CFGHJKLMNPRTVWXYZ')}{digits(9)}.\n"
                f"Hotline 0800 {digits(7)} (kostenlos), Mo–Fr 8–18 Uhr.\n"
                f"Ref. {rng.choice('ABCDEFGH')}{digits(9)} · ISBN 978-3-{digits(3)}-{digits(5)}-{digits(1)}\n"
                f"Kontonummer unseres Vereins: {spaced(near_miss_iban())} (Tippfehler im Druck!)\n"
                f"Telefonkonferenz-PIN {digits(11)}; Rufnummer +49 69 {digits(8)}.\n"
                f"Abmelden: https://news.example/u/{digits(16)}\n")
        case(f"newsletter-{i:02d}.html" if i % 2 else f"newsletter-{i:02d}.txt", "newsletter",
             (f"<html><body><p>{text.replace(chr(10), '<br>')}</p></body></html>" if i % 2 else text), {})
    for i in range(10):
        first, last = person()
        text = (f"Hallo {first},\n\nwie besprochen das Angebot {digits(6)}: {rng.randint(2, 40)} Stück "
                f"à {rng.randint(10, 500)},00 EUR netto, Lieferung KW {rng.randint(1, 52)}.\n"
                f"Projektnummer {digits(12)}, Kostenstelle {digits(4)}, Zeichnung {digits(16)} Rev. B.\n"
                f"Termin: {rng.randint(1, 28)}.{rng.randint(1, 12)}.2027 um {rng.randint(8, 17)}:00, "
                f"Einwahl {digits(3)} {digits(3)} {digits(4)}.\n"
                f"Bei Fragen: {first.lower()}.{last.lower()}@partner.example, Tel. +49 40 {digits(7)}.\n"
                f"\nBeste Grüße\n{first} {last}" + signature())
        case(f"business-{i:02d}.txt", "business", text, {})
    # Hard negatives: numbers that pass a check digit but stand where no person's
    # identifier does (order, shipment and article numbers, vouchers).
    for i in range(8):
        order_card = luhn_complete(rng.choice(["4", "51", "37"]), 16)
        order_tax = tax_id()
        article = kvnr()
        voucher = document_number()
        text = (f"Guten Tag,\n\nIhre Bestellung {order_card} wurde versandt.\n"
                f"Kundennummer {order_tax}, Artikelnummer {article}, Gutscheincode {voucher}.\n"
                f"Lieferschein {digits(10)} · Paketnummer {digits(14)}\n\nIhr Shop-Team")
        case(f"shop-{i:02d}.txt", "hard-negative", text, {})
    # Hard positives: the same shapes with the words that make them identifiers.
    for i in range(4):
        first, last = person()
        c = luhn_complete("4", 16)
        t, k = tax_id(), kvnr()
        text = (f"Reisekosten {first} {last}\nKreditkarte (Visa): {c}\n"
                f"Steueridentifikationsnummer {t}\neGK-Nummer {k}\n")
        case(f"expenses-{i:02d}.txt", "hard-positive", text,
             {"card": [c], "tax-id": [t], "health-insurance-number": [k]})
    ics = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:" + digits(16) + "@corp.example\r\n"
           "DTSTART:20270112T090000Z\r\nSUMMARY:Quartalsgespräch\r\nLOCATION:Raum 4.12\r\n"
           "ORGANIZER:mailto:chef@corp.example\r\nATTENDEE:mailto:a@partner.example\r\n"
           "ATTENDEE:mailto:b@partner.example\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    case("meeting.ics", "business", ics, {})
    documents_cases()
    (OUT.parent / "labels.json").write_text(json.dumps(cases, indent=1, ensure_ascii=False) + "\n",
                                            encoding="utf-8")
    print(f"{len(cases)} cases")


main()
