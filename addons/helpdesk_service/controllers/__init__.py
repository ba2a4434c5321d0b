from . import portal
from . import helpdesk_article
from . import rating
