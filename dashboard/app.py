"""License utilization dashboard (Streamlit).

Run it with `make dashboard` (http://localhost:8501), or

    DBT_DUCKDB_PATH=license_utilization.duckdb streamlit run dashboard/app.py

It reads the marts of the DuckDB warehouse that `make run` builds, read-only. Pages:

* Portfolio   - utilization distribution, accounts per band, seats and over-use, trend;
* Account     - one account: daily and monthly trend with the bands, departments,
                roles, milestones and peers (`/account?account=acc_004` opens one);
* Cohorts     - industries, size bands, plan tiers and purchase cohorts side by side,
                and the "active" definitions side by side;
* Renewals    - accounts renewing in the next 90 days, the ones below 60% first in mind;
* Alerts      - the alert feed in priority order.
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

# Streamlit puts this folder on sys.path when it runs the app; AppTest and plain
# `python -m streamlit run` from elsewhere may not, so make it explicit.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from lu_dashboard import data  # noqa: E402
from lu_dashboard.settings import thresholds, warehouse_path  # noqa: E402

VIEWS = Path(__file__).resolve().parent / "views"

st.set_page_config(page_title="License utilization", page_icon=":bar_chart:", layout="wide")

PAGES = [
    st.Page(VIEWS / "overview.py", title="Portfolio", icon=":material/dashboard:", url_path="overview", default=True),
    st.Page(VIEWS / "account.py", title="Account", icon=":material/business:", url_path="account"),
    st.Page(VIEWS / "cohorts.py", title="Cohorts", icon=":material/groups:", url_path="cohorts"),
    st.Page(VIEWS / "renewals.py", title="Renewals (90 days)", icon=":material/event:", url_path="renewals"),
    st.Page(VIEWS / "alerts.py", title="Alerts", icon=":material/notifications:", url_path="alerts"),
]

page = st.navigation(PAGES)

with st.sidebar:
    limits = thresholds()
    st.markdown(
        f"**Bands**: strong ≥ {limits.strong_pct:g}%, healthy {limits.at_risk_pct:g}–{limits.strong_pct:g}%, "
        f"at risk < {limits.at_risk_pct:g}%."
    )
    source = warehouse_path()
    st.caption(f"Warehouse (read-only): `{source.name}`", help=str(source))
    if st.button("Reload data", help="Clear the cache and read the warehouse again"):
        data._query.clear()

page.run()
