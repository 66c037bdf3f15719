# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from collections import defaultdict
from decimal import Decimal

from odoo import SUPERUSER_ID, Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools.misc import format_amount

from ..logic.money import to_decimal
from ..logic.retainers import (
    allocate,
    budget_status,
    ledger,
    net_entries,
    next_period_to_invoice,
    period_index,
    period_start,
    periods_to_invoice,
)


class MuzzaRetainer(models.Model):
    """A retainer agreement: the customer prepays each period, and the work
    delivered for them is drawn from what they paid.

    Each period's invoice is an Odoo down payment on the agreement's own
    sales order; the work invoices deduct from it as a final invoice deducts
    a down payment (a negative line of the retainer product, linked to that
    down payment, on its account and with its taxes).

    The budget is a receivables manager's decision: only a manager sets it,
    on a draft agreement or, once it runs, with *Change Budget* and a reason.
    """

    _name = "muzza.retainer"
    _description = "Retainer Agreement"
    _inherit = ["mail.thread", "mail.activity.mixin"]  # noqa: RUF012
    _order = "date_start desc, id desc"
    _check_company_auto = True

    # numbered when saved (RET/2026/0001); the form says "New" until then
    name = fields.Char(copy=False, readonly=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        domain="[('is_company', '=', True)]",
        tracking=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    client_order_ref = fields.Char(
        string="Customer Reference",
        tracking=True,
        copy=False,
        help="The customer's purchase-order number for this agreement: on its order and on each "
        "period's invoice. Required when the customer requires it on every invoice.",
    )
    requires_po = fields.Boolean(related="partner_id.commercial_partner_id.muzza_requires_po")
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one(
        "res.users", string="Salesperson", default=lambda self: self.env.user, check_company=True
    )
    product_id = fields.Many2one(
        "product.product",
        string="Retainer Product",
        required=True,
        check_company=True,
        default=lambda self: self.env.ref("muzza_receivables.product_retainer", raise_if_not_found=False),
    )
    amount = fields.Monetary(string="Per Period (untaxed)", required=True, tracking=True)
    period = fields.Selection([("month", "Month"), ("quarter", "Quarter")], required=True, default="month")
    date_start = fields.Date(string="Start", required=True, tracking=True)
    date_end = fields.Date(string="End", tracking=True, help="Empty for an open-ended agreement.")
    allowance = fields.Float(
        string="Allowance per Period",
        help="Hours or units the period's amount is meant to cover, for reference; work is drawn "
        "from the amount.",
    )
    allowance_uom_id = fields.Many2one("uom.uom", string="Allowance Unit")
    unused = fields.Selection(
        [("lost", "Lost at the end of the period"), ("carry", "Carried over")],
        string="Unused Balance",
        required=True,
        default="lost",
    )
    carry_periods = fields.Integer(string="Carried Over For (periods)", default=1)
    budget = fields.Monetary(
        string="Budget Cap",
        copy=False,
        tracking=True,
        help="The most this agreement may cost the customer in all (untaxed): retainer invoices "
        "plus work billed beyond the retainer. Empty for none. Set by a receivables manager.",
    )
    budget_editable = fields.Boolean(compute="_compute_budget_editable")
    state = fields.Selection(
        [("draft", "Draft"), ("running", "Running"), ("closed", "Closed")],
        default="draft",
        required=True,
        copy=False,
        tracking=True,
    )
    sale_order_id = fields.Many2one(
        "sale.order", string="Retainer Order", readonly=True, copy=False, check_company=True
    )
    budget_warned = fields.Boolean(copy=False, readonly=True)
    invoicing_checked_on = fields.Date(
        string="Periods Checked On",
        copy=False,
        readonly=True,
        help="Last day the retainer invoicing action handled this agreement.",
    )

    balance = fields.Monetary(string="Balance Available", compute="_compute_figures")
    consumed = fields.Monetary(string="Drawn by Work", compute="_compute_figures")
    expired = fields.Monetary(string="Lost (unused)", compute="_compute_figures")
    invoiced = fields.Monetary(string="Retainer Invoiced", compute="_compute_figures")
    committed = fields.Monetary(compute="_compute_figures")
    budget_left = fields.Monetary(compute="_compute_figures")
    next_invoice_date = fields.Date(
        string="Next Period Invoiced On",
        compute="_compute_next_invoice",
        help="The day the next period's invoice is issued (ahead of the period, as the company's "
        "settings say), and the period it prepays.",
    )
    next_period_start = fields.Date(string="Next Period Starts", compute="_compute_next_invoice")
    overdrawn = fields.Monetary(
        string="Drawn Beyond What Was Paid",
        compute="_compute_figures",
        help="Work drawn from periods that are not (or no longer) paid: the figures do not add up.",
    )
    ledger_warning = fields.Char(compute="_compute_figures")

    @api.constrains("amount", "carry_periods", "budget", "date_start", "date_end", "allowance")
    def _check_values(self):
        for retainer in self:
            problems = []
            if retainer.amount <= 0:
                problems.append(self.env._("the amount per period must be positive"))
            if retainer.carry_periods < 0 or retainer.allowance < 0 or retainer.budget < 0:
                problems.append(self.env._("carry-over, allowance and budget cannot be negative"))
            if retainer.date_end and retainer.date_end < retainer.date_start:
                problems.append(self.env._("the agreement ends before it starts"))
            if problems:
                raise ValidationError(
                    self.env._(
                        "The retainer %(name)s cannot be saved: %(problems)s.",
                        name=retainer.name,
                        problems="; ".join(problems),
                    )
                )

    # ------------------------------------------------------------------------
    # the ledger: credits (paid periods) and draws (work)
    # ------------------------------------------------------------------------

    def _period_lines(self):
        """The down-payment lines of the agreements' orders, one per period."""
        return self.sale_order_id.order_line.filtered(
            lambda line: line.is_downpayment and not line.display_type and line.muzza_retainer_number
        )

    def _ledger_lines(self):
        """``{retainer id: (paid, invoiced, draws)}``, each a list of
        ``(key, signed amount)`` for ``logic.retainers.net_entries``, read
        for all the agreements at once.

        A credit note counts against what it credits: a period invoice's
        credit note takes the period's credit back (its paid credit only
        when the invoice it credits was paid: an unpaid invoice reversed
        never was), a work invoice's credit note gives back what that
        invoice drew. Draft work invoices draw already (they hold what they
        will use); credit notes give back once posted.
        """
        lines = {retainer.id: ([], [], []) for retainer in self}
        retainer_of = {retainer.sale_order_id.id: retainer.id for retainer in self if retainer.sale_order_id}
        for line in self._period_lines():
            paid, invoiced, draws = lines[retainer_of[line.order_id.id]]
            period = line.muzza_retainer_number - 1
            for aml in line.invoice_lines:
                move = aml.move_id
                if move.move_type not in ("out_invoice", "out_refund"):
                    continue
                refund = move.move_type == "out_refund"
                amount = -to_decimal(aml.price_subtotal) if refund else to_decimal(aml.price_subtotal)
                origin = (move.reversed_entry_id or move) if refund else move
                if aml.quantity > 0 and move.state == "posted":
                    invoiced.append((period, amount))
                    if origin.payment_state in ("paid", "in_payment"):
                        paid.append((period, amount))
                elif aml.quantity < 0 and (move.state == "posted" or (move.state == "draft" and not refund)):
                    draws.append(((origin.invoice_date or origin.date, origin.id), -amount))
        return lines

    def _ledgers(self):
        """``{retainer id: (paid, invoiced, draws)}``: the ``[(period_index,
        amount)]`` of the paid periods, of the invoiced ones, and drawn by
        each work invoice (in the period of its date, in order), credit
        notes deducted; for all the agreements at once."""
        ledgers = {}
        for retainer_id, (paid, invoiced, draws) in self._ledger_lines().items():
            retainer = self.browse(retainer_id)
            ledgers[retainer_id] = (
                net_entries(paid),
                net_entries(invoiced),
                [(retainer._period_of(day), amount) for (day, _id), amount in net_entries(draws)],
            )
        return ledgers

    def _period_of(self, day):
        self.ensure_one()
        return period_index(self.date_start, self.period, day)

    def _carry(self):
        self.ensure_one()
        return self.carry_periods if self.unused == "carry" else 0

    def _retainer_invoices(self):
        self.ensure_one()
        return self._period_lines().invoice_lines.filtered(lambda aml: aml.quantity > 0).move_id

    def _excess_billed(self):
        """``{retainer id: Decimal}``: the work billed to each agreement's
        customer beyond the retainer since its start (untaxed, in the
        company's currency, after what was drawn from it), less what credit
        notes gave back (dated as the invoice they credit); in one grouped
        read for all the agreements. Retainer period invoices (any
        agreement's) and late fees are not work."""
        excess = {retainer.id: Decimal(0) for retainer in self}
        started = self.filtered("sale_order_id")
        if not started:
            return excess
        Move = self.env["account.move"]
        period_line = [("quantity", ">", 0), ("sale_line_ids.muzza_retainer_number", ">", 0)]
        rows = Move._read_group(
            [
                ("move_type", "in", ("out_invoice", "out_refund")),
                ("state", "=", "posted"),
                ("commercial_partner_id", "in", started.partner_id.ids),
                ("company_id", "in", started.company_id.ids),
                ("invoice_date", ">=", min(started.mapped("date_start"))),
                ("muzza_fee_origin_id", "=", False),
                ("invoice_line_ids", "not any", period_line),
            ],
            ["commercial_partner_id", "company_id", "invoice_date:day", "reversed_entry_id"],
            ["amount_untaxed_signed:sum"],
        )
        credited = Move.browse({origin.id for _p, _c, _d, origin, _a in rows if origin})
        credited_on = dict(zip(credited.ids, credited.mapped("invoice_date"), strict=True))
        billed = defaultdict(list)  # (customer, company): [(date, amount)]
        for partner, company, day, origin, amount in rows:
            billed[partner.id, company.id].append((credited_on.get(origin.id) or day, to_decimal(amount)))
        for retainer in started:
            excess[retainer.id] = sum(
                (
                    amount
                    for day, amount in billed[retainer.partner_id.id, retainer.company_id.id]
                    if day >= retainer.date_start
                ),
                Decimal(0),
            )
        return excess

    @api.depends_context("tz")
    def _compute_figures(self):
        # the figures are the agreement's, whoever reads them: the ledger
        # (the retainer's order, the customer's invoices) is read in sudo,
        # for all the agreements at once (a list reads them in a few queries)
        today = fields.Date.context_today(self)
        started = self.filtered("sale_order_id").sudo()
        ledgers = started._ledgers()
        excess = started._excess_billed()
        for retainer in self:
            figures = dict.fromkeys(self._FIGURES, 0.0)
            figures["budget_left"] = retainer.budget
            if retainer.id in ledgers:
                paid, invoiced_periods, draws = ledgers[retainer.id]
                position = ledger(paid, draws, retainer._period_of(today), retainer._carry())
                invoiced = sum((amount for _p, amount in invoiced_periods), Decimal(0))
                committed = invoiced + excess[retainer.id]
                figures.update(
                    balance=float(position.available),
                    expired=float(position.expired),
                    overdrawn=float(position.overdrawn),
                    consumed=float(sum((amount for _p, amount in draws), Decimal(0))),
                    invoiced=float(invoiced),
                    committed=float(committed),
                    budget_left=(
                        float(max(to_decimal(retainer.budget) - committed, 0)) if retainer.budget else 0.0
                    ),
                )
            figures["ledger_warning"] = retainer._ledger_warning(figures["overdrawn"])
            retainer.update(figures)

    def _ledger_warning(self, overdrawn):
        """What a manager should look into when the ledger does not add up."""
        self.ensure_one()
        if self.currency_id.is_zero(overdrawn):
            return False
        return self.env._(
            "Work drawn from this retainer exceeds what was paid for its periods by %(amount)s: "
            "a period invoice's payment may have been undone.",
            amount=format_amount(self.env, overdrawn, self.currency_id),
        )

    @api.depends("state")
    @api.depends_context("uid")
    def _compute_budget_editable(self):
        is_manager = self.env.user.has_group("muzza_receivables.group_receivables_manager")
        for retainer in self:
            retainer.budget_editable = is_manager and retainer.state == "draft"

    @api.depends(
        "state", "date_start", "date_end", "period", "sale_order_id.order_line.muzza_retainer_number"
    )
    def _compute_next_invoice(self):
        for retainer in self:
            upcoming = None
            if retainer.state in ("draft", "running") and retainer.date_start:
                invoiced = {n - 1 for n in retainer.sudo()._period_lines().mapped("muzza_retainer_number")}
                upcoming = next_period_to_invoice(
                    retainer.date_start,
                    retainer.date_end,
                    retainer.period,
                    invoiced,
                    retainer.company_id.muzza_retainer_lead_days,
                )
            retainer.next_period_start = upcoming[1] if upcoming else False
            retainer.next_invoice_date = upcoming[2] if upcoming else False

    # ------------------------------------------------------------------------
    # lifecycle
    # ------------------------------------------------------------------------

    # kept by the agreement's own code (Start, Close, the scheduled action
    # and its daily mark, the budget warning): never written by hand
    _OWN_FIELDS = ("state", "sale_order_id", "invoicing_checked_on", "budget_warned")
    # what a started agreement bills by: set while it is a draft
    _TERMS = ("partner_id", "company_id", "product_id", "amount", "period", "date_start")

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("budget") for vals in vals_list):
            self._check_budget_change()
        if not self._by_the_system():
            # a new agreement is a draft, without order, mark nor warning
            own = [
                name
                for name in self._OWN_FIELDS
                if any(vals.get(name) not in (None, False, "draft") for vals in vals_list)
            ]
            if own:
                self._refuse_own_fields(own)
        for vals in vals_list:
            if not vals.get("name") or vals["name"] == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("muzza.retainer") or "/"
        return super().create(vals_list)

    def write(self, vals):
        if "budget" in vals:
            changed = self.filtered(
                lambda r: r.currency_id.compare_amounts(r.budget, vals["budget"] or 0.0) != 0
            )
            if changed:
                changed._check_budget_change()
        if not self._by_the_system():
            own = self._changed(vals, self._OWN_FIELDS)
            if own:
                self._refuse_own_fields(own)
            started = self.filtered(lambda r: r.state != "draft")
            terms = started._changed(vals, self._TERMS)
            if terms:
                raise UserError(
                    self.env._(
                        "%(names)s has started: what it bills by was agreed while it was a draft and is not "
                        "changed now (%(terms)s). Close it and agree a new one.",
                        names=", ".join(started.mapped("name")),
                        terms=self._labels(terms),
                    )
                )
        if "client_order_ref" in vals and not (vals["client_order_ref"] or "").strip():
            # its period invoices would all be refused
            needing = self.filtered(lambda r: r.state != "draft" and r.requires_po)
            if needing:
                raise UserError(
                    self.env._(
                        "%(customer)s requires its purchase-order number on every invoice: the Customer "
                        "Reference of %(name)s cannot be emptied while it runs.",
                        customer=needing[0].partner_id.commercial_partner_id.display_name,
                        name=needing[0].name,
                    )
                )
        res = super().write(vals)
        if "client_order_ref" in vals:
            # a new purchase order for the periods still to invoice
            self.sale_order_id.sudo().write({"client_order_ref": vals["client_order_ref"]})
        return res

    def _changed(self, vals, names):
        """Those of the fields ``names`` that ``vals`` changes on any of
        these agreements (the same value written again changes nothing: an
        import, a form that sends it back)."""
        changed = []
        for name in names:
            if name not in vals:
                continue
            field = self._fields[name]
            for retainer in self:
                value = field.convert_to_record(field.convert_to_cache(vals[name], retainer), retainer)
                if value != retainer[name]:
                    changed.append(name)
                    break
        return changed

    def _labels(self, names):
        return ", ".join(self._fields[name]._description_string(self.env) for name in names)

    def _refuse_own_fields(self, names):
        """The fields the agreement keeps itself are refused to everyone by
        any other path (write, create, import, RPC): a far-future daily
        mark would stop its invoicing for good, a state or an order set by
        hand would invoice its periods again or on another order."""
        raise UserError(
            self.env._(
                "A retainer agreement keeps its %(fields)s itself (with Start, Close and the scheduled "
                "action that invoices its periods): they are not written by hand.",
                fields=self._labels(names),
            )
        )

    def _check_budget_change(self):
        """A budget is set or changed by a receivables manager only, by any
        path (form, create, write, import, RPC); once the agreement runs,
        with *Change Budget*, which logs why. The module's own code writes
        it in sudo, after its own check."""
        if self.env.su:
            return
        if not self.env.user.has_group("muzza_receivables.group_receivables_manager"):
            raise AccessError(self.env._("Only receivables managers can set or change a retainer's budget."))
        running = self.filtered(lambda r: r.state != "draft")
        if running:
            raise UserError(
                self.env._(
                    "The budget of %(names)s is changed with Change Budget, which records why.",
                    names=", ".join(running.mapped("name")),
                )
            )

    def action_change_budget(self):
        self.ensure_one()
        if not self.env.user.has_group("muzza_receivables.group_receivables_manager"):
            raise AccessError(self.env._("Only receivables managers can set or change a retainer's budget."))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Change Budget"),
            "res_model": "muzza.retainer.budget",
            "view_mode": "form",
            "target": "new",
            "context": {"default_retainer_id": self.id, "default_budget": self.budget},
        }

    @api.model
    def _by_the_system(self):
        """Whether the module's own code writes, in sudo (as scheduled
        actions run, the superuser being always in sudo): the fields only
        the agreements' own code writes are refused to everyone else."""
        return self.env.su

    def action_start(self):
        self.check_access("write")
        missing = self.filtered(
            lambda r: r.state == "draft" and r.requires_po and not (r.client_order_ref or "").strip()
        )
        if missing:
            # asked now: every period invoice would otherwise be refused
            raise UserError(
                self.env._(
                    "%(customer)s requires its purchase-order number on every invoice: enter it in "
                    "Customer Reference before starting %(name)s.",
                    customer=missing[0].partner_id.commercial_partner_id.display_name,
                    name=missing[0].name,
                )
            )
        for retainer in self.filtered(lambda r: r.state == "draft"):
            # the link to the agreement is written in sudo (see
            # sale.order._muzza_refuse_retainer_link); the order is the
            # user's to create all the same
            order = (
                self.env["sale.order"]
                .sudo()
                .create(
                    {
                        "partner_id": retainer.partner_id.id,
                        "company_id": retainer.company_id.id,
                        "user_id": retainer.user_id.id,
                        "origin": retainer.name,
                        "client_order_ref": retainer.client_order_ref,
                        "muzza_retainer_id": retainer.id,
                        "order_line": [
                            Command.create(
                                {
                                    "product_id": retainer.product_id.id,
                                    "name": retainer._line_label(),
                                    "product_uom_qty": 1,
                                    "price_unit": retainer.amount,
                                }
                            )
                        ],
                    }
                )
            )
            order = order.sudo(False)
            order.check_access("create")
            order.action_confirm()
            retainer.sudo().write({"sale_order_id": order.id, "state": "running"})
        return True

    def action_close(self):
        self.check_access("write")
        self.sudo().write({"state": "closed"})
        return True

    def _customer_env(self):
        """``(env, lang)``: what the customer reads their documents in."""
        self.ensure_one()
        lang = self.env["muzza.wording"]._lang_of(self.partner_id)
        return self.with_context(lang=lang).env, lang

    def _line_label(self):
        """The retainer order's line, in the customer's language: whole
        sentences, one per period, for translators to word each."""
        self.ensure_one()
        env, lang = self._customer_env()
        amount = self.env["muzza.wording"]._format_amount(self.amount, self.currency_id, lang)
        if self.period == "quarter":
            return env._("Retainer %(name)s: %(amount)s per quarter", name=self.name, amount=amount)
        return env._("Retainer %(name)s: %(amount)s per month", name=self.name, amount=amount)

    # ------------------------------------------------------------------------
    # the scheduled action: each period's invoice, ahead of the period
    # ------------------------------------------------------------------------

    @api.model
    def _cron_retainer_invoicing(self, batch_size=None):
        """Issue, posted and sent, each running agreement's invoice for the
        periods starting within the lead time. Each agreement is handled
        once a day and committed on its own (see ``muzza.cron.batch``); a
        period already invoiced (a unique index on the order's period
        lines) is never invoiced again."""
        # the agreements' own bookkeeping (the daily mark): the system's
        return (
            self.env["muzza.cron.batch"]
            .sudo()
            ._run(
                "muzza.retainer",
                [("state", "=", "running")],
                lambda retainer, today: retainer._invoice_due_periods(today),
                "invoicing_checked_on",
                self.env._("Invoicing the retainer's next period"),
                batch_size=batch_size,
            )
        )

    def _invoice_due_periods(self, today):
        self.ensure_one()
        lead = self.company_id.muzza_retainer_lead_days
        done_periods = {number - 1 for number in self._period_lines().mapped("muzza_retainer_number")}
        invoices = self.env["account.move"]
        for index in periods_to_invoice(self.date_start, self.date_end, self.period, today, lead):
            if index in done_periods:
                continue
            if self._would_pass_budget(Decimal(str(self.amount))):
                self._notify_cap(self.env._("the retainer invoice for the next period"))
                break
            invoices |= self._invoice_period(index)
        return invoices

    def _invoice_period(self, index):
        self.ensure_one()
        first = period_start(self.date_start, self.period, index)
        customer_env, lang = self._customer_env()
        # on the company's behalf: whoever triggers it needs neither invoicing
        # rights nor an e-mail address (Odoo's down-payment wizard posts on
        # the invoice as the current user)
        order = self.sale_order_id.with_user(SUPERUSER_ID).with_company(self.company_id)
        wizard = (
            order.env["sale.advance.payment.inv"]
            .with_context(
                active_model="sale.order",
                active_ids=self.sale_order_id.ids,
                muzza_retainer_number=index + 1,
                muzza_retainer_label=customer_env._(
                    "Retainer %(name)s, period from %(date)s",
                    name=self.name,
                    date=self.env["muzza.wording"]._format_date(first, lang),
                ),
            )
            .create(
                {
                    "advance_payment_method": "percentage",
                    "amount": 100.0,
                    "sale_order_ids": self.sale_order_id.ids,
                }
            )
        )
        invoice = wizard._create_invoices(order)
        invoice._muzza_issue(by=self.env.user)
        self._check_budget_warning()
        return invoice.with_env(self.env)

    # ------------------------------------------------------------------------
    # the budget
    # ------------------------------------------------------------------------

    _FIGURES = (
        "balance",
        "consumed",
        "expired",
        "invoiced",
        "committed",
        "budget_left",
        "overdrawn",
        "ledger_warning",
    )

    def _would_pass_budget(self, more):
        self.ensure_one()
        # the figures are computed, not stored: read them as they are now
        self.invalidate_recordset(self._FIGURES)
        return budget_status(self.budget, to_decimal(self.committed) + more, Decimal(1)) == "over"

    def _check_budget_warning(self):
        self.invalidate_recordset(self._FIGURES)
        for retainer in self.filtered(lambda r: r.budget and not r.budget_warned):
            ratio = Decimal(str(retainer.company_id.muzza_retainer_warn_percent)) / 100
            if budget_status(retainer.budget, to_decimal(retainer.committed), ratio) == "ok":
                continue
            retainer.sudo().budget_warned = True
            note = self.env._(
                "%(committed)s of the %(budget)s budget of retainer %(name)s is committed.",
                committed=format_amount(self.env, retainer.committed, retainer.currency_id),
                budget=format_amount(self.env, retainer.budget, retainer.currency_id),
                name=retainer.name,
            )
            retainer.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Retainer budget nearly used"),
                note=note,
                user_id=(retainer.user_id or self.env.user).id,
            )
            template = self.env.ref(
                "muzza_receivables.email_template_retainer_budget", raise_if_not_found=False
            )
            if template and retainer.partner_id.email:
                retainer.message_post_with_source(template, subtype_xmlid="mail.mt_comment")

    def _notify_cap(self, what):
        self.ensure_one()
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=self.env._("Retainer budget reached"),
            note=self.env._(
                "Not issued: %(what)s would take retainer %(name)s past its budget of %(budget)s.",
                what=what,
                name=self.name,
                budget=format_amount(self.env, self.budget, self.currency_id),
            ),
            user_id=(self.user_id or self.env.user).id,
        )

    # ------------------------------------------------------------------------
    # drawing work from the retainer
    # ------------------------------------------------------------------------

    @api.model
    def _draw_for_invoices(self, moves):
        """Deduct from the paid retainer what each draft work invoice bills,
        oldest paid period first, as Odoo deducts a down payment.

        Called when the invoices are created, and again when they are
        posted: the invoice's own draws are removed and allocated anew, in
        the period of the date it is posted with (its invoice date, or
        today), against the ledger without them, so the draw follows the
        invoice's final amount and date. An invoice that drew from an
        agreement draws from it again; any other from the customer's
        running agreement.
        """
        today = fields.Date.context_today(self)
        for move in moves.filtered(lambda m: m.move_type == "out_invoice" and m.state == "draft"):
            own_draws = move._muzza_retainer_draw_lines()
            if not (own_draws or move._muzza_is_retainer_work()):
                continue
            retainer = own_draws.sale_line_ids.order_id.muzza_retainer_id[:1] or self._running_for(
                move.commercial_partner_id, move.company_id
            )
            if own_draws:
                move.write({"invoice_line_ids": [Command.unlink(line.id) for line in own_draws]})
            if not retainer:
                continue
            commands = retainer.sudo()._draw_commands(
                to_decimal(move.amount_untaxed), move.invoice_date or today
            )
            if commands:
                move.write({"invoice_line_ids": commands})
        return moves

    def _draw_commands(self, amount, day):
        """The invoice lines that draw ``amount`` from the paid periods
        usable on ``day``: one per period, linked to its down-payment line,
        on the account and with the taxes of the period's invoice."""
        self.ensure_one()
        paid, _invoiced, draws = self._ledgers()[self.id]
        takes = allocate(paid, draws, self._period_of(day), self._carry(), amount)
        period_lines = {line.muzza_retainer_number - 1: line for line in self._period_lines()}
        customer_env, _lang = self._customer_env()
        commands = []
        for period, take in takes:
            down_payment = period_lines[period]
            source = down_payment.invoice_lines.filtered(
                lambda aml: aml.quantity > 0 and aml.move_id.move_type == "out_invoice"
            )[:1]
            commands.append(
                Command.create(
                    {
                        "product_id": self.product_id.id,
                        "name": customer_env._(
                            "Drawn from retainer %(name)s (paid period %(period)s)",
                            name=self.name,
                            period=period + 1,
                        ),
                        "quantity": -1,
                        "price_unit": float(take),
                        "tax_ids": [Command.set(source.tax_ids.ids)],
                        "account_id": source.account_id.id,
                        "sale_line_ids": [Command.set(down_payment.ids)],
                    }
                )
            )
        return commands

    @api.model
    def _portal_domain(self, user):
        """The agreements a portal user sees: their own company account's,
        once started, in the companies the user may see."""
        return [
            ("partner_id", "=", user.partner_id.commercial_partner_id.id),
            ("company_id", "in", user.company_ids.ids),
            ("state", "!=", "draft"),
        ]

    @api.model
    def _running_for(self, partner, company):
        return self.search(
            [
                ("state", "=", "running"),
                ("partner_id", "=", partner.commercial_partner_id.id),
                ("company_id", "=", company.id),
            ],
            limit=1,
        )

    def _check_cap(self, amount, what):
        """Refuse ``amount`` more of commitment past the budget cap; callers
        skip the check once a receivables manager approved."""
        self.ensure_one()
        if not self.budget or not self._would_pass_budget(to_decimal(amount)):
            return
        raise UserError(
            self.env._(
                "%(what)s would take retainer %(name)s past its budget of %(budget)s "
                "(%(committed)s committed). A receivables manager must approve it.",
                what=what,
                name=self.name,
                budget=format_amount(self.env, self.budget, self.currency_id),
                committed=format_amount(self.env, self.committed, self.currency_id),
            )
        )
