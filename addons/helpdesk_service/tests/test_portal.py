import json
from unittest.mock import patch

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT


@tagged("post_install", "-at_install", "helpdesk_service")
class TestPortal(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT))
        env = cls.env
        cls.client = env["res.partner"].create(
            {"name": "Portal Client Co", "is_company": True}
        )
        cls.other_client = env["res.partner"].create(
            {"name": "Rival Co", "is_company": True}
        )
        cls.own_user = new_test_user(
            env, login="hd_portal_own", groups="base.group_portal"
        )
        cls.boss_user = new_test_user(
            env, login="hd_portal_boss", groups="base.group_portal"
        )
        cls.other_user = new_test_user(
            env, login="hd_portal_other", groups="base.group_portal"
        )
        cls.own_user.partner_id.write(
            {"parent_id": cls.client.id, "email": "own@example.com"}
        )
        cls.boss_user.partner_id.write(
            {"parent_id": cls.client.id, "helpdesk_portal_scope": "company"}
        )
        cls.other_user.partner_id.write({"parent_id": cls.other_client.id})
        Ticket = env["helpdesk.ticket"]
        cls.stage_resolved = env.ref("helpdesk_service.helpdesk_stage_resolved")
        cls.t_own = Ticket.create(
            {"name": "Own printer", "partner_id": cls.own_user.partner_id.id}
        )
        cls.t_boss = Ticket.create(
            {"name": "Boss laptop", "partner_id": cls.boss_user.partner_id.id}
        )
        cls.t_other = Ticket.create(
            {"name": "Rival router", "partner_id": cls.other_user.partner_id.id}
        )
        cls.secret = env["ir.attachment"].create(
            {
                "name": "boss.txt",
                "raw": b"secret",
                "res_model": "helpdesk.ticket",
                "res_id": cls.t_boss.id,
            }
        )
        cls.site = env["helpdesk.site"].create(
            {"name": "Portal shop", "partner_id": cls.client.id}
        )
        cls.rival_site = env["helpdesk.site"].create(
            {"name": "Rival shop", "partner_id": cls.other_client.id}
        )

    def test_orm_access_follows_the_contact_scope(self):
        Ticket = self.env["helpdesk.ticket"]
        mine = (self.t_own | self.t_boss | self.t_other).ids
        self.assertEqual(
            Ticket.with_user(self.own_user).search([("id", "in", mine)]), self.t_own
        )
        self.assertEqual(
            Ticket.with_user(self.boss_user).search([("id", "in", mine)]),
            self.t_own | self.t_boss,
        )
        self.assertEqual(
            Ticket.with_user(self.other_user).search([("id", "in", mine)]), self.t_other
        )
        with self.assertRaises(AccessError):
            self.t_boss.with_user(self.own_user).read(["name"])
        with self.assertRaises(AccessError):
            self.t_own.with_user(self.own_user).write({"name": "hacked"})
        # following a ticket opens it to an "own tickets" contact
        self.t_boss.message_subscribe(partner_ids=self.own_user.partner_id.ids)
        self.assertTrue(self.t_boss.with_user(self.own_user).read(["name"]))

    def test_pages_json_rpc_and_attachments(self):
        self.authenticate("hd_portal_own", "hd_portal_own")
        page = self.url_open("/my/tickets?filterby=all")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.t_own.ticket_ref, page.text)
        self.assertNotIn(self.t_boss.ticket_ref, page.text)
        self.assertNotIn(self.t_other.ticket_ref, page.text)
        self.assertIn(
            self.t_own.name, self.url_open(f"/my/tickets/{self.t_own.id}").text
        )
        # another contact's ticket by URL: back to /my, nothing leaked
        response = self.url_open(f"/my/tickets/{self.t_boss.id}", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith("/my"))
        # by JSON-RPC
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {
                "model": "helpdesk.ticket",
                "method": "search_read",
                "args": [[]],
                "kwargs": {"fields": ["name"]},
            },
        }
        result = self.url_open(
            "/web/dataset/call_kw",
            data=json.dumps(payload),
            headers={"Content-Type": "application/json"},
        ).json()["result"]
        self.assertEqual(
            {r["id"] for r in result} & {self.t_boss.id, self.t_other.id}, set()
        )
        self.assertIn(self.t_own.id, {r["id"] for r in result})
        payload["params"].update(
            method="read", args=[[self.t_boss.id], ["name"]], kwargs={}
        )
        answer = self.url_open(
            "/web/dataset/call_kw",
            data=json.dumps(payload),
            headers={"Content-Type": "application/json"},
        ).json()
        self.assertIn("error", answer)
        self.assertNotIn("Boss laptop", json.dumps(answer))
        # through an attachment link
        response = self.url_open(f"/web/content/{self.secret.id}")
        self.assertIn(response.status_code, (403, 404))
        self.assertNotIn("secret", response.text)

    def test_answer_rating_buttons_on_the_ticket_page(self):
        agent = new_test_user(
            self.env,
            login="hd_portal_agent",
            groups="base.group_user,helpdesk_service.group_helpdesk_user",
        )
        message = self.t_own.with_user(agent).message_post(
            body="Cable replaced",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        rating = self.env["rating.rating"].search(
            [("helpdesk_message_id", "=", message.id)]
        )
        self.authenticate("hd_portal_own", "hd_portal_own")
        page = self.url_open(f"/my/tickets/{self.t_own.id}").text
        self.assertIn(f"/rate/{rating.access_token}/5", page)
        self.assertIn(f"/rate/{rating.access_token}/1", page)
        # the colleague with the company scope does not rate someone else's answers
        self.authenticate("hd_portal_boss", "hd_portal_boss")
        page = self.url_open(f"/my/tickets/{self.t_own.id}").text
        self.assertNotIn(rating.access_token, page)
        # once rated, the buttons go
        self.t_own.rating_apply(5, token=rating.access_token)
        self.authenticate("hd_portal_own", "hd_portal_own")
        self.assertNotIn(
            rating.access_token, self.url_open(f"/my/tickets/{self.t_own.id}").text
        )

    def test_portal_home_counter(self):
        self.authenticate("hd_portal_boss", "hd_portal_boss")
        counters = self.url_open(
            "/my/counters",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {"counters": ["ticket_count"]},
                }
            ),
            headers={"Content-Type": "application/json"},
        ).json()["result"]
        self.assertEqual(counters["ticket_count"], 2)

    def _submit(self, data, files=None):
        self.authenticate("hd_portal_own", "hd_portal_own")
        page = self.url_open("/my/tickets/new")
        self.assertEqual(page.status_code, 200)
        csrf = page.text.split('name="csrf_token" value="')[1].split('"')[0]
        return self.url_open(
            "/my/tickets/submit",
            data=dict(data, csrf_token=csrf),
            files=files,
            allow_redirects=False,
        )

    def test_create_ticket_with_attachment(self):
        response = self._submit(
            {
                "name": "Scanner offline",
                "description": "<b>bold</b> since 9:00",
                "site_id": str(self.site.id),
            },
            files={"attachments": ("photo.txt", b"jpeg-bytes", "text/plain")},
        )
        self.assertEqual(response.status_code, 303)
        ticket = self.env["helpdesk.ticket"].search([("name", "=", "Scanner offline")])
        self.assertEqual(ticket.partner_id, self.own_user.partner_id)
        self.assertEqual(
            (ticket.channel, ticket.site_id, ticket.priority),
            ("portal", self.site, "1"),
        )
        self.assertNotIn("<b>", ticket.description, "the description is plain text")
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)]
        )
        self.assertEqual(attachment.raw, b"jpeg-bytes")
        message = ticket.message_ids.filtered("attachment_ids")
        self.assertEqual(message.attachment_ids, attachment, "shown in the chatter")
        self.assertEqual(message.author_id, self.own_user.partner_id)
        self.assertFalse(message.subtype_id.internal)
        self.assertEqual(ticket.client_message_count, 0, "not an extra contact")
        self.assertIn(f"/my/tickets/{ticket.id}", response.headers["Location"])

    def test_invalid_input_is_refused(self):
        response = self._submit({"name": "", "description": "x"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("Give your request a subject", response.text)
        response = self._submit(
            {"name": "Other site", "site_id": str(self.rival_site.id)}
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("Choose one of your sites", response.text)
        with patch(
            "odoo.addons.helpdesk_service.controllers.portal.MAX_ATTACHMENT_BYTES", 5
        ):
            response = self._submit(
                {"name": "Big file"},
                files={
                    "attachments": (
                        "big.bin",
                        b"0123456789",
                        "application/octet-stream",
                    )
                },
            )
        self.assertEqual(response.status_code, 400)
        self.assertIn("larger than 10 MB", response.text)
        self.assertFalse(
            self.env["helpdesk.ticket"].search(
                [("name", "in", ("Other site", "Big file"))]
            )
        )
        # no CSRF token, no ticket
        self.authenticate("hd_portal_own", "hd_portal_own")
        response = self.url_open("/my/tickets/submit", data={"name": "No token"})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(
            self.env["helpdesk.ticket"].search([("name", "=", "No token")])
        )

    def test_close_and_reopen(self):
        self.t_own.stage_id = self.stage_resolved
        self.authenticate("hd_portal_own", "hd_portal_own")
        page = self.url_open(f"/my/tickets/{self.t_own.id}")
        csrf = page.text.split('name="csrf_token" value="')[1].split('"')[0]
        self.url_open(f"/my/tickets/{self.t_own.id}/close", data={"csrf_token": csrf})
        self.assertEqual(self.t_own.stage_kind, "closed")
        response = self.url_open(
            f"/my/tickets/{self.t_own.id}/reopen",
            data={"csrf_token": csrf, "reason": ""},
        )
        self.assertIn("Tell us why", response.text)
        self.url_open(
            f"/my/tickets/{self.t_own.id}/reopen",
            data={"csrf_token": csrf, "reason": "Broken again"},
        )
        self.assertEqual(self.t_own.stage_kind, "in_progress")
        self.assertEqual(self.t_own.reopen_count, 1)
        self.assertIn("Broken again", str(self.t_own.message_ids.mapped("body")))
        # another client's ticket cannot be closed
        self.t_other.stage_id = self.stage_resolved
        self.url_open(f"/my/tickets/{self.t_other.id}/close", data={"csrf_token": csrf})
        self.assertEqual(self.t_other.stage_kind, "resolved")
        # past the window, no reopening
        self.t_own.stage_id = self.stage_resolved
        self.env["ir.config_parameter"].set_param(
            "helpdesk_service.portal_reopen_days", "-1"
        )
        response = self.url_open(
            f"/my/tickets/{self.t_own.id}/reopen",
            data={"csrf_token": csrf, "reason": "again"},
        )
        self.assertIn("too long", response.text)
        self.assertEqual(self.t_own.stage_kind, "resolved")

    def test_portal_tour_create_and_reply(self):
        self.start_tour(
            "/my/tickets", "helpdesk_service_portal_tour", login="hd_portal_own"
        )
        ticket = self.env["helpdesk.ticket"].search(
            [("name", "=", "Tour: card reader broken")]
        )
        self.assertEqual(ticket.partner_id, self.own_user.partner_id)
        self.assertEqual(ticket.channel, "portal")
        self.assertIn("Serial 4711", str(ticket.message_ids.mapped("body")))
        self.assertEqual(ticket.message_ids.attachment_ids.name, "reader-log.txt")
        self.assertGreaterEqual(ticket.client_message_count, 1)

    def test_portal_tour_rate_close_reopen(self):
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Tour resolved scanner",
                "partner_id": self.own_user.partner_id.id,
            }
        )
        ticket.message_subscribe(self.own_user.partner_id.ids)
        agent = new_test_user(
            self.env,
            login="hd_portal_tour_agent",
            groups="base.group_user,helpdesk_service.group_helpdesk_user",
        )
        ticket.with_user(agent).message_post(
            body="Restart the scanner, it works again.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        ticket.stage_id = self.stage_resolved
        self.start_tour(
            "/my/tickets?filterby=all",
            "helpdesk_service_portal_lifecycle_tour",
            login="hd_portal_own",
        )
        rating = self.env["rating.rating"].search(
            [
                ("res_model", "=", "helpdesk.ticket"),
                ("res_id", "=", ticket.id),
                ("helpdesk_kind", "=", "answer"),
            ]
        )
        self.assertEqual((rating.rating, rating.consumed), (5.0, True))
        self.assertEqual(rating.feedback, "Fast and clear, thanks")
        self.assertEqual(ticket.stage_kind, "in_progress")
        self.assertEqual(ticket.reopen_count, 1)
        self.assertIn(
            "It stopped scanning again", str(ticket.message_ids.mapped("body"))
        )

    def test_ticket_list_filters_by_site_and_equipment(self):
        Equipment = self.env["helpdesk.equipment"]
        scanner = Equipment.create(
            {"name": "Filter scanner", "partner_id": self.client.id}
        )
        rival_item = Equipment.create(
            {"name": "Rival filter item", "partner_id": self.other_client.id}
        )
        self.t_boss.write({"site_id": self.site.id, "equipment_ids": scanner.ids})
        self.authenticate("hd_portal_boss", "hd_portal_boss")
        listing = self.url_open("/my/tickets?filterby=all").text
        self.assertIn(self.t_own.ticket_ref, listing)
        self.assertIn("Portal shop", listing, "the site filter offers his sites")
        self.assertNotIn("Rival shop", listing)
        by_site = self.url_open(f"/my/tickets?filterby=all&site_id={self.site.id}").text
        self.assertIn(self.t_boss.ticket_ref, by_site)
        self.assertNotIn(self.t_own.ticket_ref, by_site)
        by_item = self.url_open(
            f"/my/tickets?filterby=all&equipment_id={scanner.id}"
        ).text
        self.assertIn(self.t_boss.ticket_ref, by_item)
        self.assertNotIn(self.t_own.ticket_ref, by_item)
        self.assertIn("Equipment: Filter scanner", by_item)
        # another client's site or item is ignored, nothing of his shows
        for query in (
            f"site_id={self.rival_site.id}",
            f"equipment_id={rival_item.id}",
            "equipment_id=abc",
        ):
            page = self.url_open(f"/my/tickets?filterby=all&{query}")
            self.assertEqual(page.status_code, 200)
            self.assertIn(self.t_own.ticket_ref, page.text)
            self.assertNotIn(self.t_other.ticket_ref, page.text)
            self.assertNotIn("Rival filter item", page.text)

    def test_equipment_pages(self):
        Equipment = self.env["helpdesk.equipment"]
        mine = Equipment.create(
            {
                "name": "Shop scanner",
                "partner_id": self.client.id,
                "site_id": self.site.id,
                "serial_number": "PORTAL-SN-1",
            }
        )
        rival = Equipment.create(
            {
                "name": "Rival scanner",
                "partner_id": self.other_client.id,
                "serial_number": "PORTAL-SN-2",
            }
        )
        self.t_own.equipment_ids = mine
        self.t_boss.equipment_ids = mine
        self.authenticate("hd_portal_own", "hd_portal_own")
        page = self.url_open("/my/equipment?search=PORTAL-SN").text
        self.assertIn("Shop scanner", page)
        self.assertNotIn("Rival scanner", page)
        detail = self.url_open(f"/my/equipment/{mine.id}").text
        self.assertIn("PORTAL-SN-1", detail)
        self.assertIn(self.t_own.ticket_ref, detail)
        self.assertNotIn(self.t_boss.ticket_ref, detail, "only the tickets he may see")
        response = self.url_open(f"/my/equipment/{rival.id}", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        with self.assertRaises(AccessError):
            rival.with_user(self.own_user).read(["name"])
        with self.assertRaises(AccessError):
            mine.with_user(self.own_user).write({"name": "Renamed"})
        self.authenticate("hd_portal_boss", "hd_portal_boss")
        detail = self.url_open(f"/my/equipment/{mine.id}").text
        self.assertIn(self.t_boss.ticket_ref, detail)
