"""The license utilization dashboard's building blocks.

* `settings`: where the warehouse is, the band thresholds;
* `data`: read-only queries of the marts (cached per warehouse version);
* `figures`: headline numbers from mart rows (shared with scripts/report.py);
* `charts`: Altair charts with the utilization bands drawn;
* `ui`: page furniture shared by the pages in dashboard/views/.
"""
