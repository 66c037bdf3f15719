# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..logic.risk import at_least, effective_level, level_rank, sale_hold
from .muzza_risk_profile import level_selection

INTERNAL = "base.group_user"


class SaleOrder(models.Model):
    """What a customer's payment risk does to its sales: a warning on the
    quotation from medium up; from high up, confirming needs a receivables
    manager's approval (or the whole order paid online); blocked, nothing is
    confirmed. Checked on the server whenever an order becomes confirmed,
    whatever the path (the button, a write of its state, an import, a
    duplicate, the payment of a quotation); never shown to the customer."""

    _inherit = "sale.order"

    muzza_risk_level = fields.Selection(
        level_selection, string="Customer Risk Level", compute="_compute_muzza_risk", groups=INTERNAL
    )
    muzza_risk_warning = fields.Text(string="Risk Warning", compute="_compute_muzza_risk", groups=INTERNAL)
    muzza_risk_hold = fields.Selection(
        [("approval", "Needs a receivables manager's approval"), ("blocked", "Blocked")],
        string="Held by the Customer's Risk",
        compute="_compute_muzza_risk",
        groups=INTERNAL,
    )
    muzza_risk_approval_pending = fields.Boolean(
        string="Approval Asked For", compute="_compute_muzza_risk", groups=INTERNAL
    )
    muzza_risk_approval_ids = fields.One2many(
        "muzza.risk.approval", "order_id", string="Risk Approvals", copy=False, readonly=True, groups=INTERNAL
    )

    # ------------------------------------------------------------------------
    # the customer's level, and what holds the order
    # ------------------------------------------------------------------------

    def _muzza_risk_profiles(self):
        """``{(commercial partner id, company id): risk file}`` of these
        orders' customers (only those that have one)."""
        partners = (self.partner_id | self.partner_invoice_id).commercial_partner_id
        if not partners:
            return {}
        profiles = (
            self.env["muzza.risk.profile"]
            .sudo()
            .search([("partner_id", "in", partners.ids), ("company_id", "in", self.company_id.ids)])
        )
        return {(profile.partner_id.id, profile.company_id.id): profile for profile in profiles}

    def _muzza_risk_levels(self):
        """``{(commercial partner id, company id): level}`` today (an
        override past its expiry no longer counts); a customer without a
        risk file is at low risk."""
        today = fields.Date.context_today(self)
        return {
            key: effective_level(
                profile.computed_level or "low", profile.override_level, profile.override_until, today
            )
            for key, profile in self._muzza_risk_profiles().items()
        }

    def _muzza_risk_key(self, levels=None):
        """The customer whose risk applies to this order: the riskier of the
        customer and the invoice address (who will owe the money)."""
        self.ensure_one()
        partners = (self.partner_id | self.partner_invoice_id).commercial_partner_id
        keys = [(partner.id, self.company_id.id) for partner in partners] or [(False, self.company_id.id)]
        if len(keys) == 1:
            return keys[0]
        levels = self._muzza_risk_levels() if levels is None else levels
        return max(keys, key=lambda key: level_rank(levels.get(key, "low")))

    def _muzza_risk_approved(self):
        """Whether a manager's approval lets this order be confirmed now."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        order = self.sudo()
        return any(approval._muzza_counts_for(order, today) for approval in order.muzza_risk_approval_ids)

    def _muzza_paid_in_full(self):
        """The whole order is paid online (the money is in). Read from the
        transactions themselves: Odoo's ``amount_paid`` is not recomputed
        when a transaction linked already becomes done."""
        self.ensure_one()
        # a payment of this order alone, in its currency (a transaction of
        # several orders is not the whole of any of them)
        paid = sum(
            tx.amount
            for tx in self.sudo().transaction_ids
            if tx.state in ("authorized", "done")
            and tx.sale_order_ids == self
            and tx.currency_id == self.currency_id
        )
        return self.amount_total > 0 and self.currency_id.compare_amounts(paid, self.amount_total) >= 0

    def _muzza_risk_holds(self, levels=None):
        """``{order: (hold, level)}`` of these orders that their customer's
        risk holds (see ``logic.risk.sale_hold``)."""
        levels = self._muzza_risk_levels() if levels is None else levels
        holds = {}
        for order in self:
            level = levels.get(order._muzza_risk_key(levels), "low")
            if not at_least(level, "high"):
                continue
            if at_least(level, "blocked"):
                hold = sale_hold(level, False, False)  # nothing lifts it
            else:
                hold = sale_hold(level, order._muzza_risk_approved(), order._muzza_paid_in_full())
            if hold:
                holds[order] = (hold, level)
        return holds

    @api.depends_context("lang", "company")
    @api.depends(
        "partner_id",
        "partner_invoice_id",
        "company_id",
        "state",
        "amount_total",
        "muzza_risk_approval_ids.state",
        "muzza_risk_approval_ids.amount",
        "muzza_risk_approval_ids.expiry_date",
    )
    def _compute_muzza_risk(self):
        profiles = self._muzza_risk_profiles()
        levels = self._muzza_risk_levels()
        holds = self._muzza_risk_holds(levels)
        for order in self:
            key = order._muzza_risk_key(levels)
            level = levels.get(key, "low")
            hold = holds.get(order, (False, level))[0] if order.state in ("draft", "sent", False) else False
            order.muzza_risk_level = level
            order.muzza_risk_hold = hold
            order.muzza_risk_approval_pending = any(
                a.state == "requested" for a in order.sudo().muzza_risk_approval_ids
            )
            profile = profiles.get(key)
            if not profile or not at_least(level, "medium"):
                order.muzza_risk_warning = False
                continue
            lines = [profile.with_env(self.env).warning or ""]
            if level == "blocked":
                lines.append(self.env._("None of its quotations can be confirmed."))
            elif level == "high":
                lines.append(
                    self.env._(
                        "Confirming needs a receivables manager's approval (Request Approval), unless the "
                        "whole order is paid online."
                    )
                )
            else:
                lines.append(self.env._("Watch its payments; at high risk, its sales need an approval."))
            order.muzza_risk_warning = "\n".join(line for line in lines if line)

    # ------------------------------------------------------------------------
    # the check at confirmation, by every path
    # ------------------------------------------------------------------------

    def _muzza_risk_refusal(self, hold, level, profile):
        """Why this order cannot be confirmed, and what would lift it."""
        self.ensure_one()
        wording = self.env["muzza.wording"]
        lang = self.env.lang or "en_US"
        customer = self.partner_id.commercial_partner_id.display_name
        factors = profile.with_env(self.env).factors if profile else ""
        label = dict(level_selection(self)).get(level, level)
        score = profile.score if profile else 0
        total = wording._format_amount(self.amount_total, self.currency_id, lang)
        if hold == "blocked":
            message = self.env._(
                "%(order)s cannot be confirmed: %(customer)s is at %(level)s payment risk (score %(score)s) "
                "in %(company)s.\nWhy:\n%(factors)s\nWhat would lift it: a receivables manager sets a lower "
                "level with Override Level on the customer's risk file, or the warning signs and history "
                "behind the score change.",
                order=self.name,
                customer=customer,
                level=label,
                score=score,
                company=self.company_id.name,
                factors=factors,
            )
            return self._muzza_override_line(message, level, profile)
        message = self.env._(
            "%(order)s cannot be confirmed without a receivables manager's approval: %(customer)s is at "
            "%(level)s payment risk (score %(score)s).\nWhy:\n%(factors)s\nWhat would lift it: an approval "
            "(Request Approval) of at least %(total)s, counting until a date the manager sets; or a lower "
            "level set by a receivables manager; or the whole order, %(total)s, paid online.",
            order=self.name,
            customer=customer,
            level=label,
            score=score,
            factors=factors,
            total=total,
        )
        message = self._muzza_override_line(message, level, profile)
        today = fields.Date.context_today(self)
        for approval in self.sudo().muzza_risk_approval_ids.filtered(lambda a: a.state == "granted"):
            if approval.expiry_date < today:
                message += "\n" + self.env._(
                    "The approval granted by %(user)s expired on %(date)s.",
                    user=approval.approver_id.name,
                    date=wording._format_date(approval.expiry_date, lang),
                )
            else:
                message += "\n" + self.env._(
                    "The approval granted by %(user)s covers %(amount)s, less than the order's total "
                    "%(total)s.",
                    user=approval.approver_id.name,
                    amount=wording._format_amount(approval.amount, approval.currency_id, lang),
                    total=total,
                )
            break
        return message

    def _muzza_override_line(self, message, level, profile):
        """A level a manager set by hand says who and why (the score alone
        would not explain it)."""
        if profile and profile.override_level == level:
            message += "\n" + self.env._(
                "Set by %(manager)s: %(reason)s",
                manager=profile.override_by.name or "",
                reason=profile.override_reason or "",
            )
        return message

    def _muzza_check_risk(self):
        """Refuse confirming an order its customer's risk holds: every
        refusal says why and what would lift it."""
        if not self:
            return
        holds = self._muzza_risk_holds()
        if not holds:
            return
        profiles = self._muzza_risk_profiles()
        levels = self._muzza_risk_levels()
        raise UserError(
            "\n\n".join(
                order._muzza_risk_refusal(hold, level, profiles.get(order._muzza_risk_key(levels)))
                for order, (hold, level) in holds.items()
            )
        )

    def action_confirm(self):
        if self.env.context.get("muzza_customer_accepts"):
            # the customer accepting on the portal (controllers/portal_risk.py):
            # the signature stands, the order waits for a manager's approval,
            # and the customer is told nothing of its risk. The key only ever
            # keeps an order from being confirmed.
            held = self.filtered(lambda o: self._muzza_risk_holds().get(o, (False,))[0] == "approval")
            held.sudo()._muzza_wait_for_approval()
            self -= held
            if not self:
                return True
        self._muzza_check_risk()
        return super().action_confirm()

    def _muzza_wait_for_approval(self):
        """A quotation held for an approval that the customer accepted: the
        salesperson and the managers are told; it is confirmed once granted."""
        for order in self:
            order.message_post(
                body=self.env._(
                    "Accepted by the customer; it waits for a receivables manager's approval to be confirmed."
                ),
                subtype_xmlid="mail.mt_note",
            )
            if not any(a.state == "requested" for a in order.muzza_risk_approval_ids):
                order.action_muzza_request_risk_approval()

    def _send_order_confirmation_mail(self):
        # an order the customer accepted that waits for an approval is not
        # confirmed: no confirmation e-mail
        return super(SaleOrder, self.filtered(lambda o: o.state == "sale"))._send_order_confirmation_mail()

    def _action_confirm(self):
        self._muzza_check_risk()
        return super()._action_confirm()

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        # created confirmed (an import, a duplicate with its state)
        orders.filtered(lambda o: o.state == "sale")._muzza_check_risk()
        return orders

    def write(self, vals):
        confirming = (
            self.filtered(lambda o: o.state != "sale") if vals.get("state") == "sale" else self.browse()
        )
        res = super().write(vals)
        # checked once written: the order as it is confirmed (its total
        # included, should the same write change its lines)
        confirming._muzza_check_risk()
        return res

    # ------------------------------------------------------------------------
    # asking for an approval
    # ------------------------------------------------------------------------

    def action_muzza_request_risk_approval(self):
        """Ask the company's receivables managers to approve confirming this
        quotation, as an activity for each."""
        self.ensure_one()
        self.check_access("write")
        if self.state not in ("draft", "sent"):
            raise UserError(self.env._("Only a quotation needs an approval to be confirmed."))
        hold = self._muzza_risk_holds().get(self, (False,))[0]
        if hold == "blocked":
            raise UserError(
                self.env._(
                    "%(customer)s is blocked: no approval lets its quotations be confirmed; a receivables "
                    "manager may set a lower level.",
                    customer=self.partner_id.commercial_partner_id.display_name,
                )
            )
        if not hold:
            raise UserError(self.env._("%(order)s needs no approval to be confirmed.", order=self.name))
        if any(a.state == "requested" for a in self.sudo().muzza_risk_approval_ids):
            raise UserError(
                self.env._(
                    "An approval of %(order)s is asked for already; it waits for a decision.", order=self.name
                )
            )
        approval = (
            self.env["muzza.risk.approval"]
            .sudo()
            .create(
                {
                    "order_id": self.id,
                    "company_id": self.company_id.id,
                    "partner_id": self.partner_id.commercial_partner_id.id,
                    "currency_id": self.currency_id.id,
                    "level": self.muzza_risk_level,
                    "amount_requested": self.amount_total,
                    "requested_by": self.env.uid,
                    "requested_on": fields.Datetime.now(),
                }
            )
        )
        approval._muzza_notify_managers()
        self.message_post(
            body=self.env._("Approval to confirm asked for by %(user)s.", user=self.env.user.name),
            subtype_xmlid="mail.mt_note",
        )
        return True

    # ------------------------------------------------------------------------
    # what the level changes on open quotations
    # ------------------------------------------------------------------------

    @api.depends("muzza_contract_template_id")
    def _compute_payment_term_id(self):
        res = super()._compute_payment_term_id()
        with_term = self.filtered(lambda o: o.muzza_contract_template_id.muzza_high_risk_payment_term_id)
        if with_term:
            levels = with_term._muzza_risk_levels()
            for order in with_term:
                if at_least(levels.get(order._muzza_risk_key(levels), "low"), "high"):
                    order.payment_term_id = order.muzza_contract_template_id.muzza_high_risk_payment_term_id
        return res

    def _muzza_terms_payment_term(self):
        term = super()._muzza_terms_payment_term()
        high = self.muzza_contract_template_id.muzza_high_risk_payment_term_id
        if high and self.payment_term_id == high:
            return high
        return term

    @api.model
    def _muzza_on_risk_levels_changed(self, profiles):
        """The level of these risk files changed: their customers' open
        quotations in that company follow it (the deposit rule, the payment
        terms of a contract that names shorter ones at high risk)."""
        keys = {(profile.partner_id.id, profile.company_id.id) for profile in profiles}
        if not keys:
            return
        customers = list({partner_id for partner_id, _company in keys})
        quotes = self.sudo().search(
            [
                ("state", "in", ("draft", "sent")),
                ("company_id", "in", list({company_id for _partner, company_id in keys})),
                "|",
                ("partner_id.commercial_partner_id", "in", customers),
                ("partner_invoice_id.commercial_partner_id", "in", customers),
            ]
        )
        quotes = quotes.filtered(
            lambda o: (
                {
                    (o.partner_id.commercial_partner_id.id, o.company_id.id),
                    (o.partner_invoice_id.commercial_partner_id.id, o.company_id.id),
                }
                & keys
            )
        )
        if not quotes:
            return
        quotes._muzza_follow_risk_levels()
        with_term = quotes.filtered(lambda o: o.muzza_contract_template_id.muzza_high_risk_payment_term_id)
        if with_term:
            self.env.add_to_compute(self._fields["payment_term_id"], with_term)
            with_term.flush_recordset(["payment_term_id"])

    # ------------------------------------------------------------------------
    # the portal: no money taken for what could not be confirmed
    # ------------------------------------------------------------------------

    def _muzza_risk_blocked(self):
        return self.filtered(lambda o: o._muzza_risk_holds().get(o, (False,))[0] == "blocked")

    def _has_to_be_signed(self):
        return super()._has_to_be_signed() and not self.sudo()._muzza_risk_blocked()

    def _has_to_be_paid(self):
        return super()._has_to_be_paid() and not self.sudo()._muzza_risk_blocked()

    def _get_prepayment_required_amount(self):
        # at high risk without an approval, paying online confirms only the
        # whole order: the money is then in
        if self.sudo()._muzza_risk_holds().get(self.sudo(), (False,))[0] == "approval":
            return self.amount_total
        return super()._get_prepayment_required_amount()

    def _get_default_payment_link_values(self):
        self.sudo()._muzza_check_risk_before_payment()
        return super()._get_default_payment_link_values()

    def _muzza_check_risk_before_payment(self):
        """No money is taken for a quotation of a blocked customer, by any
        path (the portal's form, an old page, a payment link, a script).
        The customer may read this: it says nothing of the risk."""
        blocked = self.filtered(lambda o: o.state in ("draft", "sent"))._muzza_risk_blocked()
        if blocked:
            raise UserError(
                self.env._(
                    "%(order)s cannot be paid online. Please contact %(company)s.",
                    order=blocked[0].name,
                    company=blocked[0].company_id.name,
                )
            )
