from . import helpdesk_contract_invoice
