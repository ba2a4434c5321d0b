"""The KPI rows gained call figures (incoming, answered, missed calls, pickup
time): forget the watermark of the last refresh, so that the next run of the
KPI job rebuilds every row instead of only those whose records changed."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    # False deletes the parameter (and clears its cache)
    env["ir.config_parameter"].set_param("helpdesk_service.kpi_watermark", False)
