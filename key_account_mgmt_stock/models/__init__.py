from . import stock_move
from . import stock_picking
