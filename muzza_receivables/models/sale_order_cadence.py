# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models


class SaleOrder(models.Model):
    """Invoicing on a cadence: delivered, not yet invoiced work is invoiced
    on the contract's schedule, or once it passes a threshold."""

    _name = "sale.order"
    _inherit = ["sale.order", "muzza.cron.marked"]  # noqa: RUF012

    muzza_next_invoice_date = fields.Date(
        string="Next Cadence Invoice",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="When the delivered, not yet invoiced work is next invoiced, "
        "per the contract template's cadence.",
    )
    muzza_last_cadence_date = fields.Date(string="Last Cadence Invoice", copy=False, readonly=True)
    muzza_cadence_checked_on = fields.Date(
        string="Cadence Checked On",
        copy=False,
        readonly=True,
        help="Last day the cadence action handled this order; it takes each order once a day.",
    )

    def _muzza_cron_marks(self):
        return super()._muzza_cron_marks() | {"muzza_cadence_checked_on"}

    def _muzza_is_cadence(self):
        self.ensure_one()
        return self.muzza_contract_template_id.invoice_trigger == "cadence"

    def action_confirm(self):
        res = super().action_confirm()
        for order in self.filtered(lambda o: o._muzza_is_cadence() and not o.muzza_next_invoice_date):
            start = fields.Date.to_date(fields.Datetime.context_timestamp(order, order.date_order))
            order.muzza_next_invoice_date = order.muzza_contract_template_id._next_invoice_date(start)
        return res

    def _muzza_next_cadence_after(self, today):
        """The first cadence date after ``today``, keeping the cadence's rhythm."""
        self.ensure_one()
        template = self.muzza_contract_template_id
        next_date = self.muzza_next_invoice_date or today
        while next_date <= today:
            next_date = template._next_invoice_date(next_date)
        return next_date

    def _muzza_cadence_due(self, today):
        """Why this order is to be invoiced today: "date", "threshold" or None."""
        self.ensure_one()
        if (
            self.invoice_status != "to invoice"
            or not self._muzza_uninvoiced_delivered()
            or self._muzza_work_waits()
        ):
            return None
        if self.muzza_next_invoice_date and self.muzza_next_invoice_date <= today:
            return "date"
        threshold = self.muzza_contract_template_id.cadence_threshold
        if threshold:
            threshold = self.muzza_contract_template_id.currency_id._convert(
                threshold, self.currency_id, self.company_id, today
            )
            if self._muzza_uninvoiced_delivered() > threshold:
                return "threshold"
        return None

    @api.model
    def _cron_cadence_invoicing(self, batch_size=None):
        """Invoice the delivered, not yet invoiced work of cadence orders.

        Each order is committed on its own with its next cadence date moved
        past today (see ``muzza.cron.batch``), so a second run, a second
        worker or a run after a crash never invoices the same period twice.
        """
        today = fields.Date.context_today(self)
        domain = [
            ("state", "=", "sale"),
            ("muzza_contract_template_id.invoice_trigger", "=", "cadence"),
            "|",
            ("muzza_next_invoice_date", "<=", today),
            "&",
            ("invoice_status", "=", "to invoice"),
            ("muzza_contract_template_id.cadence_threshold", ">", 0),
        ]
        return self.env["muzza.cron.batch"]._run(
            "sale.order",
            domain,
            lambda order, today: order._muzza_cadence_run(today),
            "muzza_cadence_checked_on",
            self.env._("Invoicing the work delivered on the contract's cadence"),
            batch_size=batch_size,
        )

    def _muzza_cadence_run(self, today):
        """Invoice this order if its cadence says so today; a period with
        nothing delivered moves on to the next date."""
        self.ensure_one()
        self.order_line.invalidate_recordset()
        if self._muzza_cadence_due(today):
            return self._muzza_invoice_cadence(today)
        if self.muzza_next_invoice_date and self.muzza_next_invoice_date <= today:
            self.muzza_next_invoice_date = self._muzza_next_cadence_after(today)
        return self.env["account.move"]

    def _muzza_invoice_cadence(self, today):
        self.ensure_one()
        invoice = self._create_invoices(date=today)
        self.write(
            {
                "muzza_last_cadence_date": today,
                "muzza_next_invoice_date": self._muzza_next_cadence_after(today),
            }
        )
        if self.company_id.muzza_cadence_post:
            invoice._muzza_issue()
        return invoice
