# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models


class MuzzaDemo(models.AbstractModel):
    """Demo data that needs code: the Spanish terms of Odoo's own modules, a
    retainer with a paid period and work drawn from it, and a new client's
    order waiting for its deposit. Called once by the demo data file; dates
    follow the install day."""

    _name = "muzza.demo"
    _description = "Receivables: demo flows"

    @api.model
    def _load_languages(self):
        """A Spanish customer's documents are Spanish throughout: the Spanish
        terms of the modules installed so far (this module's own load after
        its demo data, the later modules' as they install), and the demo
        product's Spanish name, before the demo documents are made."""
        self.env["ir.module.module"].search(
            [("state", "in", ("installed", "to install", "to upgrade"))]
        )._update_translations("es_ES")
        self.env.ref("muzza_receivables.demo_product_design_hour").product_tmpl_id.update_field_translations(
            "name", {"es_ES": "Trabajo de diseño (hora)"}
        )
        return True

    @api.model
    def _load_demo(self):
        env = self.env
        ref = env.ref
        # the demo invoices went out to their customers when they were issued
        # (the portal shows them as invoices, not pro formas)
        demo_invoices = env["account.move"].browse(
            [
                ref("muzza_receivables.%s" % xmlid).id
                for xmlid in (
                    "demo_invoice_harbor_75",
                    "demo_invoice_harbor_40",
                    "demo_invoice_alhambra_60",
                    "demo_invoice_alhambra_5",
                )
            ]
        )
        demo_invoices.write({"is_move_sent": True})
        for invoice in demo_invoices:
            invoice._portal_ensure_token()
        today = fields.Date.context_today(self)
        salesperson = ref("base.user_admin")

        # a new client's order, confirmed by the demo salesperson (who has no
        # invoicing rights): the deposit is invoiced and sent on the company's
        # behalf, the work waits for it
        newcomer = ref("muzza_receivables.demo_partner_bluebird")
        seller = ref("muzza_receivables.demo_user_salesperson")
        order = (
            env["sale.order"]
            .with_user(seller)
            .create(
                {
                    "partner_id": newcomer.id,
                    "user_id": seller.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": ref("muzza_receivables.demo_product_design_hour").id,
                                "product_uom_qty": 24,
                            }
                        )
                    ],
                }
            )
        )
        order.with_user(seller).action_confirm()

        # a retainer that started this month: its first period is invoiced
        # and paid, and a work invoice drew from it
        retainer = env["muzza.retainer"].create(
            {
                "partner_id": ref("muzza_receivables.demo_partner_cobalt").id,
                "user_id": salesperson.id,
                "amount": 1500.0,
                "period": "month",
                "date_start": today.replace(day=1),
                "date_end": today.replace(day=1) + relativedelta(months=12, days=-1),
                "allowance": 16.0,
                "allowance_uom_id": ref("uom.product_uom_hour").id,
                "unused": "carry",
                "carry_periods": 1,
                "budget": 20000.0,
            }
        )
        retainer.action_start()
        period = retainer._invoice_due_periods(today)
        self._pay(period)
        work = env["sale.order"].create(
            {
                "partner_id": retainer.partner_id.id,
                "user_id": salesperson.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": ref("muzza_receivables.demo_product_design_hour").id,
                            "product_uom_qty": 6,
                        }
                    )
                ],
            }
        )
        work.action_confirm()
        work.order_line.qty_delivered = 6
        drawn = work._create_invoices()
        drawn.action_post()

        # a warning sign the salesperson noticed at Harbor Lights, and every
        # customer's risk signals as the nightly action finds them
        unusual_terms = ref("muzza_receivables.risk_sign_unusual_terms")
        env["muzza.risk.flag"].with_user(seller).create(
            {
                "partner_id": ref("muzza_receivables.demo_partner_harbor").id,
                "sign_id": unusual_terms.id,
                "note": "Asked for 120 days on the next project",
            }
        )
        for company in env["res.company"].search([], limit=None):
            env["muzza.risk.profile"]._muzza_open_files(company)
        env["muzza.risk.profile"].search([], limit=None)._muzza_recompute_signals()
        return True

    @api.model
    def _pay(self, invoices):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoices.ids
        ).create({})._create_payments()
