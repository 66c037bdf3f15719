# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import SUPERUSER_ID, Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools.misc import format_amount

from ..logic.deposits import deposit_amount, deposit_deductions, deposit_state, requires_deposit
from ..logic.money import quantize, to_decimal

MANAGER = "muzza_receivables.group_receivables_manager"


class SaleOrder(models.Model):
    """A deposit from new clients: asked for as the quotation's online
    prepayment, invoiced on confirmation through Odoo's down payments, and
    deducted from the invoices that follow; the rest of the work can wait
    until it is paid."""

    _inherit = "sale.order"

    muzza_deposit_amount = fields.Monetary(
        string="Deposit",
        compute="_compute_muzza_deposit",
        store=True,
        readonly=False,
        copy=False,
        help="Invoiced (taxes included) when the order is confirmed, through Odoo's down payments, "
        "and deducted from the invoices that follow. Set from the contract's deposit rule; the "
        "salesperson may change it on the quotation; zero for none.",
    )
    muzza_deposit_blocks_work = fields.Boolean(
        string="Work Waits for the Deposit",
        compute="_compute_muzza_deposit",
        store=True,
        readonly=False,
        copy=False,
    )
    # What the deposit rule asks of the quotation, always: the deposit
    # follows it unless someone set it by hand, and nobody but a receivables
    # manager goes below it.
    muzza_deposit_rule_amount = fields.Monetary(
        string="Deposit by the Rule", compute="_compute_muzza_deposit_rule", store=True, copy=False
    )
    muzza_deposit_rule_blocks = fields.Boolean(
        string="Work Waits by the Rule", compute="_compute_muzza_deposit_rule", store=True, copy=False
    )
    muzza_deposit_manual = fields.Boolean(
        string="Deposit Set by Hand",
        copy=False,
        help="The salesperson changed the deposit the rule asks for; it no longer follows the order's "
        "lines until reset.",
    )
    # the prepayment share the module last set: one the salesperson chose
    # (say, everything) is theirs and stands
    muzza_prepayment_share = fields.Float(
        string="Prepayment Share Asked for the Deposit", copy=False, readonly=True
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
    muzza_deposit_override_reason = fields.Text(
        string="Why Work Started Without the Deposit", copy=False, readonly=True
    )
    muzza_deposit_override_by = fields.Many2one(
        "res.users", string="Work Started Without the Deposit By", copy=False, readonly=True
    )
    muzza_deposit_override_on = fields.Datetime(
        string="Work Started Without the Deposit On", copy=False, readonly=True
    )

    # ------------------------------------------------------------------------
    # what the quotation asks for
    # ------------------------------------------------------------------------

    def _muzza_new_clients(self):
        """``{(commercial partner, company)}`` of these orders whose customer
        has no fully paid invoice yet in the order's company."""
        partners = self.partner_id.commercial_partner_id
        paid = (
            self.env["account.move"]
            .sudo()
            ._read_group(
                [
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("payment_state", "in", ("paid", "in_payment")),
                    ("commercial_partner_id", "in", partners.ids),
                    ("company_id", "in", self.company_id.ids),
                ],
                ["commercial_partner_id", "company_id"],
            )
        )
        known = {(partner.id, company.id) for partner, company in paid}
        return {
            (order.partner_id.commercial_partner_id.id, order.company_id.id)
            for order in self
            if (order.partner_id.commercial_partner_id.id, order.company_id.id) not in known
        }

    def _muzza_deposit_rule_figures(self, new_clients, levels=None):
        """``(amount, blocks_work)`` the deposit rule asks of this quotation.

        :param new_clients: see :meth:`_muzza_new_clients`
        :param levels: ``{(commercial partner id, company id): risk level}``
            (see :meth:`_muzza_risk_levels`); read when not given
        """
        self.ensure_one()
        if self.muzza_retainer_id or not self.partner_id:
            return 0.0, False  # a retainer's own order is prepaid period by period
        if self.currency_id.compare_amounts(self.amount_total, 0) <= 0:
            return 0.0, False  # nothing to pay, nothing to pay ahead
        rule = self.muzza_contract_template_id._deposit_rule(self.company_id)
        key = (self.partner_id.commercial_partner_id.id, self.company_id.id)
        if levels is None:
            levels = self._muzza_risk_levels()
        facts = {
            "new_client": key in new_clients,
            "risk_level": levels.get(self._muzza_risk_key(levels), "low"),
            "risk_threshold": rule.get("risk_level"),
        }
        if not requires_deposit(rule["who"], facts):
            return 0.0, False
        today = fields.Date.context_today(self)
        minimum = rule["currency"]._convert(rule["minimum"], self.currency_id, self.company_id, today)
        value = rule["value"]
        if rule["kind"] == "fixed":
            value = rule["currency"]._convert(value, self.currency_id, self.company_id, today)
        amount = deposit_amount(
            to_decimal(self.amount_total),
            rule["kind"],
            to_decimal(value),
            to_decimal(minimum),
            to_decimal(self.currency_id.rounding),
        )
        return float(amount), rule["blocks_work"]

    @api.depends(
        "partner_id",
        "partner_invoice_id",
        "company_id",
        "muzza_contract_template_id",
        "amount_total",
        "muzza_retainer_id",
    )
    def _compute_muzza_deposit_rule(self):
        quotes = self.filtered(lambda o: o.state in ("draft", "sent") or not o.state)
        for order in self - quotes:
            # confirmed: what the rule asked stays on record
            order.muzza_deposit_rule_amount = order.muzza_deposit_rule_amount
            order.muzza_deposit_rule_blocks = order.muzza_deposit_rule_blocks
        new_clients = quotes._muzza_new_clients()
        levels = quotes._muzza_risk_levels()
        for order in quotes:
            amount, blocks = order._muzza_deposit_rule_figures(new_clients, levels)
            order.muzza_deposit_rule_amount = amount
            order.muzza_deposit_rule_blocks = blocks

    @api.depends("muzza_deposit_rule_amount", "muzza_deposit_rule_blocks", "muzza_deposit_manual")
    def _compute_muzza_deposit(self):
        for order in self:
            if order.state not in ("draft", "sent", False) or order.muzza_deposit_manual:
                # confirmed, or set by hand: it stays what it is
                order.muzza_deposit_amount = order.muzza_deposit_amount
                order.muzza_deposit_blocks_work = order.muzza_deposit_blocks_work
                continue
            order.muzza_deposit_amount = order.muzza_deposit_rule_amount
            order.muzza_deposit_blocks_work = order.muzza_deposit_rule_blocks

    @api.onchange("muzza_deposit_amount", "muzza_deposit_blocks_work")
    def _onchange_muzza_deposit_by_hand(self):
        # the form says it was set by hand as soon as it differs from the rule
        for order in self:
            order.muzza_deposit_manual = order._muzza_deposit_differs()

    def _muzza_deposit_differs(self):
        self.ensure_one()
        return bool(
            self.currency_id.compare_amounts(self.muzza_deposit_amount, self.muzza_deposit_rule_amount)
            or self.muzza_deposit_blocks_work != self.muzza_deposit_rule_blocks
        )

    def _muzza_follow_risk_levels(self):
        """The customer's risk level changed: these quotations' deposit
        follows the rule again (the rule's figures, and the deposit itself
        unless set by hand), and the portal asks for it."""
        quotes = self.filtered(lambda o: o.state in ("draft", "sent"))
        if not quotes:
            return
        had_deposit = {order: order.muzza_deposit_amount > 0 for order in quotes}
        for name in (
            "muzza_deposit_rule_amount",
            "muzza_deposit_rule_blocks",
            "muzza_deposit_amount",
            "muzza_deposit_blocks_work",
        ):
            self.env.add_to_compute(self._fields[name], quotes)
        quotes.flush_recordset()
        for order in quotes:
            order._muzza_sync_prepayment(ask=not had_deposit[order])

    def action_muzza_reset_deposit(self):
        """Back to the deposit the rule asks for."""
        for order in self.filtered(lambda o: o.state in ("draft", "sent")):
            order.write(
                {
                    "muzza_deposit_manual": False,
                    "muzza_deposit_amount": order.muzza_deposit_rule_amount,
                    "muzza_deposit_blocks_work": order.muzza_deposit_rule_blocks,
                }
            )
        return True

    @api.constrains("muzza_deposit_amount", "amount_total", "state")
    def _check_muzza_deposit_amount(self):
        for order in self.filtered(lambda o: o.state in ("draft", "sent")):
            currency = order.currency_id
            if currency.compare_amounts(order.muzza_deposit_amount, 0) < 0 or (
                currency.compare_amounts(order.muzza_deposit_amount, max(order.amount_total, 0)) > 0
            ):
                order._muzza_check_deposit_figures(
                    order.muzza_deposit_amount, order.muzza_deposit_blocks_work
                )

    def _muzza_sync_prepayment(self, ask=False):
        """A quotation that needs a deposit asks for it as its online
        prepayment (Odoo's *Online payment*), so the customer pays it when
        signing on the portal: the prepayment share follows the deposit,
        unless the salesperson asked for more (say, everything).

        :param bool ask: also turn online payment on (a new quotation, or a
            deposit that appears), where the company takes payments online;
            otherwise the salesperson's choice stands
        """
        quotes = self.filtered(lambda o: o.state in ("draft", "sent") and o.muzza_deposit_amount > 0)
        if not quotes:
            return
        paying = quotes._muzza_online_companies() if ask else set()
        for order in quotes:
            values = {}
            if ask and not order.require_payment and order.company_id.id in paying:
                values["require_payment"] = True
            if (values.get("require_payment") or order.require_payment) and order.amount_total > 0:
                share = min(order.muzza_deposit_amount / order.amount_total, 1.0)
                ours = ask or abs(order.prepayment_percent - order.muzza_prepayment_share) < 1e-9
                wanted = share if ours else max(share, order.prepayment_percent)
                if abs(wanted - order.prepayment_percent) > 1e-9:
                    values["prepayment_percent"] = wanted
                if ours:
                    values["muzza_prepayment_share"] = share
            if values:
                order.with_context(muzza_prepayment_sync=True).sudo().write(values)

    def _get_prepayment_required_amount(self):
        required = super()._get_prepayment_required_amount()
        if self.require_payment and self.muzza_deposit_amount > 0 and self.state in ("draft", "sent"):
            if abs(self.prepayment_percent - self.muzza_prepayment_share) < 1e-9:
                return self.muzza_deposit_amount  # exactly the deposit, whatever the rounding of its share
            return max(required, self.muzza_deposit_amount)
        return required

    def _muzza_online_companies(self):
        """Ids of these orders' companies that take payments online."""
        return set(self.company_id._muzza_paying().ids)

    # ------------------------------------------------------------------------
    # where the deposit stands
    # ------------------------------------------------------------------------

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
        "transaction_ids.state",
        "transaction_ids.amount",
    )
    def _compute_muzza_deposit_state(self):
        for order in self:
            invoices = order._muzza_deposit_invoices()
            rounding = to_decimal(order.currency_id.rounding)
            invoiced = quantize(sum(to_decimal(m.amount_total) for m in invoices), rounding)
            paid = sum(to_decimal(m.amount_total) - to_decimal(m.amount_residual) for m in invoices)
            # paid online when signing, before the payment meets the invoice
            online = sum(
                to_decimal(tx.amount)
                for tx in order.sudo().transaction_ids
                if tx.state == "done" and tx.currency_id == order.currency_id
            )
            asked = invoiced or to_decimal(order.muzza_deposit_amount)
            paid = quantize(max(paid, min(online, asked)), rounding)
            order.muzza_deposit_invoiced = float(invoiced)
            order.muzza_deposit_paid = float(paid)
            order.muzza_deposit_state = deposit_state(
                to_decimal(order.muzza_deposit_amount),
                invoiced,
                paid,
                bool(order.muzza_deposit_override_reason),
            )

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

    # ------------------------------------------------------------------------
    # a manager's decisions, by any path
    # ------------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                self._muzza_check_deposit_values(vals)
        orders = super().create(vals_list)
        if any({"muzza_deposit_amount", "muzza_deposit_blocks_work"} & set(vals) for vals in vals_list):
            for order in orders.filtered(lambda o: o.state in ("draft", "sent")):
                if not order.muzza_deposit_manual and order._muzza_deposit_differs():
                    order.sudo().muzza_deposit_manual = True
        orders._muzza_check_deposit_kept()
        orders._muzza_sync_prepayment(ask=True)
        return orders

    def write(self, vals):
        if self.env.context.get("muzza_prepayment_sync"):
            return super().write(vals)
        if not self.env.su:
            self._muzza_check_deposit_values(vals)
        deposit_fields = {"muzza_deposit_amount", "muzza_deposit_blocks_work"}
        confirmed = (
            self.filtered(lambda o: o.state == "sale") if deposit_fields & set(vals) else self.browse()
        )
        if not self.env.su:
            for order in confirmed:
                amount = vals.get("muzza_deposit_amount", order.muzza_deposit_amount)
                blocks = vals.get("muzza_deposit_blocks_work", order.muzza_deposit_blocks_work)
                if order.currency_id.compare_amounts(amount, order.muzza_deposit_amount) or (
                    bool(blocks) != order.muzza_deposit_blocks_work
                ):
                    raise UserError(
                        self.env._(
                            "The deposit of %(order)s was settled when the order was confirmed and cannot "
                            "change; a receivables manager may start the work without it.",
                            order=order.name,
                        )
                    )
        if deposit_fields & set(vals):
            # refused before anything is written
            for order in self.filtered(lambda o: o.state in ("draft", "sent")):
                order._muzza_check_deposit_figures(
                    vals.get("muzza_deposit_amount", order.muzza_deposit_amount),
                    vals.get("muzza_deposit_blocks_work", order.muzza_deposit_blocks_work),
                )
        had_deposit = {order: order.muzza_deposit_amount > 0 for order in self}
        res = super().write(vals)
        if deposit_fields & set(vals):
            if "muzza_deposit_manual" not in vals:
                for order in self.filtered(lambda o: o.state in ("draft", "sent")):
                    differs = order._muzza_deposit_differs()
                    if differs != order.muzza_deposit_manual:
                        order.sudo().muzza_deposit_manual = differs
            self._muzza_check_deposit_kept()
        for order in self:
            order._muzza_sync_prepayment(ask=not had_deposit[order])
        if vals.get("muzza_deposit_override_reason"):
            self._muzza_log_override(vals["muzza_deposit_override_reason"])
        return res

    def _muzza_is_manager(self):
        return self.env.su or self.env.user.has_group(MANAGER)

    @api.model
    def _muzza_check_deposit_values(self, vals):
        """What the module keeps (the rule's figures, the deposit's status,
        who started the work without it) is written by nobody else; starting
        the work without the deposit is a receivables manager's decision."""
        kept = {
            "muzza_deposit_rule_amount",
            "muzza_deposit_rule_blocks",
            "muzza_deposit_invoiced",
            "muzza_deposit_paid",
            "muzza_deposit_state",
            "muzza_deposit_override_by",
            "muzza_deposit_override_on",
            "muzza_prepayment_share",
        }
        if kept & set(vals):
            raise UserError(
                self.env._(
                    "The deposit's status and what its rule asks are kept by the module, not written by hand."
                )
            )
        if "muzza_deposit_override_reason" in vals and not self._muzza_is_manager():
            raise AccessError(
                self.env._("Only a receivables manager can start the work without the deposit.")
            )

    def _muzza_check_deposit_kept(self):
        """On a quotation, a salesperson may change the deposit, not drop the
        one the rule asks for, nor let the work start before it is paid."""
        for order in self.filtered(lambda o: o.state in ("draft", "sent")):
            order._muzza_check_deposit_figures(order.muzza_deposit_amount, order.muzza_deposit_blocks_work)

    def _muzza_check_deposit_figures(self, amount, blocks_work):
        """Refuse a quotation's deposit of ``amount`` (and whether the work
        waits for it): never below zero nor above the order; below what the
        rule asks, or not waited for when it says so, only by a receivables
        manager."""
        self.ensure_one()
        currency = self.currency_id
        if (
            currency.compare_amounts(amount, 0) < 0
            or currency.compare_amounts(amount, max(self.amount_total, 0)) > 0
        ):
            raise ValidationError(
                self.env._(
                    "The deposit of %(order)s must be between zero and the order's total (%(total)s).",
                    order=self.name,
                    total=format_amount(self.env, self.amount_total, currency),
                )
            )
        if self._muzza_is_manager():
            return
        dropped = self.muzza_deposit_rule_amount > 0 and currency.is_zero(amount)
        released = self.muzza_deposit_rule_blocks and not blocks_work
        if dropped or released:
            raise AccessError(
                self.env._(
                    "The deposit rule asks %(customer)s for a deposit of %(amount)s that the work "
                    "waits for; only a receivables manager can drop it or let the work start before "
                    "it is paid.",
                    customer=self.partner_id.display_name,
                    amount=format_amount(self.env, self.muzza_deposit_rule_amount, currency),
                )
            )

    def _muzza_log_override(self, reason):
        self.sudo().write(
            {"muzza_deposit_override_by": self.env.uid, "muzza_deposit_override_on": fields.Datetime.now()}
        )
        for order in self:
            order.message_post(
                body=self.env._(
                    "Work started without the deposit, by %(user)s: %(reason)s",
                    user=self.env.user.name,
                    reason=reason,
                ),
                subtype_xmlid="mail.mt_note",
            )

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

    # ------------------------------------------------------------------------
    # invoicing it, and deducting it
    # ------------------------------------------------------------------------

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

    def _muzza_invoice_deposit(self):
        """Invoice the deposit through Odoo's down payments; post and send it.

        When the customer already paid it online when signing, the invoice is
        linked to that payment transaction, so the payment settles it (and
        Odoo's own down-payment invoice for the prepayment is not made)."""
        self.ensure_one()
        # on the company's behalf: the person who confirmed needs neither
        # invoicing rights nor an e-mail address (Odoo's down-payment wizard
        # posts on the invoice as the current user)
        order = self.with_user(SUPERUSER_ID).with_company(self.company_id)
        wizard = (
            order.env["sale.advance.payment.inv"]
            .with_context(active_model="sale.order", active_ids=self.ids, muzza_deposit=True)
            .create(
                {
                    "advance_payment_method": "fixed",
                    "fixed_amount": self.muzza_deposit_amount,
                    "sale_order_ids": [Command.set(self.ids)],
                }
            )
        )
        invoice = wizard._create_invoices(order)
        paid_online = order.transaction_ids.filtered(lambda tx: tx.state in ("done", "authorized"))
        if paid_online:
            invoice.transaction_ids = [Command.link(tx.id) for tx in paid_online]
        # confirmed by the payment's own processing: the e-mail waits for the
        # payment to be recorded on it (see payment.transaction._post_process)
        later = bool(paid_online and self.env.su and self.env.context.get("muzza_processing_payment"))
        invoice.with_context(muzza_send_after_payment=later)._muzza_issue(by=self.env.user)
        return invoice.with_env(self.env)

    def _muzza_deposit_invoices(self):
        """The posted invoices that bill these orders' deposits (not those
        that deduct them); one credited in full no longer counts, paid or not."""
        return (
            self._muzza_deposit_lines()
            .invoice_lines.filtered(lambda aml: aml.quantity > 0)
            .move_id.filtered(
                lambda m: (
                    m.state == "posted" and m.move_type == "out_invoice" and m.payment_state != "reversed"
                )
            )
        )

    def _generate_downpayment_invoices(self):
        # the customer prepaid online when signing: the deposit invoice made
        # on confirmation is that prepayment's invoice, never a second one
        with_deposit = self.filtered(lambda o: o._muzza_deposit_invoices())
        return super(SaleOrder, self - with_deposit)._generate_downpayment_invoices() | (
            with_deposit._muzza_deposit_invoices()
        )

    def _get_invoiceable_lines(self, final=False):
        # the deposit is deducted by _muzza_deduct_deposits, from every
        # invoice that follows it, final or not; Odoo's own deduction (final
        # invoices only, in full) would deduct it twice or not at all
        return super()._get_invoiceable_lines(final=final) - self._muzza_deposit_lines()

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
        moves = super()._create_invoices(grouped=grouped, final=final, date=date)
        return self._muzza_deduct_deposits(moves, final=final)

    def _muzza_deposit_left(self, deposit_line, exclude):
        """What a deposit line still holds (untaxed): billed by its posted
        invoices, less their credit notes and the deductions already made
        (drafts included, so two drafts never deduct it twice)."""
        left = 0.0
        for aml in deposit_line.invoice_lines:
            move = aml.move_id
            if move in exclude or move.state == "cancel" or (move.state == "draft" and aml.quantity > 0):
                continue
            sign = 1 if move.move_type == "out_invoice" else -1
            left += sign * aml.price_subtotal
        return left

    @api.model
    def _muzza_tax_key(self, taxes):
        """Taxes as Odoo groups them on down payments: flattened, without
        fixed taxes (a down payment never carries those)."""
        flat = taxes.flatten_taxes_hierarchy()
        return frozenset(flat.filtered(lambda tax: tax.amount_type != "fixed").ids)

    def _muzza_deduct_deposits(self, moves, final=False):
        """Deduct from each new invoice what its orders' deposits still hold,
        from the first invoices on, as Odoo deducts a down payment: a
        negative line of the deposit product linked to the deposit's down
        payment line, on its account and with its taxes. A final invoice
        deducts all that is left and, if that is more than it bills, becomes
        a credit note, as Odoo does."""
        for move in moves.filtered(lambda m: m.move_type == "out_invoice" and m.state == "draft"):
            commands = []
            work_lines = move.invoice_line_ids.filtered(
                lambda aml: aml.display_type == "product" and not aml.is_downpayment
            )
            for order in work_lines.sale_line_ids.order_id:
                deposit_lines = order._muzza_deposit_lines()
                if not deposit_lines:
                    continue
                bases = {}
                for aml in work_lines.filtered(lambda aml, o=order: o in aml.sale_line_ids.order_id):
                    key = self._muzza_tax_key(aml.tax_ids)
                    bases[key] = bases.get(key, 0.0) + aml.price_subtotal
                remaining = [
                    (line, self._muzza_tax_key(line.tax_id), order._muzza_deposit_left(line, move))
                    for line in deposit_lines.sorted("id")
                ]
                takes = deposit_deductions(
                    [(line, key, to_decimal(left)) for line, key, left in remaining if left > 0],
                    bases,
                    final=final,
                )
                if takes and not commands:
                    commands.append(Command.create(order._prepare_down_payment_section_line(sequence=9999)))
                for line, take in takes:
                    source = line.invoice_lines.filtered(lambda aml: aml.quantity > 0)[:1]
                    commands.append(
                        Command.create(
                            {
                                "sequence": 10000,
                                "product_id": line.product_id.id,
                                "name": source.name or line.name,
                                "quantity": -1,
                                "price_unit": line._muzza_price_unit_for(take, move.currency_id),
                                "tax_ids": [Command.set(line.tax_id.ids)],
                                "account_id": source.account_id.id,
                                "sale_line_ids": [Command.set(line.ids)],
                                "is_downpayment": True,
                            }
                        )
                    )
            if commands:
                move.write({"invoice_line_ids": commands})
        if final:
            # more deducted than billed: the customer is owed the difference
            negative = moves.sudo().filtered(lambda m: m.move_type == "out_invoice" and m.amount_total < 0)
            negative.action_switch_move_type()
        return moves

    # ------------------------------------------------------------------------
    # the printed terms
    # ------------------------------------------------------------------------

    def _muzza_terms_lines(self):
        lines = super()._muzza_terms_lines()
        lang = self.env["muzza.wording"]._lang_of(self.partner_id)
        # when the portal asks for the whole order (at high risk, say), that
        # is what the customer pays on accepting, deposit or not
        asks_all = (
            self.require_payment
            and self.state in ("draft", "sent")
            and self.amount_total > 0
            and self.currency_id.compare_amounts(self._get_prepayment_required_amount(), self.amount_total)
            >= 0
        )
        upfront = (
            (asks_all and self._muzza_prepayment_sentence(lang))
            or self._muzza_deposit_sentence(lang)
            or self._muzza_prepayment_sentence(lang)
        )
        if upfront:
            lines.insert(1 if lines else 0, upfront)
        return lines

    def _muzza_prepayment_sentence(self, lang):
        """Without a deposit, what Odoo's *Online payment* asks when the
        customer accepts: the terms say it, with the amount the portal asks."""
        self.ensure_one()
        if not (self.require_payment and self.state in ("draft", "sent") and self.amount_total > 0):
            return False
        env = self.with_context(lang=lang).env
        amount = self._get_prepayment_required_amount()
        formatted = self.env["muzza.wording"]._format_amount(amount, self.currency_id, lang)
        if self.currency_id.compare_amounts(amount, self.amount_total) >= 0:
            return env._(
                "The whole order, %(amount)s, is paid online when you accept this quotation.",
                amount=formatted,
            )
        return env._(
            "%(amount)s is paid online when you accept this quotation, and counts toward its invoices.",
            amount=formatted,
        )

    def _muzza_fee_example_amount(self):
        # billed as a deposit and later invoices: no single invoice carries the total
        if self.muzza_deposit_amount > 0:
            return None
        return super()._muzza_fee_example_amount()

    def _muzza_deposit_sentence(self, lang):
        """What the terms say of the deposit, in the words of what the portal
        asks for: paid online when the customer accepts the quotation, or
        invoiced when the order is confirmed."""
        self.ensure_one()
        if not self.muzza_deposit_amount:
            return False
        env = self.with_context(lang=lang).env
        amount = self.env["muzza.wording"]._format_amount(self.muzza_deposit_amount, self.currency_id, lang)
        online = self.require_payment and self.state in ("draft", "sent")
        if online and self.muzza_deposit_blocks_work:
            return env._(
                "A deposit of %(amount)s is paid online when you accept this quotation; the work starts "
                "once it is paid, and the invoices that follow deduct it.",
                amount=amount,
            )
        if online:
            return env._(
                "A deposit of %(amount)s is paid online when you accept this quotation; the invoices that "
                "follow deduct it.",
                amount=amount,
            )
        if self.muzza_deposit_blocks_work:
            return env._(
                "A deposit of %(amount)s is invoiced when you confirm the order; the work starts once it "
                "is paid, and the invoices that follow deduct it.",
                amount=amount,
            )
        return env._(
            "A deposit of %(amount)s is invoiced when you confirm the order; the invoices that follow "
            "deduct it.",
            amount=amount,
        )
