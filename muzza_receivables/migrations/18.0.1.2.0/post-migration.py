# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""18.0.1.2.0: the invoice e-mail words the ways to pay for an e-mail.

The printed invoice offers to pay "from the link and QR code on this
invoice"; the e-mail has the link and no QR code, so it now prints its own
sentence (``muzza_pay_sentence_email``). The e-mail template is not updated
by an upgrade (its record is ``noupdate``, so that an administrator's edits
stay): the field it prints is renamed in it, in every language, and in any
copy of it, which keeps everything else of the body as it was.
"""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger("odoo.addons.muzza_receivables.migrations")


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["mail.template"].flush_model(["body_html"])
    cr.execute(
        r"""
        UPDATE mail_template
           SET body_html = regexp_replace(
                   body_html::text, 'object\.muzza_pay_sentence\M', 'object.muzza_pay_sentence_email', 'g'
               )::jsonb
         WHERE model = 'account.move'
           AND body_html::text ~ 'object\.muzza_pay_sentence\M'
     RETURNING id
        """
    )
    ids = [row[0] for row in cr.fetchall()]
    env["mail.template"].invalidate_model(["body_html"])
    _logger.info("Invoice e-mail templates now wording the ways to pay for an e-mail: %s", ids or "none")
