from . import models
from . import report
from . import wizard


def uninstall_hook(env):
    """The triggers that keep the credit split's months live on core tables: they go too."""
    env["key.account.credit.month"]._drop_all()
