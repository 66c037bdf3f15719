"""Fill a database with a realistic receivables history, for the aging benchmark.

    /opt/odoo-venv/bin/python bench/generate.py --db bench_100k --lines 100000 [--init]
    /opt/odoo-venv/bin/python bench/generate.py --db bench_risk_1m --lines 1000000 \\
        --customers 20000 --risk --init
    /opt/odoo-venv/bin/python bench/generate.py --db bench_rem_100k --customers 20000 \\
        --invoices 140000 --history-days 70 --terms 0,7,15,30 --unpaid 0.7 --contacts --init

Customers, posted invoices (one to four lines and a 15% sales tax), full,
partial and late payments, credit notes, unapplied payments, two currencies
(the company's USD and EUR at a monthly rate) with the exchange differences
Odoo books when a foreign invoice is paid at another rate. Everything is
consistent the way Odoo keeps it: balanced moves, each receivable line's
``amount_residual`` equal to its balance less its partials, ``reconciled``,
full reconciles and matching numbers, the invoices' amounts and
``payment_state``; the script checks this at the end, by SQL over every
line and through the ORM's own computes on a sample of invoices.

Where the ORM is used and where bulk SQL: the ORM sets up the company
(currency rates, customers) and posts one invoice, one credit note and one
payment reconciled with it: these are the *templates*, whose rows give every
stored column (including those of other modules, like ours) a value Odoo
itself wrote. The volume is then written with ``COPY`` from those rows,
with the amounts, dates, partners and reconciliation computed here in
integer cents. Creating and posting through the ORM costs about 25 ms per
invoice and 40 ms per reconciliation on this machine (computes, sequence,
checks, mail tracking), i.e. hours for 1M journal items; ``COPY`` writes
them in minutes.
"""

import argparse
import datetime
import io
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _odoo

# the share of invoices per scenario (the rest are paid in full, once)
UNPAID = 0.12
PARTIAL_ONCE = 0.10
TWO_PAYMENTS = 0.08
CREDIT_NOTE = 0.06
UNAPPLIED = 0.02
FOREIGN = 0.15
BIG_CUSTOMER = 0.03
HISTORY_DAYS = 730
LINES_PER_INVOICE = 6.3  # with its payments, credit notes and exchange differences


def fmt(value):
    """A value in COPY's text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, (dict, list)):
        value = json.dumps(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    value = str(value)
    if "\\" in value or "\t" in value or "\n" in value:
        value = value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
    return value


def cents(value):
    """Integer cents as a numeric literal."""
    sign = "-" if value < 0 else ""
    value = abs(value)
    return "%s%d.%02d" % (sign, value // 100, value % 100)


class Table:
    """Rows for one table, made from a template row, written by COPY."""

    def __init__(self, cr, name, template=None, columns=None):
        self.cr = cr
        self.name = name
        if template is not None:
            self.columns = list(template)
            self.template = [fmt(template[c]) for c in self.columns]
        else:
            self.columns = columns
            self.template = ["\\N"] * len(columns)
        self.index = {c: i for i, c in enumerate(self.columns)}
        self.buffer = io.StringIO()
        self.count = 0

    def add(self, base=None, **values):
        row = list(base if base is not None else self.template)
        index = self.index
        for column, value in values.items():
            row[index[column]] = value if isinstance(value, str) and column != "name" else fmt(value)
        self.buffer.write("\t".join(row))
        self.buffer.write("\n")
        self.count += 1

    def flush(self):
        self.buffer.seek(0)
        self.cr.copy_expert(
            "COPY %s (%s) FROM STDIN" % (self.name, ", ".join('"%s"' % c for c in self.columns)),
            self.buffer,
        )
        self.buffer = io.StringIO()


class Ids:
    def __init__(self, cr, table):
        cr.execute("SELECT COALESCE(MAX(id), 0) FROM %s" % table)
        self.next = cr.fetchone()[0] + 1
        self.table = table

    def __call__(self):
        value = self.next
        self.next += 1
        return value

    def commit(self, cr):
        cr.execute("SELECT setval('%s_id_seq', %%s)" % self.table, [self.next])


class Receivable:
    """A receivable line while its group is reconciled (amounts in cents)."""

    __slots__ = (
        "amount_currency",
        "balance",
        "currency",
        "date",
        "due",
        "id",
        "kind",
        "move",
        "move_values",
        "name",
        "partials",
        "partner",
        "rate",
        "res",
        "res_cur",
    )

    def __init__(self, line_id, move, kind, date, balance, amount_currency, rate):
        self.id = line_id
        self.move = move
        self.kind = kind
        self.date = date
        self.balance = balance
        self.amount_currency = amount_currency
        self.rate = rate
        self.res = balance
        self.res_cur = amount_currency
        self.partials = []


TERMS = (0, 15, 30, 30, 30, 45, 60)  # days from the invoice to its due date, drawn at random


class Generator:
    def __init__(
        self,
        env,
        lines,
        seed,
        customers=None,
        invoices=None,
        history_days=HISTORY_DAYS,
        unpaid=UNPAID,
        terms=TERMS,
    ):
        self.env = env
        self.cr = env.cr
        self.target = lines
        self.customer_count = customers
        self.invoice_count = invoices
        self.history_days = history_days
        self.unpaid = unpaid
        self.terms = tuple(terms)
        self.seed = seed
        self.random = random.Random(seed)
        self.today = datetime.date.today()
        self.start = self.today - datetime.timedelta(days=history_days)
        self.sequences = {}

    # ------------------------------------------------------------------
    # set-up and templates, through the ORM
    # ------------------------------------------------------------------

    def setup(self):
        env = self.env
        company = env.company
        self.company = company
        self.usd = company.currency_id
        self.eur = env.ref("base.EUR") if self.usd.name != "EUR" else env.ref("base.USD")
        self.eur.active = True
        rates = {}
        month = self.start.replace(day=1) - datetime.timedelta(days=31)
        month = month.replace(day=1)
        index = 0
        while month <= self.today:
            rates[month] = round(0.92 + 0.06 * ((index % 7) - 3) / 3, 4)
            month = (month + datetime.timedelta(days=32)).replace(day=1)
            index += 1
        env["res.currency.rate"].search([("currency_id", "=", self.eur.id)]).unlink()
        env["res.currency.rate"].create(
            [{"currency_id": self.eur.id, "name": day, "rate": rate} for day, rate in rates.items()]
        )
        self.rates = rates
        count = self.customer_count or max(50, self.target // 200)
        partners = env["res.partner"].create(
            [{"name": "Bench customer %05d" % i, "is_company": True} for i in range(count)]
        )
        self.customers = [(p.id, p.name) for p in partners]
        self.big_customer = self.customers[0]
        self.profiles = [self.random.choices(("good", "late", "bad"), (3, 5, 2))[0] for _ in partners]
        journals = env["account.journal"]
        self.sale = journals.search([("type", "=", "sale"), ("company_id", "=", company.id)], limit=1)
        self.bank = journals.search([("type", "=", "bank"), ("company_id", "=", company.id)], limit=1)
        self.exchange_journal = company.currency_exchange_journal_id
        self.tax = company.account_sale_tax_id
        self.tax_rate = self.tax.amount / 100.0
        self.receivable = partners[0].property_account_receivable_id
        self.income = self.sale.default_account_id
        self.bank_account = self.bank.default_account_id
        self.gain = company.income_currency_exchange_account_id
        self.loss = company.expense_currency_exchange_account_id
        self._templates(partners[0])

    def _templates(self, partner):
        env = self.env
        moves = env["account.move"]
        day = self.start
        line = {"name": "Consulting", "quantity": 2, "price_unit": 100.0, "tax_ids": [(6, 0, self.tax.ids)]}
        invoice = moves.create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": day,
                "journal_id": self.sale.id,
                "invoice_line_ids": [(0, 0, line)],
            }
        )
        refund = moves.create(
            {
                "move_type": "out_refund",
                "partner_id": partner.id,
                "invoice_date": day,
                "journal_id": self.sale.id,
                "invoice_line_ids": [(0, 0, dict(line, quantity=1))],
            }
        )
        (invoice + refund).action_post()
        total = invoice.amount_total - refund.amount_total
        payment = moves.create(
            {
                "move_type": "entry",
                "journal_id": self.bank.id,
                "date": day,
                "ref": "Payment %s" % invoice.name,
                "line_ids": [
                    (0, 0, {"account_id": self.bank_account.id, "partner_id": partner.id, "debit": total}),
                    (0, 0, {"account_id": self.receivable.id, "partner_id": partner.id, "credit": total}),
                ],
            }
        )
        payment.action_post()
        receivable = (invoice + refund + payment).line_ids.filtered(lambda x: x.account_id == self.receivable)
        receivable.reconcile()
        env.flush_all()

        def rows(table, ids):
            self.cr.execute("SELECT * FROM %s WHERE id = ANY(%%s) ORDER BY id" % table, [list(ids)])
            return self.cr.dictfetchall()

        self.tpl_move = {m["move_type"]: m for m in rows("account_move", (invoice + refund + payment).ids)}

        def kind(move):
            lines = {}
            for row in rows("account_move_line", move.line_ids.ids):
                lines.setdefault(row["display_type"], row)
            return lines

        self.tpl_invoice = kind(invoice)
        self.tpl_refund = kind(refund)
        by_account = {r["account_id"]: r for r in rows("account_move_line", payment.line_ids.ids)}
        self.tpl_pay_bank = by_account[self.bank_account.id]
        self.tpl_pay_recv = by_account[self.receivable.id]
        self.cr.execute(
            "SELECT account_move_line_id, account_account_tag_id"
            "  FROM account_account_tag_account_move_line_rel WHERE account_move_line_id = ANY(%s)",
            [(invoice + refund).line_ids.ids],
        )
        tags = {}
        for line_id, tag_id in self.cr.fetchall():
            tags.setdefault(line_id, []).append(tag_id)
        self.tags = {}
        for name, tpl in (("invoice", self.tpl_invoice), ("refund", self.tpl_refund)):
            for display_type, row in tpl.items():
                self.tags[(name, display_type)] = tags.get(row["id"], [])
        self.templates = (invoice + refund + payment).ids

    # ------------------------------------------------------------------
    # volume
    # ------------------------------------------------------------------

    def rate(self, day):
        return self.rates[day.replace(day=1)]

    def name(self, code, day):
        prefix = "%s/%s/" % (code, day.year)
        number = self.sequences.get(prefix, 0) + 1
        self.sequences[prefix] = number
        return prefix + "%05d" % number, prefix, number

    def tables(self):
        cr = self.cr
        self.moves = Table(cr, "account_move", self.tpl_move["out_invoice"])
        self.lines = Table(cr, "account_move_line", self.tpl_invoice["product"])
        self.partials = Table(
            cr,
            "account_partial_reconcile",
            columns=[
                "id",
                "debit_move_id",
                "credit_move_id",
                "full_reconcile_id",
                "exchange_move_id",
                "debit_currency_id",
                "credit_currency_id",
                "amount",
                "debit_amount_currency",
                "credit_amount_currency",
                "company_id",
                "max_date",
                "create_uid",
                "write_uid",
                "create_date",
                "write_date",
            ],
        )
        self.fulls = Table(
            cr,
            "account_full_reconcile",
            columns=["id", "exchange_move_id", "create_uid", "write_uid", "create_date", "write_date"],
        )
        self.tax_rel = Table(
            cr, "account_move_line_account_tax_rel", columns=["account_move_line_id", "account_tax_id"]
        )
        self.tag_rel = Table(
            cr,
            "account_account_tag_account_move_line_rel",
            columns=["account_move_line_id", "account_account_tag_id"],
        )
        self.move_tpl = {k: [fmt(v[c]) for c in self.moves.columns] for k, v in self.tpl_move.items()}

        def line_tpl(row):
            return [fmt(row[c]) for c in self.lines.columns]

        self.line_tpl = {("invoice", k): line_tpl(v) for k, v in self.tpl_invoice.items()} | {
            ("refund", k): line_tpl(v) for k, v in self.tpl_refund.items()
        }
        self.line_tpl["bank"] = line_tpl(self.tpl_pay_bank)
        self.line_tpl["recv"] = line_tpl(self.tpl_pay_recv)
        cr.execute("SELECT sequence_prefix, MAX(sequence_number) FROM account_move GROUP BY sequence_prefix")
        self.sequences = dict(cr.fetchall())
        self.move_ids = Ids(cr, "account_move")
        self.line_ids = Ids(cr, "account_move_line")
        self.partial_ids = Ids(cr, "account_partial_reconcile")
        self.full_ids = Ids(cr, "account_full_reconcile")
        self.now = fmt(datetime.datetime.now().replace(microsecond=0))

    def write_all(self):
        for table in (self.moves, self.fulls, self.lines, self.partials, self.tax_rel, self.tag_rel):
            table.flush()

    # -- moves --------------------------------------------------------------

    def move(self, move_id, kind, journal, code, day, partner, currency, rate, **values):
        name, prefix, number = self.name(code, day)
        base = self.move_tpl[kind]
        values.update(
            id=move_id,
            name=name,
            sequence_prefix=prefix,
            sequence_number=number,
            date=day,
            journal_id=journal,
            partner_id=partner[0],
            commercial_partner_id=partner[0],
            currency_id=currency,
            invoice_currency_rate=repr(rate),
            create_date=self.now,
            write_date=self.now,
            access_token=None,
            posted_before=True,
            made_sequence_gap=False,
        )
        return name, base, values

    def line(
        self, base, move_id, move_name, day, partner, account, currency, balance, amount_currency, **values
    ):
        line_id = values.pop("id", None) or self.line_ids()
        self.lines.add(
            base,
            id=line_id,
            move_id=move_id,
            move_name=move_name,
            date=day,
            partner_id=partner[0],
            account_id=account,
            currency_id=currency,
            debit=cents(max(balance, 0)),
            credit=cents(max(-balance, 0)),
            balance=cents(balance),
            amount_currency=cents(amount_currency),
            create_date=self.now,
            write_date=self.now,
            **values,
        )
        return line_id

    def document(self, kind, day, due, partner, foreign, products):
        """An invoice or a credit note: its product and tax lines now, its
        receivable line once reconciled (returned as a Receivable)."""
        sign = -1 if kind == "invoice" else 1  # product/tax lines are credits on invoices
        currency = self.eur.id if foreign else self.usd.id
        rate = self.rate(day) if foreign else 1.0
        move_id = self.move_ids()
        name, base, values = self.move(
            move_id,
            "out_invoice" if kind == "invoice" else "out_refund",
            self.sale.id,
            "INV" if kind == "invoice" else "RINV",
            day,
            partner,
            currency,
            rate,
        )
        untaxed_cur = untaxed = 0
        sequence = 10
        for quantity, price in products:
            subtotal = quantity * price
            line_tax = round(subtotal * self.tax_rate)
            balance = round(subtotal / rate)
            untaxed_cur += subtotal
            untaxed += balance
            line_id = self.line(
                self.line_tpl[(kind, "product")],
                move_id,
                name,
                day,
                partner,
                self.income.id,
                currency,
                sign * balance,
                sign * subtotal,
                invoice_date=day,
                date_maturity=None,
                sequence=sequence,
                quantity=quantity,
                price_unit=cents(price),
                price_subtotal=cents(subtotal),
                price_total=cents(subtotal + line_tax),
            )
            sequence += 1
            self.tax_rel.add(account_move_line_id=line_id, account_tax_id=self.tax.id)
            for tag in self.tags[(kind, "product")]:
                self.tag_rel.add(account_move_line_id=line_id, account_account_tag_id=tag)
        tax_cur = round(untaxed_cur * self.tax_rate)
        tax = round(tax_cur / rate)
        tax_tpl = (self.tpl_invoice if kind == "invoice" else self.tpl_refund)["tax"]
        line_id = self.line(
            self.line_tpl[(kind, "tax")],
            move_id,
            name,
            day,
            partner,
            tax_tpl["account_id"],
            currency,
            sign * tax,
            sign * tax_cur,
            invoice_date=day,
            tax_base_amount=cents(untaxed),
            price_unit=cents(tax_cur),
            price_subtotal=cents(tax_cur),
            price_total=cents(tax_cur),
        )
        for tag in self.tags[(kind, "tax")]:
            self.tag_rel.add(account_move_line_id=line_id, account_account_tag_id=tag)
        total_cur = untaxed_cur + tax_cur
        total = untaxed + tax
        receivable = Receivable(self.line_ids(), move_id, kind, day, -sign * total, -sign * total_cur, rate)
        receivable.due = due
        receivable.name = name
        receivable.partner = partner
        receivable.currency = currency
        values.update(
            invoice_date=day,
            invoice_date_due=due,
            payment_reference=name,
            invoice_partner_display_name=partner[1],
            amount_untaxed=cents(untaxed_cur),
            amount_tax=cents(tax_cur),
            amount_total=cents(total_cur),
            amount_untaxed_signed=cents(-sign * untaxed),
            amount_untaxed_in_currency_signed=cents(-sign * untaxed_cur),
            amount_tax_signed=cents(-sign * tax),
            amount_total_signed=cents(-sign * total),
            amount_total_in_currency_signed=cents(-sign * total_cur),
            quick_edit_total_amount="0.00",
        )
        receivable.move_values = (base, values)
        return receivable

    def entry(self, day, partner, foreign, amount_cur, rate, code="BNK1"):
        """A payment (bank debit, receivable credit) or, with ``code``
        EXCH, nothing: exchange differences are made by ``exchange``."""
        currency = self.eur.id if foreign else self.usd.id
        move_id = self.move_ids()
        name, base, values = self.move(move_id, "entry", self.bank.id, code, day, partner, currency, rate)
        balance = round(amount_cur / rate)
        self.line(
            self.line_tpl["bank"],
            move_id,
            name,
            day,
            partner,
            self.bank_account.id,
            currency,
            balance,
            amount_cur,
            date_maturity=day,
        )
        receivable = Receivable(self.line_ids(), move_id, "payment", day, -balance, -amount_cur, rate)
        receivable.name = name
        receivable.partner = partner
        receivable.currency = currency
        receivable.due = day
        values.update(
            ref="Payment from %s" % partner[1],
            amount_total=cents(amount_cur),
            amount_total_signed=cents(balance),
            amount_total_in_currency_signed=cents(amount_cur),
        )
        receivable.move_values = (base, values)
        return receivable

    def exchange(self, line, day):
        """Close the company-currency residual left on ``line`` once its
        currency residual is zero, as Odoo's exchange difference does."""
        diff = line.res
        move_id = self.move_ids()
        name, base, values = self.move(
            move_id, "entry", self.exchange_journal.id, "EXCH", day, line.partner, line.currency, 1.0
        )
        values.update(
            ref=line.name,
            amount_total="0.00",
            amount_total_signed=cents(abs(diff)),
            amount_total_in_currency_signed="0.00",
        )
        self.moves.add(base, **values)
        other = self.loss.id if diff > 0 else self.gain.id
        self.line(
            self.line_tpl["bank"],
            move_id,
            name,
            day,
            line.partner,
            other,
            line.currency,
            diff,
            0,
            date_maturity=day,
        )
        counterpart = Receivable(self.line_ids(), move_id, "exchange", day, -diff, 0, 1.0)
        counterpart.name = name
        counterpart.partner = line.partner
        counterpart.currency = line.currency
        counterpart.due = day
        counterpart.move_values = None
        return move_id, counterpart

    # -- reconciliation -----------------------------------------------------

    def reconcile(self, debit, credit, amount_cur, group):
        """A partial of ``amount_cur`` (in the lines' currency) between a
        debit and a credit receivable line, then the exchange difference if
        that closes a foreign line in its currency only."""
        foreign = debit.currency != self.usd.id
        if foreign:
            on_debit = debit.res if amount_cur == debit.res_cur else round(amount_cur / debit.rate)
            on_credit = -credit.res if amount_cur == -credit.res_cur else round(amount_cur / credit.rate)
            amount = min(on_debit, on_credit)
        else:
            amount = amount_cur
        day = max(debit.date, credit.date)
        partial = self._partial(debit, credit, amount, amount_cur, day, group)
        for line in (debit, credit):
            if foreign and line.res_cur == 0 and line.res != 0:
                move_id, counterpart = self.exchange(line, day)
                group.append(counterpart)
                if line.res > 0:
                    self._partial(line, counterpart, line.res, 0, day, group)
                else:
                    self._partial(counterpart, line, -line.res, 0, day, group)
                partial[4] = move_id
        return amount

    def _partial(self, debit, credit, amount, amount_cur, day, group):
        partial = [
            self.partial_ids(),
            debit.id,
            credit.id,
            None,
            None,
            self.usd.id,
            debit.currency,
            credit.currency,
            amount,
            amount_cur,
            amount_cur,
            self.company.id,
            day,
        ]
        debit.res -= amount
        credit.res += amount
        debit.res_cur -= amount_cur
        credit.res_cur += amount_cur
        debit.partials.append(partial)
        credit.partials.append(partial)
        self.group_partials.append(partial)
        return partial

    def close(self, group):
        """Write the receivable lines of a group, its partials and full
        reconcile, and the moves' residual and payment state."""
        partials = self.group_partials
        full = None
        if partials and all(line.res == 0 and line.res_cur == 0 for line in group):
            full = self.full_ids()
            exchange = next((p[4] for p in partials if p[4]), None)
            self.fulls.add(
                id=str(full),
                exchange_move_id=exchange,
                create_uid="1",
                write_uid="1",
                create_date=self.now,
                write_date=self.now,
            )
        for p in partials:
            self.partials.add(
                id=str(p[0]),
                debit_move_id=str(p[1]),
                credit_move_id=str(p[2]),
                full_reconcile_id=full,
                exchange_move_id=p[4],
                debit_currency_id=str(p[6]),
                credit_currency_id=str(p[7]),
                amount=cents(p[8]),
                debit_amount_currency=cents(p[9]),
                credit_amount_currency=cents(p[10]),
                company_id=str(p[11]),
                max_date=p[12],
                create_uid="1",
                write_uid="1",
                create_date=self.now,
                write_date=self.now,
            )
        first = min((p[0] for p in partials), default=None)
        kinds = {}
        for p in partials:
            kinds.setdefault(p[1], set()).add(p[2])
            kinds.setdefault(p[2], set()).add(p[1])
        move_kind = {line.id: line.kind for line in group}
        for line in group:
            reconciled = line.res == 0 and line.res_cur == 0
            if full:
                matching = str(full)
            elif line.partials:
                matching = "P%d" % first
            else:
                matching = None
            if line.kind in ("invoice", "refund"):
                base = self.line_tpl[(line.kind, "payment_term")]
                extra = {"invoice_date": line.date, "date_maturity": line.due, "name": line.name}
                extra["price_unit"] = cents(-line.amount_currency)
                extra["price_subtotal"] = cents(-line.amount_currency)
                extra["price_total"] = cents(-line.amount_currency)
            else:
                base = self.line_tpl["recv"]
                extra = {"date_maturity": line.due}
            self.line(
                base,
                line.move,
                line.name,
                line.date,
                line.partner,
                self.receivable.id,
                line.currency,
                line.balance,
                line.amount_currency,
                id=line.id,
                amount_residual=cents(line.res),
                amount_residual_currency=cents(line.res_cur),
                reconciled=reconciled,
                full_reconcile_id=full,
                matching_number=matching,
                **extra,
            )
            if line.move_values is None:
                continue
            base_move, values = line.move_values
            if line.kind in ("invoice", "refund"):
                sign = 1 if line.kind == "invoice" else -1
                values["amount_residual"] = cents(sign * line.res_cur)
                values["amount_residual_signed"] = cents(line.res)
                counterparts = {move_kind.get(other, "entry") for other in kinds.get(line.id, ())}
                counterparts = {"entry" if k in ("payment", "exchange") else k for k in counterparts}
                if line.res_cur == 0:
                    state = "paid"
                    if line.kind == "invoice" and counterparts in ({"refund"}, {"refund", "entry"}):
                        state = "reversed"
                elif line.partials:
                    state = "partial"
                else:
                    state = "not_paid"
                values["payment_state"] = state
            self.moves.add(base_move, **values)
        self.group_partials = []

    # -- the history --------------------------------------------------------

    def payment_day(self, due, profile):
        r = self.random
        if profile == "good":
            delay = r.randint(-10, 3)
        elif profile == "late":
            delay = r.randint(-5, 45)
        else:
            delay = r.randint(15, 150)
        return due + datetime.timedelta(days=delay)

    def run(self):
        r = self.random
        self.tables()
        self.group_partials = []
        invoices = self.invoice_count or int(self.target / LINES_PER_INVOICE)
        days = sorted(r.randint(0, self.history_days) for _ in range(invoices))
        chunk = 20000
        for number, offset in enumerate(days, 1):
            day = self.start + datetime.timedelta(days=offset)
            if r.random() < BIG_CUSTOMER:
                index = 0
            else:
                index = r.randrange(len(self.customers))
            partner, profile = self.customers[index], self.profiles[index]
            foreign = r.random() < FOREIGN
            due = day + datetime.timedelta(days=r.choice(self.terms))
            products = [(r.randint(1, 5), r.randint(2000, 250000)) for _ in range(r.choice((1, 1, 2, 3, 4)))]
            invoice = self.document("invoice", day, due, partner, foreign, products)
            group = [invoice]
            scenario = r.random()
            if scenario < CREDIT_NOTE:
                refund_day = min(day + datetime.timedelta(days=r.randint(2, 40)), self.today)
                if r.random() < 0.4:
                    credited = products
                else:
                    _quantity, price = products[0]
                    credited = [(1, max(100, price * r.randint(20, 80) // 100))]
                refund = self.document("refund", refund_day, refund_day, partner, foreign, credited)
                group.append(refund)
                self.reconcile(invoice, refund, min(invoice.res_cur, -refund.res_cur), group)
            scenario = r.random()
            unpaid = self.unpaid
            if invoice.res_cur > 0 and scenario >= unpaid:
                if scenario < unpaid + PARTIAL_ONCE:
                    parts = [invoice.res_cur * r.randint(30, 70) // 100]
                elif scenario < unpaid + PARTIAL_ONCE + TWO_PAYMENTS:
                    first = invoice.res_cur * r.randint(30, 70) // 100
                    parts = [first, invoice.res_cur - first]
                else:
                    parts = [invoice.res_cur]
                pay_day = self.payment_day(due, profile)
                for part in parts:
                    if pay_day > self.today or part <= 0:
                        break
                    rate = self.rate(pay_day) if foreign else 1.0
                    payment = self.entry(pay_day, partner, foreign, part, rate)
                    group.append(payment)
                    self.reconcile(invoice, payment, part, group)
                    pay_day += datetime.timedelta(days=r.randint(10, 40))
            self.close(group)
            if r.random() < UNAPPLIED:
                pay_day = day + datetime.timedelta(days=r.randint(0, 60))
                if pay_day <= self.today:
                    rate = self.rate(pay_day) if foreign else 1.0
                    payment = self.entry(pay_day, partner, foreign, r.randint(5000, 300000), rate)
                    self.close([payment])
            if number % chunk == 0:
                self.write_all()
                print("  %d/%d invoices, %d journal items" % (number, invoices, self.lines.count), flush=True)
        self.write_all()
        for ids in (self.move_ids, self.line_ids, self.partial_ids, self.full_ids):
            ids.commit(self.cr)

    # ------------------------------------------------------------------
    # what the customer risk signals read (--risk)
    # ------------------------------------------------------------------

    def risk_data(self):
        """Contact data on the customers (some phone and VAT numbers
        invalid, some without address or VAT), confirmed orders not
        invoiced, and late-fee invoices on some late invoices. A random
        generator of its own: the history above is the same with or
        without it."""
        r = random.Random(self.seed + 1)
        contacts = self._risk_contacts(r)
        orders = self._risk_orders(r)
        fees = self._risk_fees(r)
        return "risk data: %d customers with contact data, %d orders not invoiced, %d late-fee invoices" % (
            contacts,
            orders,
            fees,
        )

    def _risk_contacts(self, r):
        """By SQL (20,000 ORM writes would take minutes): a quarter Belgian
        companies with address, phone and VAT number, half American ones
        with address and phone but no VAT number, the rest nothing; about
        one phone and one VAT number in ten invalid."""
        env = self.env
        us, be = env.ref("base.us").id, env.ref("base.be").id
        rows = []
        for partner_id, _name in self.customers:
            kind = r.random()
            if kind < 0.25:
                number = r.randint(2000000, 8999999)
                vat = "BE0%07d%02d" % (number, 97 - number % 97)
                if r.random() < 0.1:
                    vat = vat[:-2] + "%02d" % ((int(vat[-2:]) + 1) % 97)
                phone = "+32 2 %03d %02d %02d" % (r.randint(100, 999), r.randint(0, 99), r.randint(0, 99))
                if r.random() < 0.1:
                    phone = "+32 %d" % r.randint(10, 999)
                rows.append(
                    (partner_id, "Rue de la Loi %d" % r.randint(1, 200), "Bruxelles", "1000", be, phone, vat)
                )
            elif kind < 0.75:
                phone = "+1 %03d-555-01%02d" % (r.choice((201, 212, 415, 617, 312)), r.randint(0, 99))
                if r.random() < 0.1:
                    phone = "555-%02d" % r.randint(0, 99)
                street = "%d Main Street" % r.randint(1, 999) if r.random() < 0.9 else None
                rows.append((partner_id, street, "Springfield", "62701", us, phone, None))
        if rows:
            from psycopg2.extras import execute_values

            execute_values(
                self.cr,
                """UPDATE res_partner p
                      SET street = v.street, city = v.city, zip = v.zip, country_id = v.country,
                          phone = v.phone, vat = v.vat
                     FROM (VALUES %s) AS v(id, street, city, zip, country, phone, vat)
                    WHERE p.id = v.id""",
                rows,
                template="(%s, %s, %s, %s, %s::int, %s, %s)",
            )
        env.invalidate_all()
        return len(rows)

    def _risk_orders(self, r):
        """Confirmed orders not invoiced, through the ORM: one customer in
        ten has one or two."""
        env = self.env
        product = env["product.product"].create(
            {"name": "Bench service", "type": "service", "invoice_policy": "order", "list_price": 100.0}
        )
        values = []
        for partner_id, _name in self.customers:
            if r.random() >= 0.1:
                continue
            for _order in range(r.choice((1, 1, 2))):
                lines = [
                    (
                        0,
                        0,
                        {
                            "product_id": product.id,
                            "product_uom_qty": r.randint(1, 10),
                            "price_unit": r.randint(2000, 250000) / 100.0,
                            "tax_id": [(6, 0, self.tax.ids)],
                        },
                    )
                    for _line in range(r.choice((1, 1, 2, 3)))
                ]
                values.append({"partner_id": partner_id, "order_line": lines})
        orders = env["sale.order"].create(values)
        orders.action_confirm()
        env.flush_all()
        return len(orders)

    def _risk_fees(self, r):
        """A late-fee invoice (``muzza_fee_origin_id`` set) on one in a
        hundred invoices paid or still open 30 days after their due date,
        half of them paid."""
        cr = self.cr
        cr.execute(
            """SELECT m.id, m.partner_id, p.name, m.invoice_date_due, m.amount_total_signed
                 FROM account_move m
                 JOIN res_partner p ON p.id = m.partner_id
                 JOIN account_move_line l ON l.move_id = m.id AND l.display_type = 'payment_term'
                WHERE m.move_type = 'out_invoice' AND m.state = 'posted' AND m.id > %s
                  AND m.invoice_date_due < %s
                  AND (l.amount_residual > 0
                       OR EXISTS (SELECT 1 FROM account_partial_reconcile pr
                                   WHERE pr.debit_move_id = l.id
                                     AND pr.max_date > m.invoice_date_due + 30))
             ORDER BY m.id""",
            [max(self.templates), self.today - datetime.timedelta(days=30)],
        )
        late = [row for row in cr.fetchall() if r.random() < 0.01]
        self.tables()
        self.group_partials = []
        for origin, partner_id, name, due, total in late:
            day = due + datetime.timedelta(days=30)
            amount = max(500, round(float(total) * 100 * 0.015))
            fee = self.document(
                "invoice", day, day + datetime.timedelta(days=15), (partner_id, name), False, [(1, amount)]
            )
            fee.move_values[1]["muzza_fee_origin_id"] = origin
            fee.move_values[1]["invoice_origin"] = None
            group = [fee]
            pay_day = day + datetime.timedelta(days=r.randint(5, 40))
            if r.random() < 0.5 and pay_day <= self.today:
                payment = self.entry(pay_day, (partner_id, name), False, fee.res_cur, 1.0)
                group.append(payment)
                self.reconcile(fee, payment, fee.res_cur, group)
            self.close(group)
        self.write_all()
        for ids in (self.move_ids, self.line_ids, self.partial_ids, self.full_ids):
            ids.commit(self.cr)
        return len(late)

    # ------------------------------------------------------------------
    # what the payment reminders read (--contacts)
    # ------------------------------------------------------------------

    def contacts(self):
        """An e-mail address on every customer, Spanish (es_ES, installed
        with its translations) for one in three, the others English, and
        two time zones (Europe/Madrid, America/New_York). A random generator
        of its own: the history is the same with or without it."""
        env = self.env
        r = random.Random(self.seed + 2)
        spanish = env["res.lang"].with_context(active_test=False).search([("code", "=", "es_ES")])
        if not spanish.active:
            env["base.language.install"].create({"lang_ids": [(6, 0, spanish.ids)]}).lang_install()
        rows = []
        for partner_id, _name in self.customers:
            lang = "es_ES" if r.random() < 1 / 3 else "en_US"
            tz = "Europe/Madrid" if r.random() < 0.5 else "America/New_York"
            rows.append((partner_id, "customer%d@example.com" % partner_id, lang, tz))
        from psycopg2.extras import execute_values

        execute_values(
            self.cr,
            """UPDATE res_partner p SET email = v.email, lang = v.lang, tz = v.tz
                 FROM (VALUES %s) AS v(id, email, lang, tz) WHERE p.id = v.id""",
            rows,
        )
        env.invalidate_all()
        spanish_count = sum(1 for row in rows if row[2] == "es_ES")
        return "contacts: %d customers with an e-mail, %d in Spanish" % (len(rows), spanish_count)

    # ------------------------------------------------------------------
    # consistency
    # ------------------------------------------------------------------

    def verify(self, sample=25):
        cr = self.cr
        problems = []
        cr.execute(
            """SELECT COUNT(*) FROM (
                 SELECT move_id FROM account_move_line GROUP BY move_id
                 HAVING SUM(debit) != SUM(credit) OR SUM(balance) != 0) unbalanced"""
        )
        problems.append(("unbalanced moves", cr.fetchone()[0]))
        cr.execute(
            """SELECT COUNT(*) FROM account_move_line aml
                 JOIN account_account acc ON acc.id = aml.account_id AND acc.reconcile
                 LEFT JOIN (SELECT debit_move_id AS id, SUM(amount) AS amount,
                                   SUM(debit_amount_currency) AS cur
                              FROM account_partial_reconcile GROUP BY debit_move_id) d ON d.id = aml.id
                 LEFT JOIN (SELECT credit_move_id AS id, SUM(amount) AS amount,
                                   SUM(credit_amount_currency) AS cur
                              FROM account_partial_reconcile GROUP BY credit_move_id) c ON c.id = aml.id
                WHERE aml.amount_residual != aml.balance - COALESCE(d.amount, 0) + COALESCE(c.amount, 0)
                   OR aml.amount_residual_currency
                      != aml.amount_currency - COALESCE(d.cur, 0) + COALESCE(c.cur, 0)
                   OR aml.reconciled != (aml.amount_residual = 0 AND aml.amount_residual_currency = 0)"""
        )
        problems.append(("receivable lines whose residual is not balance - partials", cr.fetchone()[0]))
        cr.execute(
            """SELECT COUNT(*) FROM account_move m
                 JOIN account_move_line l ON l.move_id = m.id AND l.display_type = 'payment_term'
                WHERE m.amount_residual_signed != l.amount_residual"""
        )
        problems.append(("invoices whose residual is not their receivable line's", cr.fetchone()[0]))
        # the ORM's own computes on a sample
        env = self.env
        cr.execute(
            "SELECT id FROM account_move WHERE move_type IN ('out_invoice', 'out_refund') AND id > %s "
            "ORDER BY random() LIMIT %s",
            [max(self.templates), sample],
        )
        moves = env["account.move"].browse([row[0] for row in cr.fetchall()])
        lines = moves.line_ids
        fields_line = ["amount_residual", "amount_residual_currency", "reconciled", "matching_number"]
        fields_move = ["amount_untaxed", "amount_tax", "amount_total", "amount_residual", "payment_state"]
        fields_move += ["amount_total_signed", "amount_residual_signed"]
        stored = {
            "line": {line.id: [line[f] for f in fields_line] for line in lines},
            "move": {move.id: [move[f] for f in fields_move] for move in moves},
        }
        lines._compute_amount_residual()
        lines._constrains_matching_number()  # raises if a matching number is wrong
        moves._compute_amount()
        moves._compute_payment_state()
        mismatches = 0
        for line in lines:
            if [line[f] for f in fields_line] != stored["line"][line.id]:
                mismatches += 1
                print(
                    "  line %s: stored %s, ORM %s"
                    % (line.id, stored["line"][line.id], [line[f] for f in fields_line])
                )
        for move in moves:
            if [move[f] for f in fields_move] != stored["move"][move.id]:
                mismatches += 1
                print(
                    "  move %s: stored %s, ORM %s"
                    % (move.name, stored["move"][move.id], [move[f] for f in fields_move])
                )
        env.invalidate_all()
        problems.append(("ORM recompute mismatches on %d invoices" % len(moves), mismatches))
        return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--lines", type=int, default=10000, help="journal items to generate (about)")
    parser.add_argument("--init", action="store_true", help="create the database first")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument(
        "--customers",
        type=int,
        default=None,
        help="number of customers (default: one per 200 lines, 50 at least)",
    )
    parser.add_argument("--invoices", type=int, default=None, help="invoices (instead of --lines)")
    parser.add_argument("--history-days", type=int, default=HISTORY_DAYS, help="invoice dates spread over")
    parser.add_argument(
        "--unpaid", type=float, default=UNPAID, help="share of invoices with no payment planned at all"
    )
    parser.add_argument(
        "--terms",
        default=",".join(str(t) for t in TERMS),
        help="days from invoice to due date, drawn at random (comma-separated, repeat to weigh)",
    )
    parser.add_argument(
        "--contacts",
        action="store_true",
        help="also what reminders read: e-mails, languages (es_ES installed) and time zones",
    )
    parser.add_argument(
        "--risk",
        action="store_true",
        help="also what the risk signals read: contact data, orders not invoiced, late-fee invoices",
    )
    args = parser.parse_args()
    started = time.monotonic()
    if args.init:
        _odoo.init_database(args.db)
        print("initialised %s in %.0f s" % (args.db, time.monotonic() - started), flush=True)
    registry = _odoo.registry(args.db)
    from odoo import SUPERUSER_ID, api

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        generator = Generator(
            env,
            args.lines,
            args.seed,
            args.customers,
            invoices=args.invoices,
            history_days=args.history_days,
            unpaid=args.unpaid,
            terms=[int(term) for term in args.terms.split(",")],
        )
        begun = time.monotonic()
        generator.setup()
        print("set-up and templates (ORM): %.1f s" % (time.monotonic() - begun), flush=True)
        begun = time.monotonic()
        generator.run()
        print(
            "generated %d moves, %d journal items, %d partials in %.1f s"
            % (
                generator.moves.count,
                generator.lines.count,
                generator.partials.count,
                time.monotonic() - begun,
            ),
            flush=True,
        )
        if args.risk:
            begun = time.monotonic()
            print(generator.risk_data(), "in %.1f s" % (time.monotonic() - begun), flush=True)
        if args.contacts:
            begun = time.monotonic()
            print(generator.contacts(), "in %.1f s" % (time.monotonic() - begun), flush=True)
        begun = time.monotonic()
        cr.execute("ANALYZE")
        problems = generator.verify()
        print("verified in %.1f s" % (time.monotonic() - begun))
        for label, count in problems:
            print("  %-60s %s" % (label, count))
        if any(count for _label, count in problems):
            cr.rollback()
            sys.exit("inconsistent: rolled back")
        cr.commit()
    print("done in %.0f s" % (time.monotonic() - started))


if __name__ == "__main__":
    main()
