# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_amount

from ..logic.deposits import deposit_amount, requires_deposit
from ..logic.money import to_decimal


class SaleOrder(models.Model):
    """A deposit from new clients: invoiced on confirmation through Odoo's
    down payments; the rest of the work can wait until it is paid."""

    _inherit = "sale.order"

    muzza_deposit_amount = fields.Monetary(
        string="Deposit",
        compute="_compute_muzza_deposit",
        store=True,
        readonly=False,
        copy=False,
        help="Invoiced (taxes included) when the order is confirmed, through Odoo's down payments, "
        "so the final invoices deduct it. Set from the contract's deposit rule; zero for none.",
    )
    muzza_deposit_blocks_work = fields.Boolean(
        string="Work Waits for the Deposit",
        compute="_compute_muzza_deposit",
        store=True,
        readonly=False,
        copy=False,
    )
    muzza_deposit_invoiced = fields.Monetary(
        string="Deposit Invoiced", compute="_compute_muzza_deposit_state", store=True
    )
    muzza_deposit_paid = fields.Monetary(
        string="Deposit Paid", compute="_compute_muzza_deposit_state", store=True
    )
    muzza_deposit_state = fields.Selection(
        [
            ("none", "No deposit"),
            ("to_invoice", "To invoice"),
            ("waiting", "Waiting for payment"),
            ("paid", "Paid"),
            ("overridden", "Work started without it"),
        ],
        string="Deposit Status",
        compute="_compute_muzza_deposit_state",
        store=True,
        index=True,
    )
    muzza_deposit_override_reason = fields.Text(string="Why Work Started Without the Deposit", copy=False)

    def _muzza_new_clients(self):
        """Commercial partners of these orders with no fully paid invoice yet."""
        partners = self.partner_id.commercial_partner_id
        paid = self.env["account.move"]._read_group(
            [
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("payment_state", "in", ("paid", "in_payment")),
                ("commercial_partner_id", "in", partners.ids),
            ],
            ["commercial_partner_id"],
        )
        return partners - self.env["res.partner"].browse([partner.id for (partner,) in paid])

    @api.depends("partner_id", "company_id", "muzza_contract_template_id", "amount_total")
    def _compute_muzza_deposit(self):
        quotes = self.filtered(lambda o: o.state in ("draft", "sent") or not o.state)
        for order in self - quotes:
            # confirmed: the deposit asked for stays what the customer accepted
            order.muzza_deposit_amount = order.muzza_deposit_amount
            order.muzza_deposit_blocks_work = order.muzza_deposit_blocks_work
        new_clients = quotes._muzza_new_clients()
        for order in quotes:
            rule = order.muzza_contract_template_id._deposit_rule(order.company_id)
            facts = {"new_client": order.partner_id.commercial_partner_id in new_clients}
            if not order.partner_id or not requires_deposit(rule["who"], facts):
                order.muzza_deposit_amount = 0.0
                order.muzza_deposit_blocks_work = False
                continue
            minimum = rule["currency"]._convert(
                rule["minimum"], order.currency_id, order.company_id, fields.Date.context_today(order)
            )
            value = rule["value"]
            if rule["kind"] == "fixed":
                value = rule["currency"]._convert(
                    value, order.currency_id, order.company_id, fields.Date.context_today(order)
                )
            order.muzza_deposit_amount = float(
                deposit_amount(
                    to_decimal(order.amount_total),
                    rule["kind"],
                    to_decimal(value),
                    to_decimal(minimum),
                    to_decimal(order.currency_id.rounding),
                )
            )
            order.muzza_deposit_blocks_work = rule["blocks_work"]

    def _muzza_deposit_lines(self):
        product = self.env.ref("muzza_receivables.product_deposit", raise_if_not_found=False)
        return self.order_line.filtered(
            lambda line: line.is_downpayment and not line.display_type and line.product_id == product
        )

    @api.depends(
        "muzza_deposit_amount",
        "muzza_deposit_override_reason",
        "order_line.invoice_lines.move_id.state",
        "order_line.invoice_lines.move_id.amount_residual",
        "order_line.invoice_lines.move_id.payment_state",
    )
    def _compute_muzza_deposit_state(self):
        for order in self:
            # a deposit invoice credited in full no longer counts, paid or not
            invoices = order._muzza_deposit_lines().invoice_lines.move_id.filtered(
                lambda m: (
                    m.state == "posted" and m.move_type == "out_invoice" and m.payment_state != "reversed"
                )
            )
            invoiced = sum(invoices.mapped("amount_total"))
            paid = sum(m.amount_total - m.amount_residual for m in invoices)
            order.muzza_deposit_invoiced = invoiced
            order.muzza_deposit_paid = paid
            currency = order.currency_id
            if not order.muzza_deposit_amount and not invoices:
                state = "none"
            elif invoices and currency.compare_amounts(paid, invoiced) >= 0:
                state = "paid"
            elif order.muzza_deposit_override_reason:
                state = "overridden"
            elif invoices:
                state = "waiting"
            else:
                state = "to_invoice"
            order.muzza_deposit_state = state

    @api.model
    def _muzza_work_waits_domain(self):
        """Orders whose work waits for an unpaid deposit, as a domain: the
        one rule, which the stock bridge also searches deliveries with."""
        return [
            ("muzza_deposit_blocks_work", "=", True),
            ("muzza_deposit_state", "in", ("to_invoice", "waiting")),
        ]

    def _muzza_work_waits(self):
        """The orders whose work waits for an unpaid deposit."""
        return self.filtered_domain(self._muzza_work_waits_domain())

    def action_confirm(self):
        # settle the deposit the quotation asks for while it is still a
        # quotation: once confirmed, it no longer follows the rule
        self.flush_recordset(["muzza_deposit_amount", "muzza_deposit_blocks_work"])
        res = super().action_confirm()
        for order in self.filtered(
            lambda o: o.state == "sale" and o.muzza_deposit_amount > 0 and not o._muzza_deposit_lines()
        ):
            order._muzza_invoice_deposit()
        return res

    def _create_invoices(self, grouped=False, final=False, date=None):
        waiting = self._muzza_work_waits()
        if waiting:
            raise UserError(
                self.env._(
                    "Work on these orders waits for their deposit, so no other invoice can be created "
                    "until it is paid (a receivables manager may start the work without it):\n%s",
                    "\n".join(
                        "- %s: %s" % (o.name, format_amount(self.env, o.muzza_deposit_amount, o.currency_id))
                        for o in waiting
                    ),
                )
            )
        return super()._create_invoices(grouped=grouped, final=final, date=date)

    def _muzza_invoice_deposit(self):
        """Invoice the deposit through Odoo's down payments; post and send it."""
        self.ensure_one()
        wizard = (
            self.env["sale.advance.payment.inv"]
            .with_context(active_model="sale.order", active_ids=self.ids, muzza_deposit=True)
            .create(
                {
                    "advance_payment_method": "fixed",
                    "fixed_amount": self.muzza_deposit_amount,
                    "sale_order_ids": [Command.set(self.ids)],
                }
            )
        )
        invoice = wizard._create_invoices(self)
        invoice.action_post()
        invoice._muzza_send_by_email()
        return invoice

    def action_muzza_start_without_deposit(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Start Work Without the Deposit"),
            "res_model": "muzza.deposit.override",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_id": self.id},
        }

    def _muzza_terms_lines(self):
        lines = super()._muzza_terms_lines()
        deposit = self._muzza_deposit_sentence(self.env["muzza.wording"]._lang_of(self.partner_id))
        if deposit:
            lines.insert(1 if lines else 0, deposit)
        return lines

    def _muzza_deposit_sentence(self, lang):
        self.ensure_one()
        if not self.muzza_deposit_amount:
            return False
        env = self.with_context(lang=lang).env
        amount = self.env["muzza.wording"]._format_amount(self.muzza_deposit_amount, self.currency_id, lang)
        if self.muzza_deposit_blocks_work:
            return env._(
                "A deposit of %(amount)s is invoiced when you confirm the order; the work starts once it "
                "is paid, and the final invoices deduct it.",
                amount=amount,
            )
        return env._(
            "A deposit of %(amount)s is invoiced when you confirm the order; the final invoices deduct it.",
            amount=amount,
        )
