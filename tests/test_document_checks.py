"""The checks that read the module's documents back (used by the Odoo tests
and scripts/render_docs.py) catch what they claim to."""

import importlib.util
import shutil
import subprocess

import pytest
from conftest import ROOT


def load():
    path = ROOT / "muzza_receivables" / "tests" / "document_checks.py"
    spec = importlib.util.spec_from_file_location("document_checks", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


checks = load()


def test_a_sentence_printed_twice_is_caught():
    text = (
        "You can pay by bank transfer to ES91 2100, quoting INV/2026/00005. Due Date: October 9, 2026. "
        "You can pay by bank transfer to ES91 2100, quoting INV/2026/00005."
    )
    assert len(checks.repeated_sentences(text)) == 1
    assert checks.repeated_sentences("Total: $ 10. Total: $ 10.") == [], "short labels may repeat"


def test_a_sentence_in_the_other_language_is_caught():
    spanish = (
        "Puede pagar por transferencia bancaria, indicando INV/2026/00001. "
        "If not paid by the due date, a fee will be charged."
    )
    [problem] = checks.foreign_words(spanish, "es_ES")
    assert "If not paid" in problem
    assert (
        checks.foreign_words("Si no se paga el 20 de diciembre de 2026, se cobrará un recargo.", "es_ES")
        == []
    )
    english = (
        "Interest will be charged on the amount due. "
        "Si el 20 de diciembre no se ha pagado, se cobrarán intereses."
    )
    assert len(checks.foreign_words(english, "en_US")) == 1
    assert (
        checks.foreign_words("Pay at https://example.com/my/invoices/5?access_token=los-que-se", "en_US")
        == []
    )


def test_a_term_in_days_needs_its_date():
    assert checks.relative_terms_without_date("Payment terms: 30 Days", "en_US")
    ok = (
        "Each invoice is due under the terms “30 Days”: an invoice dated December 1, 2026 is due on "
        "December 31, 2026."
    )
    assert checks.relative_terms_without_date(ok, "en_US") == []
    assert checks.relative_terms_without_date("Condiciones de pago: 15 días", "es_ES")
    assert checks.relative_terms_without_date("15 días: vence el 31 de diciembre de 2026.", "es_ES") == []


@pytest.mark.skipif(
    not shutil.which("pdftotext") or not shutil.which("wkhtmltopdf"), reason="needs poppler and wkhtmltopdf"
)
def test_a_word_past_the_margin_is_caught(tmp_path):
    long_word = "https://example.com/" + "x" * 400
    page = tmp_path / "page.html"
    page.write_text(
        "<html><body><p>Fits well.</p><p style='white-space: nowrap'>%s</p></body></html>" % long_word
    )
    pdf = tmp_path / "page.pdf"
    subprocess.run(["wkhtmltopdf", "--quiet", str(page), str(pdf)], check=True, capture_output=True)
    problems = checks.words_past_margin(pdf.read_bytes())
    assert problems and "runs past the right margin" in problems[0]
    fits = tmp_path / "fits.html"
    fits.write_text("<html><body><p>Fits well.</p></body></html>")
    subprocess.run(["wkhtmltopdf", "--quiet", str(fits), str(pdf)], check=True, capture_output=True)
    assert checks.words_past_margin(pdf.read_bytes()) == []
