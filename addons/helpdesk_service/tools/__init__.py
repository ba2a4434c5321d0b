from . import sla_clock
from . import ticket_rows
