from . import helpdesk_profitability_report
