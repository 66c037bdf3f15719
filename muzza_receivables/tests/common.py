# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from contextlib import contextmanager
from unittest.mock import patch

from freezegun import freeze_time


@contextmanager
def batch_size(env, size):
    """Scheduled actions take ``size`` records per batch inside the block."""
    param = env["ir.config_parameter"].sudo()
    previous = param.get_param("muzza_receivables.cron_batch_size")
    param.set_param("muzza_receivables.cron_batch_size", str(size))
    try:
        yield
    finally:
        param.set_param("muzza_receivables.cron_batch_size", previous or "")


def run_cron_like_odoo(env, xmlid, day, max_calls=50):
    """Run the scheduled action ``xmlid`` on ``day`` the way Odoo's cron
    worker does: call it with a progress record, and call it again as long
    as it reports work done and work remaining. Commits are recorded, not
    made (a test cannot commit).

    :return: ``(calls, [(done, remaining), ...], commits)``
    """
    cron = env.ref(xmlid)
    progress_log = []
    commits = []
    with freeze_time(day), patch.object(env.cr, "commit", lambda: commits.append(day)):
        for _call in range(max_calls):
            progress = env["ir.cron.progress"].sudo().create({"cron_id": cron.id, "remaining": 0, "done": 0})
            cron.ir_actions_server_id.with_context(ir_cron_progress_id=progress.id).sudo().run()
            progress_log.append((progress.done, progress.remaining))
            if not (progress.done and progress.remaining):
                break
    return len(progress_log), progress_log, commits
