from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    helpdesk_portal_team_id = fields.Many2one(
        "helpdesk.team",
        "Default team for portal and web requests",
        domain="[('company_id', '=', id)]",
        help="Receives the requests clients open on the portal or through a web "
        "form. Empty: the company's first team, by sequence, that all agents see.",
    )

    @api.constrains("helpdesk_portal_team_id")
    def _check_helpdesk_portal_team_id(self):
        for company in self:
            team = company.helpdesk_portal_team_id
            if team and team.company_id != company:
                raise ValidationError(
                    self.env._(
                        "The default team for portal requests of %(company)s must "
                        "be one of its teams, not %(team)s.",
                        company=company.name,
                        team=team.name,
                    )
                )

    def _get_helpdesk_request_team(self):
        """The team receiving the requests of clients (portal, web forms): the
        configured one, else the first team by sequence that every agent sees,
        else the first team of the company."""
        self.ensure_one()
        team = self.sudo().helpdesk_portal_team_id
        if team.active:
            return team
        Team = self.env["helpdesk.team"].sudo()
        domain = [("company_id", "=", self.id)]
        return Team.search(domain + [("visibility", "=", "all")], limit=1) or (
            Team.search(domain, limit=1)
        )
