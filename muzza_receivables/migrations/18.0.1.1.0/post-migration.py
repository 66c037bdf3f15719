# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""18.0.1.1.0: the billing contact becomes Odoo's invoice address; late
fees are invoiced on a cycle; a salesperson's own deposit amount stays; an
over-budget approval covers the order's amount as it is.

Up to 18.0.1.0.0 a customer named its *Billing Contact* in a field of the
module (``res_partner.muzza_billing_contact_id``), and invoices were
readdressed to it when posted. Odoo has its own invoice address: a contact
of type Invoice of the customer, which sales orders take as their invoice
address and new invoices are now addressed to. Each customer's billing
contact that is one of its contacts becomes its contact of type Invoice;
any other is left alone. Everything done (or not) is logged. The old column
is left in place, unused.
"""

import logging

from odoo import SUPERUSER_ID, api
from odoo.tools.sql import column_exists

_logger = logging.getLogger("odoo.addons.muzza_receivables.migrations")


def billing_contacts_to_invoice_addresses(env):
    """Make each customer's billing contact its contact of type Invoice."""
    cr = env.cr
    if not column_exists(cr, "res_partner", "muzza_billing_contact_id"):
        return
    # the customers themselves: their contacts only held a copy of the field
    cr.execute(
        """
        SELECT id, muzza_billing_contact_id
          FROM res_partner
         WHERE muzza_billing_contact_id IS NOT NULL
           AND id = commercial_partner_id
         ORDER BY id
        """
    )
    Partner = env["res.partner"].with_context(active_test=False)
    for customer_id, contact_id in cr.fetchall():
        customer = Partner.browse(customer_id)
        contact = Partner.browse(contact_id).exists()
        if not contact or contact == customer or contact.commercial_partner_id != customer:
            _logger.warning(
                "Customer %s (id %s): its billing contact (id %s) is not one of its contacts; "
                "it is left as it is. Add a contact of type Invoice to this customer.",
                customer.display_name,
                customer.id,
                contact_id,
            )
            continue
        if contact.parent_id != customer or contact.type != "invoice":
            _logger.info(
                "Customer %s (id %s): its billing contact %s (id %s) is now its contact of type Invoice "
                "(was type %s under %s).",
                customer.display_name,
                customer.id,
                contact.name,
                contact.id,
                contact.type,
                contact.parent_id.display_name,
            )
            contact.write({"parent_id": customer.id, "type": "invoice"})
        else:
            _logger.info(
                "Customer %s (id %s): its billing contact %s (id %s) already is its contact of type Invoice.",
                customer.display_name,
                customer.id,
                contact.name,
                contact.id,
            )
        address = customer._muzza_invoice_address()
        if address != contact:
            _logger.warning(
                "Customer %s (id %s): invoices go to %s (id %s), another of its contacts of type Invoice "
                "(or the customer itself, the contact being archived), rather than to its billing "
                "contact %s (id %s); check its contacts.",
                customer.display_name,
                customer.id,
                address.display_name,
                address.id,
                contact.name,
                contact.id,
            )


def fee_cycles(env):
    """Late invoices still accruing fees get the day their fee is next
    invoiced, on their company's cycle (until then they were looked at
    daily; without it they would wait for their payment)."""
    env["account.move"]._muzza_reschedule_fees(env["res.company"].search([]))


def deposit_rule_amounts(env):
    """Quotations remember the deposit their rule gave, so that a deposit
    changed by hand is told apart: the amounts they hold are taken as the
    rule's."""
    env.cr.execute(
        """
        UPDATE sale_order
           SET muzza_deposit_rule_amount = muzza_deposit_amount,
               muzza_deposit_rule_blocks = muzza_deposit_blocks_work
         WHERE state IN ('draft', 'sent')
           AND muzza_deposit_rule_amount IS NULL
        """
    )


def over_budget_approved_amounts(env):
    """An over-budget approval now covers the order's untaxed amount it was
    given for. The amount was not kept: approvals given before cover their
    order as it is now, and no more."""
    env.cr.execute(
        """
        UPDATE sale_order
           SET muzza_budget_approved_amount = amount_untaxed
         WHERE muzza_budget_approved_by IS NOT NULL
           AND muzza_budget_approved_amount IS NULL
        """
    )


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    billing_contacts_to_invoice_addresses(env)
    fee_cycles(env)
    deposit_rule_amounts(env)
    over_budget_approved_amounts(env)
