from . import portal
from . import helpdesk_article
from . import rating
from . import equipment_label
from . import webhook
