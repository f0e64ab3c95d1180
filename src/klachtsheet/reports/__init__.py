"""Reports: the team-meeting agenda and the annual overview, from one set of metrics."""

from klachtsheet import tabs

# The tabs the agenda reads; here, so the command line can start reading them before it
# imports the reports.
AGENDA_TABS = (
    tabs.KLACHTEN_TAB,
    tabs.CATEGORIEEN_TAB,
    tabs.LOCATIES_TAB,
    tabs.INSTELLINGEN_TAB,
    tabs.LOGBOEK_TAB,  # escalations and first contact (reports/helpdesk.py)
)
# The big tab, parsed in blocks whose complaints are made while the rest is parsed.
AGENDA_BLOCKS_TAB = tabs.KLACHTEN_TAB
