from . import muzza_late_fee_waive
from . import muzza_deposit_override
from . import sale_advance_payment_inv
