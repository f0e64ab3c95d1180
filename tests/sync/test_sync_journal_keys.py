"""Both registers' sent-mail journals in one map: one register's digest never answers for the other."""

from __future__ import annotations

from klachtsheet.messages.outbox import SENT, JournalEntry
from klachtsheet.schema import CONFIDENTIAL, SHARED
from klachtsheet.sync.rows import journal_key, sent_in


def test_a_confidential_overview_does_not_mark_the_shared_one_of_the_same_name_sent():
    key = "te-laat:vera-veilig:2026-11-20"  # the vertrouwenspersoon is also a coordinator
    merged = {journal_key(CONFIDENTIAL, key): JournalEntry(key, SENT, "", "2026-11-20")}

    assert sent_in(merged, CONFIDENTIAL, key) is not None
    assert sent_in(merged, SHARED, key) is None
    merged[journal_key(SHARED, key)] = JournalEntry(key, SENT, "", "2026-11-20")
    assert sent_in(merged, SHARED, key) is not None
