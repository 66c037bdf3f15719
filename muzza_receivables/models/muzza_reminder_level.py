# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..logic.reminders import Level


class MuzzaReminderLevel(models.Model):
    """A step of the reminders: how many days from the due date it comes,
    what it says (its e-mail template) and what else it does."""

    _name = "muzza.reminder.level"
    _description = "Receivables: reminder level"
    _order = "company_id, days, id"

    name = fields.Char(required=True, translate=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    days = fields.Integer(
        required=True,
        help="Days from the due date: negative before it (-3: three days before), 0 on the day, "
        "positive after it.",
    )
    active = fields.Boolean(default=True)
    send_email = fields.Boolean(string="E-mail", default=True)
    mail_template_id = fields.Many2one(
        "mail.template",
        string="E-mail Template",
        domain=[("model", "=", "muzza.reminder")],
        help="What the customer reads. Its body lists the invoices, their exact due dates and "
        "amounts, the late fees so far, and the links to pay, promise a date or dispute.",
    )
    activity = fields.Selection(
        [("call", "Phone call"), ("sms", "SMS or WhatsApp")],
        help="Also give the salesperson an activity to call the customer or write to them, with "
        "the number to call and a WhatsApp link with the reminder's text.",
    )
    letter = fields.Boolean(
        string="Printed Letter", help="Also prepare the reminder as a letter to print and post."
    )
    charge_fees = fields.Boolean(
        string="Charge Late Fees",
        help="Invoice the late fees accrued so far on the reminded invoices when this level is sent, "
        "instead of waiting for the company's fee cycle.",
    )
    raise_risk = fields.Boolean(
        string="Raises the Customer's Risk",
        help="A customer who reached this level in the last 12 months scores higher on the risk checklist.",
    )

    _sql_constraints = [  # noqa: RUF012
        ("days_company_uniq", "unique(company_id, days)", "A company has one reminder level per day."),
    ]

    @api.constrains("send_email", "mail_template_id", "activity", "letter")
    def _check_channels(self):
        for level in self:
            if level.send_email and not level.mail_template_id:
                raise ValidationError(self.env._("A level sent by e-mail needs its e-mail template."))
            if not (level.send_email or level.activity or level.letter):
                raise ValidationError(
                    self.env._("A reminder level needs a channel: e-mail, an activity or a printed letter.")
                )

    @api.depends("name", "days")
    def _compute_display_name(self):
        for level in self:
            level.display_name = level.name or ""

    def _as_levels(self):
        return [Level(level.id, level.days) for level in self]

    @api.model
    def _muzza_copy_to(self, companies):
        """Give ``companies`` the main company's levels (with their
        translations), unless they have their own already."""
        template = self.env.ref("base.main_company", raise_if_not_found=False)
        if not template:
            return
        Level_ = self.sudo().with_context(active_test=False)
        levels = Level_.search([("company_id", "=", template.id)])
        for company in companies - template:
            if not Level_.search_count([("company_id", "=", company.id)]):
                for level in levels:
                    level.copy({"company_id": company.id})
