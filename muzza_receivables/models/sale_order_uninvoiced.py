# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools.misc import format_amount, format_date


class SaleOrder(models.Model):
    """Invoice more often: salespeople hear of delivered work that waits too
    long to be invoiced."""

    _name = "sale.order"
    _inherit = ["sale.order", "muzza.cron.marked"]  # noqa: RUF012

    muzza_last_invoiced_on = fields.Date(
        string="Last Invoiced On",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="When an invoice was last created for this order (its confirmation date before that).",
    )
    muzza_pileup_notified_on = fields.Date(string="Uninvoiced Work Alert Sent On", copy=False, readonly=True)
    muzza_pileup_checked_on = fields.Date(
        string="Uninvoiced Work Checked On",
        copy=False,
        readonly=True,
        help="Last day the uninvoiced-work action handled this order.",
    )
    muzza_work_piling_up = fields.Boolean(
        string="Uninvoiced Work Piling Up",
        compute="_compute_muzza_work_piling_up",
        search="_search_muzza_work_piling_up",
        help="Delivered work waits to be invoiced and nothing was invoiced for longer than the "
        "company allows.",
    )

    def _muzza_cron_marks(self):
        return super()._muzza_cron_marks() | {"muzza_pileup_checked_on", "muzza_pileup_notified_on"}

    def action_confirm(self):
        res = super().action_confirm()
        for order in self.filtered(lambda o: not o.muzza_last_invoiced_on):
            order.muzza_last_invoiced_on = fields.Date.to_date(
                fields.Datetime.context_timestamp(order, order.date_order)
            )
        return res

    def _create_invoices(self, grouped=False, final=False, date=None):
        moves = super()._create_invoices(grouped=grouped, final=final, date=date)
        moves.line_ids.sale_line_ids.order_id.sudo().write(
            {"muzza_last_invoiced_on": fields.Date.context_today(self), "muzza_pileup_notified_on": False}
        )
        return moves

    def _muzza_uninvoiced_delivered(self):
        """Delivered, not yet invoiced amount (untaxed, order currency)."""
        self.ensure_one()
        return sum(
            line.qty_to_invoice * line.price_reduce_taxexcl
            for line in self.order_line
            if not line.display_type and line.qty_to_invoice > 0
        )

    def _muzza_pileup_limit(self, company):
        """Orders not invoiced since this day have waited too long, in
        ``company``'s own settings."""
        return fields.Date.context_today(self) - timedelta(days=company.muzza_pileup_days)

    @api.depends_context("tz")
    def _compute_muzza_work_piling_up(self):
        for order in self:
            order.muzza_work_piling_up = bool(
                order.state == "sale"
                and order.invoice_status == "to invoice"
                and order.muzza_last_invoiced_on
                and order.muzza_last_invoiced_on <= order._muzza_pileup_limit(order.company_id)
            )

    def _search_muzza_work_piling_up(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("This filter only takes “is set” or “is not set”."))
        # each company's orders against that company's own limit
        companies = self.env["res.company"].sudo().search([], limit=None)  # a handful, each with its limit
        domain = expression.AND(
            [
                [("state", "=", "sale"), ("invoice_status", "=", "to invoice")],
                expression.OR(
                    [
                        [
                            ("company_id", "=", company.id),
                            ("muzza_last_invoiced_on", "<=", self._muzza_pileup_limit(company)),
                        ]
                        for company in companies
                    ]
                ),
            ]
        )
        wanted = (operator == "=") == value
        return domain if wanted else ["!", *domain]

    @api.model
    def _cron_uninvoiced_work(self, batch_size=None):
        """Give the salesperson an activity for each order whose delivered
        work waits to be invoiced for too long; once per waiting spell (the
        mark is cleared when the order is invoiced again)."""
        return self.env["muzza.cron.batch"]._run(
            "sale.order",
            [("muzza_work_piling_up", "=", True), ("muzza_pileup_notified_on", "=", False)],
            lambda order, today: order._muzza_alert_uninvoiced_work(today),
            "muzza_pileup_checked_on",
            self.env._("Alerting the salesperson to uninvoiced work"),
            batch_size=batch_size,
        )

    def _muzza_alert_uninvoiced_work(self, today):
        self.ensure_one()
        lang = self.user_id.lang or self.env.lang
        env = self.with_context(lang=lang).env
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=env._("Invoice the delivered work"),
            note=env._(
                "%(amount)s of delivered work has waited to be invoiced since %(date)s.",
                amount=format_amount(env, self._muzza_uninvoiced_delivered(), self.currency_id),
                date=format_date(env, self.muzza_last_invoiced_on),
            ),
            user_id=(self.user_id or self.env.user).id,
        )
        self.sudo().muzza_pileup_notified_on = today
