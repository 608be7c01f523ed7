"""Small helpers shared by the scheduled actions."""
import threading


def may_commit(env):
    """Whether a cron may commit its batch: never inside tests (Odoo's own test runner and
    pytest-odoo mark the thread, HttpCase puts the registry in test mode)."""
    return not (getattr(threading.current_thread(), "testing", False) or env.registry.in_test_mode())


def commit_unless_testing(env):
    """Commit a cron batch, so a long run keeps what it did (see ``may_commit``)."""
    if may_commit(env):
        env.cr.commit()
