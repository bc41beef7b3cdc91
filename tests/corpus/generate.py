#!/usr/bin/env python3
"""Writes the corpus messages that are too large or too repetitive to write by hand.

    python3 tests/corpus/generate.py          # rewrite the generated .eml files
    python3 tests/corpus/generate.py --check  # fail if a generated file is out of date

Standard library only, and deterministic: a small linear congruential generator (not
`random`, whose sequences may change between Python versions) picks names and domains,
so the same script always writes the same bytes. The expected reports (`*.json`) are
not written here: run the corpus test with UPDATE_GOLDEN=1 and read what it wrote.
"""

import base64
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

SENDER_ORG = "nordlicht-maschinenbau.de"

FIRST = [
    "Anna", "Lukas", "Sophie", "Jonas", "Marie", "Felix", "Lea", "Maximilian", "Hannah",
    "Paul", "Emma", "Leon", "Mia", "Finn", "Laura", "Tim", "Julia", "Jan", "Katharina",
    "Tobias", "Sabine", "Jürgen", "Birgit", "Uwe", "Oliver", "Charlotte", "James", "Emily",
    "Thomas", "Sarah", "Daniel", "Olivia", "George", "Amelia", "Harry", "Jessica",
    "Özlem", "Mehmet", "Agnieszka", "Piotr", "Björn", "Søren", "Chloé", "François",
]
LAST = [
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
    "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf",
    "Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann",
    "Hartmann", "Lange", "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson",
    "Davies", "Evans", "Yılmaz", "Kowalski", "Nowak", "Jensen", "Dubois", "Öztürk",
]
ORG_WORDS = [
    "stahlbau", "hydraulik", "antriebstechnik", "logistik", "feinmechanik", "elektro",
    "kunststoff", "automation", "werkzeugbau", "industrieservice", "praezision",
    "verpackung", "anlagenbau", "sensorik", "fluidtechnik", "gusswerk", "lasertechnik",
    "pumpen", "foerdertechnik", "metallbau", "engineering", "components", "systems",
    "drives", "controls", "robotics", "hydraulics", "fasteners", "bearings", "tooling",
]
ORG_PREFIX = [
    "rhein", "elbe", "weser", "alpen", "nord", "sued", "west", "ost", "harz", "taunus",
    "eifel", "spree", "isar", "main", "donau", "mosel", "baltic", "atlas", "delta",
    "kronos", "vector", "pioneer", "summit", "apex", "orion", "polar", "falcon", "cedar",
]
# Business suffixes, including multi-label public suffixes the PSL must handle.
TLDS = ["de", "de", "de", "de", "at", "ch", "com", "eu", "nl", "co.uk", "co.uk", "fr", "it", "pl"]
FREEMAIL = ["gmail.com", "gmx.de", "web.de", "t-online.de", "outlook.com", "hotmail.com",
            "yahoo.de", "gmx.net", "freenet.de", "posteo.de"]


class Lcg:
    """Numerical Recipes' 32-bit LCG: enough to vary names, stable forever."""

    def __init__(self, seed):
        self.state = seed & 0xFFFFFFFF

    def below(self, n):
        self.state = (1664525 * self.state + 1013904223) & 0xFFFFFFFF
        return (self.state >> 8) % n

    def pick(self, items):
        return items[self.below(len(items))]


ASCII_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae",
                            "Ö": "Oe", "Ü": "Ue", "ø": "o", "é": "e", "ç": "c", "ı": "i",
                            "ł": "l", "ś": "s", "Ø": "O", "Ç": "C", "É": "E"})


def local_part(first, last, style):
    first, last = first.translate(ASCII_FOLD).lower(), last.translate(ASCII_FOLD).lower()
    return [f"{first}.{last}", f"{first[0]}.{last}", f"{last}", f"{first}{last[0]}"][style]


def encoded_word(text):
    """RFC 2047 Q-encoding of a display name (UTF-8), as Outlook writes non-ASCII names."""
    out = []
    for byte in text.encode("utf-8"):
        char = chr(byte)
        if char == " ":
            out.append("_")
        elif char.isascii() and char.isalnum() or char in "-.":
            out.append(char)
        else:
            out.append(f"={byte:02X}")
    return "=?UTF-8?Q?" + "".join(out) + "?="


def display(first, last, rng, styles=4):
    """A display name as mail clients write it: plain, `Last, First` quoted or encoded,
    or none (style 3 and up)."""
    name = f"{first} {last}"
    style = rng.below(styles)
    if style == 0:
        return name if name.isascii() else encoded_word(name)
    if style == 1:
        return f'"{last}, {first}"' if name.isascii() else encoded_word(f"{last}, {first}")
    if style == 2:
        return encoded_word(name)
    return None


def mailbox(first, last, address, rng, styles=4):
    name = display(first, last, rng, styles)
    return f"{name} <{address}>" if name else address


def organizations(rng, count):
    """`count` distinct business domains, some with a mail subdomain."""
    seen, orgs = set(), []
    while len(orgs) < count:
        org = f"{rng.pick(ORG_PREFIX)}-{rng.pick(ORG_WORDS)}.{rng.pick(TLDS)}"
        if org not in seen:
            seen.add(org)
            orgs.append(org)
    return orgs


def people(rng, count, domains, freemail_share=0, styles=4):
    """`count` distinct mailboxes spread over `domains` (and freemail, per mille); the
    higher `styles`, the more of them without a display name."""
    seen, out = set(), []
    while len(out) < count:
        first, last = rng.pick(FIRST), rng.pick(LAST)
        if rng.below(1000) < freemail_share:
            domain = rng.pick(FREEMAIL)
            local = local_part(first, last, rng.below(4)) + str(rng.below(100))
        else:
            domain = rng.pick(domains)
            if rng.below(10) == 0:
                domain = "mail." + domain
            local = local_part(first, last, rng.below(4))
        address = f"{local}@{domain}"
        if address.lower() in seen:
            continue
        seen.add(address.lower())
        out.append(mailbox(first, last, address, rng, styles))
    return out


def address_header(field, mailboxes):
    """One header, folded with one mailbox per line (RFC 5322 keeps lines < 998)."""
    if not mailboxes:
        return ""
    return f"{field}: " + ",\r\n ".join(mailboxes) + "\r\n"


def message(*, sender, to=(), cc=(), bcc=(), subject, message_id, date, body, parts=()):
    head = (
        f"From: {sender}\r\n"
        + address_header("To", list(to))
        + address_header("Cc", list(cc))
        + address_header("Bcc", list(bcc))
        + f"Subject: {subject}\r\n"
        f"Date: {date}\r\n"
        f"Message-ID: <{message_id}>\r\n"
        "MIME-Version: 1.0\r\n"
        "X-Mailer: Microsoft Outlook 16.0\r\n"
    )
    text = body.replace("\n", "\r\n")
    if not parts:
        return (head + "Content-Type: text/plain; charset=utf-8\r\n"
                "Content-Transfer-Encoding: 8bit\r\n\r\n" + text).encode("utf-8")
    boundary = "----=_NextPart_000_0012_01DA3F4E.5C2B7A10"
    out = head + f'Content-Type: multipart/mixed; boundary="{boundary}"\r\n\r\n'
    out += "This is a multi-part message in MIME format.\r\n\r\n"
    out += (f"--{boundary}\r\nContent-Type: text/plain; charset=utf-8\r\n"
            f"Content-Transfer-Encoding: 8bit\r\n\r\n{text}\r\n")
    for headers, payload in parts:
        encoded = base64.encodebytes(payload).decode("ascii").replace("\n", "\r\n")
        out += f"--{boundary}\r\n{headers}Content-Transfer-Encoding: base64\r\n\r\n{encoded}"
    out += f"--{boundary}--\r\n"
    return out.encode("utf-8")


NEWSLETTER_BODY = """Liebe Partnerinnen und Partner,

im Anhang finden Sie unseren Partner-Newsletter für das vierte Quartal: neue
Lieferzeiten für Hydraulikaggregate, die Termine unserer Schulungen in Kiel und
Hamburg und die aktualisierte Preisliste ab 1. Januar.

Mit freundlichen Grüßen
Katrin Vogt
Partnermanagement
Nordlicht Maschinenbau GmbH · Werftstraße 12 · 24143 Kiel
"""


def partner_newsletter(field):
    rng = Lcg(800)
    partners = people(rng, 800, organizations(rng, 260))
    sender = f'"Vogt, Katrin" <katrin.vogt@{SENDER_ORG}>'
    fields = {"cc": partners} if field == "cc" else {"bcc": partners}
    return message(
        sender=sender,
        to=[f"Partnermanagement <partner@{SENDER_ORG}>"],
        subject="=?UTF-8?Q?Partner-Newsletter_Q4:_Lieferzeiten,_Schulungen,_Preise?=",
        message_id=f"PN-Q4-{field}.4711@{SENDER_ORG}",
        date="Tue, 18 Nov 2025 09:14:07 +0100",
        body=NEWSLETTER_BODY,
        **fields,
    )


def partner_newsletter_with_private_mailboxes():
    """The partner newsletter done right: everyone in Bcc, about 6 % of the partners on
    gmx.de, web.de and the other private providers. Its policy names the newsletter tool."""
    rng = Lcg(4800)
    partners = people(rng, 800, organizations(rng, 260), freemail_share=60)
    return message(
        sender=f'"Vogt, Katrin" <katrin.vogt@{SENDER_ORG}>',
        to=[f'"Vogt, Katrin" <katrin.vogt@{SENDER_ORG}>'],
        bcc=partners,
        subject="=?UTF-8?Q?Partner-Newsletter_Q1:_Messetermine_und_Preise?=",
        message_id=f"PN-Q1-bcc-private.4712@{SENDER_ORG}",
        date="Tue, 17 Feb 2026 09:02:11 +0100",
        body=NEWSLETTER_BODY,
    )


def colleagues_300():
    rng = Lcg(300)
    sites = [SENDER_ORG, f"kiel.{SENDER_ORG}", f"werk-rostock.{SENDER_ORG}"]
    return message(
        sender=f"Geschäftsführung <gf@{SENDER_ORG}>",
        to=people(rng, 300, sites),
        subject="=?UTF-8?Q?Betriebsversammlung_am_4._Dezember?=",
        message_id=f"BV-2025-12.0815@{SENDER_ORG}",
        date="Wed, 19 Nov 2025 16:02:44 +0100",
        body="Liebe Kolleginnen und Kollegen,\n\ndie Betriebsversammlung findet am "
             "4. Dezember um 10 Uhr in Halle 3 statt.\n\nDie Geschäftsführung\n",
    )


def maintenance_notice():
    """The classic breach: every customer contact pasted into To."""
    rng = Lcg(4242)
    customers = people(rng, 64, organizations(rng, 40), freemail_share=60)
    return message(
        sender=f"IT-Service <service@{SENDER_ORG}>",
        to=customers,
        subject="Wartungsarbeiten am Kundenportal am Samstag, 22.11., 06:00-10:00 Uhr",
        message_id=f"WARTUNG-2211.1337@{SENDER_ORG}",
        date="Thu, 20 Nov 2025 11:45:00 +0100",
        body="Sehr geehrte Kundin, sehr geehrter Kunde,\n\nam Samstag, 22. November, "
             "ist das Kundenportal von 6 bis 10 Uhr wegen Wartungsarbeiten nicht "
             "erreichbar.\n\nIhr IT-Service\n",
    )


def customers_10000():
    """A webshop's mailing to 10,000 customers, correctly in Bcc."""
    rng = Lcg(10000)
    customers = people(rng, 10000, organizations(rng, 1500), freemail_share=80, styles=8)
    return message(
        sender=f"Nordlicht Ersatzteil-Shop <shop@{SENDER_ORG}>",
        to=[f"Nordlicht Ersatzteil-Shop <shop@{SENDER_ORG}>"],
        bcc=customers,
        subject="=?UTF-8?Q?Neue_Ersatzteil-Preisliste_2026?=",
        message_id=f"SHOP-PL2026.10000@{SENDER_ORG}",
        date="Fri, 21 Nov 2025 07:30:00 +0100",
        body="Guten Tag,\n\ndie neue Preisliste gilt ab 1. Januar 2026.\n\n"
             "Ihr Nordlicht Ersatzteil-Shop\n",
    )


def attachment_too_large():
    """1.2 MB of scan under a 1 MB policy limit (a 20 MB file would bloat the repo)."""
    scan = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + bytes(1_200_000)
    return message(
        sender=f"Jonas Petersen <jonas.petersen@{SENDER_ORG}>",
        to=["Sabine Krüger <s.krueger@rhein-hydraulik.de>".replace(
            "Sabine Krüger", encoded_word("Sabine Krüger"))],
        subject="Scan Lieferschein 2025-11-3381",
        message_id=f"SCAN-3381.0001@{SENDER_ORG}",
        date="Mon, 24 Nov 2025 14:21:09 +0100",
        body="Hallo Frau Krüger,\n\nanbei der Scan des Lieferscheins.\n\nGruß\nJonas Petersen\n",
        parts=[(
            "Content-Type: application/pdf; name=\"Lieferschein_2025-11-3381.pdf\"\r\n"
            "Content-Disposition: attachment; filename=\"Lieferschein_2025-11-3381.pdf\"\r\n",
            scan,
        )],
    )


GENERATED = {
    "001-partner-newsletter-800-cc.eml": lambda: partner_newsletter("cc"),
    "002-partner-newsletter-800-bcc.eml": lambda: partner_newsletter("bcc"),
    "003-colleagues-300-to.eml": colleagues_300,
    "040-partner-newsletter-bcc-private-mailboxes.eml": partner_newsletter_with_private_mailboxes,
    "013-attachment-too-large.eml": attachment_too_large,
    "014-customers-10000-bcc.eml": customers_10000,
    "016-maintenance-notice-all-customers-to.eml": maintenance_notice,
}


def main():
    check = "--check" in sys.argv[1:]
    stale = []
    for name, build in GENERATED.items():
        path = HERE / name
        data = build()
        if check:
            if not path.exists() or path.read_bytes() != data:
                stale.append(name)
        elif not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
            print(f"wrote {name} ({len(data):,} bytes)")
    if stale:
        sys.exit("out of date (run tests/corpus/generate.py): " + ", ".join(stale))


if __name__ == "__main__":
    main()
