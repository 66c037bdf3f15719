# Copyright 2026 Muzza Receivables
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import datetime

from odoo import api, models
from odoo.exceptions import AccessError
from odoo.tools import SQL, create_index

from ..logic.aging import DEFAULT_PERIOD_DAYS, DEFAULT_PERIODS, bucket_bounds, countback_months


class MuzzaAging(models.AbstractModel):
    """The aged receivables, exact at any as-of date, in one SQL query.

    A receivable line is open at date D by its balance less the partial
    reconciliations that touch it dated (``max_date``) on or before D,
    whenever they were made: a payment dated after D never reduces it. Only
    lines that are unreconciled, or that a partial dated after D touches,
    can be open at D, so the query reads those (through Odoo's partial index
    on unreconciled lines and ours on the partials' date): its cost follows
    the open items, not the whole history.
    """

    _name = "muzza.aging"
    _description = "Receivables: aged receivables"

    def init(self):
        # the partials dated after an as-of date reopen the lines they touch
        create_index(
            self.env.cr,
            "account_partial_reconcile_muzza_max_date_idx",
            "account_partial_reconcile",
            ["max_date"],
        )

    @api.model
    def _check_reader(self):
        """Receivables figures are for accounting: billing users, and those
        who may read the accounts."""
        user = self.env.user
        groups = ("account.group_account_invoice", "account.group_account_readonly")
        if not self.env.su and not any(user.has_group(group) for group in groups):
            raise AccessError(self.env._("Only accounting users can see the aged receivables."))

    @api.model
    def _open_items_sql(self, as_of, company_ids, partner_ids=None, account_ids=None):
        """The receivable lines open at ``as_of``: line, customer, company,
        maturity and invoice dates, and the open amount in the company's
        currency (``open_balance``) and in the line's (``open_amount_currency``).
        """
        filters = [
            SQL("aml.parent_state = 'posted'"),
            SQL("aml.date <= %s", as_of),
            SQL("aml.company_id = ANY(%s)", list(company_ids)),
            SQL("acc.account_type = 'asset_receivable'"),
        ]
        if account_ids:
            filters.append(SQL("aml.account_id = ANY(%s)", list(account_ids)))
        # the receivable accounts by id and the customer's own lines up
        # front, so that PostgreSQL reads Odoo's partial index on unreconciled
        # lines (account, partner) instead of scanning every line
        accounts = list(account_ids or [])
        if not accounts:
            Account = self.env["account.account"].sudo().with_context(active_test=False)
            accounts = Account.search([("account_type", "=", "asset_receivable")]).ids
        of_customers = SQL("true")
        if partner_ids:
            # None stands for the lines with no customer (an opening balance)
            ids = [partner_id for partner_id in partner_ids if partner_id]
            either = []
            if ids:
                customers = SQL("SELECT id FROM res_partner WHERE commercial_partner_id = ANY(%s)", ids)
                either.append(SQL("aml.partner_id IN (%s)", customers))
            if len(ids) < len(partner_ids):
                either.append(SQL("aml.partner_id IS NULL"))
            of_customers = SQL("(%s)", SQL(" OR ").join(either))
        # the lines a partial dated after as_of touches: for some customers,
        # through their own lines (an index); for all, straight from the
        # partials (joining every receivable line would cost more)
        sides = [SQL("p.debit_move_id"), SQL("p.credit_move_id")]
        if partner_ids:
            reopened = SQL(" UNION ").join(
                SQL(
                    """SELECT aml.id FROM account_partial_reconcile p
                         JOIN account_move_line aml ON aml.id = %s
                        WHERE p.max_date > %s AND aml.account_id = ANY(%s) AND %s""",
                    side,
                    as_of,
                    accounts,
                    of_customers,
                )
                for side in sides
            )
        else:
            reopened = SQL(" UNION ").join(
                SQL(
                    """SELECT %s AS id FROM account_partial_reconcile p
                        WHERE p.max_date > %s AND p.company_id = ANY(%s)""",
                    side,
                    as_of,
                    list(company_ids),
                )
                for side in sides
            )
        return SQL(
            """
            WITH reopened AS (%(reopened)s),
            line AS (
                -- the unreconciled lines, written as Odoo's partial index on
                -- them is; then the reconciled ones a later partial reopens
                -- (disjoint: each line is read once, by an index)
                SELECT aml.id, aml.move_id, aml.partner_id, aml.company_id, aml.account_id,
                       aml.currency_id, aml.date, aml.date_maturity, aml.invoice_date,
                       aml.balance, aml.amount_currency, aml.parent_state
                  FROM account_move_line aml
                 WHERE (aml.reconciled IS NULL OR aml.reconciled = false OR aml.reconciled IS NOT true)
                   AND aml.parent_state = 'posted'
                   AND aml.account_id = ANY(%(accounts)s)
                   AND aml.company_id = ANY(%(companies)s)
                   AND %(of_customers)s
                UNION ALL
                SELECT aml.id, aml.move_id, aml.partner_id, aml.company_id, aml.account_id,
                       aml.currency_id, aml.date, aml.date_maturity, aml.invoice_date,
                       aml.balance, aml.amount_currency, aml.parent_state
                  FROM reopened
                  JOIN account_move_line aml ON aml.id = reopened.id
                 WHERE aml.reconciled IS TRUE
                   AND aml.account_id = ANY(%(accounts)s)
                   AND aml.company_id = ANY(%(companies)s)
                   AND %(of_customers)s
            ),
            item AS (
                SELECT aml.id AS line_id,
                       aml.move_id,
                       COALESCE(partner.commercial_partner_id, aml.partner_id) AS partner_id,
                       aml.company_id,
                       aml.account_id,
                       aml.currency_id,
                       aml.date,
                       COALESCE(aml.date_maturity, aml.date) AS maturity,
                       COALESCE(aml.invoice_date, aml.date) AS invoice_date,
                       aml.balance AS original_balance,
                       aml.amount_currency AS original_amount_currency,
                       aml.balance
                         - COALESCE(deb.amount, 0) + COALESCE(cred.amount, 0) AS open_balance,
                       aml.amount_currency
                         - COALESCE(deb.amount_currency, 0) + COALESCE(cred.amount_currency, 0)
                         AS open_amount_currency
                  FROM line aml
                  JOIN account_account acc ON acc.id = aml.account_id
                  LEFT JOIN res_partner partner ON partner.id = aml.partner_id
                  LEFT JOIN LATERAL (
                        SELECT SUM(p.amount) AS amount, SUM(p.debit_amount_currency) AS amount_currency
                          FROM account_partial_reconcile p
                         WHERE p.debit_move_id = aml.id AND p.max_date <= %(as_of)s
                  ) deb ON true
                  LEFT JOIN LATERAL (
                        SELECT SUM(p.amount) AS amount, SUM(p.credit_amount_currency) AS amount_currency
                          FROM account_partial_reconcile p
                         WHERE p.credit_move_id = aml.id AND p.max_date <= %(as_of)s
                  ) cred ON true
                 WHERE %(filters)s
            )
            """,
            as_of=as_of,
            companies=list(company_ids),
            accounts=accounts,
            of_customers=of_customers,
            reopened=reopened,
            filters=SQL(" AND ").join(filters),
        )

    @api.model
    def _bucket_sql(self, basis, as_of, period_days, periods):
        """One aggregate column per bucket (``bucket_0`` ... ``bucket_N``),
        from the bounds the pure rules name."""
        date_column = SQL("item.invoice_date") if basis == "invoice_date" else SQL("item.maturity")
        days = SQL("(%s::date - %s)", as_of, date_column)
        columns = []
        for index, (low, high) in enumerate(bucket_bounds(period_days, periods)):
            conditions = []
            if low is not None:
                conditions.append(SQL("%s >= %s", days, low))
            if high is not None:
                conditions.append(SQL("%s <= %s", days, high))
            columns.append(
                SQL(
                    "SUM(item.open_balance) FILTER (WHERE %s) AS %s",
                    SQL(" AND ").join(conditions),
                    SQL.identifier("bucket_%s" % index),
                )
            )
        return SQL(", ").join(columns), days

    @api.model
    def _summary(
        self,
        as_of,
        companies,
        period_days=DEFAULT_PERIOD_DAYS,
        periods=DEFAULT_PERIODS,
        basis="maturity",
        partner_ids=None,
        account_ids=None,
        min_days_late=None,
        hide_zero=True,
    ):
        """Each customer's buckets at ``as_of``, per company, in the
        company's currency: ``[{"partner_id", "company_id", "buckets":
        [...], "total"}]``. Customers with nothing open are left out, and
        with ``hide_zero`` those whose open items add up to nothing."""
        self._check_reader()
        companies = companies.sudo()
        buckets, days = self._bucket_sql(basis, as_of, period_days, periods)
        having = [SQL("ROUND(SUM(item.open_balance), 6) != 0") if hide_zero else SQL("true")]
        if min_days_late:
            late = SQL("SUM(item.open_balance) FILTER (WHERE %s > %s)", days, min_days_late)
            having.append(SQL("COALESCE(%s, 0) > 0", late))
        self.env["account.move.line"].flush_model()
        self.env["account.partial.reconcile"].flush_model()
        query = SQL(
            """%s
            SELECT item.partner_id, item.company_id, %s, SUM(item.open_balance) AS total
              FROM item
             WHERE item.open_balance != 0
          GROUP BY item.partner_id, item.company_id
            HAVING %s
          ORDER BY item.partner_id, item.company_id
            """,
            self._open_items_sql(as_of, companies.ids, partner_ids, account_ids),
            buckets,
            SQL(" AND ").join(having),
        )
        self.env.cr.execute(query)
        result = []
        for row in self.env.cr.dictfetchall():
            currency = companies.browse(row["company_id"]).currency_id
            values = [currency.round(row["bucket_%s" % i] or 0.0) for i in range(periods + 2)]
            result.append(
                {
                    "partner_id": row["partner_id"],
                    "company_id": row["company_id"],
                    "currency_id": currency.id,
                    "buckets": values,
                    "total": currency.round(row["total"]),
                }
            )
        return result

    @api.model
    def _open_items(self, as_of, companies, partner_ids=None, account_ids=None):
        """The open items at ``as_of`` (the drill-down): one dict per line,
        oldest maturity first."""
        self._check_reader()
        companies = companies.sudo()
        self.env["account.move.line"].flush_model()
        self.env["account.partial.reconcile"].flush_model()
        query = SQL(
            """%s
            SELECT item.*, (%s::date - item.maturity) AS days_late
              FROM item
             WHERE item.open_balance != 0 OR item.open_amount_currency != 0
          ORDER BY item.maturity, item.line_id
            """,
            self._open_items_sql(as_of, companies.ids, partner_ids, account_ids),
            as_of,
        )
        self.env.cr.execute(query)
        return self.env.cr.dictfetchall()

    # ------------------------------------------------------------------------
    # how fast customers pay: the figures behind DSO and average days late
    # ------------------------------------------------------------------------

    @api.model
    def _customer_filter(self, partner_ids):
        if not partner_ids:
            return SQL("true")
        return SQL("move.commercial_partner_id = ANY(%s)", list(partner_ids))

    @api.model
    def _credit_sales(self, as_of, companies, partner_ids=None, months=12):
        """Each customer's invoiced sales (less credit notes), in the
        company's currency, per period of the countback: ``{(partner,
        company): [amount of the month of as_of, of the month before, ...]}``.
        """
        self._check_reader()
        periods = countback_months(as_of, months)
        self.env["account.move"].flush_model()
        index = SQL(
            "CASE %s END",
            SQL(" ").join(
                SQL("WHEN move.invoice_date >= %s THEN %s", first, number)
                for number, (first, _last) in enumerate(periods)
            ),
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT move.commercial_partner_id, move.company_id, %(index)s AS period,
                       SUM(move.amount_total_signed) AS sales
                  FROM account_move move
                 WHERE move.state = 'posted'
                   AND move.move_type IN ('out_invoice', 'out_refund')
                   AND move.company_id = ANY(%(companies)s)
                   AND move.invoice_date BETWEEN %(first)s AND %(last)s
                   AND %(customers)s
              GROUP BY move.commercial_partner_id, move.company_id, period
                """,
                index=index,
                companies=companies.ids,
                first=periods[-1][0],
                last=as_of,
                customers=self._customer_filter(partner_ids),
            )
        )
        sales = {}
        for partner_id, company_id, period, amount in self.env.cr.fetchall():
            sales.setdefault((partner_id, company_id), [0.0] * months)[period] = amount or 0.0
        return sales

    @api.model
    def _paid_by_a_payment_sql(self, line):
        """Whether the receivable line ``line`` (an SQL alias) was settled,
        at least in part, by a payment rather than by credit notes alone:
        an invoice a credit note cancels was never paid, late or not."""
        return SQL(
            """EXISTS (
                SELECT 1 FROM account_partial_reconcile settling
                  JOIN account_move_line counterpart ON counterpart.id = settling.credit_move_id
                  JOIN account_move counter_move ON counter_move.id = counterpart.move_id
                 WHERE settling.debit_move_id = %s.id AND counter_move.move_type != 'out_refund'
            )""",
            SQL.identifier(line),
        )

    @api.model
    def _days_late_paid(self, as_of, companies, partner_ids=None, days=365):
        """Each customer's invoice instalments paid in the ``days`` before
        ``as_of``: ``{(partner, company): (amount, amount x days late)}``,
        paying early counting as 0 days late (see
        ``logic.aging.average_days_late``). Each receivable line of an
        invoice (one per instalment) counts on its own due date, paid on the
        date of its last reconciliation; a line only credit notes settled
        was not paid and does not count."""
        self._check_reader()
        self.env["account.move"].flush_model()
        self.env["account.move.line"].flush_model()
        self.env["account.partial.reconcile"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                WITH paid AS (
                    SELECT line.id, move.commercial_partner_id, move.company_id,
                           line.balance AS amount,
                           COALESCE(line.date_maturity, move.invoice_date_due, move.invoice_date) AS due,
                           MAX(p.max_date) AS paid_on
                      FROM account_move move
                      JOIN account_move_line line ON line.move_id = move.id
                      JOIN account_account acc ON acc.id = line.account_id
                                              AND acc.account_type = 'asset_receivable'
                      JOIN account_partial_reconcile p ON p.debit_move_id = line.id
                     WHERE move.state = 'posted'
                       AND move.move_type = 'out_invoice'
                       AND line.reconciled IS TRUE
                       AND line.balance > 0
                       AND %(by_payment)s
                       AND move.company_id = ANY(%(companies)s)
                       AND %(customers)s
                  GROUP BY line.id, move.commercial_partner_id, move.company_id, move.invoice_date_due,
                           move.invoice_date
                    HAVING MAX(p.max_date) BETWEEN %(since)s AND %(as_of)s
                )
                SELECT commercial_partner_id, company_id, SUM(amount),
                       SUM(amount * GREATEST(paid_on - due, 0))
                  FROM paid
              GROUP BY commercial_partner_id, company_id
                """,
                companies=companies.ids,
                customers=self._customer_filter(partner_ids),
                by_payment=self._paid_by_a_payment_sql("line"),
                since=as_of - datetime.timedelta(days=days - 1),
                as_of=as_of,
            )
        )
        return {(row[0], row[1]): (row[2] or 0.0, row[3] or 0.0) for row in self.env.cr.fetchall()}
