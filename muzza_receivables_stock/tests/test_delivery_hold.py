# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from lxml import etree

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.mail.tests.common import mail_new_test_user


@tagged("post_install", "-at_install")
class TestDeliveryHold(AccountTestInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write(
            {
                "muzza_deposit_who": "all",
                "muzza_deposit_kind": "percentage",
                "muzza_deposit_value": 30.0,
                "muzza_deposit_minimum": 0.0,
                "muzza_deposit_blocks_work": True,
            }
        )
        # stock gives a new company its warehouse only when Odoo's own runner
        # flags the thread as testing; under pytest-odoo, make it here
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.env.company.id)], limit=1
        ) or cls.env["stock.warehouse"].create({"company_id": cls.env.company.id})
        cls.product = cls.env["product.product"].create(
            {
                "name": "Oak shelf",
                "type": "consu",
                "is_storable": True,
                "list_price": 100.0,
                "invoice_policy": "delivery",
                "taxes_id": [Command.set(cls.company_data["default_tax_sale"].ids)],
            }
        )
        cls.env["stock.quant"]._update_available_quantity(cls.product, cls.warehouse.lot_stock_id, 100.0)
        cls.customer = cls.env["res.partner"].create(
            {"name": "Shelf Buyer Ltd", "email": "ap@buyer.example.com"}
        )
        cls.manager = mail_new_test_user(
            cls.env,
            login="muzza_stock_receivables_manager",
            groups="base.group_user,sales_team.group_sale_manager,stock.group_stock_user,"
            "account.group_account_invoice,muzza_receivables.group_receivables_manager",
        )
        cls.storekeeper = mail_new_test_user(
            cls.env, login="muzza_storekeeper", groups="base.group_user,stock.group_stock_user"
        )

    def _confirmed_order(self, qty=4, partner=None):
        order = self.env["sale.order"].create(
            {
                "partner_id": (partner or self.customer).id,
                "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": qty})],
            }
        )
        order.action_confirm()
        return order

    def _deposit_invoice(self, order):
        return order._muzza_deposit_lines().invoice_lines.move_id

    def _pay(self, invoice):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({})._create_payments()

    def _validate(self, picking, user=None):
        picking = picking.with_user(user or self.storekeeper)
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        return picking.button_validate()

    def _held(self):
        return self.env["stock.picking"].search(
            [("muzza_deposit_hold", "=", True), ("partner_id", "=", self.customer.id)]
        )

    # ------------------------------------------------------------------------

    def test_the_delivery_waits_for_the_deposit_and_goes_once_it_is_paid(self):
        order = self._confirmed_order()  # 4 x 100 + 15 % tax = 460.00, deposit 138.00
        deposit = self._deposit_invoice(order)
        self.assertEqual(deposit.state, "posted")
        self.assertEqual(order.muzza_deposit_state, "waiting")
        delivery = order.picking_ids
        self.assertEqual(len(delivery), 1)
        self.assertTrue(delivery.muzza_deposit_hold)
        self.assertEqual(self._held(), delivery, "the Waiting for Deposit filter finds it")

        with self.assertRaises(UserError) as caught:
            self._validate(delivery)
        message = str(caught.exception)
        self.assertIn("cannot be validated until it is paid", message)
        self.assertIn("- %s (%s): $\N{NO-BREAK SPACE}138.00" % (delivery.name, order.name), message)
        self.assertEqual(delivery.state, "assigned", "nothing left the warehouse")
        shelves = order.order_line.filtered(lambda line: line.product_id == self.product)
        self.assertEqual(shelves.qty_delivered, 0.0)

        self._pay(deposit)
        self.assertEqual(order.muzza_deposit_state, "paid")
        self.assertFalse(delivery.muzza_deposit_hold)
        self.assertFalse(self._held())
        self._validate(delivery)
        self.assertEqual(delivery.state, "done")
        self.assertEqual(shelves.qty_delivered, 4.0)

        # the final invoice bills what was delivered and deducts the deposit,
        # Odoo's down-payment way
        final = order._create_invoices(final=True)
        deduction = final.invoice_line_ids.filtered(lambda line: line.quantity < 0)
        self.assertEqual(deduction.product_id, self.env.ref("muzza_receivables.product_deposit"))
        self.assertAlmostEqual(final.amount_total, 460.0 - 138.0)

    def test_a_manager_can_let_the_goods_go_without_the_deposit(self):
        order = self._confirmed_order()
        delivery = order.picking_ids
        wizard = Form(
            self.env["muzza.deposit.override"]
            .with_user(self.manager)
            .with_context(**order.action_muzza_start_without_deposit()["context"])
        )
        wizard.reason = "Repeat buyer of the parent company; agreed by the CFO"
        wizard.save().action_override()
        self.assertEqual(order.muzza_deposit_state, "overridden")
        self.assertFalse(delivery.muzza_deposit_hold)
        self._validate(delivery)
        self.assertEqual(delivery.state, "done")
        self.assertIn("agreed by the CFO", order.message_ids[0].body)

    def test_no_other_way_of_validating_skips_the_hold(self):
        delivery = self._confirmed_order().picking_ids
        for move in delivery.move_ids:
            move.quantity = move.product_uom_qty
        delivery.move_ids.picked = True
        with self.assertRaises(UserError):
            delivery._action_done()
        with self.assertRaises(UserError):
            delivery.with_context(skip_sanity_check=True, skip_backorder=True).button_validate()
        self.assertEqual(delivery.state, "assigned")

    def test_picking_goes_on_and_only_what_leaves_for_the_customer_waits(self):
        self.warehouse.delivery_steps = "pick_ship"
        order = self._confirmed_order()
        pick = order.picking_ids
        self.assertEqual(pick.location_dest_id.usage, "internal")
        self.assertFalse(pick.muzza_deposit_hold)
        self._validate(pick)
        self.assertEqual(pick.state, "done", "goods can be prepared while the deposit is awaited")
        ship = order.picking_ids - pick
        self.assertEqual(ship.location_dest_id.usage, "customer")
        self.assertTrue(ship.muzza_deposit_hold)
        with self.assertRaises(UserError):
            self._validate(ship)

    def test_orders_that_do_not_wait_deliver_freely(self):
        self.env.company.muzza_deposit_blocks_work = False
        order = self._confirmed_order()
        self.assertEqual(order.muzza_deposit_state, "waiting", "a deposit is asked for, but work goes on")
        self.assertFalse(order.picking_ids.muzza_deposit_hold)
        self._validate(order.picking_ids)
        self.assertEqual(order.picking_ids.state, "done")

        self.env.company.muzza_deposit_who = "none"
        order = self._confirmed_order(partner=self.env["res.partner"].create({"name": "No Deposit Co"}))
        self.assertEqual(order.muzza_deposit_state, "none")
        self._validate(order.picking_ids)
        self.assertEqual(order.picking_ids.state, "done")

    def test_a_return_from_the_customer_is_never_held(self):
        self.env.company.muzza_deposit_blocks_work = False
        order = self._confirmed_order()
        delivery = order.picking_ids
        self._validate(delivery)
        # the order waits again, e.g. its rule was tightened (only the system
        # may change a confirmed order's deposit); the goods come back all the same
        order.sudo().muzza_deposit_blocks_work = True
        self.assertEqual(order._muzza_work_waits(), order)
        wizard = Form(
            self.env["stock.return.picking"].with_context(active_id=delivery.id, active_model="stock.picking")
        ).save()
        wizard.product_return_moves.quantity = 4.0
        back = self.env["stock.picking"].browse(wizard.action_create_returns()["res_id"])
        self.assertFalse(back.muzza_deposit_hold)
        self._validate(back)
        self.assertEqual(back.state, "done")

    def test_the_user_is_told_on_the_delivery_and_the_order(self):
        order = self._confirmed_order()
        picking_form = etree.fromstring(
            self.env["stock.picking"].get_views([(False, "form")])["views"]["form"]["arch"]
        )
        [alert] = picking_form.xpath("//div[@name='muzza_deposit_hold']")
        self.assertEqual(alert.get("invisible"), "not muzza_deposit_hold")
        self.assertIn(
            "This delivery waits for its order's deposit: it cannot be validated until the deposit is paid",
            " ".join("".join(alert.itertext()).split()),
        )
        self.assertTrue(order.picking_ids.muzza_deposit_hold, "so the warning shows on it")

        order_form = etree.fromstring(
            self.env["sale.order"].get_views([(False, "form")])["views"]["form"]["arch"]
        )
        [waiting] = order_form.xpath("//div[@name='muzza_deposit_waiting']")
        self.assertIn(
            "Its deliveries cannot be validated either.", " ".join("".join(waiting.itertext()).split())
        )
        # only an order with deliveries says so: a service-only order has none to hold
        [deliveries] = order_form.xpath("//div[@name='muzza_deliveries_wait']")
        self.assertEqual(deliveries.get("invisible"), "not delivery_count")
        self.assertTrue(order.delivery_count)

        search = etree.fromstring(
            self.env["stock.picking"].get_views([(False, "search")])["views"]["search"]["arch"]
        )
        self.assertTrue(search.xpath("//filter[@name='muzza_deposit_hold']"))
