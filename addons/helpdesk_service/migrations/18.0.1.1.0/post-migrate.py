from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """Timesheets on tickets: every existing team gets its timesheet project."""
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["helpdesk.team"].with_context(active_test=False).search(
        [("project_id", "=", False)]
    )._ensure_project()
