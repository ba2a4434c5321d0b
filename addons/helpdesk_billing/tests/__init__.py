from . import test_client_contracts
from . import test_announcement_contracts
