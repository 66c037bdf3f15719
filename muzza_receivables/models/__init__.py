from . import muzza_late_fee_policy
from . import account_move
from . import res_company
from . import res_config_settings
from . import res_partner
