"""Reports: the team-meeting agenda and the annual overview, from one set of metrics."""

from klachtsheet import schema

# The tabs the agenda reads; here, so the command line can start reading them before it
# imports the reports.
AGENDA_TABS = (
    schema.KLACHTEN_TAB,
    schema.CATEGORIEEN_TAB,
    schema.LOCATIES_TAB,
    schema.INSTELLINGEN_TAB,
    schema.LOGBOEK_TAB,  # escalations and first contact (reports/helpdesk.py)
)
