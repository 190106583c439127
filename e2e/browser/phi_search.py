"""Finds the demo patients' names, birth dates, phone numbers and street addresses, and the free text the scenarios
type, in text: the serve log, analytics (the JSON lines file and every batch the collector received), the audit
export and the URLs the browsers requested (issue 17, "PHI absence"; issue 19 added addresses and the collector)."""
import base64
import binascii
import json
import re
import sqlite3
import unicodedata
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote_plus


@dataclass(frozen=True)
class Patient:
    given: str
    family: str
    dob: str  # YYYY-MM-DD
    phone: str
    address: str = ""  # the street line (Station's address.line1), e.g. "2513 Colfax Ave"

    @property
    def label(self):
        return f"{self.given} {self.family}"


# The named demo patients (Sources/Station/Seed/DemoData.swift, `partners`; phones as DemoSeeder.details makes
# them: (303) 555-0100 + index, Mercy's + 500) and the patients the scenarios type in (test_scenarios.py).
# The generated demo patients, and every patient's street address, are read from Station's database when the run
# has one (`station_patients`).
KNOWN_PATIENTS = [
    Patient("Eleanor", "Whitfield", "1938-04-12", "(303) 555-0100"),
    Patient("Harold", "Jimenez", "1941-09-30", "(303) 555-0101"),
    Patient("Margaret", "Okafor", "1944-02-17", "(303) 555-0600"),
    Patient("Nora", "Newcomer", "1950-02-03", "303-555-0177"),
    Patient("Pat", "Patient", "1960-06-06", "303-555-0123"),
]

# Free text, addresses and identifiers the scenarios type in (test_scenarios.py, test_changes.py,
# test_console.py, test_analytics.py): as private as a name.
TYPED_TEXT = ["Cough and a low fever since Tuesday", "Sudden chest pressure", "1600 Larimer St", "1EG4-TE5-MK72",
              "Spoke with the daughter", "Admitted overnight", "1 Aspen Way", "Dizzy since the new pills",
              "Short of breath on the stairs", "2201 Blake St"]

# Names that are also words this system says about itself ("patient", "patients"): for these only the whole
# name (given and family together) counts as a finding.
ORDINARY_WORDS = {"pat", "patient"}

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def station_patients(data_dir):
    """Every patient in Station's SQLite database (the demo patients and those the scenarios created), with the
    street line of the address when one is stored (a JSON object, Station's `Address`)."""
    path = Path(data_dir) / "station.sqlite"
    if not path.exists():
        return []
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        rows = db.execute("SELECT given_name, family_name, date_of_birth, phone, address FROM patients").fetchall()
    return [Patient(given, family, dob, phone or "", street_line(address))
            for given, family, dob, phone, address in rows]


def street_line(address):
    """`line1` of a stored address (JSON text), or ""."""
    try:
        value = json.loads(address) if address else None
    except (TypeError, ValueError):
        return ""
    return value.get("line1", "") if isinstance(value, dict) else ""


def fold(text):
    """Lower case without accents, so that "García" finds "garcia" and "GARCÍA"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def runs(text):
    return re.findall(r"[a-z0-9]+", fold(text))


def name_pattern(name):
    # Letters runs of the name joined by an optional separator: "O'Brien" finds "o'brien", "o’brien", "obrien".
    return r"[^a-z0-9]?".join(map(re.escape, runs(name)))


def word(pattern):
    return re.compile(rf"(?<![a-z0-9]){pattern}(?![a-z0-9])")


def digits(pattern):
    return re.compile(rf"(?<!\d){pattern}(?!\d)")


class Needles:
    """The search patterns of a set of patients, each with what it stands for."""

    def __init__(self, patients, texts=()):
        # (pattern, a text every match contains, what it finds): the text skips absent patterns quickly.
        self.patterns = [(word(name_pattern(text)), runs(text)[0], f"typed text {text!r}") for text in texts]
        seen = set()
        for patient in patients:
            for what, literal, pattern in self._patterns(patient):
                if pattern.pattern not in seen:
                    seen.add(pattern.pattern)
                    self.patterns.append((pattern, literal, f"{what} of {patient.label}"))

    @staticmethod
    def _patterns(patient):
        given, family = name_pattern(patient.given), name_pattern(patient.family)
        for name, pattern in [(patient.given, given), (patient.family, family)]:
            if pattern and fold(name) not in ORDINARY_WORDS:
                yield f"name {name!r}", runs(name)[0], word(pattern)
        if given and family:
            yield "full name", runs(patient.given)[0], word(rf"(?:{given}[ \t,+._-]*{family}|{family}[ \t,+._-]*{given})")
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", patient.dob):
            y, m, d = patient.dob.split("-")
            month = MONTHS[int(m) - 1]
            day = str(int(d))
            forms = [rf"{y}[-/.]?{m}[-/.]?{d}", rf"0?{int(m)}[-/.]0?{day}[-/.]{y}", rf"0?{day}\.0?{int(m)}\.{y}"]
            yield f"birth date {patient.dob}", y, digits("(?:" + "|".join(forms) + ")")
            yield f"birth date {patient.dob}", y, word(
                rf"(?:{fold(month[:3])}[a-z]*\.?[ \t]*0?{day}(?:st|nd|rd|th)?,?[ \t]*{y}|0?{day}[ \t]*{fold(month[:3])}[a-z]*\.?,?[ \t]*{y})")
        number = re.sub(r"\D", "", patient.phone)[-10:]
        if len(number) == 10:
            area, exchange, line = number[:3], number[3:6], number[6:]
            sep = r"[ \t.\-]*"
            yield f"phone {patient.phone}", line, digits(rf"(?:\+?1{sep})?\(?{area}\)?{sep}{exchange}{sep}{line}")
        if len(runs(patient.address)) >= 2:
            # The house number and the street's words, in any spacing or punctuation ("2513 Colfax Ave",
            # "2513+colfax+ave", "2513_COLFAX_AVE").
            yield f"address {patient.address!r}", runs(patient.address)[0], word(name_pattern(patient.address))

    def search(self, source, items):
        """Findings over (place, text) pairs, each "source place: what (found …)"; a pattern runs only on the
        texts that hold its literal."""
        texts = [(place, variant) for place, text in items for variant in expansions(text)]
        found = {}
        for pattern, literal, what in self.patterns:
            for place, text in texts:
                if literal in text and (place, what) not in found and (match := pattern.search(text)):
                    found[(place, what)] = f"{source} {place}: {what} (found {match.group(0)!r})"
        return sorted(found.values())


BASE64_TOKEN = re.compile(r"[A-Za-z0-9_\-+/]{8,}={0,2}")


def expansions(text):
    """The text folded, then percent- and JSON-decoded, then every base64 token in it decoded (a cursor that
    carries a name is as much a leak as the name)."""
    variants = [text]
    decoded = text
    for _ in range(3):
        once = unquote_plus(decoded)
        if once == decoded:
            break
        decoded = once
        variants.append(decoded)
    stripped = decoded.strip()
    if stripped.startswith(("{", "[")):
        try:
            variants.append(json.dumps(json.loads(stripped), ensure_ascii=False))
        except ValueError:
            pass
    for token in BASE64_TOKEN.findall(decoded):
        plain = decode_base64(token)
        if plain:
            variants.append(plain)
    return [fold(v) for v in variants]


def decode_base64(token):
    """The text a base64 (or base64url) token encodes, when it is mostly printable text (separators such as NUL
    become spaces); else None."""
    standard = token.replace("-", "+").replace("_", "/").rstrip("=")
    try:
        raw = base64.b64decode(standard + "=" * (-len(standard) % 4), validate=True)
        plain = raw.decode("utf-8")
    except (binascii.Error, ValueError):
        return None
    printable = sum(c.isprintable() for c in plain)
    if len(plain) < 4 or printable < 0.8 * len(plain):
        return None
    return "".join(c if c.isprintable() else " " for c in plain)


def requested_urls(driver):
    """Every URL the browser requested or navigated to since the last call, redirect hops included, from
    Chrome's performance log (the driver must be made with `make_driver(record_requests=True)`)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        params = message.get("params", {})
        method = message.get("method")
        if method == "Network.requestWillBeSent":
            urls.append(params["request"]["url"])
            redirect = params.get("redirectResponse")
            if redirect:
                urls.append(redirect["url"])
                urls += [v for k, v in redirect.get("headers", {}).items() if k.lower() == "location"]
        elif method == "Page.frameNavigated":
            urls.append(params["frame"]["url"])
        elif method == "Page.navigatedWithinDocument":
            urls.append(params["url"])
    return [u for u in urls if u.startswith(("http://", "https://"))]


class RequestLog:
    """The URLs every browser of the session requested, gathered as each browser closes."""

    def __init__(self):
        self.urls = []
        self.browsers = 0
        self.unrecorded = 0  # browsers that loaded a page but left nothing in the performance log

    def record(self, driver):
        self.browsers += 1
        requested = requested_urls(driver)
        current = driver.current_url
        if not requested and current.startswith(("http://", "https://")):
            self.unrecorded += 1
        self.urls += requested + [current]
