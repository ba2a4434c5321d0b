from . import helpdesk_equipment_report_failure
from . import helpdesk_backlog_report
