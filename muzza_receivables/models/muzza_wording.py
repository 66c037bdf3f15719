# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, models
from odoo.tools.misc import format_amount, format_date

from ..logic.money import to_decimal


class MuzzaWording(models.AbstractModel):
    """What customers read: dates, amounts and rates in their language.

    One place for the formats every customer-facing sentence uses (invoices,
    quotations, e-mails, the portal, reminders and reports), so that a date
    or an amount reads the same everywhere.
    """

    _name = "muzza.wording"
    _description = "Receivables: customer-facing wording"

    @api.model
    def _lang_of(self, partner):
        """The language a partner reads, falling back on the user's."""
        return partner.lang or self.env.lang or "en_US"

    @api.model
    def _format_date(self, value, lang):
        """ "December 15, 2026" / "15 de diciembre de 2026"."""
        return format_date(self.env, value, lang_code=lang, date_format="long")

    @api.model
    def _format_amount(self, amount, currency, lang):
        """ "$ 1,250.00" / "1.250,00 €"."""
        return format_amount(self.env, float(amount), currency, lang_code=lang)

    @api.model
    def _format_rate(self, value, lang):
        """A rate or percentage with no trailing zeros, with the language's
        decimal point: "1.5" / "1,5"."""
        text = format(to_decimal(value).normalize(), "f")
        point = self.env["res.lang"]._lang_get(lang).decimal_point or "."
        return text.replace(".", point)

    @api.model
    def _document_label(self, record):
        """A document's number, or "draft invoice" before it has one."""
        return record.name if record.name and record.name != "/" else self.env._("draft invoice")
