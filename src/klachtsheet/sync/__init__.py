"""The sync: read all tabs once, apply the pure rules, write one change set, send what is due.

Order matters for exactly-once sending: the new Nummers and the intent to send
are journalled before anything is sent; messages go out; then the sheet is
written in one update and the Logboek in one append. A crash anywhere leaves a
state the next run completes without sending anything twice.
"""

from klachtsheet import tabs

# The tabs a run reads; here rather than in plan.py so the command line can start reading
# them before it imports the rules.
SHARED_TABS = (
    tabs.KLACHTEN_TAB,
    tabs.CATEGORIEEN_TAB,
    tabs.LOCATIES_TAB,
    tabs.INSTELLINGEN_TAB,
)
CONFIDENTIAL_TABS = (tabs.KLACHTEN_TAB,)
# The tab a run reviews a block of rows at a time while the rest is still being parsed.
BLOCKS_TAB = tabs.KLACHTEN_TAB
