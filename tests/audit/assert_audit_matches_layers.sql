{#
    The audit agrees with the layers it describes: rows_kept is the row count
    of each staging model and rows_quarantined the count of the table's rows
    in quarantine_raw_rows. Returns the tables that disagree. For events the
    kept rows are read from audit_event_outcomes_daily (one pass over the
    events serves every audit check; assert_every_raw_event_was_read ties
    it to the raw input and assert_every_kept_event_is_counted to the
    user-day activity).
#}
with

audit as (

    select * from {{ ref('audit_raw_rows') }}

),

quarantine as (

    select * from {{ ref('quarantine_raw_rows') }}

),

staged as (

    select
        'accounts' as table_name,
        count(*) as staged_rows
    from {{ ref('stg_license__accounts') }}
    union all
    select
        'subscriptions' as table_name,
        count(*) as staged_rows
    from {{ ref('stg_license__subscriptions') }}
    union all
    select
        'subscription_seat_changes' as table_name,
        count(*) as staged_rows
    from {{ ref('stg_license__subscription_seat_changes') }}
    union all
    select
        'users' as table_name,
        count(*) as staged_rows
    from {{ ref('stg_license__users') }}
    union all
    select
        'events' as table_name,
        sum(raw_rows) as staged_rows
    from {{ ref('audit_event_outcomes_daily') }}
    where outcome = 'kept'

),

quarantined as (

    select
        table_name,
        count(*) as quarantined_rows
    from quarantine
    group by table_name

),

final as (

    select
        audit.table_name,
        audit.rows_kept,
        staged.staged_rows,
        audit.rows_quarantined,
        coalesce(quarantined.quarantined_rows, 0) as quarantine_rows
    from audit
    left join staged
        on audit.table_name = staged.table_name
    left join quarantined
        on audit.table_name = quarantined.table_name
    where audit.rows_kept <> coalesce(staged.staged_rows, -1)
        or audit.rows_quarantined <> coalesce(quarantined.quarantined_rows, 0)

)

select * from final
