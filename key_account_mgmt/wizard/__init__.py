from . import key_account_state_wizard
