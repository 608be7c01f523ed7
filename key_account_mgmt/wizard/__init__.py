from . import key_account_state_wizard
from . import key_account_loss_wizard
from . import key_account_handover_wizard
from . import key_account_credit_wizard
from . import key_account_score_sheet
from . import base_partner_merge_automatic_wizard
from . import key_account_credit_override_wizard
from . import key_account_report_send_back_wizard
