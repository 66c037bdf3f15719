# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Reading a rendered document back the way a careful reader would.

Plain Python (no Odoo import), shared by the Odoo tests that render the
module's documents and by ``scripts/render_docs.py``. Each check returns a
list of problems in words (empty: the document reads well):

- :func:`repeated_sentences`: a sentence printed twice;
- :func:`words_past_margin`: a word that runs past the right margin of its
  page (read with ``pdftotext -bbox``), i.e. cut off in print;
- :func:`foreign_words`: words of another language than the document's;
- :func:`relative_terms_without_date`: "30 Days" / "30 días" in a sentence
  that does not give the date it resolves to.
"""

import html
import re
import subprocess
import tempfile
from pathlib import Path

MONTHS = {
    "en": (
        "January|February|March|April|May|June|July|August|September|October|November|December",
        r"(?:{months}) \d{{1,2}}, \d{{4}}",
    ),
    "es": (
        "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre",
        r"\d{{1,2}} de (?:{months}) de \d{{4}}",
    ),
}

# Short function words that exist in one of the two languages only: one of
# them in a sentence of the other language is a sentence left untranslated.
FUNCTION_WORDS = {
    "en": {"the", "and", "will", "you", "your", "with", "this", "of", "is", "are", "be", "by", "if"},
    "es": {"el", "los", "las", "del", "que", "por", "su", "sus", "se", "es", "una", "con", "si"},
}


def normalise(text):
    return re.sub(r"\s+", " ", html.unescape(text or "")).strip()


def sentences(text):
    """The sentences of ``text``: split after a full stop, a colon or a
    question mark followed by a space and a capital letter."""
    text = normalise(text)
    return [s.strip() for s in re.split(r"(?<=[.:?])\s+(?=[A-ZÁÉÍÓÚÑ¿])", text) if s.strip()]


def repeated_sentences(text, min_length=30):
    """Sentences of at least ``min_length`` characters printed twice."""
    seen, problems = {}, []
    for sentence in sentences(text):
        if len(sentence) < min_length:
            continue
        seen[sentence] = seen.get(sentence, 0) + 1
        if seen[sentence] == 2:
            problems.append("printed twice: %r" % sentence)
    return problems


def _strip_links(text):
    # addresses, e-mail addresses and references are no language
    return re.sub(r"\S+[@/]\S+", " ", text)


def foreign_words(text, lang):
    """Sentences of ``text`` with function words of the other language.

    :param str lang: "en" or "es", the language the document is in
    """
    other = "es" if lang.startswith("en") else "en"
    own = FUNCTION_WORDS["en" if lang.startswith("en") else "es"]
    problems = []
    for sentence in sentences(_strip_links(text)):
        words = set(re.findall(r"[a-záéíóúñü']+", sentence.lower()))
        foreign = (words & FUNCTION_WORDS[other]) - own
        if len(foreign) >= 2:
            problems.append("not in %s (%s): %r" % (lang, ", ".join(sorted(foreign)), sentence))
    return problems


def relative_terms_without_date(text, lang):
    """Sentences that state a term in days ("30 Days", "15 días") without
    the date it resolves to."""
    key = "en" if lang.startswith("en") else "es"
    months, pattern = MONTHS[key]
    date = re.compile(pattern.format(months=months), re.IGNORECASE)
    relative = re.compile(r"\b\d+\s+(?:days?|días?)\b", re.IGNORECASE)
    problems = []
    for sentence in sentences(text):
        if relative.search(sentence) and not date.search(sentence):
            problems.append("a term in days without its date: %r" % sentence)
    return problems


def pdf_words(pdf_bytes):
    """``[(page, page_width, x_max, word)]`` of a PDF, by ``pdftotext -bbox``."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "doc.pdf"
        source.write_bytes(pdf_bytes)
        out = subprocess.run(
            ["pdftotext", "-bbox", str(source), "-"], capture_output=True, check=True, text=True
        ).stdout
    words = []
    for number, page in enumerate(re.findall(r"<page (.*?)</page>", out, re.DOTALL), start=1):
        width = float(re.search(r'width="([\d.]+)"', page).group(1))
        for x_max, word in re.findall(
            r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">(.*?)</word>', page
        ):
            words.append((number, width, float(x_max), html.unescape(word)))
    return words


def words_past_margin(pdf_bytes, margin_pt=8.0):
    """Words whose right edge is within ``margin_pt`` of the page's right
    edge or beyond it: printed past the margin, or cut."""
    return [
        "page %d: %r runs past the right margin (%.0f of %.0f pt)" % (page, word, x_max, width)
        for page, width, x_max, word in pdf_words(pdf_bytes)
        if x_max > width - margin_pt
    ]


def pdf_text(pdf_bytes):
    """The text of a PDF, as ``pdftotext`` reads it (layout kept)."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "doc.pdf"
        source.write_bytes(pdf_bytes)
        return subprocess.run(
            ["pdftotext", "-layout", str(source), "-"], capture_output=True, check=True, text=True
        ).stdout


def read_back(text, lang, pdf_bytes=None):
    """Every problem a reader would meet in a document (its text, and its
    PDF when there is one)."""
    problems = repeated_sentences(text) + foreign_words(text, lang) + relative_terms_without_date(text, lang)
    if pdf_bytes:
        problems += words_past_margin(pdf_bytes)
    return problems
