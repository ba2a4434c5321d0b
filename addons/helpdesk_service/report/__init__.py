from . import helpdesk_equipment_report_failure
