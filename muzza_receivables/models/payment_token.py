# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import models


class PaymentToken(models.Model):
    _inherit = "payment.token"

    def write(self, vals):
        res = super().write(vals)
        if "active" in vals and not vals["active"]:
            # a removed payment method can no longer be charged: the consent
            # made with it ends, and the customer may give a new one
            consents = self.env["muzza.autopay.consent"].sudo().search([("token_id", "in", self.ids)])
            consents.action_withdraw(by_partner=self.env.user.partner_id)
        return res
