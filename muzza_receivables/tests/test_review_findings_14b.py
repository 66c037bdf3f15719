# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Review of the set-based nightly risk signals: each test is a finding,
failing on the code reviewed and passing once it is fixed."""

from odoo.tests import tagged

from .test_risk import RiskCase


@tagged("post_install", "-at_install")
class TestReviewRiskSets(RiskCase):
    def test_partner_risk_follows_the_nightly_score(self):
        """The raw UPDATE of _muzza_write_signals calls no modified(): the
        customer's score and level (computed from the file) stay as they
        were read before the run, in the same transaction."""
        profile = self.file()
        partner = self.client
        self.assertEqual(partner.muzza_risk_score, 0)  # read (and cached) before the run
        profile._muzza_recompute_signals()
        self.assertTrue(profile.score, "the customer without VAT nor address scores")
        self.assertEqual(partner.muzza_risk_score, profile.score)
        self.assertEqual(partner.muzza_risk_level, profile.level)
