from . import key_account_tier
from . import key_account_category
from . import res_partner
