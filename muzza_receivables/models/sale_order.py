# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import logging
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.misc import format_amount, format_date

from ..logic.deposits import deposit_amount, requires_deposit
from ..logic.late_fees import to_decimal

_logger = logging.getLogger(__name__)


class SaleOrder(models.Model):
    _inherit = "sale.order"

    muzza_contract_template_id = fields.Many2one(
        "muzza.contract.template",
        string="Contract Terms",
        compute="_compute_muzza_contract_template_id",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
        domain="[('company_id', '=', company_id)]",
        help="Sets the payment terms, how invoices are sent and paid, and the late-fee terms printed "
        "on the quotation. Defaults to the customer's template.",
    )

    muzza_next_invoice_date = fields.Date(
        string="Next Cadence Invoice",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="When the delivered, not yet invoiced work is next invoiced, "
        "per the contract template's cadence.",
    )
    muzza_last_cadence_date = fields.Date(string="Last Cadence Invoice", copy=False, readonly=True)
    muzza_last_invoiced_on = fields.Date(
        string="Last Invoiced On",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="When an invoice was last created for this order (its confirmation date before that).",
    )
    muzza_pileup_notified_on = fields.Date(string="Uninvoiced Work Alert Sent On", copy=False, readonly=True)
    muzza_work_piling_up = fields.Boolean(
        string="Uninvoiced Work Piling Up",
        compute="_compute_muzza_work_piling_up",
        search="_search_muzza_work_piling_up",
        help="Delivered work waits to be invoiced and nothing was invoiced for longer than the "
        "company allows.",
    )

    # --- deposit ----------------------------------------------------------
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

    # --- retainer ---------------------------------------------------------
    muzza_retainer_id = fields.Many2one(
        "muzza.retainer",
        string="Retainer Agreement",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Set on a retainer's own order, which its periods are invoiced on.",
    )
    muzza_customer_retainer_id = fields.Many2one(
        "muzza.retainer",
        string="Drawn From Retainer",
        compute="_compute_muzza_customer_retainer_id",
        help="The customer's running retainer: this order's invoices draw from its paid balance.",
    )
    muzza_retainer_balance = fields.Monetary(
        string="Retainer Balance", compute="_compute_muzza_customer_retainer_id"
    )
    muzza_retainer_budget_left = fields.Monetary(
        string="Retainer Budget Left", compute="_compute_muzza_customer_retainer_id"
    )
    muzza_budget_approved_by = fields.Many2one(
        "res.users", string="Over-Budget Approved By", copy=False, readonly=True
    )

    @api.depends("partner_id", "company_id")
    def _compute_muzza_contract_template_id(self):
        for order in self:
            partner = order.partner_id.commercial_partner_id.with_company(order.company_id)
            order.muzza_contract_template_id = partner.muzza_contract_template_id

    @api.depends("muzza_contract_template_id")
    def _compute_payment_term_id(self):
        res = super()._compute_payment_term_id()
        for order in self:
            if order.muzza_contract_template_id:
                order.payment_term_id = order.muzza_contract_template_id.payment_term_id
        return res

    # ------------------------------------------------------------------------
    # deposit
    # ------------------------------------------------------------------------

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

    @api.depends("partner_id", "company_id", "muzza_retainer_id")
    def _compute_muzza_customer_retainer_id(self):
        Retainer = self.env["muzza.retainer"]
        for order in self:
            retainer = Retainer
            if not order.muzza_retainer_id and order.partner_id:
                retainer = Retainer._running_for(order.partner_id, order.company_id)
            order.muzza_customer_retainer_id = retainer
            order.muzza_retainer_balance = retainer.balance
            order.muzza_retainer_budget_left = retainer.budget_left

    @api.depends("muzza_retainer_id")
    def _compute_invoice_status(self):
        res = super()._compute_invoice_status()
        # a retainer's order is invoiced by its agreement, period by period:
        # it never waits to be invoiced from the order
        for order in self.filtered("muzza_retainer_id"):
            order.invoice_status = "no"
        return res

    def action_muzza_approve_over_budget(self):
        if not self.env.user.has_group("muzza_receivables.group_receivables_manager"):
            raise AccessError(
                self.env._("Only receivables managers can approve going past a retainer budget.")
            )
        for order in self:
            order.muzza_budget_approved_by = self.env.user
            order.message_post(
                body=self.env._(
                    "Going past the budget of retainer %(name)s approved by %(user)s.",
                    name=order.muzza_customer_retainer_id.name,
                    user=self.env.user.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _muzza_check_retainer_budget(self):
        """Confirming more work than a retainer's budget allows needs a
        manager's approval: what the order would bill beyond the balance."""
        for order in self.filtered(lambda o: o.muzza_customer_retainer_id and not o.muzza_budget_approved_by):
            retainer = order.muzza_customer_retainer_id
            retainer.invalidate_recordset(retainer._FIGURES)
            beyond = max(order.amount_untaxed - retainer.balance, 0.0)
            retainer._check_cap(beyond, self.env._("Confirming %s", order.name))

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
        """The printed "Payment terms" section, in the customer's language:
        the contract template's terms, with this order's deposit."""
        self.ensure_one()
        template = self.muzza_contract_template_id
        lang = self.partner_id.lang or self.env.lang or "en_US"
        deposit = self._muzza_deposit_sentence(lang)
        if not template:
            return [deposit] if deposit else []
        first = (
            fields.Date.to_date(fields.Datetime.context_timestamp(self, self.date_order))
            if self.date_order
            else (fields.Date.context_today(self))
        )
        lines = template._terms_lines(lang, self.currency_id, self.amount_total, first)
        if deposit:
            lines.insert(1, deposit)
        return lines

    def _muzza_deposit_sentence(self, lang):
        self.ensure_one()
        if not self.muzza_deposit_amount:
            return False
        env = self.with_context(lang=lang).env
        amount = self.env["muzza.late.fee.policy"]._muzza_format_amount(
            self.muzza_deposit_amount, self.currency_id, lang
        )
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

    def _prepare_invoice(self):
        values = super()._prepare_invoice()
        template = self.muzza_contract_template_id
        if template.late_fee_policy_id:
            values["muzza_fee_policy_id"] = template.late_fee_policy_id.id
        return values

    def _muzza_pileup_limit(self, company=None):
        company = company or self.env.company
        return fields.Date.context_today(self) - timedelta(days=company.muzza_pileup_days)

    @api.depends_context("company", "tz")
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
        domain = [
            ("state", "=", "sale"),
            ("invoice_status", "=", "to invoice"),
            ("muzza_last_invoiced_on", "<=", self._muzza_pileup_limit()),
        ]
        wanted = (operator == "=") == value
        return domain if wanted else ["!", "&", "&"] + domain

    def _create_invoices(self, grouped=False, final=False, date=None):
        if self.filtered("muzza_retainer_id"):
            raise UserError(
                self.env._(
                    "A retainer's order is invoiced period by period by its agreement, not from the order."
                )
            )
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
        moves = super()._create_invoices(grouped=grouped, final=final, date=date)
        self.env["muzza.retainer"]._draw_for_invoices(moves)
        moves.line_ids.sale_line_ids.order_id.write(
            {"muzza_last_invoiced_on": fields.Date.context_today(self), "muzza_pileup_notified_on": False}
        )
        return moves

    @api.model
    def _cron_uninvoiced_work(self, batch_size=200):
        """Give the salesperson an activity for each order whose delivered
        work waits to be invoiced for too long; once per waiting spell."""
        # the mark is cleared when the order is invoiced again, so "not yet
        # notified" is a plain condition and a batch never starves on orders
        # already notified
        orders = self.search(
            [("muzza_work_piling_up", "=", True), ("muzza_pileup_notified_on", "=", False)],
            order="muzza_last_invoiced_on, id",
            limit=batch_size,
        )
        today = fields.Date.context_today(self)
        for order in orders:
            lang = order.user_id.lang or self.env.lang
            env = order.with_context(lang=lang).env
            order.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=env._("Invoice the delivered work"),
                note=env._(
                    "%(amount)s of delivered work has waited to be invoiced since %(date)s.",
                    amount=format_amount(self.env, order._muzza_uninvoiced_delivered(), order.currency_id),
                    date=format_date(self.env, order.muzza_last_invoiced_on),
                ),
                user_id=(order.user_id or self.env.user).id,
            )
            order.muzza_pileup_notified_on = today
            self.env.cr.commit()  # pylint: disable=invalid-commit
        return len(orders)

    # ------------------------------------------------------------------------
    # invoicing on a cadence
    # ------------------------------------------------------------------------

    def _muzza_is_cadence(self):
        self.ensure_one()
        return self.muzza_contract_template_id.invoice_trigger == "cadence"

    def action_confirm(self):
        # settle the deposit the quotation asks for while it is still a
        # quotation: once confirmed, it no longer follows the rule
        self.flush_recordset(["muzza_deposit_amount", "muzza_deposit_blocks_work"])
        self._muzza_check_retainer_budget()
        res = super().action_confirm()
        for order in self.filtered(lambda o: not o.muzza_last_invoiced_on):
            order.muzza_last_invoiced_on = fields.Date.to_date(
                fields.Datetime.context_timestamp(order, order.date_order)
            )
        for order in self.filtered(lambda o: o._muzza_is_cadence() and not o.muzza_next_invoice_date):
            start = fields.Date.to_date(fields.Datetime.context_timestamp(order, order.date_order))
            order.muzza_next_invoice_date = order.muzza_contract_template_id._next_invoice_date(start)
        for order in self.filtered(
            lambda o: o.state == "sale" and o.muzza_deposit_amount > 0 and not o._muzza_deposit_lines()
        ):
            order._muzza_invoice_deposit()
        return res

    def _muzza_next_cadence_after(self, today):
        """The first cadence date after ``today``, keeping the cadence's rhythm."""
        self.ensure_one()
        template = self.muzza_contract_template_id
        next_date = self.muzza_next_invoice_date or today
        while next_date <= today:
            next_date = template._next_invoice_date(next_date)
        return next_date

    def _muzza_uninvoiced_delivered(self):
        """Delivered, not yet invoiced amount (untaxed, order currency)."""
        self.ensure_one()
        return sum(
            line.qty_to_invoice * line.price_reduce_taxexcl
            for line in self.order_line
            if not line.display_type and line.qty_to_invoice > 0
        )

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
    def _cron_cadence_invoicing(self, batch_size=50):
        """Invoice the delivered, not yet invoiced work of cadence orders.

        Each order is locked (SKIP LOCKED) and committed on its own with its
        next cadence date moved past today, so a second run, a second worker
        or a run after a crash never invoices the same period twice.
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
        orders = self.search(domain, order="muzza_next_invoice_date, id")
        handled = remaining = 0
        lock = self.env["muzza.cron.lock"]
        for index, order in enumerate(orders):
            if handled >= batch_size:
                remaining = len(orders) - index
                break
            if not lock._lock(order):
                continue  # another worker has it
            order.order_line.invalidate_recordset()
            if not order._muzza_cadence_due(today):
                if order.muzza_next_invoice_date and order.muzza_next_invoice_date <= today:
                    # a period with nothing delivered: move on to the next one
                    order.muzza_next_invoice_date = order._muzza_next_cadence_after(today)
                    self.env.cr.commit()  # pylint: disable=invalid-commit
                continue
            try:
                with self.env.cr.savepoint():
                    order._muzza_invoice_cadence(today)
            except Exception:
                _logger.exception("Cadence invoicing of %s failed", order.name)
                order.message_post(body=self.env._("Cadence invoicing failed; see the server log."))
            handled += 1
            self.env.cr.commit()  # pylint: disable=invalid-commit
        self.env["ir.cron"]._notify_progress(done=handled, remaining=remaining)
        return handled

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
            invoice.action_post()
            invoice._muzza_send_by_email()
        return invoice
