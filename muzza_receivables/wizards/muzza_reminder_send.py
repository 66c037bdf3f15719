# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..logic.reminders import reached_level


class MuzzaReminderSend(models.TransientModel):
    """Send a reminder now, from an invoice or a customer: the exact message
    is shown first, then sent as the scheduled action would send it."""

    _name = "muzza.reminder.send"
    _description = "Receivables: send a payment reminder now"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    move_ids = fields.Many2many(
        "account.move",
        string="Invoices",
        domain="[('commercial_partner_id', '=', partner_id), ('company_id', '=', company_id), "
        "('move_type', '=', 'out_invoice'), ('state', '=', 'posted'), "
        "('payment_state', 'in', ('not_paid', 'partial'))]",
    )
    level_id = fields.Many2one(
        "muzza.reminder.level", required=True, domain="[('company_id', '=', company_id)]"
    )
    reminder_id = fields.Many2one("muzza.reminder", readonly=True)
    subject = fields.Char(related="reminder_id.subject")
    email_to = fields.Char(related="reminder_id.email_to")
    preview = fields.Html(related="reminder_id.body_html", string="Message")
    warning = fields.Text(readonly=True)

    @api.constrains("partner_id", "company_id", "move_ids", "level_id")
    def _check_customer_and_company(self):
        """The form's domains hold on the server too: only the customer's
        open invoices of one of the user's companies, and that company's
        levels (another company's level would mark the invoices at its days
        and silence the company's own levels)."""
        for wizard in self:
            company = wizard.company_id
            if company not in self.env.user.company_ids:
                raise AccessError(
                    self.env._("You cannot send reminders for %(company)s.", company=company.name)
                )
            if wizard.level_id.company_id != company:
                raise ValidationError(
                    self.env._("Choose a reminder level of %(company)s.", company=company.name)
                )
            customer = wizard.partner_id.commercial_partner_id
            wrong = wizard.move_ids.filtered(
                lambda move, customer=customer, company=company: (
                    move.commercial_partner_id != customer
                    or move.company_id != company
                    or move.move_type != "out_invoice"
                    or move.state != "posted"
                    or move.payment_state not in ("not_paid", "partial")
                )
            )
            if wrong:
                raise ValidationError(
                    self.env._(
                        "A reminder to %(customer)s names only their open invoices in %(company)s, not "
                        "%(invoices)s.",
                        customer=customer.display_name,
                        company=company.name,
                        invoices=", ".join(wrong.mapped("display_name")),
                    )
                )

    @api.model
    def _muzza_check_sender(self):
        user = self.env.user
        if not (
            user.has_group("sales_team.group_sale_salesman")
            or user.has_group("account.group_account_invoice")
            or user.has_group("muzza_receivables.group_receivables_manager")
        ):
            raise AccessError(self.env._("Only sales and accounting staff send payment reminders."))

    @api.model
    def _muzza_open(self, partner, company, moves=None):
        self._muzza_check_sender()
        customer = partner.commercial_partner_id
        Move = self.env["account.move"]
        open_moves = Move.search(
            [
                ("commercial_partner_id", "=", customer.id),
                ("company_id", "=", company.id),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("payment_state", "in", ("not_paid", "partial")),
            ]
        )
        moves = (moves & open_moves) if moves else open_moves
        if not moves:
            raise UserError(
                self.env._(
                    "%(customer)s has no open invoice (that you can see) to remind them of.",
                    customer=customer.display_name,
                )
            )
        levels = self.env["muzza.reminder.level"].search([("company_id", "=", company.id)])
        if not levels:
            raise UserError(
                self.env._("The company has no reminder levels: add them in Settings › Receivables.")
            )
        today = fields.Date.context_today(self)
        # the due date is the earliest open instalment's, as the run says
        next_due = self.env["muzza.reminder"]._muzza_next_due
        reached = [
            reached_level(levels._as_levels(), next_due(move), move.invoice_date, today) for move in moves
        ]
        reached = [level for level in reached if level]
        level = levels.browse(max(reached, key=lambda l: l.days).id) if reached else levels[0]
        wizard = self.create(
            {"partner_id": customer.id, "company_id": company.id, "move_ids": moves.ids, "level_id": level.id}
        )
        wizard._muzza_make_preview()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Send a Payment Reminder"),
            "res_model": self._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    def _muzza_make_preview(self):
        self.ensure_one()
        if self.reminder_id.state == "draft":
            self.reminder_id.sudo().unlink()
        file = self.env["muzza.reminder.customer"]._muzza_file(self.partner_id, self.company_id)
        today = fields.Date.context_today(self)
        reminder = (
            self.env["muzza.reminder"]
            .sudo()
            .create(
                {
                    "customer_id": file.id,
                    "level_id": self.level_id.id,
                    "date": today,
                    "state": "draft",
                    "manual": True,
                    "line_ids": [
                        fields.Command.create(
                            {
                                "move_id": move.id,
                                "level_id": self.level_id.id,
                                "due_date": self.env["muzza.reminder"]._muzza_next_due(move),
                                "amount_due": move.amount_residual,
                                "currency_id": move.currency_id.id,
                            }
                        )
                        for move in self.move_ids
                    ],
                }
            )
        )
        reminder.with_company(self.company_id)._muzza_prepare(today, charge=False)
        subject, body = reminder._muzza_render()
        reminder.write({"subject": subject, "body_html": body})
        self.write({"reminder_id": reminder.id, "warning": self._muzza_warnings(file)})

    def _muzza_warnings(self, file):
        """What the scheduled action would have held it for."""
        warnings = []
        if file.excluded:
            warnings.append(
                self.env._("The customer is excluded from reminders: %(reason)s", reason=file.excluded_reason)
            )
        facts = file._muzza_customer_facts(self.company_id, {self.partner_id.id})
        if self.partner_id.id in facts["on_account"]:
            warnings.append(self.env._("The customer has a payment or credit note not matched yet."))
        invoice_facts = file._muzza_invoice_facts(
            self.company_id, self.move_ids.ids, fields.Date.context_today(self)
        )
        labels = {
            "dispute": self.env._("disputed"),
            "promise": self.env._("promised"),
            "payment_pending": self.env._("online payment pending"),
            "autopay": self.env._("paid by automatic payment"),
        }
        for move in self.move_ids:
            reasons = invoice_facts.get(move.id)
            if reasons:
                warnings.append("%s: %s" % (move.name, ", ".join(labels[r] for r in sorted(reasons))))
        if self.level_id.send_email and not facts["emails"].get(self.partner_id.id):
            warnings.append(
                self.env._("The invoice contact has no e-mail address: the e-mail cannot go out.")
            )
        return "\n".join(warnings) or False

    def action_preview(self):
        self._muzza_check_sender()
        self._muzza_make_preview()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_send(self):
        self._muzza_check_sender()
        self.ensure_one()
        reminder = self.reminder_id
        if (
            not reminder
            or reminder.state != "draft"
            or set(reminder.line_ids.move_id.ids) != set(self.move_ids.ids)
            or reminder.level_id != self.level_id
        ):
            self._muzza_make_preview()
            reminder = self.reminder_id
        level = self.level_id
        counted = (
            self.env["muzza.reminder.line"]
            .sudo()
            .search(
                [("move_id", "in", self.move_ids.ids), ("level_id", "=", level.id), ("counted", "=", True)]
            )
        )
        reminder.line_ids.filtered(lambda line: line.move_id not in counted.move_id).sudo().write(
            {"counted": True}
        )
        reminder.sudo().write({"state": "queued"})
        if not reminder.with_company(self.company_id)._muzza_deliver(by=self.env.user):
            raise UserError(
                self.env._(
                    "The reminder could not go out: %(why)s",
                    why=reminder.note
                    or dict(reminder._fields["hold_reason"]._description_selection(self.env)).get(
                        reminder.hold_reason, ""
                    ),
                )
            )
        for move in self.move_ids:
            if not move.muzza_reminder_level_id or move.muzza_reminder_level_id.days < level.days:
                move.sudo().write({"muzza_reminder_level_id": level.id})
        return {"type": "ir.actions.act_window_close"}

    def action_cancel(self):
        if self.reminder_id.state == "draft":
            self.reminder_id.sudo().unlink()
        return {"type": "ir.actions.act_window_close"}


class MuzzaReminderExclude(models.TransientModel):
    """Exclude a customer from payment reminders, saying why."""

    _name = "muzza.reminder.exclude"
    _description = "Receivables: exclude a customer from reminders"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, readonly=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, readonly=True
    )
    reason = fields.Text(required=True)

    def action_exclude(self):
        self.ensure_one()
        file = self.env["muzza.reminder.customer"]._muzza_file(self.partner_id, self.company_id)
        file._muzza_set_excluded(True, self.reason)
        return {"type": "ir.actions.act_window_close"}


class MuzzaReminderDisputeResolve(models.TransientModel):
    """Resolve a dispute, saying how: the invoice's reminders resume."""

    _name = "muzza.reminder.dispute.resolve"
    _description = "Receivables: resolve a dispute"

    dispute_id = fields.Many2one(
        "muzza.reminder.dispute", required=True, default=lambda self: self.env.context.get("active_id")
    )
    resolution = fields.Text(required=True)

    def action_resolve(self):
        self.ensure_one()
        self.dispute_id.action_resolve(self.resolution)
        return {"type": "ir.actions.act_window_close"}
