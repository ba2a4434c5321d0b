import ast

from lxml import etree

from odoo.tests import TransactionCase, tagged

from .common import HelpdeskCommonMixin

OUR_ADDONS = ("helpdesk_service", "helpdesk_billing", "helpdesk_field")


@tagged("helpdesk_service")
class TestReportMeasures(HelpdeskCommonMixin, TransactionCase):
    """Averages keep their decimals, and a rate over nothing is not shown as 0 %."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()
        cls.tariff = cls.env["res.partner.category"].create(
            {"name": "Tariff H6", "is_helpdesk_tariff": True}
        )
        cls.client.category_id = cls.tariff

    def test_averaged_measures_are_floats(self):
        """No integer field is averaged: the web client would round it."""
        averaged = [
            field
            for name, Model in self.env.registry.items()
            for field in Model._fields.values()
            if field.aggregator == "avg"
            and (field._module in OUR_ADDONS or name.startswith("helpdesk."))
        ]
        self.assertTrue(averaged)
        integers = [str(f) for f in averaged if f.type not in ("float", "monetary")]
        self.assertFalse(integers, "averaged integer fields are shown rounded")

    def test_contacts_per_ticket_by_tariff(self):
        tickets = self.Ticket.create(
            [{"name": f"Tariff {i}", "partner_id": self.contact.id} for i in range(3)]
        )
        self.assertEqual(tickets.tariff_id, self.tariff)
        for ticket, count in zip(tickets, (2, 3, 3), strict=True):
            ticket.client_message_count = count
        groups = self.Ticket.read_group(
            [("id", "in", tickets.ids)], ["contacts_per_ticket:avg"], ["tariff_id"]
        )
        self.assertEqual(len(groups), 1)
        self.assertAlmostEqual(groups[0]["contacts_per_ticket"], 8 / 3)
        self.assertEqual(self.Ticket._fields["contacts_per_ticket"].type, "float")
        # an average of 0.5 is not shown as 1
        tickets[0].client_message_count = 1
        tickets[1:].client_message_count = 0
        groups = self.Ticket.read_group(
            [("id", "in", tickets[:2].ids)], ["contacts_per_ticket:avg"], ["tariff_id"]
        )
        self.assertAlmostEqual(groups[0]["contacts_per_ticket"], 0.5)

    def test_tariff_pivot_opens_with_totals(self):
        action = self.env.ref("helpdesk_service.helpdesk_ticket_action_tariff")
        context = ast.literal_eval(action.context)
        self.assertEqual(context.get("pivot_column_groupby"), [])
        Ticket = self.Ticket.with_user(self.manager)
        for measure in context["pivot_measures"]:
            if measure != "__count":
                field = Ticket._fields[measure]
                self.assertEqual(field.type, "float", measure)
                self.assertEqual(field.aggregator, "avg", measure)
        pivot = action.view_ids.filtered(lambda v: v.view_mode == "pivot").view_id
        self.assertTrue(pivot, "the action opens its own pivot")
        arch = etree.fromstring(Ticket.get_view(pivot.id, "pivot")["arch"])
        self.assertFalse(arch.xpath("//field[@type='col']"), "no split by stage")
        self.assertEqual(arch.xpath("//field[@type='row']/@name"), ["tariff_id"])
        for name in arch.xpath("//field[@type='measure']/@name"):
            self.assertEqual(Ticket._fields[name].type, "float", name)

    def test_team_without_ratings(self):
        """A team without ratings says so; it shows no 0 % computed from nothing."""
        self._ticket(name="Open one")
        self.env["helpdesk.kpi"]._cron_refresh()
        kpi = self.env["helpdesk.kpi"].search(
            [("scope", "=", "team"), ("team_id", "=", self.team.id)]
        )
        self.assertEqual(kpi.open_ticket_count, 1)
        self.assertEqual(kpi.rating_count, 0)
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT good_percent, sla_met_percent, avg_contacts FROM helpdesk_kpi "
            "WHERE id = %s",
            [kpi.id],
        )
        self.assertEqual(
            self.env.cr.fetchone(), (None, None, None), "no figure without data"
        )
        team = self.team.with_user(self.agent_a)
        self.assertEqual(team.kpi_rating_count, 0)
        self.assertEqual(team.my_rating_count, 0)
        self.assertEqual(team.my_sla_target_count, 0)
        kanban = etree.fromstring(
            self.env["helpdesk.team"]
            .with_user(self.agent_a)
            .get_view(self.env.ref("helpdesk_service.helpdesk_team_view_kanban").id)[
                "arch"
            ]
        )
        (rating_box,) = kanban.xpath(
            "//div[contains(@class, 'o_helpdesk_service_team_rating')]"
        )
        (shown,) = rating_box.xpath("./t[@t-if]")
        self.assertEqual(shown.get("t-if"), "record.kpi_rating_count.raw_value")
        self.assertIn("kpi_good_percent", shown.xpath(".//field/@name"))
        self.assertIn("No ratings yet", rating_box.xpath("./div[@t-else]")[0].text)
        my_kpi = kanban.xpath("//div[contains(@class, 'o_helpdesk_service_my_kpi')]")[0]
        guarded = {
            node.xpath(".//field/@name")[0]: node.get("t-if")
            for node in my_kpi.xpath("./t[@t-if]")
        }
        self.assertEqual(
            guarded,
            {
                "my_sla_met_percent": "record.my_sla_target_count.raw_value",
                "my_good_percent": "record.my_rating_count.raw_value",
            },
        )

    def test_kpi_list_hides_rates_without_denominator(self):
        arch = etree.fromstring(
            self.env["helpdesk.kpi"].get_view(
                self.env.ref("helpdesk_service.helpdesk_kpi_view_list").id
            )["arch"]
        )
        expected = {
            "good_percent": "not rating_count",
            "sla_met_percent": "not sla_target_count",
            "avg_ack_minutes": "not resolved_count",
            "avg_resolve_hours": "not resolved_count",
            "avg_contacts": "not resolved_count",
        }
        for name, condition in expected.items():
            (node,) = arch.xpath(f"//field[@name='{name}']")
            self.assertEqual(node.get("invisible"), condition, name)
        article_list = etree.fromstring(
            self.env["helpdesk.article"].get_view(
                self.env.ref("helpdesk_service.helpdesk_article_view_list").id
            )["arch"]
        )
        (node,) = article_list.xpath("//field[@name='helpful_percent']")
        self.assertEqual(
            node.get("invisible"), "not helpful_count and not unhelpful_count"
        )
