"""The one permit under which signed notes and addenda may be deleted: the patient's
account erasure (``receivers.erase_notes``).

The database triggers of migration 0002 refuse every UPDATE of a signed note or an
addendum, and every DELETE of either, unless the current transaction holds the permit for
that patient:

- PostgreSQL: the transaction-local setting ``rehabit.erasing_patient`` (the patient's id),
  withdrawn again before the block ends and rolled back with it on error;
- SQLite: a row in ``charts_erasure_permit`` (not a Django model), inserted and removed
  inside the same transaction, so no other connection ever sees it.

The test profile's ``flush`` (``rehabit.audit``'s command) also passes on SQLite: it holds
the audit log's "everything may go" permit, which the triggers accept too. On PostgreSQL
``flush`` truncates, which no row trigger sees.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connections, transaction

PG_SETTING = "rehabit.erasing_patient"


@contextmanager
def erasure_permitted(patient_id: int, *, using: str = "default") -> Iterator[None]:
    connection = connections[using]
    vendor = connection.vendor
    with transaction.atomic(using=using):
        with connection.cursor() as cursor:
            if vendor == "postgresql":
                cursor.execute("SELECT set_config(%s, %s, true)", [PG_SETTING, str(patient_id)])
            elif vendor == "sqlite":
                cursor.execute(
                    "INSERT INTO charts_erasure_permit (patient_id) VALUES (%s)", [patient_id]
                )
        yield
        with connection.cursor() as cursor:
            if vendor == "postgresql":
                cursor.execute("SELECT set_config(%s, '', true)", [PG_SETTING])
            elif vendor == "sqlite":
                cursor.execute("DELETE FROM charts_erasure_permit")
