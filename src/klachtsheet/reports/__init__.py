"""Reports: the team-meeting agenda and the annual overview, from one set of metrics."""
