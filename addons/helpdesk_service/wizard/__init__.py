from . import helpdesk_ticket_close
from . import helpdesk_ticket_merge
