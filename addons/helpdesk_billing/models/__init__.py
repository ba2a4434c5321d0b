from . import helpdesk_ticket
from . import helpdesk_announcement
