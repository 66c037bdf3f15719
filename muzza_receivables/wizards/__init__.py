from . import muzza_late_fee_waive
from . import muzza_deposit_override
from . import sale_advance_payment_inv
from . import muzza_retainer_budget
from . import muzza_budget_approval
from . import muzza_aging_report
from . import muzza_risk_override
from . import muzza_risk_approval_decide
