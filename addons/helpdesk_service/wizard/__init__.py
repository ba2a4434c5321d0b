from . import helpdesk_ticket_close
from . import helpdesk_ticket_merge
from . import mail_compose_message
from . import resource_calendar_holidays
from . import helpdesk_equipment_label_print
from . import base_partner_merge
