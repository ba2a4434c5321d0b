from . import test_engineer_rights
