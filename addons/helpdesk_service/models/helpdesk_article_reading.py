from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

# a reading matters on its day only; yesterday's is kept for readers in
# other time zones
KEEP_DAYS = 1


class HelpdeskArticleReading(models.Model):
    """A reader opened an article on a day: an article's views count each
    reader once a day, however often he reloads the page."""

    _name = "helpdesk.article.reading"
    _description = "Knowledge Base Article Reading"
    _log_access = False

    article_id = fields.Many2one(
        "helpdesk.article", required=True, index=True, ondelete="cascade"
    )
    reader_key = fields.Char(
        required=True,
        help="The reader's partner, or a salted hash of an anonymous reader's IP "
        "address.",
    )
    date = fields.Date(required=True, index=True)

    _sql_constraints = [
        (
            "reader_day_uniq",
            "unique (article_id, reader_key, date)",
            "One reading per reader, article and day.",
        ),
    ]

    @api.model
    def _record_reading(self, article, reader_key, day):
        """Record the reading; True if it is the reader's first of the day.
        Concurrent readings of the same reader are one (ON CONFLICT)."""
        rows = self.env.execute_query(
            SQL(
                "INSERT INTO %s (article_id, reader_key, date) VALUES (%s, %s, %s) "
                "ON CONFLICT DO NOTHING RETURNING id",
                SQL.identifier(self._table),
                article.id,
                reader_key,
                day,
            )
        )
        return bool(rows)

    @api.autovacuum
    def _gc_readings(self):
        """Readings before yesterday count no more: drop them."""
        limit = fields.Date.context_today(self) - timedelta(days=KEEP_DAYS)
        # raw SQL: a day's readings are many and nothing hangs on them (no
        # cascade, no log), so one DELETE rather than loading them to unlink()
        self.env.execute_query(
            SQL("DELETE FROM %s WHERE date < %s", SQL.identifier(self._table), limit)
        )
