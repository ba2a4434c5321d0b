"""Values shared by several models of the helpdesk (no model here)."""

PRIORITIES = [
    ("0", "Low"),
    ("1", "Normal"),
    ("2", "High"),
    ("3", "Urgent"),
]

SLA_TARGETS = [
    ("ack", "Acknowledgement"),
    ("report", "First report with ETA"),
    ("resolve", "Resolution"),
]
# the ticket's date that reaches each service-level target
TARGET_DATE_FIELD = {
    "ack": "date_ack",
    "report": "date_first_response",
    "resolve": "date_resolved",
}

CHANNELS = [
    ("email", "E-mail"),
    ("phone", "Phone"),
    ("portal", "Portal"),
    ("web", "Web form"),
    ("internal", "Internal"),
    ("monitoring", "Monitoring"),
]

# changes that move service-level deadlines
SLA_TRIGGER_FIELDS = {
    "team_id",
    "type_id",
    "priority",
    "is_vip",
    "partner_id",
    "stage_id",
    "company_id",
}

# channels where the client opened the ticket himself: he gets an acknowledgement
CLIENT_CHANNELS = ("email", "portal", "web")

# the code of the ticket numbers' sequences
TICKET_SEQUENCE_CODE = "helpdesk.ticket"
