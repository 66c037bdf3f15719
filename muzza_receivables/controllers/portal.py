# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.http import request, route

from odoo.addons.portal.controllers.portal import CustomerPortal


class MuzzaAutopayPortal(CustomerPortal):
    """/my/autopay: the customer agrees to, reviews and withdraws automatic
    payment. Every record is read and written in sudo, but only for the
    signed-in user's own company account."""

    def _muzza_autopay_values(self, **extra):
        partner = request.env.user.partner_id
        customer = partner.commercial_partner_id.sudo()
        company = request.env.company
        Consent = request.env["muzza.autopay.consent"].sudo()
        tokens = (partner.sudo().payment_token_ids | customer.payment_token_ids).filtered(
            lambda t: t.company_id == company
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "muzza_autopay",
                "customer": customer,
                "company": company,
                "consent": Consent._active_for(customer, company).get(customer),
                "history": Consent.with_context(active_test=False).search(
                    [
                        ("partner_id", "=", customer.id),
                        ("company_id", "=", company.id),
                        ("active", "=", False),
                    ]
                ),
                "offered": customer.with_company(company).muzza_autopay_offered,
                "tokens": tokens,
                "currency": company.currency_id,
                "texts": Consent._portal_texts(company, company.currency_id),
                **extra,
            }
        )
        return values

    @route("/my/autopay", type="http", auth="user", website=True, methods=["GET"])
    def muzza_autopay(self, message=None, **kwargs):
        return request.render(
            "muzza_receivables.portal_my_autopay", self._muzza_autopay_values(message=message)
        )

    @route("/my/autopay/consent", type="http", auth="user", website=True, methods=["POST"])
    def muzza_autopay_consent(self, token_id=None, max_amount=None, accept=None, **kwargs):
        values = self._muzza_autopay_values(form={"token_id": token_id, "max_amount": max_amount})
        errors = []
        token = values["tokens"].filtered(lambda t: str(t.id) == (token_id or ""))
        if not values["offered"] or values["consent"]:
            errors.append("not_offered")
        if not token:
            errors.append("token")
        try:
            amount = float(max_amount or "")
        except ValueError:
            amount = 0.0
        if amount <= 0:
            errors.append("max_amount")
        if not accept:
            errors.append("accept")
        if not errors:
            try:
                request.env["muzza.autopay.consent"].sudo().create(
                    {
                        "partner_id": values["customer"].id,
                        "company_id": values["company"].id,
                        "token_id": token.id,
                        "currency_id": values["currency"].id,
                        "max_amount": values["currency"].round(amount),
                        "signed_by_id": request.env.user.partner_id.id,
                        "signed_on": fields.Datetime.now(),
                        "channel": "portal",
                        "signed_ip": request.httprequest.remote_addr,
                    }
                )
            except ValidationError as error:
                values["error_message"] = str(error)
                errors.append("invalid")
        if errors:
            values["errors"] = errors
            return request.render("muzza_receivables.portal_my_autopay", values)
        return request.redirect("/my/autopay?message=agreed")

    @route("/my/autopay/withdraw", type="http", auth="user", website=True, methods=["POST"])
    def muzza_autopay_withdraw(self, **kwargs):
        consent = self._muzza_autopay_values()["consent"]
        if consent:
            consent.action_withdraw(by_partner=request.env.user.partner_id)
        return request.redirect("/my/autopay?message=withdrawn")

    @route("/my/retainers", type="http", auth="user", website=True, methods=["GET"])
    def muzza_retainers(self, **kwargs):
        Retainer = request.env["muzza.retainer"]
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "muzza_retainers",
                "retainers": Retainer.sudo().search(Retainer._portal_domain(request.env.user)),
            }
        )
        return request.render("muzza_receivables.portal_my_retainers", values)
