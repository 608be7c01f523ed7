from . import key_account_kpi
