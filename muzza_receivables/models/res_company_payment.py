# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import models


class ResCompany(models.Model):
    """Which companies take payments online."""

    _inherit = "res.company"

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
