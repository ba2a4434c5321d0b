from odoo.tools import SQL


def migrate(cr, version):
    """The knowledge-base article page gave a download token to every file of
    the article, including those of its chatter (internal notes, e-mails).
    It now lists the article's own files only: revoke the tokens handed out
    for the chatter's files (their links stop working; the agents still
    open them in the backend)."""
    if not version:
        return
    cr.execute(
        SQL(
            """
            UPDATE ir_attachment a
               SET access_token = NULL
             WHERE a.res_model = 'helpdesk.article'
               AND a.access_token IS NOT NULL
               AND EXISTS (
                   SELECT 1
                     FROM message_attachment_rel r
                     JOIN mail_message m ON m.id = r.message_id
                    WHERE r.attachment_id = a.id
                      AND m.model = 'helpdesk.article'
               )
            """
        )
    )
