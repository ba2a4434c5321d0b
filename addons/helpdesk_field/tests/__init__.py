from . import test_conflicts
from . import test_engineer_rights
from . import test_field_ui
from . import test_portal
from . import test_visit_flow
