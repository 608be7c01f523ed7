from . import (
    base_partner_merge_automatic_wizard,
    key_account_credit_wizard,
    key_account_dashboard,
    key_account_handover_wizard,
    key_account_loss_wizard,
    key_account_score_sheet,
    key_account_state_wizard,
)
