from . import sla_clock
