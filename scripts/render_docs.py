#!/usr/bin/env python3
"""Render the documents customers read, in English and Spanish, to look at.

    scripts/render_docs [--out DIR] [--db NAME] [--keep-db]

Installs muzza_receivables with its demo data in a fresh database, starts
Odoo on a free port (so that wkhtmltopdf loads Odoo's styles from it, as in
production), and renders through it the quotation, the invoice (overdue),
the deposit, retainer-period and late-fee invoices, and the e-mails that
send them, for an English and a Spanish customer: one PDF and PNG pages
each (``pdftoppm``), in DIR (default ``./docs-render``). Each document is
then read back (``muzza_receivables/tests/document_checks.py``: a sentence
printed twice, a word past the margin, words of the other language, a term
in days without its date) and the problems are listed; the command exits 1
when there are any. The database is dropped afterwards unless --keep-db.
"""

import argparse
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(os.environ.get("MUZZA_ROOT") or Path(__file__).resolve().parent.parent)


def load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


devtool = load("devtool", ROOT / "scripts" / "devtool.py")
checks = load("document_checks", ROOT / "muzza_receivables" / "tests" / "document_checks.py")

# Run inside `odoo shell` against the demo database: renders every document
# and writes {name: {"lang", "pdf", "text"}} to the JSON path in argv.
RENDER = r"""
import json, sys
from datetime import timedelta
from odoo import Command, fields

out, base_url, manifest = sys.argv[1], sys.argv[2], {}
env["ir.config_parameter"].sudo().set_param("report.url", base_url)
env["ir.config_parameter"].sudo().set_param("web.base.url", base_url)
Report = env["ir.actions.report"].with_context(force_report_rendering=True)
ref = env.ref
today = fields.Date.context_today(env.user)

def pdf(name, report, records, lang):
    content, _kind = Report._render_qweb_pdf(report, records.ids)
    path = "%s/%s.pdf" % (out, name)
    open(path, "wb").write(content)
    manifest[name] = {"lang": lang, "pdf": path}

def email(name, move, lang):
    template = move.company_id.muzza_invoice_mail_template_id or move._get_mail_template()
    body = template.with_context(lang=move.partner_id.lang)._render_field("body_html", move.ids)[move.id]
    path = "%s/%s.html" % (out, name)
    page = "<html><head><meta charset='utf-8'/></head><body style='font-family: sans-serif; width: 640px'>%s"
    open(path, "w").write(page % body + "</body></html>")
    manifest[name] = {"lang": lang, "html": path}

# the report styles are bundles made on first use: make them and commit, so
# that the running server serves them to wkhtmltopdf (the database is thrown
# away afterwards)
Report._render_qweb_pdf("sale.action_report_saleorder", ref("muzza_receivables.demo_quotation_harbor").ids)
env.cr.commit()

product = ref("muzza_receivables.demo_product_design_hour")
customers = {
    "en": ref("muzza_receivables.demo_partner_harbor"),
    "es": ref("muzza_receivables.demo_partner_alhambra"),
}
invoices = {
    "en": ref("muzza_receivables.demo_invoice_harbor_75"),
    "es": ref("muzza_receivables.demo_invoice_alhambra_60"),
}
for lang, customer in customers.items():
    newcomer = env["res.partner"].create({
        "name": {"en": "Bluebird Events Ltd (render)", "es": "Cerámicas del Sur S.L. (render)"}[lang],
        "is_company": True, "lang": customer.lang, "email": "render-%s@example.com" % lang,
        "country_id": customer.country_id.id, "street": customer.street, "city": customer.city,
        "zip": customer.zip,
    })
    quotation = env["sale.order"].create({
        "partner_id": newcomer.id, "user_id": ref("base.user_admin").id, "client_order_ref": "PO-RENDER-1",
        "muzza_contract_template_id": ref("muzza_receivables.demo_contract_fortnightly").id,
        "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 24})],
    })
    pdf("quotation-%s" % lang, "sale.action_report_saleorder", quotation, lang)
    quotation.action_confirm()
    deposit = quotation._muzza_deposit_invoices()
    pdf("deposit-invoice-%s" % lang, "account.account_invoices", deposit, lang)
    email("deposit-invoice-email-%s" % lang, deposit, lang)
    invoice = invoices[lang]
    pdf("overdue-invoice-%s" % lang, "account.account_invoices", invoice, lang)
    email("overdue-invoice-email-%s" % lang, invoice, lang)
    fee = invoice._muzza_charge_late_fee(today, on_cycle=True)
    if fee:
        pdf("fee-invoice-%s" % lang, "account.account_invoices", fee, lang)
        email("fee-invoice-email-%s" % lang, fee, lang)
    retainer = env["muzza.retainer"].create({
        "partner_id": newcomer.id, "amount": 1500.0, "period": "month",
        "date_start": today.replace(day=1) + timedelta(days=40),
    })
    retainer.action_start()
    period = retainer._invoice_due_periods(retainer.date_start)
    pdf("retainer-invoice-%s" % lang, "account.account_invoices", period, lang)
    email("retainer-invoice-email-%s" % lang, period, lang)

json.dump(manifest, open("%s/manifest.json" % out, "w"))
env.cr.commit()
"""


def wait_for(url, seconds=120):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return True
        except OSError:
            time.sleep(1)
    return False


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", default="docs-render", help="folder for the PDF, PNG and HTML files")
    parser.add_argument("--db", default="muzza_docs_%d" % os.getpid())
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args(argv)
    version, why = devtool.odoo_version()
    if not version:
        print(why)
        print(devtool.HOW_TO_GET_ODOO.format(py=devtool.PY))
        return 2
    for tool in ("wkhtmltopdf", "pdftoppm", "pdftotext"):
        if not shutil.which(tool):
            print("%s is needed (wkhtmltopdf with patched Qt; poppler-utils)" % tool)
            return 2
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    pg = devtool.Postgres()
    pg.ensure()
    work = Path(tempfile.mkdtemp(prefix="muzza-docs-"))
    port = devtool.free_port(8269)
    conf = work / "odoo.conf"
    devtool.write_odoo_conf(conf, pg, work / "data", port, extra=["dbfilter = ^%s$" % args.db])
    odoo = [devtool.PY, "-m", "odoo"]
    options = ["-c", str(conf), "-d", args.db]
    server = None
    try:
        if pg.db_exists(args.db):
            pg.drop_db(args.db)
        print("==> installing muzza_receivables with its demo data into %s" % args.db)
        with open(work / "install.log", "w") as log:
            subprocess.run(
                [*odoo, *options, "-i", "muzza_receivables", "--stop-after-init", "--log-level=warn"],
                env=pg.env(),
                check=True,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        print("==> starting Odoo on port %d, for the styles" % port)
        server = subprocess.Popen(
            [*odoo, *options, "--max-cron-threads=0", "--log-level=warn"],
            env=pg.env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base_url = "http://127.0.0.1:%d" % port
        if not wait_for(base_url + "/web/login"):
            print("Odoo did not answer on %s" % base_url)
            return 1
        print("==> rendering into %s" % out)
        script = work / "render.py"
        script.write_text(RENDER)
        subprocess.run(
            [*odoo, "shell", *options, "--no-http", "--log-level=warn"],
            input="import sys; sys.argv = ['render', %r, %r]\nexec(open(%r).read())\n"
            % (str(out), base_url, str(script)),
            text=True,
            env=pg.env(),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        manifest = json.loads((out / "manifest.json").read_text())
        problems = {}
        for name, doc in sorted(manifest.items()):
            if "html" in doc:
                pdf_path = Path(doc["html"]).with_suffix(".pdf")
                subprocess.run(
                    ["wkhtmltopdf", "--quiet", "--encoding", "utf-8", doc["html"], str(pdf_path)],
                    check=True,
                )
                doc["pdf"] = str(pdf_path)
            pdf_bytes = Path(doc["pdf"]).read_bytes()
            subprocess.run(["pdftoppm", "-r", "70", "-png", doc["pdf"], str(out / name)], check=True)
            text = checks.pdf_text(pdf_bytes)
            found = checks.read_back(text, doc["lang"], pdf_bytes)
            if found:
                problems[name] = found
            print("  %-32s %s" % (name, "reads well" if not found else "%d problem(s)" % len(found)))
        for name, found in problems.items():
            print("\n%s:" % name)
            for problem in found:
                print("  - " + problem)
        print("\nPDF and PNG pages in %s" % out)
        return 1 if problems else 0
    finally:
        if server:
            server.terminate()
            server.wait(30)
        if not args.keep_db:
            pg.drop_db(args.db)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
