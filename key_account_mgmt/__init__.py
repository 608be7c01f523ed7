from . import models
from . import report
from . import wizard


def uninstall_hook(env):
    """The triggers that keep the credit split's months live on core tables go too, with the
    tables no model owns."""
    env["key.account.credit.month"]._drop_all()
    env.cr.execute("DROP TABLE IF EXISTS key_account_dashboard_snapshot")
