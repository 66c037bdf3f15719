# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import logging
from decimal import Decimal

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_amount, format_date

from ..logic.dates import days_overdue
from ..logic.late_fees import (
    FeeTerms,
    fee_to_charge,
    pay_by_date,
    to_decimal,
)

_logger = logging.getLogger(__name__)


class AccountMove(models.Model):
    _inherit = "account.move"

    muzza_days_overdue = fields.Integer(
        string="Days Overdue",
        compute="_compute_muzza_days_overdue",
        help="Whole days since the due date for a posted customer invoice that "
        "is not fully paid, measured at today's date in your time zone.",
    )
    # --- late fees: the terms, frozen when the invoice is posted -------------
    muzza_fee_policy_id = fields.Many2one(
        "muzza.late.fee.policy",
        string="Late-Fee Policy",
        check_company=True,
        copy=False,
        help="Set from the customer (or the company default) when the invoice is posted.",
    )
    muzza_fee_terms = fields.Json(
        string="Frozen Late-Fee Terms",
        copy=False,
        readonly=True,
        help="The late-payment terms as printed when the invoice was posted; what is "
        "charged follows these even if the policy changes later.",
    )
    muzza_fee_pay_by = fields.Date(
        string="Pay Without Fee By", copy=False, readonly=True, index="btree_not_null"
    )
    muzza_fee_charged_amount = fields.Monetary(
        string="Late Fees Charged", copy=False, readonly=True, currency_field="currency_id"
    )
    muzza_fee_charged_through = fields.Date(string="Fees Charged Through", copy=False, readonly=True)
    muzza_fee_done = fields.Boolean(
        string="Late Fees Settled",
        copy=False,
        readonly=True,
        help="Paid, waived or charged in full: nothing more to charge.",
    )
    muzza_fee_checked_on = fields.Date(
        string="Late Fees Checked On",
        copy=False,
        readonly=True,
        help="Last day the late-fee action handled this invoice (charged or not); "
        "it takes each invoice once a day.",
    )
    muzza_fee_waived = fields.Boolean(string="Late Fees Waived", copy=False, readonly=True, tracking=True)
    muzza_fee_waive_reason = fields.Text(string="Waiver Reason", copy=False, readonly=True)
    muzza_fee_origin_id = fields.Many2one(
        "account.move",
        string="Late Fee For",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="The invoice paid late that this late-fee invoice charges for.",
    )
    muzza_fee_move_ids = fields.One2many(
        "account.move", "muzza_fee_origin_id", string="Late-Fee Invoices", readonly=True
    )
    muzza_fee_accrued = fields.Monetary(
        string="Accrued, Not Yet Charged",
        compute="_compute_muzza_fee_accrued",
        currency_field="currency_id",
    )
    muzza_fee_sentence = fields.Text(
        string="Late-Payment Terms",
        compute="_compute_muzza_sentences",
        help="The sentence printed on the invoice, in the customer's language.",
    )
    muzza_pay_sentence = fields.Text(
        string="How to Pay",
        compute="_compute_muzza_sentences",
        help="The ways to pay printed on the invoice, from its contract terms, in the customer's language.",
    )
    muzza_due_sentence = fields.Text(
        string="Exact Due Dates",
        compute="_compute_muzza_sentences",
        help="The due date (or each instalment's date and amount) printed on the invoice, "
        "in the customer's language.",
    )
    # --- automatic payment --------------------------------------------------
    muzza_autopay_attempt_ids = fields.One2many(
        "muzza.autopay.attempt", "move_id", string="Automatic Charges", readonly=True
    )
    muzza_autopay_checked_on = fields.Date(
        string="Automatic Payment Checked On",
        copy=False,
        readonly=True,
        help="Last day the automatic-payment action handled this invoice; it takes each invoice once a day.",
    )
    muzza_autopay_sentence = fields.Text(
        string="Automatic Payment",
        compute="_compute_muzza_autopay_sentence",
        help="When and with what the customer's saved payment method will be charged, "
        "as printed on the invoice.",
    )

    # ------------------------------------------------------------------------
    # computes
    # ------------------------------------------------------------------------

    @api.depends("invoice_date_due", "state", "payment_state", "move_type")
    @api.depends_context("tz")
    def _compute_muzza_days_overdue(self):
        today = fields.Date.context_today(self)
        for move in self:
            if (
                move.move_type == "out_invoice"
                and move.state == "posted"
                and move.payment_state in ("not_paid", "partial")
            ):
                move.muzza_days_overdue = days_overdue(move.invoice_date_due, today)
            else:
                move.muzza_days_overdue = 0

    @api.depends("muzza_fee_terms", "muzza_fee_charged_amount", "amount_residual", "muzza_fee_waived")
    @api.depends_context("tz")
    def _compute_muzza_fee_accrued(self):
        today = fields.Date.context_today(self)
        for move in self:
            if not move.muzza_fee_terms or move.muzza_fee_waived or move.state != "posted":
                move.muzza_fee_accrued = 0.0
                continue
            move.muzza_fee_accrued = float(move._muzza_fee_to_charge(today))

    @api.depends(
        "muzza_fee_terms",
        "muzza_fee_policy_id",
        "invoice_date_due",
        "invoice_payment_term_id",
        "amount_total",
        "partner_id.lang",
        "line_ids.date_maturity",
        "payment_reference",
        "partner_bank_id",
        "invoice_line_ids.sale_line_ids",
    )
    def _compute_muzza_sentences(self):
        for move in self:
            if move.move_type != "out_invoice":
                move.muzza_fee_sentence = move.muzza_due_sentence = move.muzza_pay_sentence = False
                continue
            lang = move._muzza_lang()
            move.muzza_due_sentence = move._muzza_due_sentence(lang)
            move.muzza_fee_sentence = move._muzza_fee_sentence(lang)
            move.muzza_pay_sentence = move._muzza_pay_sentence(lang)

    @api.depends("state", "line_ids.date_maturity", "line_ids.amount_residual_currency", "partner_id.lang")
    @api.depends_context("tz")
    def _compute_muzza_autopay_sentence(self):
        self.muzza_autopay_sentence = False
        invoices = self.filtered(lambda m: m.move_type == "out_invoice" and m.state == "posted")
        Consent = self.env["muzza.autopay.consent"]
        today = fields.Date.context_today(self)
        for company in invoices.company_id:
            in_company = invoices.filtered(lambda m, c=company: m.company_id == c)
            consents = Consent._active_for(in_company.commercial_partner_id, company)
            for move in in_company:
                consent = consents.get(move.commercial_partner_id)
                if consent:
                    move.muzza_autopay_sentence = move._muzza_autopay_sentence(consent, today)

    def _muzza_autopay_sentence(self, consent, today):
        """ "Paid automatically: 120.00 € will be charged to … on …", one
        line per charge to come, in the customer's language."""
        self.ensure_one()
        lang = self._muzza_lang()
        env = self.with_context(lang=lang).env
        return (
            "\n".join(
                env._(
                    "Paid automatically: %(amount)s will be charged to %(method)s on %(date)s, "
                    "as agreed on %(agreed)s.",
                    amount=self._muzza_format_amount(float(amount), lang),
                    method=consent._method_label(),
                    date=self._muzza_format_date(due, lang),
                    agreed=self._muzza_format_date(consent._consent_day(), lang),
                )
                for due, amount in consent._upcoming(self, today)
            )
            or False
        )

    # ------------------------------------------------------------------------
    # posting: required PO number, billing contact, frozen fee terms
    # ------------------------------------------------------------------------

    def _post(self, soft=True):
        invoices = self.filtered(lambda m: m.move_type == "out_invoice" and not m.muzza_fee_origin_id)
        invoices._muzza_apply_billing_contact()
        invoices._muzza_check_required_references()
        invoices._muzza_check_clarity()
        invoices._muzza_check_retainer_budget()
        posted = super()._post(soft=soft)
        posted.filtered(lambda m: m in invoices)._muzza_freeze_fee_terms()
        return posted

    def _muzza_check_retainer_budget(self):
        """Posting work past a retainer's budget needs a manager's approval
        (on the order, or by posting it themselves)."""
        if self.env.user.has_group("muzza_receivables.group_receivables_manager"):
            return
        Retainer = self.env["muzza.retainer"]
        for move in self:
            orders = move.invoice_line_ids.sale_line_ids.order_id
            if orders.filtered("muzza_retainer_id") or orders.filtered("muzza_budget_approved_by"):
                continue
            retainer = Retainer._running_for(move.commercial_partner_id, move.company_id)
            if retainer:
                retainer._check_cap(move.amount_untaxed, self.env._("Posting %s", move._muzza_label()))

    def action_post(self):
        res = super().action_post()
        warnings = self.filtered(lambda m: m.state == "posted")._muzza_clarity_warnings()
        if warnings and not res:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "title": self.env._("Posted, but not everything a customer needs to pay is on it"),
                    "message": "\n".join(warnings),
                    "type": "warning",
                    "sticky": True,
                    "next": {"type": "ir.actions.client", "tag": "soft_reload"},
                },
            }
        return res

    def action_send_and_print(self):
        # the clarity check applies when sending as well as when posting
        self.filtered(
            lambda m: m.move_type == "out_invoice" and not m.muzza_fee_origin_id
        )._muzza_check_clarity()
        return super().action_send_and_print()

    def _muzza_clarity_gaps(self, paying_companies=None):
        """What this customer invoice lacks to be paid on time, in words.

        Odoo always resolves an exact due date at posting (the invoice date
        defaults to the posting day), so the due date needs no check here.

        :param set paying_companies: ids of the companies with an online
            payment provider (see :meth:`_muzza_paying_companies`)
        """
        self.ensure_one()
        if paying_companies is None:
            paying_companies = self._muzza_paying_companies()
        gaps = []
        if self.commercial_partner_id.muzza_requires_po and not (self.ref or "").strip():
            gaps.append(self.env._("the customer's purchase-order number (Customer Reference)"))
        if not self.partner_id.email:
            gaps.append(self.env._("a billing contact with an e-mail address"))
        if not self.partner_bank_id and self.company_id.id not in paying_companies:
            gaps.append(
                self.env._("a way to pay (a bank account on the invoice or an online payment provider)")
            )
        if not (self.muzza_fee_terms or self._muzza_policy()):
            gaps.append(self.env._("late-payment terms (a late-fee policy on the customer or the company)"))
        return gaps

    def _muzza_paying_companies(self):
        """Ids of this recordset's companies that have an online payment provider."""
        groups = (
            self.env["payment.provider"]
            .sudo()
            ._read_group(
                [("state", "in", ("enabled", "test")), ("company_id", "in", self.company_id.ids)],
                ["company_id"],
            )
        )
        return {company.id for (company,) in groups}

    def _muzza_online_providers(self):
        """The providers the invoice offers: its contract's, else the company's."""
        self.ensure_one()
        template = self._muzza_contract_template()
        if template:
            return template.payment_provider_ids
        return (
            self.env["payment.provider"]
            .sudo()
            .search([("state", "in", ("enabled", "test")), ("company_id", "=", self.company_id.id)])
        )

    def _muzza_contract_template(self):
        """The contract terms the invoice is issued under: its sales order's,
        else the customer's default."""
        self.ensure_one()
        return (
            self.invoice_line_ids.sale_line_ids.order_id.muzza_contract_template_id[:1]
            or self.commercial_partner_id.with_company(self.company_id).muzza_contract_template_id
        )

    def _muzza_pay_sentence(self, lang):
        """How to pay this invoice, in the words of its contract terms."""
        self.ensure_one()
        template = self._muzza_contract_template()
        reference = self.payment_reference or (self.name if self.name != "/" else None)
        banks = self.partner_bank_id or None
        if template:
            lines = template._ways_to_pay_lines(lang, banks=banks, reference=reference)
            if template.autopay_offered and not self.muzza_autopay_sentence:
                lines.append(template._autopay_offer_sentence(lang))
        else:
            lines = self.env["muzza.contract.template"]._muzza_ways_to_pay(
                lang,
                self.company_id,
                banks=banks,
                providers=self._muzza_online_providers(),
                reference=reference,
            )
        return "\n".join(lines) or False

    def _muzza_check_clarity(self):
        """Refuse to post or send in "block" mode, listing what is missing."""
        blocking_moves = self.filtered(lambda m: m.company_id.muzza_clarity_mode == "block")
        paying = blocking_moves._muzza_paying_companies()
        blocking = []
        for move in blocking_moves:
            gaps = move._muzza_clarity_gaps(paying)
            if gaps:
                blocking.append("%s: %s" % (move.partner_id.display_name, "; ".join(gaps)))
        if blocking:
            raise UserError(
                self.env._(
                    "These invoices cannot be posted until they say everything the customer needs "
                    "to pay on time. Missing:\n%s",
                    "\n".join("- " + line for line in blocking),
                )
            )

    def _muzza_clarity_warnings(self):
        """In "warn" mode, note the gaps on each posted invoice; return them."""
        moves = self.filtered(
            lambda m: (
                m.move_type == "out_invoice"
                and not m.muzza_fee_origin_id
                and m.company_id.muzza_clarity_mode == "warn"
            )
        )
        paying = moves._muzza_paying_companies()
        lines = []
        for move in moves:
            gaps = move._muzza_clarity_gaps(paying)
            if gaps:
                move.message_post(
                    body=self.env._("Posted without: %s", "; ".join(gaps)),
                    message_type="comment",
                    subtype_xmlid="mail.mt_note",
                )
                lines.append("%s — %s" % (move.name, "; ".join(gaps)))
        return lines

    def _muzza_apply_billing_contact(self):
        for move in self:
            contact = move.commercial_partner_id.muzza_billing_contact_id
            if contact and move.partner_id == move.commercial_partner_id and contact != move.partner_id:
                move.partner_id = contact

    def _muzza_check_required_references(self):
        missing = self.filtered(
            lambda m: m.commercial_partner_id.muzza_requires_po and not (m.ref or "").strip()
        )
        if missing:
            raise UserError(
                self.env._(
                    "These customers require their purchase-order number on every invoice; "
                    "enter it in the Customer Reference field before posting:\n%s",
                    "\n".join("- %s (%s)" % (m._muzza_label(), m.partner_id.display_name) for m in missing),
                )
            )

    def _muzza_label(self):
        return self.name if self.name and self.name != "/" else self.env._("draft invoice")

    def _muzza_policy(self):
        self.ensure_one()
        partner = self.commercial_partner_id.with_company(self.company_id)
        return partner.muzza_late_fee_policy_id or self.company_id.muzza_late_fee_policy_id

    def _muzza_freeze_fee_terms(self):
        for move in self:
            policy = move.muzza_fee_policy_id or move._muzza_policy()
            if not policy or move.muzza_fee_terms:
                continue
            terms = policy._fee_terms(currency=move.currency_id)
            due = move.invoice_date_due or move.invoice_date
            move.write(
                {
                    "muzza_fee_policy_id": policy.id,
                    "muzza_fee_terms": terms.as_dict(),
                    "muzza_fee_pay_by": pay_by_date(due, terms.grace_days),
                }
            )

    def button_draft(self):
        # Reset to draft: the terms are frozen again at the next posting,
        # unless fees were already charged on them.
        res = super().button_draft()
        self.filtered(lambda m: not m.muzza_fee_charged_amount).write(
            {"muzza_fee_terms": False, "muzza_fee_pay_by": False, "muzza_fee_policy_id": False}
        )
        return res

    def _get_mail_template(self):
        # customer invoices (and late-fee invoices) go out with the template
        # that states their exact due dates and late-payment terms
        if self and all(move.move_type == "out_invoice" for move in self):
            return self.env.ref("muzza_receivables.email_template_invoice")
        return super()._get_mail_template()

    # ------------------------------------------------------------------------
    # fee arithmetic on this invoice (delegated to logic.late_fees)
    # ------------------------------------------------------------------------

    def _muzza_terms(self):
        self.ensure_one()
        return FeeTerms.from_dict(self.muzza_fee_terms) if self.muzza_fee_terms else None

    def _muzza_payments(self):
        """(date, amount in the invoice currency) of everything that paid this
        invoice: payments, credit notes, any reconciled counterpart."""
        self.ensure_one()
        payments = []
        for line in self.line_ids.filtered(lambda line: line.account_type == "asset_receivable"):
            for partial in line.matched_credit_ids:
                payments.append((partial.credit_move_id.date, to_decimal(partial.debit_amount_currency)))
        return payments

    def _muzza_rounding(self):
        return to_decimal(self.currency_id.rounding)

    def _muzza_fee_to_charge(self, day):
        self.ensure_one()
        terms = self._muzza_terms()
        if not terms or self.muzza_fee_waived:
            return Decimal(0)
        return fee_to_charge(
            terms,
            to_decimal(self.amount_total),
            self.invoice_date_due or self.invoice_date,
            self._muzza_payments(),
            day,
            self._muzza_rounding(),
            to_decimal(self.muzza_fee_charged_amount),
        )

    # ------------------------------------------------------------------------
    # the sentences printed on the invoice
    # ------------------------------------------------------------------------

    def _muzza_lang(self):
        return self.partner_id.lang or self.env.lang or "en_US"

    def _muzza_format_date(self, value, lang):
        return self.env["muzza.late.fee.policy"]._muzza_format_date(value, lang)

    def _muzza_format_amount(self, amount, lang):
        return self.env["muzza.late.fee.policy"]._muzza_format_amount(amount, self.currency_id, lang)

    def _muzza_due_sentence(self, lang):
        """ "Due on 15 December 2026", or one line per instalment."""
        self.ensure_one()
        env = self.with_context(lang=lang).env
        terms = self.line_ids.filtered(lambda line: line.display_type == "payment_term").sorted(
            lambda line: (line.date_maturity or fields.Date.today(), line.id)
        )
        if len(terms) > 1:
            count = len(terms)
            return "\n".join(
                env._(
                    "Instalment %(number)s of %(count)s: %(amount)s due on %(date)s",
                    number=index,
                    count=count,
                    amount=self._muzza_format_amount(abs(line.amount_currency), lang),
                    date=self._muzza_format_date(line.date_maturity, lang),
                )
                for index, line in enumerate(terms, start=1)
            )
        due = self.invoice_date_due
        if not due:
            return False
        return env._("Due on %(date)s", date=self._muzza_format_date(due, lang))

    def _muzza_fee_sentence(self, lang):
        """The late-payment terms as one plain paragraph, from the frozen
        terms (or, before posting, the policy that will apply)."""
        self.ensure_one()
        terms = self._muzza_terms()
        if not terms:
            policy = self._muzza_policy()
            if not policy:
                return False
            terms = policy._fee_terms(currency=self.currency_id)
        due = self.invoice_date_due or self.invoice_date
        if not due:
            return False
        return self.env["muzza.late.fee.policy"]._muzza_sentence(
            terms, due, to_decimal(self.amount_total), self.currency_id, lang
        )

    # ------------------------------------------------------------------------
    # charging: the scheduled action
    # ------------------------------------------------------------------------

    def _muzza_fee_candidates_domain(self, today):
        return [
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("muzza_fee_pay_by", "<", today),
            ("muzza_fee_done", "=", False),
            ("muzza_fee_waived", "=", False),
            "|",
            ("muzza_fee_checked_on", "=", False),
            ("muzza_fee_checked_on", "<", today),
        ]

    @api.model
    def _cron_charge_late_fees(self, batch_size=100):
        """Charge what every late invoice owes up to today, one batch a run.

        Each invoice is locked (SKIP LOCKED: a second worker takes others),
        charged, and committed on its own: a crash loses at most the invoice
        in hand, whose fee invoice and "charged through" mark roll back
        together. The fee is cumulative, so a repeated run charges nothing and
        a run after a gap charges the whole gap.
        """
        today = fields.Date.context_today(self)
        domain = self._muzza_fee_candidates_domain(today)
        candidates = self.search(domain, order="id", limit=batch_size)
        done = 0
        for move in self.env["muzza.cron.lock"]._one_by_one(candidates):
            try:
                with self.env.cr.savepoint():
                    move._muzza_charge_late_fee(today)
            except Exception:
                # Left for a later run (fees are cumulative, nothing is lost).
                # Failures do not count as progress, so a batch of failures
                # ends the cron's re-triggering instead of looping on them.
                _logger.exception("Late fee for %s could not be charged", move.name)
                move.message_post(body=self.env._("The late fee could not be charged; see the server log."))
                continue
            done += 1
            # one invoice at a time, see the docstring
            self.env.cr.commit()  # pylint: disable=invalid-commit
        remaining = self.search_count(domain) if len(candidates) == batch_size else 0
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return done

    def _muzza_charge_late_fee(self, today):
        """Charge this invoice's fee through ``today``; return the fee invoice."""
        self.ensure_one()
        if self.state != "posted" or self.muzza_fee_waived or self.muzza_fee_done:
            return self.browse()
        amount = self._muzza_fee_to_charge(today)
        fee_move = self.browse()
        if amount > 0:
            fee_move = self._muzza_create_fee_invoice(amount, today)
        finished = self.payment_state in ("paid", "in_payment", "reversed") or (
            self._muzza_terms().kind != "interest" and self.muzza_fee_charged_amount + float(amount) > 0
        )
        self.write(
            {
                "muzza_fee_charged_amount": self.muzza_fee_charged_amount + float(amount),
                "muzza_fee_charged_through": today,
                "muzza_fee_checked_on": today,
                "muzza_fee_done": finished,
            }
        )
        if fee_move:
            fee_move.with_context(mail_notify_force_send=False)._muzza_send_by_email()
        return fee_move

    def _muzza_create_fee_invoice(self, amount, today):
        self.ensure_one()
        policy = self.muzza_fee_policy_id
        lang = self._muzza_lang()
        env = self.with_context(lang=lang).env
        label = env._(
            "Late-payment fee for invoice %(invoice)s (due %(due)s), charged through %(date)s",
            invoice=self.name,
            due=self._muzza_format_date(self.invoice_date_due, lang),
            date=self._muzza_format_date(today, lang),
        )
        line = {
            "product_id": policy.product_id.id,
            "name": label,
            "quantity": 1,
            "price_unit": float(amount),
            "tax_ids": [Command.clear()],
        }
        if policy.account_id:
            line["account_id"] = policy.account_id.id
        fee_move = self.create(
            {
                "move_type": "out_invoice",
                "company_id": self.company_id.id,
                "partner_id": self.partner_id.id,
                "currency_id": self.currency_id.id,
                "invoice_date": today,
                "invoice_payment_term_id": self.env.ref("account.account_payment_term_immediate").id,
                "invoice_user_id": self.invoice_user_id.id,
                "ref": self.ref,
                "invoice_origin": self.name,
                "muzza_fee_origin_id": self.id,
                "invoice_line_ids": [Command.create(line)],
            }
        )
        fee_move.action_post()
        self.message_post(
            body=self.env._(
                "Late fee of %(amount)s charged through %(date)s: %(fee)s",
                amount=format_amount(self.env, float(amount), self.currency_id),
                date=format_date(self.env, today),
                fee=fee_move._get_html_link(),
            )
        )
        return fee_move

    def _muzza_send_by_email(self):
        """E-mail these posted invoices with their PDF (the invoice e-mail
        template), through the mail queue; note it on those whose customer
        has no e-mail address. Used by every invoice the module issues on
        its own: late fees, cadence, deposits and retainer periods."""
        for move in self:
            if not move.partner_id.email:
                move.message_post(body=self.env._("Not sent: the customer has no e-mail address."))
                continue
            self.env["account.move.send"]._generate_and_send_invoices(
                move, sending_methods={"email"}, allow_raising=False, allow_fallback_pdf=True
            )
