from . import test_ticket_flow
from . import test_assignment
from . import test_major_incident
from . import test_merge
from . import test_mail_gateway
from . import test_access
from . import test_sla
from . import test_ui
