from . import test_overdue_invoices
from . import test_receivables_ui
from . import test_late_fees
from . import test_invoice_report
from . import test_contract_templates
from . import test_autopay
from . import test_deposits
from . import test_retainers
