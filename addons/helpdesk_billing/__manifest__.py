{
    "name": "Helpdesk Billing",
    "summary": "Service contracts, monthly fee and extra works for helpdesk tickets",
    "version": "18.0.1.0.0",
    "category": "Services/Helpdesk",
    "license": "AGPL-3",
    "author": "Helpdesk Service Desk contributors",
    "website": "https://github.com/helpdesk-service-desk/helpdesk",
    "depends": ["helpdesk_service", "account", "contract"],
    "data": [
        "views/helpdesk_ticket_views.xml",
        "views/helpdesk_announcement_views.xml",
    ],
    "installable": True,
}
