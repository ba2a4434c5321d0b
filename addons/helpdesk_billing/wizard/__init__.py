from . import helpdesk_contract_invoice
from . import helpdesk_contract_statement
