from . import controllers
from . import models
from . import wizards


def post_init_hook(env):
    """Every company starts from the main company's warning signs and reminder levels."""
    env["muzza.risk.sign"]._muzza_copy_to(env["res.company"].search([]))
    env["muzza.reminder.level"]._muzza_copy_to(env["res.company"].search([]))
