# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from datetime import timedelta
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL
from odoo.tools.misc import format_amount

from ..logic.autopay import charge_key, upcoming_charges


class MuzzaAutopayConsent(models.Model):
    """A customer's agreement to be charged on each due date.

    Consents are kept once withdrawn: who agreed, when, to which payment
    method and up to which amount stays on record next to the charges made
    under it.
    """

    _name = "muzza.autopay.consent"
    _description = "Automatic Payment Consent"
    _inherit = "mail.thread"
    _order = "signed_on desc, id desc"
    _check_company_auto = True
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="restrict",
        domain="[('is_company', '=', True)]",
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    token_id = fields.Many2one(
        "payment.token",
        string="Payment Method",
        required=True,
        ondelete="restrict",
        domain="[('partner_id', 'child_of', partner_id), ('company_id', '=', company_id)]",
        tracking=True,
        help="The saved payment method charged on each due date.",
    )
    provider_id = fields.Many2one(related="token_id.provider_id", string="Provider")
    currency_id = fields.Many2one(
        "res.currency", required=True, default=lambda self: self.env.company.currency_id
    )
    max_amount = fields.Monetary(
        string="Up To (per Charge)",
        required=True,
        tracking=True,
        help="A charge above this amount is not made: the invoice is left for the reminders "
        "and the salesperson gets an activity.",
    )
    signed_by_id = fields.Many2one(
        "res.partner",
        string="Agreed By",
        required=True,
        ondelete="restrict",
        domain="[('id', 'child_of', partner_id)]",
        help="The person who gave the consent on the customer's behalf.",
    )
    signed_on = fields.Datetime(string="Agreed On", required=True, default=fields.Datetime.now)
    channel = fields.Selection(
        [("portal", "On the customer portal"), ("backend", "Recorded by staff")],
        string="Given",
        required=True,
        default="backend",
    )
    signed_ip = fields.Char(string="From IP Address", readonly=True)
    active = fields.Boolean(default=True, help="Cleared when the consent is withdrawn.")
    withdrawn_on = fields.Datetime(readonly=True, tracking=True)
    withdrawn_by_id = fields.Many2one("res.partner", readonly=True)
    attempt_ids = fields.One2many("muzza.autopay.attempt", "consent_id", string="Charges", readonly=True)

    def init(self):
        # one consent in force per customer and company, even with two
        # requests at once
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS muzza_autopay_consent_one_active "
                "ON muzza_autopay_consent (partner_id, company_id) WHERE active"
            )
        )

    @api.depends("partner_id", "token_id", "max_amount", "currency_id")
    def _compute_display_name(self):
        for consent in self:
            if not consent.token_id:
                consent.display_name = consent.partner_id.display_name
                continue
            consent.display_name = self.env._(
                "%(customer)s: %(method)s, up to %(limit)s per charge",
                customer=consent.partner_id.display_name,
                method=consent._method_label(),
                limit=format_amount(self.env, consent.max_amount, consent.currency_id),
            )

    @api.constrains("partner_id", "token_id", "signed_by_id", "max_amount", "active", "company_id")
    def _check_consent(self):
        for consent in self:
            problems = []
            if consent.max_amount <= 0:
                problems.append(self.env._("the maximum amount per charge must be positive"))
            if consent.partner_id != consent.partner_id.commercial_partner_id:
                problems.append(self.env._("consent is given by the customer company, not by one contact"))
            if consent.token_id.partner_id.commercial_partner_id != consent.partner_id:
                problems.append(self.env._("the payment method belongs to another customer"))
            if consent.token_id.company_id != consent.company_id:
                problems.append(self.env._("the payment method is saved for another company"))
            if consent.active and not consent.token_id.active:
                problems.append(self.env._("the payment method has been removed"))
            if consent.signed_by_id.commercial_partner_id != consent.partner_id:
                problems.append(self.env._("the person who agreed is not one of the customer's contacts"))
            if problems:
                raise ValidationError(
                    self.env._(
                        "This automatic-payment consent cannot be saved:\n%s",
                        "\n".join("- " + p for p in problems),
                    )
                )

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        if self.partner_id and self.signed_by_id.commercial_partner_id != self.partner_id:
            self.signed_by_id = self.partner_id._muzza_invoice_address()
        if self.token_id.partner_id.commercial_partner_id != self.partner_id:
            self.token_id = False

    @api.model_create_multi
    def create(self, vals_list):
        # a clear message rather than the unique index's error
        for vals in vals_list:
            if vals.get("active", True) and vals.get("partner_id"):
                self._check_none_in_force(vals["partner_id"], vals.get("company_id") or self.env.company.id)
        return super().create(vals_list)

    def _check_none_in_force(self, partner_id, company_id):
        existing = self.sudo().search(
            [("partner_id", "=", partner_id), ("company_id", "=", company_id)], limit=1
        )
        if existing:
            raise ValidationError(
                self.env._(
                    "%(customer)s already has an automatic-payment consent in force; "
                    "withdraw it before recording a new one.",
                    customer=existing.partner_id.display_name,
                )
            )

    def write(self, vals):
        # the terms of a consent are what the customer agreed to: to change
        # them, withdraw it and record a new one
        frozen = {"partner_id", "token_id", "max_amount", "currency_id", "signed_by_id", "signed_on"}
        if vals.get("active"):
            for consent in self.filtered(lambda c: not c.active):
                consent._check_none_in_force(consent.partner_id.id, consent.company_id.id)
        if frozen & set(vals) and self.filtered("attempt_ids"):
            raise UserError(
                self.env._(
                    "Charges have been made under this consent, so its terms can no longer change. "
                    "Withdraw it and record the new terms as a new consent."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        if self.filtered("attempt_ids"):
            raise UserError(
                self.env._("A consent under which charges were made is kept on record; withdraw it instead.")
            )

    def action_withdraw(self, by_partner=None):
        """Withdraw the consent: nothing more is charged under it."""
        for consent in self.filtered("active"):
            consent.write(
                {
                    "active": False,
                    "withdrawn_on": fields.Datetime.now(),
                    "withdrawn_by_id": (by_partner or self.env.user.partner_id).id,
                }
            )
            consent.message_post(
                body=self.env._(
                    "Automatic payment withdrawn by %(name)s.",
                    name=(by_partner or self.env.user.partner_id).display_name,
                )
            )
        return True

    # ------------------------------------------------------------------------
    # the customer portal's sentences (whole sentences, to translate whole)
    # ------------------------------------------------------------------------

    @api.model
    def _portal_texts(self, company, currency):
        """The sentences of /my/autopay, in the signed-in user's language."""
        return {
            "offer": self.env._(
                "Under your contract terms, %(company)s can charge your saved payment method automatically "
                "on the due date of each invoice. You choose the method and the largest amount of a single "
                "charge, and you can withdraw at any time on this page.",
                company=company.name,
            ),
            "authorise": self.env._(
                "I authorise %(company)s to charge this payment method, on the due date of each of our "
                "invoices, the amount then due, up to the amount above per charge, until I withdraw this "
                "consent.",
                company=company.name,
            ),
            "amount_label": self.env._("Largest single charge (%(currency)s)", currency=currency.name),
        }

    def _portal_summary(self):
        """What the customer agreed to, as they read it on the portal."""
        self.ensure_one()
        lang = self.env.lang or "en_US"
        Wording = self.env["muzza.wording"]
        return [
            self.env._(
                "You have authorised %(company)s to charge %(method)s on the due date of each invoice, "
                "up to %(limit)s per charge.",
                company=self.company_id.name,
                method=self._method_label(),
                limit=Wording._format_amount(self.max_amount, self.currency_id, lang),
            ),
            self.env._(
                "Agreed by %(name)s on %(date)s. Invoices above that amount are not charged; "
                "you pay them as usual.",
                name=self.signed_by_id.name,
                date=Wording._format_date(self._consent_day(), lang),
            ),
        ]

    # ------------------------------------------------------------------------
    # what the consent covers on one invoice
    # ------------------------------------------------------------------------

    def _consent_day(self):
        self.ensure_one()
        return fields.Datetime.context_timestamp(self, self.signed_on).date()

    def _limit_in(self, currency, day):
        """The maximum per charge, in ``currency`` (Decimal)."""
        self.ensure_one()
        limit = self.currency_id._convert(self.max_amount, currency, self.company_id, day)
        return Decimal(str(currency.round(limit)))

    @api.model
    def _instalments(self, move):
        """``[(due_date, residual)]`` of the unpaid parts of ``move``."""
        return [
            (line.date_maturity, Decimal(str(move.currency_id.round(line.amount_residual_currency))))
            for line in move.line_ids
            if line.display_type == "payment_term" and not line.reconciled and line.date_maturity
        ]

    def _charge_key(self, move, day):
        """``(last_due_date, amount)`` to charge on ``day``, or None."""
        self.ensure_one()
        return charge_key(self._instalments(move), day, self._consent_day())

    def _method_label(self):
        self.ensure_one()
        return self._token_label(self.sudo().token_id)

    @api.model
    def _token_label(self, token):
        """ "Card •••• 4242": a saved payment method as the customer knows it."""
        return "%s %s" % (token.payment_method_id.name, token.display_name)

    def _upcoming(self, move, day):
        self.ensure_one()
        return upcoming_charges(self._instalments(move), day, self._consent_day())

    @api.model
    def _active_for(self, partners, company):
        """The consents in force for ``partners`` in ``company``, by partner."""
        consents = self.sudo().search(
            [
                ("partner_id", "in", partners.commercial_partner_id.ids),
                ("company_id", "=", company.id),
                ("token_id.active", "=", True),
            ]
        )
        return {consent.partner_id: consent for consent in consents}

    # ------------------------------------------------------------------------
    # the scheduled action
    # ------------------------------------------------------------------------

    def _invoice_domain(self, today):
        """Posted, unpaid customer invoices with a covered part due by ``today``."""
        consents = self.search([("token_id.active", "=", True)])
        if not consents:
            return [("id", "=", 0)]
        customers = expression.OR(
            [
                [("company_id", "=", company.id), ("commercial_partner_id", "in", in_company.partner_id.ids)]
                for company, in_company in consents.grouped("company_id").items()
            ]
        )
        return expression.AND(
            [
                customers,
                [
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("payment_state", "in", ("not_paid", "partial")),
                    (
                        "line_ids",
                        "any",
                        [
                            ("display_type", "=", "payment_term"),
                            ("reconciled", "=", False),
                            ("date_maturity", "<=", today),
                            # the exact per-consent day is checked in Python; one day
                            # of margin for time zones
                            (
                                "date_maturity",
                                ">=",
                                min(consents.mapped("signed_on")).date() - timedelta(days=1),
                            ),
                        ],
                    ),
                ],
            ]
        )

    @api.model
    def _cron_autopay(self, batch_size=None):
        """Charge, on their due date, the invoices of customers who agreed.

        Each invoice's attempt is recorded and committed *before* the
        provider is asked (see ``muzza.cron.batch``), under a unique
        (invoice, instalment, amount) key: a second run, a second worker or
        a run after a crash finds the attempt and never charges again.
        """
        Attempt = self.env["muzza.autopay.attempt"]

        def prepare(move, today):
            move.line_ids.invalidate_recordset()
            return Attempt._prepare(move, today)

        def send(move, attempt):
            if attempt:
                attempt._send()

        return self.env["muzza.cron.batch"]._run(
            "account.move",
            self._invoice_domain(fields.Date.context_today(self)),
            prepare,
            "muzza_autopay_checked_on",
            self.env._("Charging the automatic payment"),
            then=send,
            batch_size=batch_size,
        )
