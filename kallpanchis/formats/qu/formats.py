# Quechua speakers in Peru read dates and numbers the Spanish way.
from kallpanchis.formats.es.formats import *  # noqa: F403
