from odoo import api, models
from odoo.exceptions import AccessError

from ..tools import model_label


class KeyAccountHistoryMixin(models.AbstractModel):
    """Append-only registers (state log, score snapshots, access register): rows are written by
    the actions that own them (in sudo, after their own checks) and never edited or deleted,
    except by administrators."""

    _name = "key.account.history.mixin"
    _description = "Key Account Append-only History"

    def write(self, vals):
        self._check_history_change()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_history(self):
        self._check_history_change()

    def _check_history_change(self):
        if not (self.env.su or self.env.user.has_group("base.group_system")):
            raise AccessError(
                self.env._(
                    "%(history)s is a history: its entries cannot be changed or deleted.",
                    history=model_label(self),
                )
            )
