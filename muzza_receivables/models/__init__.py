# Shared services
from . import muzza_wording
from . import muzza_cron_batch
from . import muzza_aging
from . import muzza_aging_snapshot

# Configuration records
from . import muzza_late_fee_policy
from . import muzza_contract_template
from . import muzza_risk_sign
from . import muzza_risk_profile
from . import muzza_risk_flag
from . import muzza_risk_history
from . import muzza_risk_approval
from . import muzza_reminder_level
from . import muzza_reminder_customer
from . import muzza_reminder
from . import muzza_reminder_promise
from . import muzza_reminder_dispute
from . import muzza_risk_profile_reminder

# Companies, their settings and customers, one file per feature
from . import res_company_late_fee
from . import res_company_cadence
from . import res_company_clarity
from . import res_company_sending
from . import res_company_deposit
from . import res_company_retainer
from . import res_company_payment
from . import res_company_aging
from . import res_company_risk
from . import res_company_reminder
from . import res_config_settings_late_fee
from . import res_config_settings_cadence
from . import res_config_settings_clarity
from . import res_config_settings_sending
from . import res_config_settings_deposit
from . import res_config_settings_retainer
from . import res_config_settings_risk
from . import res_config_settings_reminder
from . import res_partner_late_fee
from . import res_partner_contract
from . import res_partner_requirements
from . import res_partner_autopay
from . import res_partner_retainer
from . import res_partner_risk
from . import res_partner_reminder

# Invoices, one file per feature. The later a file is imported, the earlier
# its override of a shared method (_post) runs: customer requirements are
# checked first, then clarity, then the retainer budget; late fees freeze
# their terms once posted.
from . import account_move_overdue
from . import account_move_reminder
from . import account_move_risk
from . import account_move_document
from . import account_move_sending
from . import account_move_late_fee
from . import account_move_deposit
from . import account_move_due_dates
from . import account_move_autopay
from . import account_move_payment_options
from . import account_move_retainer
from . import account_move_clarity
from . import account_move_requirements

# Sales orders, one file per feature (same rule for action_confirm and
# _create_invoices: the customer's risk is checked first, then the
# requirements, the retainer's checks, then the deposit's).
from . import sale_order_contract
from . import sale_order_cadence
from . import sale_order_uninvoiced
from . import sale_order_deposit
from . import sale_order_retainer
from . import sale_order_requirements
from . import sale_order_risk
from . import sale_order_line

from . import muzza_retainer
from . import muzza_autopay_consent
from . import muzza_autopay_attempt
from . import payment_transaction_autopay
from . import payment_transaction_deposit
from . import payment_transaction_requirements
from . import payment_transaction_risk
from . import payment_token
from . import muzza_demo
