# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from odoo import models

from ..logic.money import to_decimal
from ..logic.retainers import period_start, unapproved_amount

# the invoices being posted, reset or cancelled in this thread, whose
# down-payment lines Odoo may update (see _muzza_updating_retainer_lines)
ODOO_UPDATES = ContextVar("muzza_retainer_line_updates", default=frozenset())


class AccountMove(models.Model):
    """Retainers: work invoices draw from the paid periods as they are
    posted, and posting work past a retainer's budget needs a manager."""

    _inherit = "account.move"

    def action_post(self):
        with self._muzza_updating_retainer_lines():
            return super().action_post()

    def button_draft(self):
        with self._muzza_updating_retainer_lines():
            return super().button_draft()

    def button_cancel(self):
        with self._muzza_updating_retainer_lines():
            return super().button_cancel()

    @contextmanager
    def _muzza_updating_retainer_lines(self):
        """While these invoices are posted, reset or cancelled, Odoo may
        update the down-payment lines they deduct (price, taxes, label),
        on a retainer's order too (see sale.order.line.write). The mark is
        a context variable of the running code, which no client reaches
        (unlike the context)."""
        token = ODOO_UPDATES.set(ODOO_UPDATES.get() | frozenset(self.ids))
        try:
            yield
        finally:
            ODOO_UPDATES.reset(token)

    def _post(self, soft=True):
        work = self.filtered(lambda m: m.move_type == "out_invoice" and not m.muzza_fee_origin_id)
        # the draw is allocated again against the date the invoice is posted
        # with, and its final amount, before the budget is checked on it
        self.env["muzza.retainer"]._draw_for_invoices(work)
        work._muzza_check_retainer_budget()
        return super()._post(soft=soft)

    # the links to the orders are read in sudo: the retainer's own order is
    # often another salesperson's, whom the one invoicing the work cannot read

    def _muzza_retainer_draw_lines(self):
        """This invoice's lines that draw from a retainer (in sudo): negative
        lines linked to a retainer period's down-payment line."""
        return self.sudo().invoice_line_ids.filtered(
            lambda line: line.quantity < 0 and line.sale_line_ids.filtered("muzza_retainer_number")
        )

    def _muzza_is_retainer_work(self):
        """Whether this invoice bills work of orders other than a retainer's
        own (the work a retainer is drawn down by)."""
        self.ensure_one()
        orders = self.sudo().invoice_line_ids.sale_line_ids.order_id
        return bool(orders.filtered(lambda order: not order.muzza_retainer_id))

    def _muzza_check_retainer_budget(self):
        """Posting work past a retainer's budget needs a manager's approval
        (on the order, or by posting it themselves). An order's approval
        covers that order's work up to the amount approved: neither the
        other orders invoiced with it, nor more of its own work."""
        if self.env.user.has_group("muzza_receivables.group_receivables_manager"):
            return
        Retainer = self.env["muzza.retainer"]
        Wording = self.env["muzza.wording"]
        for move in self:
            orders = move.sudo().invoice_line_ids.sale_line_ids.order_id
            # a period invoice is the retainer's own; a work invoice's draw
            # lines link it to the retainer's order too, but it is work
            work_orders = orders.filtered(lambda order: not order.muzza_retainer_id)
            if orders and not work_orders:
                continue
            retainer = Retainer._running_for(move.commercial_partner_id, move.company_id)
            if not retainer:
                continue
            amount = unapproved_amount(
                to_decimal(move.amount_untaxed),
                move._muzza_approvals(work_orders.filtered("muzza_budget_approved_by")),
            )
            if amount > 0:
                what = self.env._("Posting %(invoice)s", invoice=Wording._document_label(move))
                retainer._check_cap(amount, what)

    def _muzza_approvals(self, orders):
        """``[(billed_here, billed_before, approved)]`` of the approved
        ``orders`` on this invoice (see ``logic.retainers.unapproved_amount``),
        read in sudo."""
        self.ensure_one()
        approvals = []
        for order in orders.sudo():
            billed_here = billed_before = Decimal(0)
            for line in order.order_line.invoice_lines:
                move = line.move_id
                if move == self:
                    billed_here += to_decimal(line.price_subtotal)
                elif move.state == "posted" and move.move_type in ("out_invoice", "out_refund"):
                    sign = -1 if move.move_type == "out_refund" else 1
                    billed_before += sign * to_decimal(line.price_subtotal)
            approvals.append((billed_here, billed_before, to_decimal(order.muzza_budget_approved_amount)))
        return approvals

    def _muzza_intro_lines(self, lang):
        lines = super()._muzza_intro_lines(lang)
        Wording = self.env["muzza.wording"]
        env = self.with_context(lang=lang).env
        for line in self.sudo().invoice_line_ids.filtered(lambda aml: aml.quantity > 0).sale_line_ids:
            retainer = line.order_id.muzza_retainer_id
            if not (line.muzza_retainer_number and retainer):
                continue
            first = period_start(retainer.date_start, retainer.period, line.muzza_retainer_number - 1)
            last = period_start(
                retainer.date_start, retainer.period, line.muzza_retainer_number
            ) - relativedelta(days=1)
            lines.append(
                env._(
                    "This invoice prepays your retainer %(name)s for the period from %(first)s to %(last)s; "
                    "the work of that period is drawn from it.",
                    name=retainer.name,
                    first=Wording._format_date(first, lang),
                    last=Wording._format_date(last, lang),
                )
            )
        return lines
