from . import key_account_receivable_report
