# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

MANAGER = "muzza_receivables.group_receivables_manager"


class MuzzaRiskFlag(models.Model):
    """A warning sign ticked on a customer (its commercial partner) in a
    company, with the salesperson's note; who ticked it and when are the
    record's own, and the customer's risk file says so in its chatter."""

    _name = "muzza.risk.flag"
    _description = "Warning sign ticked on a customer"
    _order = "id"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    profile_id = fields.Many2one(
        "muzza.risk.profile", required=True, index=True, ondelete="cascade", readonly=True
    )
    sign_id = fields.Many2one(
        "muzza.risk.sign",
        string="Warning Sign",
        required=True,
        ondelete="restrict",
        domain="[('company_id', '=', company_id)]",
    )
    description = fields.Text(related="sign_id.description")
    weight = fields.Integer(related="sign_id.weight", string="Points")
    note = fields.Char(help="What was seen, in a few words.")
    create_uid = fields.Many2one("res.users", string="Ticked By", readonly=True)
    create_date = fields.Datetime(string="Ticked On", readonly=True)

    _sql_constraints = [  # noqa: RUF012
        (
            "sign_unique",
            "UNIQUE (profile_id, sign_id)",
            "This warning sign is ticked on the customer already.",
        ),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        Profile = self.env["muzza.risk.profile"]
        for vals in vals_list:
            partner = self.env["res.partner"].browse(vals.get("partner_id")).commercial_partner_id
            company = self.env["res.company"].browse(vals.get("company_id") or self.env.company.id)
            if not partner:
                raise ValidationError(self.env._("Tick a warning sign on a customer."))
            vals.update(
                partner_id=partner.id,
                company_id=company.id,
                profile_id=Profile._muzza_for(partner, company).id,
            )
        flags = super().create(vals_list)
        for flag in flags:
            if flag.sign_id.company_id != flag.company_id:
                raise ValidationError(self.env._("This warning sign belongs to another company."))
            flag.profile_id.message_post(
                body=self.env._(
                    "Warning sign ticked: %(sign)s. %(note)s", sign=flag.sign_id.name, note=flag.note or ""
                ),
                subtype_xmlid="mail.mt_note",
            )
        flags.profile_id._muzza_refresh_levels(self.env._("Warning signs changed"))
        return flags

    def write(self, vals):
        if {"partner_id", "company_id", "profile_id", "sign_id"} & set(vals):
            raise ValidationError(
                self.env._("Untick the warning sign and tick another one rather than changing it.")
            )
        res = super().write(vals)
        if "note" in vals:
            for flag in self:
                flag.profile_id.message_post(
                    body=self.env._(
                        "Note on %(sign)s: %(note)s", sign=flag.sign_id.name, note=flag.note or ""
                    ),
                    subtype_xmlid="mail.mt_note",
                )
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_only_by_whoever_ticked_it(self):
        # a warning sign stays until the person who ticked it, or a
        # receivables manager, unticks it: nobody lifts another's warning
        others = self.filtered(lambda flag: flag.create_uid != self.env.user)
        if others and not self.env.su and not self.env.user.has_group(MANAGER):
            raise AccessError(
                self.env._(
                    "Only %(user)s, who ticked it, or a receivables manager unticks the warning sign "
                    "%(sign)s.",
                    user=others[0].create_uid.name,
                    sign=others[0].sign_id.name,
                )
            )

    def unlink(self):
        profiles = self.profile_id
        for flag in self:
            flag.profile_id.message_post(
                body=self.env._("Warning sign unticked: %(sign)s.", sign=flag.sign_id.name),
                subtype_xmlid="mail.mt_note",
            )
        res = super().unlink()
        profiles._muzza_refresh_levels(self.env._("Warning signs changed"))
        return res
