from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """Default team for portal and web requests: set where it is obvious, i.e.
    the company has exactly one active team that all agents see. Elsewhere it
    stays empty and requests go to the first such team by sequence (else the
    company's first team) until an administrator chooses one."""
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    companies = env["res.company"].search([("helpdesk_portal_team_id", "=", False)])
    teams = env["helpdesk.team"].search(
        [("company_id", "in", companies.ids), ("visibility", "=", "all")]
    )
    for company, company_teams in teams.grouped("company_id").items():
        if len(company_teams) == 1:
            company.helpdesk_portal_team_id = company_teams
