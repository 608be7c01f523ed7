"""Small helpers shared by the scheduled actions."""
import threading


def commit_unless_testing(env):
    """Commit a cron batch, so a long run keeps what it did; never inside tests (Odoo's own
    test runner and pytest-odoo mark the thread, HttpCase puts the registry in test mode)."""
    if not (getattr(threading.current_thread(), "testing", False) or env.registry.in_test_mode()):
        env.cr.commit()
