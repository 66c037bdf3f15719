# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    muzza_late_fee_policy_id = fields.Many2one(
        "muzza.late.fee.policy",
        string="Default Late-Fee Policy",
        domain="[('company_id', '=', id)]",
        help="Applies to customer invoices whose customer has no policy of its own.",
    )
    muzza_fee_invoice_cycle = fields.Selection(
        [("monthly", "Once a month, and when the invoice is paid"), ("paid", "When the invoice is paid")],
        string="Invoice Accrued Interest",
        default="monthly",
        required=True,
        help="Interest on a late invoice accrues day by day; it is invoiced on this cycle, and always "
        "once more when the late invoice is paid. Fixed and percentage fees are invoiced once, as soon "
        "as the invoice is late.",
    )
    muzza_fee_invoice_day = fields.Integer(
        string="Interest Invoiced On Day",
        default=1,
        help="Day of the month accrued interest is invoiced (the month's last day in shorter months).",
    )
    muzza_fee_invoice_minimum = fields.Monetary(
        string="Smallest Interest Invoice",
        currency_field="currency_id",
        help="Accrued interest below this waits for the next cycle, unless the late invoice is paid.",
    )
    muzza_cadence_post = fields.Boolean(
        string="Post and Send Cadence Invoices",
        default=True,
        help="Invoices created on a contract's cadence are posted and e-mailed at once; "
        "otherwise they wait as drafts for review.",
    )
    muzza_pileup_days = fields.Integer(
        string="Uninvoiced Work Alert (days)",
        default=30,
        help="Salespeople get an activity when an order's delivered work waits longer than this "
        "without any invoice.",
    )
    muzza_clarity_mode = fields.Selection(
        [("warn", "Warn"), ("block", "Block")],
        string="Invoice Clarity Check",
        default="warn",
        required=True,
        help="What happens when a customer invoice is posted or sent without everything a "
        "customer needs to pay it on time: warn (post, and say what is missing) or block.",
    )
    muzza_invoice_mail_template_id = fields.Many2one(
        "mail.template",
        string="Invoice E-mail",
        domain="[('model', '=', 'account.move')]",
        default=lambda self: self.env.ref(
            "muzza_receivables.email_template_invoice", raise_if_not_found=False
        ),
        help="The e-mail customer invoices are sent with. By default the module's, which states the "
        "exact due dates, how to pay and the late-payment terms; choose Odoo's “Invoice: Sending” "
        "to send Odoo's e-mail, with your edits of it. Empty: Odoo's.",
    )

    # --- the company's deposit rule (contract templates may set their own) --
    muzza_deposit_who = fields.Selection(
        [
            ("none", "Nobody"),
            ("new_clients", "New clients (no fully paid invoice yet)"),
            ("all", "Every client"),
        ],
        string="Deposit Asked Of",
        default="none",
        required=True,
    )
    muzza_deposit_kind = fields.Selection(
        [("percentage", "Percentage of the order"), ("fixed", "Fixed amount")],
        string="Deposit Amount",
        default="percentage",
        required=True,
    )
    muzza_deposit_value = fields.Float(string="Deposit (% or Amount)", default=30.0)
    muzza_deposit_minimum = fields.Monetary(string="Minimum Deposit", currency_field="currency_id")
    muzza_deposit_blocks_work = fields.Boolean(
        string="Work Waits for the Deposit",
        default=True,
        help="Until the deposit is paid, the order's other invoices cannot be created.",
    )

    @api.constrains("muzza_deposit_kind", "muzza_deposit_value", "muzza_deposit_minimum", "muzza_deposit_who")
    def _check_muzza_deposit(self):
        Template = self.env["muzza.contract.template"]
        for company in self.filtered(lambda c: c.muzza_deposit_who != "none"):
            Template._muzza_check_deposit_rule(
                company.muzza_deposit_kind, company.muzza_deposit_value, company.muzza_deposit_minimum
            )

    def _muzza_deposit_rule(self):
        self.ensure_one()
        return {
            "who": self.muzza_deposit_who,
            "kind": self.muzza_deposit_kind,
            "value": self.muzza_deposit_value,
            "minimum": self.muzza_deposit_minimum,
            "currency": self.currency_id,
            "blocks_work": self.muzza_deposit_blocks_work,
        }

    muzza_retainer_lead_days = fields.Integer(
        string="Retainer Invoices Ahead (days)",
        default=7,
        help="Each retainer period is invoiced this many days before it starts.",
    )
    muzza_retainer_warn_percent = fields.Float(
        string="Retainer Budget Warning (%)",
        default=80.0,
        help="The salesperson and the customer are warned once this share of a retainer's budget "
        "is committed.",
    )

    @api.constrains("muzza_retainer_lead_days", "muzza_retainer_warn_percent")
    def _check_muzza_retainer_settings(self):
        for company in self:
            if company.muzza_retainer_lead_days < 0 or not 0 < company.muzza_retainer_warn_percent <= 100:
                raise ValidationError(
                    self.env._(
                        "Retainer invoices cannot be issued after their period starts, and the budget "
                        "warning is a share between 0 and 100 %."
                    )
                )

    @api.constrains("muzza_fee_invoice_day", "muzza_fee_invoice_minimum")
    def _check_muzza_fee_cycle(self):
        for company in self:
            if not 1 <= company.muzza_fee_invoice_day <= 31 or company.muzza_fee_invoice_minimum < 0:
                raise ValidationError(
                    self.env._(
                        "Accrued interest is invoiced on a day of the month between 1 and 31, and the "
                        "smallest interest invoice cannot be negative."
                    )
                )

    @api.model
    def _muzza_default_invoice_mail_template(self):
        """At install: the companies that exist already send customer
        invoices with the module's e-mail too (new ones get it by default)."""
        template = self.env.ref("muzza_receivables.email_template_invoice", raise_if_not_found=False)
        if template:
            self.sudo().search([("muzza_invoice_mail_template_id", "=", False)]).write(
                {"muzza_invoice_mail_template_id": template.id}
            )

    def write(self, vals):
        res = super().write(vals)
        if {"muzza_fee_invoice_cycle", "muzza_fee_invoice_day"} & set(vals):
            # the late invoices waiting for their next fee follow the new cycle
            self.env["account.move"].sudo()._muzza_reschedule_fees(self)
        return res

    @api.constrains("muzza_pileup_days")
    def _check_muzza_pileup_days(self):
        if any(company.muzza_pileup_days < 1 for company in self):
            raise ValidationError(self.env._("The uninvoiced-work alert needs at least 1 day."))

    def _muzza_paying(self):
        """Those of these companies that take payments online (an enabled or
        test payment provider): their invoices and quotations can be paid
        from the portal."""
        groups = (
            self.env["payment.provider"]
            .sudo()
            ._read_group(
                [("state", "in", ("enabled", "test")), ("company_id", "in", self.ids)], ["company_id"]
            )
        )
        return self.browse([company.id for (company,) in groups])
