from tests.accounts.helpers import (  # noqa: F401  (fixtures)
    _clear_cache,
    admin_user,
    other_patient,
    patient,
    therapist,
)
from tests.booking.conftest import mailbox  # noqa: E402, F401  (fixture)
