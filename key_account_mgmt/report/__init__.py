from . import key_account_kpi, key_account_receivable_report
