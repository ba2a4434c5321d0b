from . import helpdesk_visit
from . import helpdesk_ticket
from . import helpdesk_ticket_work
from . import res_company
from . import res_config_settings
