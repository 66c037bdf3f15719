from . import test_overdue_invoices
from . import test_receivables_ui
