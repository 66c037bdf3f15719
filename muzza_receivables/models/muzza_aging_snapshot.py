# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models
from odoo.exceptions import UserError


class MuzzaAgingSnapshot(models.Model):
    """Each customer's aged receivables at the end of a month, as they
    stood then: a history that later unreconciling or reposting an entry
    does not rewrite. Written by the monthly scheduled action only."""

    _name = "muzza.aging.snapshot"
    _description = "Receivables: monthly aging snapshot"
    _order = "date desc, total desc, id"

    date = fields.Date(string="Month End", required=True, readonly=True, index=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id", store=True)
    # empty: the receivable lines with no customer (an opening balance), so
    # that the snapshot adds up to the ledger
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True, index=True)
    bucket_0 = fields.Monetary(string="Not Due", readonly=True)
    bucket_1 = fields.Monetary(string="1-30", readonly=True)
    bucket_2 = fields.Monetary(string="31-60", readonly=True)
    bucket_3 = fields.Monetary(string="61-90", readonly=True)
    bucket_4 = fields.Monetary(string="91-120", readonly=True)
    bucket_5 = fields.Monetary(string="Older than 120", readonly=True)
    total = fields.Monetary(readonly=True)

    _sql_constraints = [  # noqa: RUF012
        (
            "one_per_customer_and_month",
            "UNIQUE(company_id, partner_id, date)",
            "A customer has one aging snapshot per company and month end.",
        )
    ]

    def init(self):
        # the unique constraint does not see two empty customers as equal
        self.env.cr.execute(
            """CREATE UNIQUE INDEX IF NOT EXISTS muzza_aging_snapshot_no_customer_uniq
                   ON muzza_aging_snapshot (company_id, date) WHERE partner_id IS NULL"""
        )

    @api.model_create_multi
    def create(self, vals_list):
        self._refuse_by_hand()
        return super().create(vals_list)

    def write(self, vals):
        self._refuse_by_hand()
        return super().write(vals)

    def unlink(self):
        self._refuse_by_hand()
        return super().unlink()

    @api.model
    def _refuse_by_hand(self):
        # the history is the scheduled action's (in sudo): nobody rewrites it
        if not self.env.su:
            raise UserError(self.env._("The aging history is written by its scheduled action only."))

    @api.model
    def _take(self, company, month_end):
        """The snapshot of ``company`` at ``month_end``, once: a second run
        (or a second worker) finds it taken and adds nothing."""
        if self.sudo().search_count([("company_id", "=", company.id), ("date", "=", month_end)], limit=1):
            return self.browse()
        rows = self.env["muzza.aging"].sudo()._summary(month_end, company)
        return (
            self.sudo()
            .create(
                [
                    {
                        "date": month_end,
                        "company_id": company.id,
                        "partner_id": row["partner_id"] or False,
                        "total": row["total"],
                        **{"bucket_%s" % i: amount for i, amount in enumerate(row["buckets"])},
                    }
                    for row in rows
                ]
            )
            .sudo(False)
        )
