"""Dashboards and KPIs (看板, DESIGN §9): the four live dashboard modules and the monthly OHDI."""
