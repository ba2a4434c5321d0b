"""Realistic benchmark data, generated through the ORM in batches.

Tickets arrive in waves spread over a period ending now. Each wave is created in
one batch with Odoo's clock (`fields.Datetime.now`) set to the wave's time, then
lives its life in batch writes at later clock times: acknowledgement, agent
replies (chatter messages, ratings), waiting for the client and his answer,
resolution and closing. So the timelines, the derived dates, the SLA targets and
the KPI inputs are the addons' own, as in production. Steps that would fall after
the real now do not happen yet: those tickets stay open."""

import math
import random
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from unittest import mock

from markupsafe import Markup

from odoo import Command, fields
from odoo.tools import SQL

GEN_PARAM = "helpdesk_bench.generated"
STEP_ORDER = ("ack", "reply", "wait", "answer", "resolve", "close")

SUBJECTS = [
    "{eq} does not start",
    "{eq} shows an error code",
    "Paper jam on {eq}",
    "{eq} is very slow",
    "Cannot log in on {eq}",
    "{eq} lost its network connection",
    "Replace the toner of {eq}",
    "{eq} makes a strange noise",
    "Update the software of {eq}",
    "{eq} needs a new user account",
]
EQUIPMENT_WORDS = [
    "the cash register",
    "the receipt printer",
    "the office printer",
    "my laptop",
    "the reception PC",
    "the router",
    "the file server",
    "the tachograph",
    "the scanner",
    "the phone system",
]
CITIES = ["Lyon", "Porto", "Gdansk", "Leeds", "Graz", "Ghent", "Turin", "Brno"]
WORDS = ["North", "Blue", "Oak", "River", "Star", "Iron", "Green", "Silver", "Bay"]
TRADES = ["Retail", "Logistics", "Bakery", "Pharmacy", "Hotels", "Garage", "Foods"]

KB_ARTICLES = 10_000
# the four teams (the same on the OCA peer) and their shares of the tickets
TEAM_NAMES = ("Service Desk", "Network", "Field Service", "Key Accounts")
TEAM_WEIGHTS = [50, 20, 20, 10]
KB_TEXTS = {
    "en": {
        "equipment": EQUIPMENT_WORDS,
        "titles": SUBJECTS,
        "sentences": [
            "Switch {eq} off, wait thirty seconds and switch it on again.",
            "Check that every cable of {eq} is plugged in firmly.",
            "Write down the error code that {eq} shows on its screen.",
            "Open the settings of {eq} and install the latest update.",
            "Replace the toner cartridge with a spare from the supply cabinet.",
            "If the problem stays, open a request with a photo of the screen.",
            "Restart the router before calling the provider.",
            "Sign in again with your company account and the second factor.",
        ],
    },
    "ja": {
        "equipment": [
            "レジ",
            "レシートプリンター",
            "複合機",
            "ノートパソコン",
            "受付のパソコン",
            "ルーター",
            "ファイルサーバー",
            "スキャナー",
            "電話システム",
            "タブレット",
        ],
        "titles": [
            "{eq}の電源が入らない",
            "{eq}で印刷できない",
            "{eq}にエラーコードが表示される",
            "{eq}の動作が遅い",
            "{eq}にログインできない",
            "{eq}がネットワークに接続できない",
            "{eq}のトナー交換",
            "{eq}から異音がする",
        ],
        "sentences": [
            "まず{eq}の電源を切り、30秒待ってから入れ直してください。",
            "{eq}のケーブルがしっかり接続されているか確認してください。",
            "画面に表示されたエラーコードを控えてください。",
            "{eq}の設定画面から最新のソフトウェアに更新してください。",
            "予備のトナーカートリッジは備品棚にあります。",
            "改善しない場合は、画面の写真を添えてお問い合わせください。",
            "プロバイダーに連絡する前にルーターを再起動してください。",
            "会社のアカウントと二要素認証でもう一度サインインしてください。",
        ],
    },
    "ru": {
        "equipment": [
            "кассовый аппарат",
            "принтер чеков",
            "офисный принтер",
            "ноутбук",
            "компьютер на ресепшене",
            "роутер",
            "файловый сервер",
            "сканер",
            "телефонная станция",
            "планшет",
        ],
        "titles": [
            "Не включается: {eq}",
            "Код ошибки на экране: {eq}",
            "Замена картриджа: {eq}",
            "Медленно работает: {eq}",
            "Не удаётся войти: {eq}",
            "Нет подключения к сети: {eq}",
            "Странный шум: {eq}",
            "Обновление программы: {eq}",
        ],
        "sentences": [
            "Выключите {eq}, подождите тридцать секунд и включите снова.",
            "Проверьте, что все кабели надёжно подключены.",
            "Запишите код ошибки, который показывает экран.",
            "Откройте настройки и установите последнее обновление.",
            "Запасные картриджи для принтера лежат в шкафу с расходниками.",
            "Если проблема осталась, создайте заявку с фотографией экрана.",
            "Перезапустите роутер, прежде чем звонить провайдеру.",
            "Войдите снова с учётной записью компании и вторым фактором.",
        ],
    },
}


@dataclass
class Sizes:
    scale: float
    tickets: int
    equipment: int
    contracts: int
    portal_users: int
    clients: int
    agents: int
    big_client_tickets: int
    timesheets: int
    span_days: int
    open_share: float
    backlog_hours: float

    @classmethod
    def from_scale(cls, scale, open_share=0.3, backlog_hours=24.0):
        def n(full, minimum):
            return max(minimum, round(full * scale))

        tickets = n(100_000, 200)
        return cls(
            scale=scale,
            tickets=tickets,
            equipment=n(10_000, 50),
            contracts=n(1_000, 5),
            portal_users=n(500, 10),
            clients=n(100, 10),
            agents=n(60, 6),
            big_client_tickets=min(n(1_000, 50), tickets // 2),
            timesheets=n(10_000, 50),
            # at least the previous month, which the invoicing run bills
            span_days=max(70, round(365 * scale)),
            open_share=open_share,
            backlog_hours=backlog_hours,
        )

    def as_dict(self):
        return asdict(self)


# the generation's context: no tracking nor notification messages
GEN_CONTEXT = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_notrack": True,
    "mail_auto_subscribe_no_notify": True,
    "mail_create_nosubscribe": False,
}


def generate(registry, generator_class, args, log, addons_hash=None, previous=None):
    """Generate the data at args.scale (--open-share, --sla-backlog-hours) with
    generator_class, or grow the data of `previous` (its stored record) to it.
    Returns the statistics."""
    from odoo import SUPERUSER_ID, api

    sizes = Sizes.from_scale(
        args.scale, open_share=args.open_share, backlog_hours=args.sla_backlog_hours
    )
    log(f"{'growing' if previous else 'generating'} data: {sizes.as_dict()}")
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, GEN_CONTEXT)
        return generator_class(env, sizes, log).run(addons_hash, previous=previous)


def should_grow(generation, args, log):
    """Whether the reused data (--keep) is to grow to args.scale: it does when
    generated at a smaller scale; larger data is measured as it is."""
    scale = generation["sizes"]["scale"]
    if scale < args.scale:
        log(f"  its data is at scale {scale}: growing it to {args.scale}")
        return True
    if scale != args.scale:
        log(f"  note: its data is at scale {scale} (it does not shrink)")
    return False


@contextmanager
def odoo_clock(moment):
    """Odoo's `fields.Datetime.now()` returns `moment` inside the block."""
    with mock.patch.object(
        fields.Datetime, "now", staticmethod(lambda *args, **kw: moment)
    ):
        yield


def chunks(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def contract_vals(recurrence, name, partner, journal, product, lines, invoiced_until):
    """The values of a sale contract of `partner` invoiced until
    `invoiced_until`, with a line of `product` per (description, unit price)
    of `lines`, all on the `recurrence`."""
    return dict(
        recurrence,
        name=name,
        partner_id=partner.id,
        contract_type="sale",
        journal_id=journal.id,
        line_recurrence=False,
        contract_line_ids=[
            Command.create(
                dict(
                    recurrence,
                    product_id=product.id,
                    name=description,
                    quantity=1,
                    uom_id=product.uom_id.id,
                    price_unit=price,
                    last_date_invoiced=invoiced_until,
                )
            )
            for description, price in lines
        ],
    )


def settle_sla(env, horizon):
    """As if the escalation cron had run until `horizon`: the SLA targets due
    before it are marked escalated (or warned), without the cron's side effects
    (activities, notes, e-mails); what falls due after is left for the measured
    cron run. Commits. Returns (escalated, warned) line counts."""
    Line = env["helpdesk.ticket.sla"]
    escalated = warned = 0
    while lines := Line.search(Line._get_breach_domain(horizon), limit=5000):
        lines.write({"status": "failed", "is_escalated": True, "is_warned": True})
        env.flush_all()
        env.cr.execute(
            SQL(
                "UPDATE helpdesk_ticket_sla SET date_escalated = deadline "
                "+ interval '2 minutes' WHERE id IN %s",
                tuple(lines.ids),
            )
        )
        escalated += len(lines)
        env.cr.commit()
        env.invalidate_all()
    while lines := Line.search(Line._get_warning_domain(horizon), limit=5000):
        lines.write({"is_warned": True})
        warned += len(lines)
        env.cr.commit()
        env.invalidate_all()
    return escalated, warned


class Generator:
    """Generates the data up to `sizes`: all of it in a new database, or what
    is missing in one a former run generated at a smaller scale (`run` with
    `previous`): the missing agents, clients, portal users, sites, equipment,
    contracts, timesheets and work lines, and the missing tickets in waves
    before the oldest ones, with the same lifecycle. The OCA peer's generator
    (bench/peer.py) overrides the hooks marked so."""

    # hooks: where the generation is recorded, the models and fields that
    # differ on the peer
    gen_param = GEN_PARAM
    team_model = "helpdesk.team"
    member_field = "member_ids"
    type_model = "helpdesk.ticket.type"
    received_field = "date_received"
    timesheet_ticket_field = "helpdesk_ticket_id"
    step_prefix = ""

    def __init__(self, env, sizes, log, seed=42):
        self.env = env
        self.cr = env.cr
        self.sizes = sizes
        self.log = log
        self.rng = random.Random(seed)
        self.now = datetime.now().replace(microsecond=0)
        self.stats = {}
        self.ref = env.ref

    # ------------------------------------------------------------ helpers
    def commit(self):
        self.cr.commit()
        self.env.invalidate_all()

    @staticmethod
    def _known(Model, vals_list):
        """vals_list without the fields the model lacks (the OCA peer's data,
        bench/peer.py, reuses this generator)."""
        return [
            {k: v for k, v in vals.items() if k in Model._fields} for vals in vals_list
        ]

    def stage(self, kind):
        return self.ref(f"helpdesk_service.helpdesk_stage_{kind}")

    def _bench(self, model, field="name", pattern="Bench %", **kw):
        """The bench's records of `model` (a former generation's), by id."""
        Model = self.env[model].with_context(active_test=False)
        return Model.search([(field, "=like", pattern)], order="id", **kw)

    def make_staff(self, agent_groups, manager_group):
        """The manager and the agents that are missing, with their employees
        (timesheets). Returns the new agents."""
        env = self.env
        Users = env["res.users"].with_context(no_reset_password=True)
        self.manager = self._bench("res.users", "login", "bench.manager")
        if not self.manager:
            self.manager = Users.create(
                {
                    "name": "Bench Manager",
                    "login": "bench.manager",
                    "email": "bench.manager@example.com",
                    "groups_id": [Command.set(manager_group.ids)],
                }
            )
        self.agents = self._bench("res.users", "login", "bench.agent.%")
        new = Users.create(
            [
                {
                    "name": f"Bench Agent {i:03d}",
                    "login": f"bench.agent.{i:03d}",
                    "email": f"bench.agent.{i:03d}@example.com",
                    "groups_id": [Command.set(agent_groups.ids)],
                }
                for i in range(len(self.agents) + 1, self.sizes.agents + 1)
            ]
        )
        self.agents |= new
        staff = self.manager | self.agents
        existing = env["hr.employee"].search([("user_id", "in", staff.ids)])
        env["hr.employee"].create(
            [
                {"name": user.name, "user_id": user.id, "hourly_cost": 40.0}
                for user in staff - existing.user_id
            ]
        )
        self._agent_skills(new)
        return new

    def team_members(self):
        """The agents of the four teams: the first half on the Service Desk,
        the second quarter on Network too, then Field Service, Key Accounts."""
        agents = self.agents
        quarter = max(1, len(agents) // 4)
        return [
            agents[: 2 * quarter],
            agents[quarter : 2 * quarter],
            agents[2 * quarter : 3 * quarter],
            agents[3 * quarter :],
        ]

    def load_config(self):
        """The configuration a former generation made (growing its data):
        tariffs, ticket types, tags, the four teams, on which the agents are
        spread again (there may be more of them now)."""
        Tag = self.env["res.partner.category"]
        self.gold = Tag.search([("name", "=", "Bench Gold")], limit=1)
        self.silver = Tag.search([("name", "=", "Bench Silver")], limit=1)
        self.types = self._bench(self.type_model)
        self.tags = self._bench("helpdesk.ticket.tag")
        teams = {team.name: team for team in self._bench(self.team_model)}
        self.teams = self.env[self.team_model].concat(
            *(teams[f"Bench {name}"] for name in TEAM_NAMES)
        )
        self.team_weights = TEAM_WEIGHTS
        self.make_staff(*self.staff_groups())
        for team, members in zip(self.teams, self.team_members(), strict=True):
            team[self.member_field] = [Command.set(members.ids)]

    def staff_groups(self):
        """Hook: (groups of the agents, of the manager)."""
        # agents create the contacts of the clients who call
        return (
            self.ref("helpdesk_service.group_helpdesk_user")
            | self.ref("base.group_partner_manager"),
            self.ref("helpdesk_service.group_helpdesk_manager"),
        )

    # ------------------------------------------------------------ configuration
    def setup_config(self):
        env = self.env
        company = env.company
        calendar = company.resource_calendar_id
        Tag = env["res.partner.category"]
        self.gold, self.silver = Tag.create(
            [
                {"name": "Bench Gold", "is_helpdesk_tariff": True},
                {"name": "Bench Silver", "is_helpdesk_tariff": True},
            ]
        )
        waiting = self.stage("waiting")
        env["helpdesk.sla"].create(
            [
                {
                    "name": "Bench Gold: ack 10 min, report 30 min, resolve 8 h",
                    "sequence": 10,
                    "ack_minutes": 10,
                    "report_minutes": 30,
                    "resolve_hours": 8,
                    "resource_calendar_id": calendar.id,
                    "partner_category_ids": [Command.set(self.gold.ids)],
                    "pause_stage_ids": [Command.set(waiting.ids)],
                },
                {
                    "name": "Bench Silver: ack 30 min, report 2 h, resolve 24 h",
                    "sequence": 20,
                    "ack_minutes": 30,
                    "report_minutes": 120,
                    "resolve_hours": 24,
                    "resource_calendar_id": calendar.id,
                    "partner_category_ids": [Command.set(self.silver.ids)],
                    "pause_stage_ids": [Command.set(waiting.ids)],
                },
            ]
        )
        # hr_skills' skills of the Helpdesk type, on the agents' employees
        skill_type = self.ref("helpdesk_service.hr_skill_type_helpdesk")
        skills = env["hr.skill"].create(
            [
                {"name": f"Bench {name}", "skill_type_id": skill_type.id}
                for name in ("Printers", "Networks", "POS")
            ]
        )
        self.types = env["helpdesk.ticket.type"].create(
            [
                {"name": "Bench Incident"},
                {"name": "Bench Service request"},
                {"name": "Bench Question"},
                {"name": "Bench On-site repair", "skill_id": skills[0].id},
                {"name": "Bench Network issue", "skill_id": skills[1].id},
                {"name": "Bench POS failure", "skill_id": skills[2].id},
            ]
        )
        self.tags = env["helpdesk.ticket.tag"].create(
            [{"name": f"Bench {t}"} for t in ("hardware", "software", "billing")]
        )
        # agents, a manager, their employees (timesheets)
        self.make_staff(*self.staff_groups())
        # teams: the installed one plus three, all on the five shared stages
        stages = env["helpdesk.stage"].search([])  # pylint: disable=no-search-all
        members = self.team_members()
        support = self.ref("helpdesk_service.helpdesk_team_support")
        support.write(
            {
                "name": "Bench Service Desk",
                "assign_method": "round_robin",
                "visibility": "all",
                "user_id": self.manager.id,
                "member_ids": [Command.set(members[0].ids)],
            }
        )
        others = env["helpdesk.team"].create(
            [
                {
                    "name": f"Bench {name}",
                    "assign_method": method,
                    "visibility": visibility,
                    "user_id": self.manager.id,
                    "member_ids": [Command.set(team_members.ids)],
                    "stage_ids": [Command.set(stages.ids)],
                }
                for name, method, visibility, team_members in zip(
                    TEAM_NAMES[1:],
                    ("least_open", "skill", "manual"),
                    ("all", "members", "members"),
                    members[1:],
                    strict=True,
                )
            ]
        )
        self.teams = support | others
        self.team_weights = TEAM_WEIGHTS
        # the agent whose reads are measured: a Service Desk member
        self.stats["agent_login"] = self.agents[0].login
        self.commit()

    def _agent_skills(self, agents):
        """Hook: the skills of new agents (skill-based assignment), on their
        employees (hr_skills)."""
        skill_type = self.ref("helpdesk_service.hr_skill_type_helpdesk")
        skills = self._bench("hr.skill")
        levels = skill_type.skill_level_ids.sorted("level_progress")
        position = {agent.id: i for i, agent in enumerate(self.agents)}
        employees = self.env["hr.employee"].search([("user_id", "in", agents.ids)])
        self.env["hr.employee.skill"].create(
            [
                {
                    "employee_id": employee.id,
                    "skill_type_id": skill_type.id,
                    "skill_id": skills[i % len(skills)].id,
                    "skill_level_id": levels[i % len(levels)].id,
                }
                for employee in employees
                for i in [position[employee.user_id.id]]
            ]
        )

    def _start(self):
        """Hook, once configured: no acknowledgement e-mails while generating
        (restored by _finish)."""
        self.ack_templates = {team.id: team.ack_template_id.id for team in self.teams}
        self.teams.write({"ack_template_id": False})

    def _finish(self):
        """Hook, once generated."""
        for team in self.teams:
            team.ack_template_id = self.ack_templates[team.id]

    # ------------------------------------------------------------ clients
    def make_clients(self):
        env, rng, sizes = self.env, self.rng, self.sizes
        Partner = env["res.partner"]
        existing = self._bench("res.partner", "email", "office%@client%.example.com")
        vals = []
        for i in range(len(existing), sizes.clients):
            name = f"{rng.choice(WORDS)} {rng.choice(TRADES)} {i:03d}"
            # tariffs (SLA on service hours) for about one ticket in six
            tags = []
            if i % 20 == 7:
                tags = self.gold.ids
            elif i % 10 == 4:
                tags = self.silver.ids
            vals.append(
                {
                    "name": name if i else "Bench Big Client Ltd",
                    "is_company": True,
                    "email": f"office{i:03d}@client{i:03d}.example.com",
                    "phone": f"+33 4 00 00 {i:04d}",
                    "city": rng.choice(CITIES),
                    "category_id": [Command.set(tags)],
                    "is_helpdesk_vip": i % 25 == 3,
                }
            )
        new = Partner.create(self._known(Partner, vals))
        self.clients = existing | new
        self.big_client = self.clients[0]
        # plain contacts (2 per client), then portal users (their own contacts)
        contact_vals = []
        for client in new:
            for j in range(2):
                contact_vals.append(
                    {
                        "name": f"Contact {j} of {client.name}",
                        "parent_id": client.id,
                        "email": f"c{j}.{client.id}@example.com",
                        "helpdesk_role": "executive" if j == 1 else "requester",
                    }
                )
        Partner.create(self._known(Partner, contact_vals))
        portal_group = self.ref("base.group_portal")
        # the "company" scope is a group (implying portal) of the contact's user;
        # the peer has no such group: its portal users are all alike
        company_group = (
            env.ref(
                "helpdesk_service.group_helpdesk_portal_company",
                raise_if_not_found=False,
            )
            or portal_group
        )
        Users = env["res.users"].with_context(no_reset_password=True)
        user_vals = []
        first = len(self._bench("res.users", "login", "bench.portal.%"))
        for i in range(first, sizes.portal_users):
            client = self.clients[i % len(self.clients)]
            user_vals.append(
                {
                    "name": f"Portal User {i:04d}",
                    "login": f"bench.portal.{i:04d}@example.com",
                    "email": f"bench.portal.{i:04d}@example.com",
                    "parent_id": client.id,
                    "groups_id": [
                        Command.set((company_group if i % 3 == 0 else portal_group).ids)
                    ],
                }
            )
        portal_users = self.env["res.users"]
        for batch in chunks(user_vals, 500):
            portal_users |= Users.create(self._known(Users, batch))
        if not first:
            # the measured portal user: company scope at the big client, with a
            # password
            self.portal_user = portal_users[0]
            self.portal_user.write({"password": "bench"})
            self.stats["portal_login"] = self.portal_user.login
        # contact persons only: a site's address is a child "other" address
        self.contacts_by_client = {
            client.id: client.child_ids.filtered(lambda c: c.type == "contact").ids
            for client in self.clients
        }
        self.commit()

    # ------------------------------------------------------------ equipment
    def make_equipment(self):
        env, rng, sizes = self.env, self.rng, self.sizes
        Site = env["helpdesk.site"]
        old_sites = Site.search([("partner_id", "in", self.clients.ids)], order="id")
        # three sites per client, more when it has more contracts (one a site)
        per_client = max(3, math.ceil(sizes.contracts / len(self.clients)))
        labels = ["Head office", "Warehouse"] + [
            f"Shop {i}" for i in range(1, per_client - 1)
        ]
        site_vals = [
            {
                "name": f"{client.name} - {label}",
                "partner_id": client.id,
                "city": rng.choice(CITIES),
                "street": f"{rng.randint(1, 200)} Main Street",
            }
            for client in self.clients - old_sites.partner_id
            for label in labels
        ]
        sites = old_sites | Site.create(site_vals)
        sites_by_client = defaultdict(list)
        for site in sites:
            sites_by_client[site.partner_id.id].append(site.id)
        self.sites_by_client = sites_by_client
        models = self._bench(
            "helpdesk.equipment.model", "manufacturer_id.name", "Bench Maker %"
        )
        models = models or self._equipment_models()
        Equipment = env["helpdesk.equipment"]
        existing = Equipment.search([("partner_id", "in", self.clients.ids)])
        today = date.today()
        vals = []
        for i in range(len(existing), sizes.equipment):
            client = self.clients[int(len(self.clients) * rng.random() ** 1.5)]
            installed = today - timedelta(days=rng.randint(30, 2000))
            vals.append(
                {
                    "partner_id": client.id,
                    "site_id": rng.choice(sites_by_client[client.id]),
                    "model_id": rng.choice(models.ids),
                    "serial_number": f"SN{i:08d}",
                    "inventory_number": f"INV-{i:06d}",
                    "date_installed": installed,
                    "date_warranty_end": installed + timedelta(days=730),
                }
            )
        self.equipment_by_client = defaultdict(list)
        for item in existing:
            self.equipment_by_client[item.partner_id.id].append(item.id)
        for batch in chunks(vals, 2000):
            for item in Equipment.create(batch):
                self.equipment_by_client[item.partner_id.id].append(item.id)
            self.commit()
        self.stats["sites"] = len(sites)

    def _equipment_models(self):
        env = self.env
        types = env["helpdesk.equipment.type"].create(
            [
                {"name": f"Bench {n}"}
                for n in ("PC", "Laptop", "Printer", "Cash register", "Router")
            ]
        )
        makers = env["helpdesk.equipment.manufacturer"].create(
            [{"name": f"Bench Maker {i}"} for i in range(10)]
        )
        return env["helpdesk.equipment.model"].create(
            [
                {
                    "name": f"Model {i:02d}",
                    "manufacturer_id": makers[i % len(makers)].id,
                    "type_id": types[i % len(types)].id,
                }
                for i in range(30)
            ]
        )

    # ------------------------------------------------------------ tickets
    def _ticket_clients(self, count, big_count):
        """Client of each ticket: the big client gets its share (`big_count`)
        spread over the period, the others a skewed share (a few big clients,
        many small)."""
        rng = self.rng
        others = self.clients[1:]
        big = set(rng.sample(range(count), big_count))
        return [
            self.big_client
            if i in big
            else others[int(len(others) * rng.random() ** 2)]
            for i in range(count)
        ]

    def _ticket_vals(self, client, moment):
        """Hook: the values of a ticket of the wave at `moment`."""
        rng = self.rng
        received = moment - timedelta(seconds=rng.randint(0, 600))
        team_index = rng.choices(range(len(self.teams)), self.team_weights)[0]
        team = self.teams[team_index]
        contacts = self.contacts_by_client[client.id]
        vals = {
            "name": rng.choice(SUBJECTS).format(eq=rng.choice(EQUIPMENT_WORDS)),
            "description": Markup("<p>%s</p>")
            % "Reported by the client; details in the conversation.",
            "partner_id": rng.choice(contacts),
            "team_id": team.id,
            "type_id": rng.choice(self.types.ids),
            "priority": rng.choices(["0", "1", "2", "3"], [20, 55, 20, 5])[0],
            "channel": rng.choices(
                ["email", "phone", "portal", "web", "internal"], [35, 30, 25, 5, 5]
            )[0],
            "date_received": received,
        }
        if rng.random() < 0.25:
            vals["tag_ids"] = [Command.set([rng.choice(self.tags.ids)])]
        equipment = self.equipment_by_client.get(client.id)
        if equipment and rng.random() < 0.4:
            vals["equipment_ids"] = [Command.set([rng.choice(equipment)])]
        if team.assign_method == "manual" and rng.random() < 0.7:
            vals["user_id"] = rng.choice(team.member_ids.ids)
        return vals

    def _plan(self, tickets):
        """{minutes after arrival: [(action, ticket ids)]} of one wave."""
        rng, sizes = self.rng, self.sizes
        steps = defaultdict(lambda: defaultdict(list))
        for ticket in tickets:
            fate_roll = rng.random()
            if fate_roll < sizes.open_share:
                fate = rng.choices(["new", "progress", "waiting"], [15, 55, 30])[0]
            else:
                fate = "done"
            if fate == "new":
                continue
            ack = rng.choice([5, 30])
            steps[ack]["ack"].append(ticket.id)
            if fate != "progress" or rng.random() < 0.7:
                steps[ack + rng.choice([10, 120])]["reply"].append(ticket.id)
            if fate == "waiting" or (fate == "done" and rng.random() < 0.3):
                steps[240]["wait"].append(ticket.id)
                if fate == "done":
                    steps[1440]["answer"].append(ticket.id)
                    steps[2880]["resolve"].append(ticket.id)
                    steps[2880 + 10080]["close"].append(ticket.id)
            elif fate == "done":
                resolve = rng.choice([480, 2880])
                steps[resolve]["resolve"].append(ticket.id)
                steps[resolve + 10080]["close"].append(ticket.id)
        return steps

    def make_tickets(self):
        """The missing tickets, in waves, each lived through its lifecycle:
        all of them over the sizes.span_days ending now, or (growing) those
        missing over the period before the oldest ones."""
        sizes = self.sizes
        Ticket = self.env["helpdesk.ticket"]
        existing = Ticket.with_context(active_test=False).search(
            [], order=f"{self.received_field} asc", limit=1
        )
        n = sizes.tickets - Ticket.with_context(active_test=False).search_count([])
        if n <= 0:
            return
        start = self.now - timedelta(days=sizes.span_days)
        end = self.now - timedelta(minutes=30)
        if existing:
            end = min(end, existing[self.received_field] - timedelta(minutes=30))
            start = min(start, end - timedelta(days=1))
        waves = max(1, min(n // 20, round(2 * (end - start) / timedelta(days=1))))
        wave_size = math.ceil(n / waves)
        step = (end - start) / waves
        big_client_tickets = Ticket.search_count(
            [("partner_id", "child_of", self.big_client.id)]
        )
        clients = self._ticket_clients(
            n, min(n, max(0, sizes.big_client_tickets - big_client_tickets))
        )
        created = 0
        counts = self.stats.setdefault("ticket_steps", {})
        with self._ticket_patches():
            for w in range(waves):
                batch_clients = clients[w * wave_size : (w + 1) * wave_size]
                if not batch_clients:
                    break
                moment = start + step * (w + 1)
                vals = [self._ticket_vals(client, moment) for client in batch_clients]
                with self._clock(moment):
                    tickets = Ticket.create(vals)
                plan = [
                    (moment + timedelta(minutes=offset), action, ids)
                    for offset, actions in sorted(self._plan(tickets).items())
                    for action in STEP_ORDER
                    if (ids := actions.get(action))
                    and moment + timedelta(minutes=offset) <= self.now
                ]
                last = {tid: i for i, (_w, _a, ids) in enumerate(plan) for tid in ids}
                with self._clock(moment):
                    self._sync(
                        tickets.filtered(lambda t, d=last: t.id not in d), moment
                    )
                for i, (when, action, ids) in enumerate(plan):
                    with self._clock(when):
                        getattr(self, f"_do_{action}")(Ticket.browse(ids), when)
                        self._sync(
                            Ticket.browse([tid for tid in ids if last[tid] == i]), when
                        )
                    counts[action] = counts.get(action, 0) + len(ids)
                created += len(tickets)
                if w % 5 == 4 or w == waves - 1:
                    self.commit()
                    self.log(f"  {self.step_prefix}tickets {created}/{n}")

    @contextmanager
    def _ticket_patches(self):
        """Hook: around the generation of the tickets. The SLA lines of a
        ticket are brought up to date once, after its last step, at that step's
        time (_sync): the syncs in between (create, every stage change) give the
        same end result and cost most of the time with working-time
        calendars."""
        TicketClass = self.env.registry["helpdesk.ticket"]
        self._real_sync = TicketClass._sla_sync
        with mock.patch.object(TicketClass, "_sla_sync", lambda self, now=None: True):
            yield

    def _sync(self, tickets, when):
        """Hook: the SLA lines of tickets after their last step."""
        self._real_sync(tickets, when)

    def _clock(self, moment):
        """Hook: Odoo's clock set to `moment`."""
        return odoo_clock(moment)

    # lifecycle steps (the clock is set to `when`)
    def _do_ack(self, tickets, when):
        tickets.write({"stage_id": self.stage("in_progress").id})

    def _post(self, tickets, when, from_agent):
        Message = self.env["mail.message"]
        subtype = self.ref("mail.mt_comment")
        vals = []
        for ticket in tickets:
            if from_agent:
                author = (ticket.user_id or self.manager).partner_id
                body = "We are on it: a technician checks it today."
            else:
                author = ticket.partner_id
                body = "Thanks, here is the information you asked for."
            vals.append(
                {
                    "model": "helpdesk.ticket",
                    "res_id": ticket.id,
                    "body": Markup("<p>%s</p>") % body,
                    "message_type": "comment",
                    "subtype_id": subtype.id,
                    "author_id": author.id,
                    "date": when,
                    # computing it costs more than the rest of the message
                    "reply_to": "support@example.com",
                }
            )
        return Message.create(vals)

    def _do_reply(self, tickets, when):
        Ticket = self.env["helpdesk.ticket"]
        messages = self._post(tickets, when, from_agent=True)
        events = []
        for ticket, message in zip(tickets, messages, strict=True):
            if not ticket.date_ack:
                events.append(
                    Ticket._prepare_event_vals(ticket, "acknowledged", date=when)
                )
            events.append(
                Ticket._prepare_event_vals(
                    ticket,
                    "first_reply",
                    date=when,
                    message_id=message.id,
                    author_id=message.author_id.id,
                    user_id=ticket.user_id.id or self.manager.id,
                )
            )
        self.env["helpdesk.ticket.event"].create(events)
        unacked = tickets.filtered(lambda t: not t.date_ack)
        if unacked:
            unacked.write({"date_ack": when})
        tickets.write(
            {
                "date_first_response": when,
                "date_last_contact": when,
                "date_last_agent_update": when,
                "agent_reply_count": 1,
            }
        )
        tickets._sla_sync(when)
        # the client rates half of the answers
        rated = [
            (t, m) for t, m in zip(tickets, messages, strict=True) if t.partner_id
        ][::2]
        model_id = self.env["ir.model"]._get_id("helpdesk.ticket")
        self.env["rating.rating"].create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": ticket.id,
                    "partner_id": ticket.partner_id.id,
                    "rated_partner_id": message.author_id.id,
                    "helpdesk_kind": "answer",
                    "helpdesk_message_id": message.id,
                    "helpdesk_team_id": ticket.team_id.id,
                    "helpdesk_user_id": ticket.user_id.id,
                    "is_internal": False,
                    "consumed": True,
                    "rating": 5 if self.rng.random() < 0.85 else 1,
                }
                for ticket, message in rated
            ]
        )

    def _do_wait(self, tickets, when):
        tickets.write({"stage_id": self.stage("waiting").id})

    def _do_answer(self, tickets, when):
        Ticket = self.env["helpdesk.ticket"]
        messages = self._post(tickets, when, from_agent=False)
        self.env["helpdesk.ticket.event"].create(
            [
                Ticket._prepare_event_vals(
                    ticket,
                    "client_message",
                    date=when,
                    message_id=message.id,
                    author_id=message.author_id.id,
                    user_id=False,
                )
                for ticket, message in zip(tickets, messages, strict=True)
            ]
        )
        tickets.write({"client_message_count": 1, "date_last_contact": when})
        tickets.write({"stage_id": self.stage("in_progress").id})

    def _do_resolve(self, tickets, when):
        tickets.write({"stage_id": self.stage("resolved").id})

    def _do_close(self, tickets, when):
        tickets.write({"stage_id": self.stage("closed").id})

    # ------------------------------------------------------------ billing
    def billing_period(self):
        """(first, last) day of the previous month: the period the measured
        monthly invoicing run bills."""
        first = date.today().replace(day=1)
        last = first - timedelta(days=1)
        return last.replace(day=1), last

    def make_contracts(self):
        """Monthly post-paid service contracts, invoiced until two months ago:
        the invoicing run bills the previous month. Each client has a general
        contract; its other contracts cover one site each."""
        env, rng, sizes = self.env, self.rng, self.sizes
        if "contract.contract" not in env:
            self.stats["contracts"] = "n/a (contract.contract missing)"
            return
        Contract = env["contract.contract"]
        has = Contract._fields
        fee = env["product.product"].create(
            {"name": "Bench helpdesk monthly fee", "type": "service", "list_price": 450}
        )
        journal = env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", env.company.id)], limit=1
        )
        period_start, _end = self.billing_period()
        invoiced_until = period_start - timedelta(days=1)
        start = (self.now - timedelta(days=sizes.span_days + 31)).date().replace(day=1)
        recurrence = {
            "date_start": start,
            "recurring_rule_type": "monthly",
            "recurring_interval": 1,
            "recurring_invoicing_type": "post-paid",
        }
        # the clients without contracts (growing: the new ones) get theirs
        existing = Contract.search([("partner_id", "in", self.clients.ids)])
        clients = self.clients - existing.partner_id
        vals = []
        for i in range(sizes.contracts - len(existing) if clients else 0):
            client = clients[i % len(clients)]
            rank = i // len(clients)  # 0: the client's general contract
            sites = self.sites_by_client[client.id]
            contract = contract_vals(
                recurrence,
                f"Service contract {len(existing) + i:05d} - {client.name}",
                client,
                journal,
                fee,
                [
                    (
                        "Helpdesk support #START# - #END#",
                        rng.choice([250.0, 450.0, 900.0]),
                    )
                ],
                invoiced_until,
            )
            optional = {
                "helpdesk_site_ids": [Command.set([sites[(rank - 1) % len(sites)]])]
                if rank
                else None,
                "helpdesk_included_hours": rng.choice([2.0, 5.0, 10.0]),
                "helpdesk_overage_rate": 60.0,
                "helpdesk_sla_credit_type": "percent" if i % 4 == 0 else None,
                "helpdesk_sla_credit_value": 2.0 if i % 4 == 0 else None,
            }
            contract.update(
                {k: v for k, v in optional.items() if k in has and v is not None}
            )
            vals.append(contract)
        count = len(existing)
        for batch in chunks(vals, 250):
            count += len(Contract.create(batch))
            self.commit()
        self.stats["contracts"] = count

    def _period_tickets(self, limit):
        """Tickets acknowledged in the billing period, with an agent."""
        start, end = self.billing_period()
        return self.env["helpdesk.ticket"].search(
            [
                ("date_ack", ">=", datetime.combine(start, datetime.min.time())),
                ("date_ack", "<=", datetime.combine(end, datetime.max.time())),
                ("user_id", "in", self.agents.ids),
            ],
            limit=limit,
        )

    def make_timesheets(self):
        """The missing timesheet lines (up to sizes.timesheets), on tickets of
        the billing period that have an agent."""
        env, rng = self.env, self.rng
        Line = env["account.analytic.line"]
        field = self.timesheet_ticket_field
        if field not in Line._fields:
            self.stats["timesheets"] = f"n/a (no {field} on timesheets)"
            return
        count = Line.search_count([(field, "!=", False)])
        n = self.sizes.timesheets - count
        employees = {
            emp.user_id.id: emp.id
            for emp in env["hr.employee"].search([("user_id", "in", self.agents.ids)])
        }
        tickets = self._timesheet_tickets(n) if n > 0 else []
        vals = [
            dict(
                self._timesheet_vals(ticket),
                employee_id=employees[ticket.user_id.id],
                unit_amount=rng.choice([0.25, 0.5, 1.0, 1.5, 2.0]),
            )
            for i in range(n if tickets else 0)
            for ticket in [tickets[i % len(tickets)]]
        ]
        for batch in chunks(vals, 2000):
            count += len(Line.create(batch))
            self.commit()
        self.stats["timesheets"] = count

    def _timesheet_tickets(self, limit):
        """Hook: the tickets timesheets are recorded on."""
        return self._period_tickets(limit)

    def _timesheet_vals(self, ticket):
        """Hook: the ticket's part of a timesheet line."""
        return {
            "helpdesk_ticket_id": ticket.id,
            "date": ticket.date_ack.date(),
            "name": f"Work on {ticket.ticket_ref}",
        }

    def make_work_lines(self):
        """Extra works and parts on tickets of the billing period (issue #8's
        helpdesk.ticket.work), when the model exists."""
        env, rng = self.env, self.rng
        if "helpdesk.ticket.work" not in env:
            self.stats["work_lines"] = "n/a (helpdesk.ticket.work missing)"
            return
        Work = env["helpdesk.ticket.work"]
        Product = env["product.product"]
        is_work = "is_helpdesk_work" in Product._fields
        products = Product.search(
            [("name", "in", ["Bench on-site visit", "Bench toner cartridge"])],
            order="id",
        )
        products = products or Product.create(
            [
                dict(
                    {"name": "Bench on-site visit", "type": "service"},
                    list_price=60.0,
                    **({"is_helpdesk_work": True} if is_work else {}),
                ),
                {"name": "Bench toner cartridge", "type": "consu", "list_price": 35.0},
            ]
        )
        existing = Work.search_count([])
        n = max(1, self.sizes.timesheets // 2) - existing
        tickets = self._period_tickets(n) if n > 0 else []
        has = Work._fields
        vals = []
        for i in range(n if tickets else 0):
            ticket = tickets[i % len(tickets)]
            line = {
                "ticket_id": ticket.id,
                "product_id": products[i % 2].id,
                "quantity": rng.choice([1.0, 1.0, 2.0]),
                "date": ticket.date_ack.date(),
                "user_id": ticket.user_id.id,
            }
            vals.append({k: v for k, v in line.items() if k in has})
        try:
            count = existing
            with env.cr.savepoint():
                for batch in chunks(vals, 2000):
                    works = Work.create(batch)
                    if "state" in has:
                        works.write({"state": "approved"})
                    count += len(works)
            self.commit()
            self.stats["work_lines"] = count
        except Exception as exc:  # noqa: BLE001 - reported, the bench goes on
            env.invalidate_all()
            self.stats["work_lines"] = f"n/a (could not create: {exc})"

    # ------------------------------------------------------------ knowledge base
    def make_articles(self, count=KB_ARTICLES):
        """The knowledge base (bench/measure.py, measure_kb_search): half English
        articles, a quarter English with a Japanese translation, the rest written
        in Japanese or Russian; most published for the clients."""
        env = self.env
        Article = env["helpdesk.article"].with_context(lang="en_US")
        if Article.with_context(active_test=False).search_count([]) >= count:
            return Article  # made by a former run: it does not grow
        for code in ("ja_JP", "ru_RU"):
            env["res.lang"]._activate_lang(code)
        rng = self.rng
        categories = env["helpdesk.article.category"].create(
            [{"name": name} for name in ("Printers", "Network", "Accounts", "Tills")]
        )
        vals_list, translated = [], []
        for i in range(count):
            kind = rng.choice(("en", "en", "en_ja", "ja", "ru"))
            lang = "ja" if kind == "ja" else "ru" if kind == "ru" else "en"
            name, summary, body = self._article_texts(lang, i)
            vals_list.append(
                {
                    "name": name,
                    "summary": summary,
                    "body": body,
                    "category_id": rng.choice(categories).id,
                    "state": "published" if rng.random() < 0.9 else "draft",
                    "visibility": rng.choice(("portal",) * 3 + ("public", "internal")),
                    "view_count": rng.randint(0, 500),
                }
            )
            if kind == "en_ja":
                translated.append((i, self._article_texts("ja", i)))
        articles = Article.browse()
        for batch in chunks(vals_list, 1000):
            articles |= Article.create(batch)
            self.commit()
        # the Japanese versions, as the translation dialog stores them
        ids = [articles[i].id for i, _texts in translated]
        texts = list(zip(*(t for _i, t in translated), strict=True)) or [[], [], []]
        self.cr.execute(
            SQL(
                "UPDATE helpdesk_article a SET "
                "name = a.name || jsonb_build_object('ja_JP', v.name), "
                "summary = a.summary || jsonb_build_object('ja_JP', v.summary), "
                "body = a.body || jsonb_build_object('ja_JP', v.body) "
                "FROM unnest(%s::int[], %s::text[], %s::text[], %s::text[]) "
                "AS v(id, name, summary, body) WHERE a.id = v.id",
                ids,
                list(texts[0]),
                list(texts[1]),
                list(texts[2]),
            )
        )
        env.invalidate_all()
        Translated = Article.browse(ids)
        env.add_to_compute(Article._fields["body_text"], Translated)
        Translated.flush_recordset(["body_text"])
        self.commit()
        self.stats["articles"] = {"count": count, "translated_ja": len(ids)}
        return articles

    def _article_texts(self, lang, i):
        """(title, summary, HTML body) of the i-th article in that language."""
        rng = self.rng
        texts = KB_TEXTS[lang]
        equipment = rng.choice(texts["equipment"])
        name = rng.choice(texts["titles"]).format(eq=equipment) + f" ({i % 97 + 1})"
        sentences = rng.sample(texts["sentences"], 4)
        body = "".join(f"<p>{s.format(eq=equipment)}</p>" for s in sentences)
        return name, sentences[0].format(eq=equipment), body

    # ------------------------------------------------------------ all
    def settle_sla(self):
        horizon = datetime.now() - timedelta(hours=self.sizes.backlog_hours)
        escalated, warned = settle_sla(self.env, horizon)
        self.stats["sla_settled"] = {"escalated": escalated, "warned": warned}

    def steps(self):
        """Hook: the (name, method) of the generation's steps after the
        configuration; each makes what is missing."""
        return [
            ("clients and portal users", self.make_clients),
            ("sites and equipment", self.make_equipment),
            ("contracts", self.make_contracts),
            ("tickets", self.make_tickets),
            ("SLA steady state", self.settle_sla),
            ("timesheets", self.make_timesheets),
            ("work lines", self.make_work_lines),
            ("KPI scores", self.env["helpdesk.kpi"]._cron_refresh),
            ("knowledge base", self.make_articles),
        ]

    def run(self, addons_hash=None, previous=None):
        """Generate the data, or with `previous` (the record of a former run at
        a smaller scale, stored in gen_param) grow it to self.sizes. Commits;
        returns the statistics."""
        timings = {}
        if previous:
            self.stats = dict(previous["stats"])
            configure = ("configuration (loaded)", self.load_config)
        else:
            configure = ("configuration", self.setup_config)
        for name, step in [configure, *self.steps()]:
            t0 = time.perf_counter()
            step()
            timings[name] = round(time.perf_counter() - t0, 2)
            self.log(f"  {self.step_prefix}{name}: {timings[name]} s")
            if step == configure[1]:
                self._start()
        self._finish()
        record = {
            "sizes": self.sizes.as_dict(),
            "agent_login": self.stats["agent_login"],
            "portal_login": self.stats["portal_login"],
            "generated_at": fields.Datetime.to_string(datetime.now()),
            "addons_hash": addons_hash,
            "stats": self.stats,
        }
        if previous:
            # the first generation's timings stay those of the tickets/s row
            record["generated_at"] = previous["generated_at"]
            self.stats.setdefault("grown", []).append(
                {
                    "from_sizes": previous["sizes"],
                    "at": fields.Datetime.to_string(datetime.now()),
                    "timings_s": timings,
                }
            )
        else:
            self.stats["timings_s"] = timings
        self.env["ir.config_parameter"].set_param(self.gen_param, repr(record))
        self.commit()
        return self.stats
