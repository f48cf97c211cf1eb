{#
    Per raw table: rows read, kept, merged (identical copies folded into a
    kept row) and quarantined. rows_read = rows_kept + rows_merged +
    rows_quarantined is enforced by a test, so no row vanishes unseen.
#}
with

{% set tables = [
    ('accounts', 'base_license__accounts'),
    ('subscriptions', 'base_license__subscriptions'),
    ('subscription_seat_changes', 'base_license__subscription_seat_changes'),
    ('users', 'base_license__users'),
    ('events', 'audit_event_outcomes_daily'),
] %}

outcomes as (

    {#- the four small tables row by row; the events come already counted
        per day and outcome (audit_event_outcomes_daily: one pass over them) #}
    {%- for table_name, model_name in tables %}
        select
            '{{ table_name }}' as table_name,
            outcome,
            {{ 'raw_rows' if table_name == 'events' else '1' }} as raw_rows
        from {{ ref(model_name) }}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}

),

raw_tables as (

    {%- for table_name, model_name in tables %}
        select '{{ table_name }}' as table_name
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}

),

counted as (

    select
        table_name,
        sum(raw_rows) as rows_read,
        sum(case when outcome = 'kept' then raw_rows else 0 end) as rows_kept,
        sum(case when outcome = 'merged' then raw_rows else 0 end) as rows_merged,
        sum(case when outcome = 'quarantined' then raw_rows else 0 end) as rows_quarantined
    from outcomes
    group by table_name

),

final as (

    {#- a table with no rows (an empty seat-change file) still gets its line #}
    select
        raw_tables.table_name,
        cast(coalesce(counted.rows_read, 0) as bigint) as rows_read,
        cast(coalesce(counted.rows_kept, 0) as bigint) as rows_kept,
        cast(coalesce(counted.rows_merged, 0) as bigint) as rows_merged,
        cast(coalesce(counted.rows_quarantined, 0) as bigint) as rows_quarantined
    from raw_tables
    left join counted
        on raw_tables.table_name = counted.table_name

)

select * from final
