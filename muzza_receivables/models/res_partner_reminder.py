# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models
from odoo.tools import email_normalize

from ..logic.phones import normalize


class ResPartner(models.Model):
    """Payment reminders on the customer: excluded or not (in the current
    company), their numbers ready to call, the reminders they got, and what
    a bounced reminder does."""

    _inherit = "res.partner"

    muzza_reminder_customer_id = fields.Many2one(
        "muzza.reminder.customer", compute="_compute_muzza_reminder", string="Reminder File"
    )
    muzza_reminder_excluded = fields.Boolean(
        string="Excluded from Reminders", compute="_compute_muzza_reminder"
    )
    muzza_reminder_excluded_reason = fields.Text(string="Why Excluded", compute="_compute_muzza_reminder")
    muzza_reminder_count = fields.Integer(compute="_compute_muzza_reminder", string="Payment Reminders")
    muzza_phone_e164 = fields.Char(
        string="Phone (E.164)",
        compute="_compute_muzza_phones",
        help="The phone number in international format.",
    )
    muzza_mobile_e164 = fields.Char(string="Mobile (E.164)", compute="_compute_muzza_phones")
    muzza_phone_invalid = fields.Boolean(
        string="Invalid Phone Number",
        compute="_compute_muzza_phones",
        help="The phone or mobile number is not a valid number for the contact's country.",
    )

    @api.depends_context("company")
    def _compute_muzza_reminder(self):
        company = self.env.company
        customers = self.commercial_partner_id
        files = (
            self.env["muzza.reminder.customer"]
            .sudo()
            .search([("partner_id", "in", customers.ids), ("company_id", "=", company.id)])
        )
        by_partner = {file.partner_id: file for file in files}
        counts = dict(
            self.env["muzza.reminder"]
            .sudo()
            ._read_group(
                [("customer_id", "in", files.ids), ("state", "in", ("sent", "bounced"))],
                ["customer_id"],
                ["__count"],
            )
        )
        for partner in self:
            file = by_partner.get(partner.commercial_partner_id)
            partner.muzza_reminder_customer_id = file
            partner.muzza_reminder_excluded = bool(file and file.excluded)
            partner.muzza_reminder_excluded_reason = file.excluded_reason if file else False
            partner.muzza_reminder_count = counts.get(file, 0) if file else 0

    @api.depends("phone", "mobile", "country_id", "parent_id.country_id")
    def _compute_muzza_phones(self):
        for partner in self:
            country = (partner.country_id or partner.parent_id.country_id).code
            phone = normalize(partner.phone, country)
            mobile = normalize(partner.mobile, country)
            partner.muzza_phone_e164 = phone.e164
            partner.muzza_mobile_e164 = mobile.e164
            partner.muzza_phone_invalid = not (phone.valid and mobile.valid)

    def _message_receive_bounce(self, email, partner):
        """A reminder bounced: it is marked so, the customer's reminders by
        e-mail wait for another address, and the salesperson is asked to fix
        it."""
        res = super()._message_receive_bounce(email, partner)
        email = email_normalize(email or "")
        if email:
            reminders = (
                self.env["muzza.reminder"]
                .sudo()
                .search(
                    [
                        ("state", "=", "sent"),
                        ("email_to", "=ilike", email),
                        ("partner_id", "in", self.commercial_partner_id.ids),
                    ]
                )
            )
            for reminder in reminders:
                reminder.write({"state": "bounced", "hold_reason": "bounced"})
                reminder.customer_id.write({"bounced_email": email})
            reminders._muzza_hold_activities()
        return res

    def action_muzza_reminders(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Payment Reminders"),
            "res_model": "muzza.reminder",
            "view_mode": "list,form",
            "domain": [("partner_id", "=", self.commercial_partner_id.id)],
        }

    def action_muzza_send_reminder(self):
        """Send now: show the exact message first."""
        self.ensure_one()
        return self.env["muzza.reminder.send"]._muzza_open(self.commercial_partner_id, self.env.company)

    def action_muzza_reminder_exclude(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Exclude from Reminders"),
            "res_model": "muzza.reminder.exclude",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": self.commercial_partner_id.id},
        }

    def action_muzza_reminder_include(self):
        self.ensure_one()
        file = self.env["muzza.reminder.customer"]._muzza_file(self, self.env.company)
        file._muzza_set_excluded(False)
        return True

    def action_muzza_promise(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Promise to Pay"),
            "res_model": "muzza.reminder.promise",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_partner_id": self.commercial_partner_id.id,
                "default_company_id": self.env.company.id,
            },
        }

    def _muzza_statement(self, as_of=None):
        """The customer's statement of open items in the current company, in
        the invoice contact's language: every open invoice, credit note and
        unapplied payment, with the totals and what is overdue."""
        self.ensure_one()
        customer = self.commercial_partner_id
        company = self.env.company
        Wording = self.env["muzza.wording"]
        lang = Wording._lang_of(customer._muzza_invoice_address())
        as_of = as_of or fields.Date.context_today(self)
        items = self.env["muzza.aging"].sudo()._open_items(as_of, company, partner_ids=[customer.id])
        moves = self.env["account.move"].sudo().browse({item["move_id"] for item in items})
        names = {move.id: move.name for move in moves}
        currencies = self.env["res.currency"].browse({item["currency_id"] for item in items})
        totals, overdue = {}, {}
        rows = []
        on_account = False
        for item in items:
            currency = currencies.browse(item["currency_id"])
            amount = item["open_amount_currency"]
            on_account = on_account or amount < 0
            totals[currency] = totals.get(currency, 0.0) + amount
            if item["days_late"] > 0 and amount > 0:
                overdue[currency] = overdue.get(currency, 0.0) + amount
            rows.append(
                {
                    "name": names.get(item["move_id"]) or "",
                    "date": Wording._format_date(item["date"], lang) if item["date"] else "",
                    "due": Wording._format_date(item["maturity"], lang) if item["maturity"] else "",
                    "days_late": max(item["days_late"], 0) if amount > 0 else "",
                    "original": Wording._format_amount(item["original_amount_currency"], currency, lang),
                    "open": Wording._format_amount(amount, currency, lang),
                }
            )
        return {
            "date": Wording._format_date(as_of, lang),
            "items": rows,
            "on_account": on_account,
            "totals": [
                {"open": Wording._format_amount(currency.round(v), currency, lang)}
                for currency, v in totals.items()
            ],
            "overdue": [
                {"open": Wording._format_amount(currency.round(v), currency, lang)}
                for currency, v in overdue.items()
            ],
        }
