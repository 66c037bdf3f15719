from . import muzza_late_fee_waive
