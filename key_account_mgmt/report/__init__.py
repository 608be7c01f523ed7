from . import key_account_kpi
from . import key_account_receivable_report
from . import key_account_order_board
