{{ config(severity='warn') }}
{#
    Warns (by default it never fails the build) with the number of raw rows
    in quarantine; query audit.quarantine_raw_rows for which and why. To make
    rules blocking, see assert_no_blocking_quarantine and the vars
    quarantine_error_rules / quarantine_error_share.
#}
select
    table_name,
    rule,
    count(*) as quarantined_rows
from {{ ref('quarantine_raw_rows') }}
group by table_name, rule
