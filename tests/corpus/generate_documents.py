#!/usr/bin/env python3
"""Writes the golden cases 074-077: mails whose personal data sits inside documents
(Word, Excel, PDF, a forwarded message) or behind encryption. The documents come from
the personal-data corpus's writers (crates/sendguard-core/tests/personal-data/
documents.py, standard library only). Run from anywhere; then
`UPDATE_GOLDEN=1 cargo test -p sendguard-core --test corpus` and review the diff.
"""
import base64
import sys
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent.parent / "crates/sendguard-core/tests/personal-data"))
import documents  # noqa: E402

PEOPLE = [("Anna", "Weber"), ("Jonas", "Koch"), ("Lea", "Braun"), ("Paul", "Wolf"),
          ("Mia", "Klein"), ("Felix", "Becker"), ("Emma", "Schulz"), ("Lukas", "Richter"),
          ("Sofia", "Neumann"), ("Noah", "Fischer"), ("Hannah", "Meyer"), ("Elias", "Wagner")]


def part(name, media_type, data, boundary="=_part"):
    encoded = base64.encodebytes(data).decode().replace("\n", "\r\n")
    return (f"--{boundary}\r\nContent-Type: {media_type}; name=\"{name}\"\r\n"
            f"Content-Disposition: attachment; filename=\"{name}\"\r\n"
            f"Content-Transfer-Encoding: base64\r\n\r\n{encoded}")


def mail(number, sender, to, subject, body, parts, boundary="=_part"):
    head = (f"From: {sender}\r\nTo: {to}\r\nSubject: {subject}\r\n"
            f"Date: Tue, 01 Dec 2026 09:00:00 +0100\r\nMessage-ID: <{number}@nordlicht-maschinenbau.de>\r\n"
            f"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"{boundary}\"\r\n\r\n"
            f"--{boundary}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
            f"{body}\r\n")
    return (head + "".join(parts) + f"--{boundary}--\r\n").encode()


def members():
    rows = [["Vorname", "Nachname", "E-Mail", "Telefon", "Geburtsdatum"]]
    for i, (first, last) in enumerate(PEOPLE):
        rows.append([first, last, f"{first.lower()}.{last.lower()}@mail.example",
                     f"+49 431 55{i:05d}", f"{i + 3:02d}.{(i % 12) + 1:02d}.19{60 + i}"])
    return rows


def main():
    cases = {}
    cases["074-member-list-docx-to-printer.eml"] = mail(
        "074", "Verein <vorstand@nordlicht-maschinenbau.de>", "Druckerei <auftrag@druckhaus.example>",
        "Mitgliederliste für den Versand", "Hallo,\r\n\r\nanbei die Liste für die Adressaufkleber.\r\n\r\nGruß",
        [part("Mitglieder 2026.docx",
              "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
              documents.docx(["Mitgliederliste Stand 11/2026"], table=members()))])
    cfb = bytearray(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    cfb += "EncryptedPackage".encode("utf-16-le") + bytes(96)
    archive = documents.archive(
        [("liesmich.txt", "Passwort kommt per SMS."), ("gehaelter.xlsx", documents.xlsx(members()))],
        encrypted=["gehaelter.xlsx"])
    cases["075-encrypted-attachments.eml"] = mail(
        "075", "Personal <personal@nordlicht-maschinenbau.de>", "Steuerbüro <kanzlei@steuer.example>",
        "Unterlagen Lohnabrechnung", "Guten Tag,\r\n\r\ndie Unterlagen, wie besprochen verschlüsselt.\r\n\r\nGruß",
        [part("lohn.zip", "application/zip", archive),
         part("Gehaltsliste.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", bytes(cfb)),
         part("Bescheinigung.pdf", "application/pdf", documents.encrypted_pdf())])
    letter = ["Arztbrief", "Patient: Jonas Koch, geb. 04.05.1971",
              "Diagnose (ICD-10-GM): F32.1 G, M54.5 G",
              "Arbeitsunfähig bis 11.12.2026.", "Dr. med. Weiß"]
    cases["076-medical-letter-pdf-to-private-mailbox.eml"] = mail(
        "076", "Praxis <praxis@nordlicht-maschinenbau.de>", "Jonas Koch <jonas.koch@gmx.de>",
        "Ihr Befund", "Hallo Herr Koch,\r\n\r\nanbei Ihr Befund.\r\n\r\nIhre Praxis",
        [part("Befund.pdf", "application/pdf", documents.pdf(letter, unicode_font=True))])
    inner = mail("077-inner", "Vertrieb <vertrieb@nordlicht-maschinenbau.de>",
                 "Team <team@nordlicht-maschinenbau.de>", "Kundenliste",
                 "Anbei die Liste.", [part("kunden.xlsx",
                                            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                            documents.xlsx(members()), "=_inner")],
                 boundary="=_inner")
    cases["077-forwarded-mail-with-xlsx-list.eml"] = mail(
        "077", "Vertrieb <vertrieb@nordlicht-maschinenbau.de>", "Agentur <kontakt@agentur.example>",
        "WG: Kundenliste", "Zur Info, siehe unten.",
        ["--=_part\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment; filename=\"Kundenliste.eml\"\r\n\r\n"
         + inner.decode() + "\r\n"])
    for name, data in cases.items():
        (HERE / name).write_bytes(data)
        print(name, len(data))


main()
