from . import portal
from . import portal_language
from . import portal_risk
from . import portal_reminder
