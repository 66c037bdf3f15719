# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import io

import xlsxwriter

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..logic.aging import (
    DEFAULT_PERIOD_DAYS,
    DEFAULT_PERIODS,
    bucket_bounds,
    countback_months,
    days_in_period,
    dso_countback,
)
from ..logic.money import to_decimal

# the window of the pace figures: DSO walks back at most this many months,
# and the average days late counts the invoices paid in the last year
PACE_MONTHS = 12

BUCKETS = DEFAULT_PERIODS + 2
# see MuzzaAgingReport.action_show
PERIOD_KEY = "muzza_aging_period_days_view_ref"


def by_customer(partner_id):
    """Sort key of customer ids; lines with no customer (an opening balance
    on the receivable account) last."""
    return (partner_id is None, partner_id or 0)


def bucket_labels(env, period_days):
    """The column titles: "Not Due", "1-30", ..., "Older than 120"."""
    labels = []
    for low, high in bucket_bounds(period_days, DEFAULT_PERIODS):
        if low is None:
            labels.append(env._("Not Due"))
        elif high is None:
            labels.append(env._("Older than %(days)s", days=low - 1))
        else:
            labels.append(env._("%(low)s-%(high)s", low=low, high=high))
    return labels


class MuzzaAgingReport(models.TransientModel):
    """Aged receivables: the options the accountant chooses, and the figures
    they give (one line per customer, per company or consolidated)."""

    _name = "muzza.aging.report"
    _description = "Receivables: aged receivables report"

    as_of_date = fields.Date(string="As Of", required=True, default=fields.Date.context_today)
    period_days = fields.Integer(string="Days per Period", required=True, default=DEFAULT_PERIOD_DAYS)
    basis = fields.Selection(
        [("maturity", "Due date"), ("invoice_date", "Invoice date")],
        string="Aged By",
        required=True,
        default="maturity",
    )
    company_ids = fields.Many2many(
        "res.company",
        string="Companies",
        required=True,
        default=lambda self: self.env.companies,
        domain=lambda self: [("id", "in", self.env.user.company_ids.ids)],
    )
    consolidate = fields.Boolean(
        help="Show the companies' figures together, in the current company's currency (converted at "
        "the rate of the as-of date); otherwise each company's in its own currency.",
    )
    currency_id = fields.Many2one(
        "res.currency", string="Report Currency", default=lambda self: self.env.company.currency_id
    )
    partner_ids = fields.Many2many("res.partner", string="Customers")
    user_ids = fields.Many2many("res.users", string="Salespersons")
    account_ids = fields.Many2many(
        "account.account",
        string="Receivable Accounts",
        domain=[("account_type", "=", "asset_receivable")],
    )
    min_days_late = fields.Integer(
        string="Only Customers Late More Than (days)",
        help="Only customers with something more than this many days late at the as-of date.",
    )
    hide_zero = fields.Boolean(
        string="Hide Zero Balances",
        default=True,
        help="Leave out customers whose items add up to nothing (an invoice and a credit note of the "
        "same amount).",
    )
    line_ids = fields.One2many("muzza.aging.report.line", "report_id", string="Lines")
    dso = fields.Float(
        string="Days Sales Outstanding",
        digits=(16, 1),
        readonly=True,
        help="Of all the customers the filters allow (those who owe nothing included), by the "
        "countback method: walking back month by month through their invoiced sales until their "
        "open balance is covered. Empty when the companies are in several currencies.",
    )

    @api.constrains("period_days", "min_days_late")
    def _check_periods(self):
        for report in self:
            if report.period_days < 1 or report.min_days_late < 0:
                raise ValidationError(
                    self.env._("A period is at least 1 day, and the days late cannot be negative.")
                )

    # ------------------------------------------------------------------------
    # the figures
    # ------------------------------------------------------------------------

    def _customer_ids(self):
        """The customers the filters name, or None for all."""
        self.ensure_one()
        ids = None
        if self.partner_ids:
            ids = set(self.partner_ids.commercial_partner_id.ids)
        if self.user_ids:
            salespersons = self.env["res.partner"].search(
                [("user_id", "in", self.user_ids.ids), ("parent_id", "=", False)]
            )
            ids = set(salespersons.ids) if ids is None else ids & set(salespersons.ids)
        return None if ids is None else sorted(ids)

    def _compute_rows(self):
        """``[(partner_id, company_id or False, currency, [buckets], total)]``
        in the report's currency rules, from one SQL query."""
        self.ensure_one()
        customers = self._customer_ids()
        if customers == []:
            return []
        companies = self.company_ids & self.env.user.company_ids
        options = {
            "period_days": self.period_days,
            "basis": self.basis,
            "partner_ids": customers,
            "account_ids": self.account_ids.ids or None,
        }
        Aging = self.env["muzza.aging"]
        # consolidated, a customer late somewhere shows its whole balance:
        # the days-late filter picks customers, not (customer, company) rows
        summary = Aging._summary(
            self.as_of_date,
            companies,
            min_days_late=None if self.consolidate else (self.min_days_late or None),
            hide_zero=self.hide_zero and not self.consolidate,
            **options,
        )
        late_somewhere = None
        if self.consolidate and self.min_days_late:
            late = self.min_days_late
            late_rows = Aging._summary(self.as_of_date, companies, min_days_late=late, **options)
            late_somewhere = {row["partner_id"] for row in late_rows}
        if not self.consolidate:
            Currency = self.env["res.currency"]
            return [
                (row["partner_id"], row["company_id"], Currency.browse(row["currency_id"]), *row_figures)
                for row in summary
                for row_figures in [(row["buckets"], row["total"])]
            ]
        target = self._target_currency()
        merged = {}
        for row in summary:
            values = merged.setdefault(row["partner_id"], [0.0] * (BUCKETS + 1))
            for index, amount in enumerate([*row["buckets"], row["total"]]):
                values[index] += self._in_report_currency(amount, row["company_id"])
        rows = []
        for partner_id, values in sorted(merged.items(), key=lambda item: by_customer(item[0])):
            values = [target.round(v) for v in values]
            if self.hide_zero and target.is_zero(values[-1]):
                continue
            if late_somewhere is not None and partner_id not in late_somewhere:
                continue
            rows.append((partner_id, False, target, values[:-1], values[-1]))
        return rows

    def _target_currency(self):
        return self.currency_id or self.env.company.currency_id

    def _in_report_currency(self, amount, company_id):
        """``amount`` of company ``company_id``'s currency in the report's:
        converted at the as-of date's rate when consolidating, unrounded
        (the sums are rounded once)."""
        if not self.consolidate:
            return amount
        company = self.env["res.company"].browse(company_id)
        target = self._target_currency()
        return company.currency_id._convert(amount, target, company, self.as_of_date, round=False)

    def _pace(self, rows):
        """Each row's sales per countback month and paid-late figures, keyed
        like the rows (``(partner, company)``, or ``(partner, False)`` when
        consolidated), in the rows' currency."""
        self.ensure_one()
        Aging = self.env["muzza.aging"]
        companies = self.company_ids & self.env.user.company_ids
        customers = sorted({row[0] for row in rows if row[0]})
        sales = Aging._credit_sales(self.as_of_date, companies, customers, PACE_MONTHS)
        late = Aging._days_late_paid(self.as_of_date, companies, customers)
        if not self.consolidate:
            return sales, late
        convert = self._in_report_currency
        merged_sales, merged_late = {}, {}
        for (partner_id, company_id), amounts in sales.items():
            into = merged_sales.setdefault((partner_id, False), [0.0] * PACE_MONTHS)
            for index, amount in enumerate(amounts):
                into[index] += convert(amount, company_id)
        for (partner_id, company_id), (amount, weighted) in late.items():
            old_amount, old_weighted = merged_late.get((partner_id, False), (0.0, 0.0))
            merged_late[(partner_id, False)] = (
                old_amount + convert(amount, company_id),
                old_weighted + convert(weighted, company_id),
            )
        return merged_sales, merged_late

    def _refresh_lines(self):
        self.ensure_one()
        self.line_ids.unlink()
        rows = self._compute_rows()
        partners = self.env["res.partner"].browse([row[0] for row in rows if row[0]])
        salespersons = {partner.id: partner.user_id.id for partner in partners}
        sales, late = self._pace(rows)
        days = [days_in_period(first, last) for first, last in countback_months(self.as_of_date, PACE_MONTHS)]
        values = []
        for partner_id, company_id, currency, buckets, total in rows:
            key = (partner_id, company_id or False)
            months = list(zip(days, sales.get(key, [0.0] * PACE_MONTHS), strict=True))
            dso, _complete = dso_countback(to_decimal(total), [(d, to_decimal(a)) for d, a in months])
            paid, weighted = late.get(key, (0.0, 0.0))
            values.append(
                {
                    "report_id": self.id,
                    "partner_id": partner_id or False,
                    "company_id": company_id or False,
                    "currency_id": currency.id,
                    "user_id": salespersons.get(partner_id) or False,
                    "total": total,
                    "dso": float(dso),
                    "avg_days_late": weighted / paid if paid > 0 else 0.0,
                    **{"bucket_%s" % i: amount for i, amount in enumerate(buckets)},
                }
            )
        self.env["muzza.aging.report.line"].create(values)
        self.dso = self._overall_dso(days)

    def _overall_dso(self, days):
        """The DSO of every customer the filters allow (those who owe
        nothing included: their sales count), where one currency holds it."""
        self.ensure_one()
        companies = self.company_ids & self.env.user.company_ids
        customers = self._customer_ids()
        if customers == [] or (not self.consolidate and len(companies.currency_id) > 1):
            return False
        Aging = self.env["muzza.aging"]
        in_target = self._in_report_currency
        sums = [0.0] * PACE_MONTHS
        for (_partner, company_id), amounts in Aging._credit_sales(
            self.as_of_date, companies, customers, PACE_MONTHS
        ).items():
            for index, amount in enumerate(amounts):
                sums[index] += in_target(amount, company_id)
        balances = Aging._summary(
            self.as_of_date,
            companies,
            partner_ids=customers,
            account_ids=self.account_ids.ids or None,
            hide_zero=False,
        )
        balance = sum(in_target(row["total"], row["company_id"]) for row in balances)
        months = [(d, to_decimal(a)) for d, a in zip(days, sums, strict=True)]
        return float(dso_countback(to_decimal(balance), months)[0])

    def _title(self):
        self.ensure_one()
        lang = self.env.lang or self.env.user.lang or "en_US"
        title = self.env._(
            "Aged Receivables at %(date)s",
            date=self.env["muzza.wording"]._format_date(self.as_of_date, lang),
        )
        if self.dso:
            title += " — " + self.env._(
                "DSO %(days)s days", days=self.env["muzza.wording"]._format_rate(round(self.dso, 1), lang)
            )
        return title

    def action_show(self):
        """The figures on screen: a list (with totals), pivot and graph."""
        self.ensure_one()
        self._refresh_lines()
        return {
            "type": "ir.actions.act_window",
            "name": self._title(),
            "res_model": "muzza.aging.report.line",
            "view_mode": "list,pivot,graph",
            "domain": [("report_id", "=", self.id)],
            # the web client passes get_views only the lang and *_view_ref
            # keys of the context (and caches the views by them): the
            # period's length travels as one, so the columns say their days
            "context": {PERIOD_KEY: str(self.period_days)},
            "target": "current",
        }

    def _column_labels(self):
        self.ensure_one()
        return bucket_labels(self.env, self.period_days) + [self.env._("Total")]

    def _options_text(self):
        """What the figures are, in words, for the exports' heading."""
        self.ensure_one()
        basis = dict(self._fields["basis"]._description_selection(self.env))[self.basis].lower()
        companies = ", ".join((self.company_ids & self.env.user.company_ids).mapped("name"))
        text = self.env._("Aged by %(basis)s, periods of %(days)s days.", basis=basis, days=self.period_days)
        text += " " + self.env._("Companies: %(companies)s.", companies=companies)
        if self.consolidate:
            text += " " + self.env._(
                "Consolidated in %(currency)s at the rate of the as-of date.", currency=self.currency_id.name
            )
        return text

    def action_print_pdf(self):
        self.ensure_one()
        self._refresh_lines()
        return self.env.ref("muzza_receivables.action_report_muzza_aging").report_action(self)

    def action_export_xlsx(self):
        """The same figures as the screen, as a spreadsheet."""
        self.ensure_one()
        self._refresh_lines()
        attachment = self.env["ir.attachment"].create(
            {
                "name": "%s.xlsx" % self._title(),
                "raw": self._xlsx(),
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": "/web/content/%s?download=true" % attachment.id,
            "target": "self",
        }

    def _xlsx(self):
        self.ensure_one()
        output = io.BytesIO()
        book = xlsxwriter.Workbook(output, {"in_memory": True})
        sheet = book.add_worksheet(self.env._("Aged Receivables")[:31])
        bold = book.add_format({"bold": True})
        days_format = book.add_format({"num_format": "0.0"})
        header = book.add_format({"bold": True, "bottom": 1, "text_wrap": True, "align": "center"})
        formats = {}

        def money(currency, bold_=False):
            key = (currency.id, bold_)
            if key not in formats:
                pattern = "#,##0" + ("." + "0" * currency.decimal_places if currency.decimal_places else "")
                formats[key] = book.add_format({"num_format": pattern, "bold": bold_})
            return formats[key]

        sheet.write(0, 0, self._title(), book.add_format({"bold": True, "font_size": 14}))
        sheet.write(1, 0, self._options_text())
        columns = [self.env._("Customer"), self.env._("Company"), self.env._("Currency")]
        columns += self._column_labels() + [self.env._("DSO (days)"), self.env._("Avg. Days Late")]
        for col, label in enumerate(columns):
            sheet.write(3, col, label, header)
        sheet.set_column(0, 0, 36)
        sheet.set_column(1, 1, 22)
        sheet.set_column(2, 2, 9)
        sheet.set_column(3, 5 + BUCKETS, 14)
        row = 4
        for line in self.line_ids:
            sheet.write(row, 0, line.partner_id.display_name or "")
            sheet.write(row, 1, line.company_id.name or "")
            sheet.write(row, 2, line.currency_id.name)
            amounts = [line["bucket_%s" % i] for i in range(BUCKETS)] + [line.total]
            for index, amount in enumerate(amounts):
                sheet.write_number(row, 3 + index, amount, money(line.currency_id))
            sheet.write_number(row, 3 + len(amounts), round(line.dso, 1), days_format)
            sheet.write_number(row, 4 + len(amounts), round(line.avg_days_late, 1), days_format)
            row += 1
        totals = self._totals()
        for currency, sums in totals:
            sheet.write(row, 0, self.env._("Total"), bold)
            sheet.write(row, 2, currency.name, bold)
            for index, amount in enumerate(sums):
                sheet.write_number(row, 3 + index, amount, money(currency, True))
            if self.dso and len(totals) == 1:
                sheet.write_number(row, 3 + len(sums), round(self.dso, 1), days_format)
            row += 1
        book.close()
        return output.getvalue()

    def _totals(self):
        """``[(currency, [bucket totals..., total])]``: the last rows of the
        PDF and the spreadsheet, one per currency."""
        self.ensure_one()
        totals = {}
        for line in self.line_ids:
            amounts = [line["bucket_%s" % i] for i in range(BUCKETS)] + [line.total]
            sums = totals.setdefault(line.currency_id, [0.0] * len(amounts))
            for index, amount in enumerate(amounts):
                sums[index] += amount
        return [(currency, [currency.round(a) for a in sums]) for currency, sums in totals.items()]


class MuzzaAgingReportLine(models.TransientModel):
    """One customer's buckets at the report's date."""

    _name = "muzza.aging.report.line"
    _description = "Receivables: aged receivables line"
    _order = "total desc, id"

    report_id = fields.Many2one("muzza.aging.report", required=True, ondelete="cascade", index=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    bucket_0 = fields.Monetary(string="Not Due", readonly=True)
    bucket_1 = fields.Monetary(string="Period 1", readonly=True)
    bucket_2 = fields.Monetary(string="Period 2", readonly=True)
    bucket_3 = fields.Monetary(string="Period 3", readonly=True)
    bucket_4 = fields.Monetary(string="Period 4", readonly=True)
    bucket_5 = fields.Monetary(string="Older", readonly=True)
    total = fields.Monetary(readonly=True)
    dso = fields.Float(
        string="DSO (days)",
        digits=(16, 1),
        readonly=True,
        aggregator=False,
        help="Days sales outstanding, by the countback method over the last 12 months of invoiced "
        "sales: 365 or so means the balance is more than a year's sales.",
    )
    avg_days_late = fields.Float(
        string="Avg. Days Late",
        digits=(16, 1),
        readonly=True,
        aggregator=False,
        help="Of the invoices paid in the last 12 months, weighted by amount; paying early counts as "
        "0 days late.",
    )

    @api.model
    def fields_get(self, allfields=None, attributes=None):
        # the columns say which days they hold: "1-30", "31-60", ...
        res = super().fields_get(allfields, attributes)
        period_days = str(self.env.context.get(PERIOD_KEY) or "")
        period_days = int(period_days) if period_days.isdigit() else 0
        if period_days > 0:
            for index, label in enumerate(bucket_labels(self.env, period_days)):
                name = "bucket_%s" % index
                if name in res and "string" in res[name]:
                    res[name]["string"] = label
        return res

    def action_open_items(self):
        """The customer's open items at the report's date."""
        self.ensure_one()
        report = self.report_id
        companies = self.company_id or (report.company_ids & self.env.user.company_ids)
        items = self.env["muzza.aging"]._open_items(
            report.as_of_date,
            companies,
            # the line of the items with no customer: those only
            partner_ids=self.partner_id.ids or [None],
            account_ids=report.account_ids.ids or None,
        )
        Item = self.env["muzza.aging.report.item"]
        Item.search([("line_id", "=", self.id)]).unlink()
        moves = self.env["account.move"].browse({item["move_id"] for item in items})
        kinds = {move.id: move.move_type for move in moves}
        Item.create(
            [
                {
                    "line_id": self.id,
                    "move_line_id": item["line_id"],
                    "move_id": item["move_id"],
                    "kind": Item._kind(kinds.get(item["move_id"]), item["original_balance"]),
                    "date": item["date"],
                    "date_maturity": item["maturity"],
                    "days_late": max(item["days_late"], 0),
                    "company_id": item["company_id"],
                    "company_currency_id": companies.browse(item["company_id"]).currency_id.id,
                    "currency_id": item["currency_id"],
                    "original_amount_currency": item["original_amount_currency"],
                    "open_amount_currency": item["open_amount_currency"],
                    "open_balance": item["open_balance"],
                }
                for item in items
            ]
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._(
                "%(customer)s: open items", customer=self.partner_id.display_name or self.env._("No customer")
            ),
            "res_model": "muzza.aging.report.item",
            "view_mode": "list",
            "domain": [("line_id", "=", self.id)],
            "target": "current",
        }


class MuzzaAgingReportItem(models.TransientModel):
    """One open item of a customer at the report's date (the drill-down)."""

    _name = "muzza.aging.report.item"
    _description = "Receivables: aged receivables open item"
    _order = "date_maturity, id"

    line_id = fields.Many2one("muzza.aging.report.line", required=True, ondelete="cascade", index=True)
    move_line_id = fields.Many2one("account.move.line", string="Journal Item", readonly=True)
    move_id = fields.Many2one("account.move", string="Entry", readonly=True)
    kind = fields.Selection(
        [
            ("invoice", "Invoice"),
            ("refund", "Credit Note"),
            ("payment", "Unapplied Payment"),
            ("other", "Other"),
        ],
        readonly=True,
    )
    date = fields.Date(readonly=True)
    date_maturity = fields.Date(string="Due Date", readonly=True)
    days_late = fields.Integer(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    company_currency_id = fields.Many2one("res.currency", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    original_amount_currency = fields.Monetary(
        string="Original Amount", currency_field="currency_id", readonly=True
    )
    open_amount_currency = fields.Monetary(string="Open Amount", currency_field="currency_id", readonly=True)
    open_balance = fields.Monetary(
        string="Open (Company Currency)", currency_field="company_currency_id", readonly=True
    )

    @api.model
    def _kind(self, move_type, balance):
        if move_type == "out_invoice":
            return "invoice"
        if move_type == "out_refund":
            return "refund"
        if move_type == "entry" and balance < 0:
            return "payment"
        return "other"

    def action_open_entry(self):
        self.ensure_one()
        return self.move_id._get_records_action()
