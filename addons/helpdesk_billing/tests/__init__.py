from . import test_client_contracts
