# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models


class ResCompany(models.Model):
    """The e-mail customer invoices are sent with."""

    _inherit = "res.company"

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

    @api.model
    def _muzza_default_invoice_mail_template(self):
        """At install: the companies that exist already send customer
        invoices with the module's e-mail too (new ones get it by default)."""
        template = self.env.ref("muzza_receivables.email_template_invoice", raise_if_not_found=False)
        if template:
            self.sudo().search([("muzza_invoice_mail_template_id", "=", False)]).write(
                {"muzza_invoice_mail_template_id": template.id}
            )
