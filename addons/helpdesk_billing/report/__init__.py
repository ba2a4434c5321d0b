from . import helpdesk_profitability_report
from . import contract_statement_report
