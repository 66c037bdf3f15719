# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import datetime

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..logic.reminders import window_problem


class ResCompany(models.Model):
    """Payment reminders: when they may go out, how long a promise to pay
    may pause them, what they attach, and the company's levels."""

    _inherit = "res.company"

    muzza_reminder_level_ids = fields.One2many("muzza.reminder.level", "company_id", string="Reminder Levels")
    muzza_reminder_hour_from = fields.Float(
        string="Send Reminders From",
        default=8.0,
        help="Reminders go out on the company's working days (its working schedule), between these "
        "hours in the customer's time zone.",
    )
    muzza_reminder_hour_to = fields.Float(string="Send Reminders Until", default=18.0)
    muzza_reminder_promise_days = fields.Integer(
        string="Promise to Pay Within (Days)",
        default=30,
        help="A customer may promise to pay at most this many days ahead.",
    )
    muzza_reminder_promise_grace = fields.Integer(
        string="Grace After a Promised Date (Days)",
        default=3,
        help="Reminders stay paused this many days after the promised date, for the payment to arrive.",
    )
    muzza_reminder_attach_invoices = fields.Boolean(
        string="Attach Invoice PDFs to Reminders",
        help="Besides the statement of open items, attach each reminded invoice's PDF.",
    )
    muzza_reminder_accountant_id = fields.Many2one(
        "res.users",
        string="Accountant for Reminders",
        help="Gets the activity to match a customer's payment before reminding them. By default, the "
        "customer's salesperson.",
    )

    @api.constrains(
        "muzza_reminder_hour_from",
        "muzza_reminder_hour_to",
        "muzza_reminder_promise_days",
        "muzza_reminder_promise_grace",
    )
    def _check_muzza_reminder_settings(self):
        for company in self:
            if window_problem(company.muzza_reminder_hour_from, company.muzza_reminder_hour_to):
                raise ValidationError(
                    self.env._(
                        "The reminders' sending window starts between 0:00 and 23:59 and ends at another "
                        "time, up to 24:00."
                    )
                )
            if company.muzza_reminder_promise_days < 1 or company.muzza_reminder_promise_grace < 0:
                raise ValidationError(
                    self.env._(
                        "A promise to pay is allowed at least one day ahead, and its grace days cannot be "
                        "negative."
                    )
                )

    def _muzza_works_on(self, day):
        """Whether ``day`` is a working day of the company: a day of its
        working schedule that is not a public holiday."""
        self.ensure_one()
        calendar = self.resource_calendar_id
        if not calendar:
            return day.weekday() < 5
        if not calendar._works_on_date(day):
            return False
        start = datetime.datetime.combine(day, datetime.time.min)
        end = datetime.datetime.combine(day, datetime.time.max)
        return (
            not self.env["resource.calendar.leaves"]
            .sudo()
            .search_count(
                [
                    ("resource_id", "=", False),
                    ("calendar_id", "in", [calendar.id, False]),
                    ("company_id", "in", [self.id, False]),
                    ("date_from", "<=", end),
                    ("date_to", ">=", start),
                ],
                limit=1,
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        self.env["muzza.reminder.level"]._muzza_copy_to(companies)
        return companies
