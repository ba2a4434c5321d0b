from odoo.tools import SQL


def migrate(cr, version):
    """Fill the tickets' new next SLA deadline in one query, before the ORM adds
    the column (it would otherwise compute it ticket by ticket): the nearest
    deadline of the open ticket's targets not reached yet, overdue ones
    included."""
    if not version:
        return
    cr.execute(
        SQL(
            "ALTER TABLE helpdesk_ticket "
            "ADD COLUMN IF NOT EXISTS sla_next_deadline timestamp without time zone"
        )
    )
    cr.execute(
        SQL(
            """
            UPDATE helpdesk_ticket ticket
               SET sla_next_deadline = due.deadline
              FROM (
                    SELECT ticket_id, MIN(deadline) AS deadline
                      FROM helpdesk_ticket_sla
                     WHERE date_reached IS NULL
                       AND status != 'met'
                       AND deadline IS NOT NULL
                  GROUP BY ticket_id
                   ) due
             WHERE due.ticket_id = ticket.id
               AND ticket.is_closed IS NOT TRUE
            """
        )
    )
