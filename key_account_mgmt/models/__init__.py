from . import key_account_history_mixin
from . import key_account_confidential_mixin
from . import key_account_tier
from . import key_account_category
from . import res_partner
from . import key_account_state_log
