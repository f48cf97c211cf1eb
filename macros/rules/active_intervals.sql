{#
    SQL (a complete select) for the intervals on which each eligible user
    is active under `rule` (see active_rule()). Columns: user_id,
    account_id, department, role, active_from, active_to (both inclusive):
    the activity intervals (activity_intervals_sql) clipped to the user's
    eligibility and to as_of_date (clip_to_eligibility_sql).
#}
{% macro active_intervals_sql(rule, activity_relation, eligibility_relation, reporting_period_relation) -%}
    with

    activity_intervals as (

        {{ activity_intervals_sql(rule, activity_relation) | indent(8) }}

    ),

    clipped as (

        {{ clip_to_eligibility_sql('activity_intervals', eligibility_relation, reporting_period_relation) | indent(8) }}

    )

    select * from clipped
{%- endmacro %}


{#
    SQL (a complete select) for the intervals on which each user of
    `activity_relation` (user-day counts) is active under `rule`, before
    eligibility and as_of_date: user_id, active_from, active_to (both
    inclusive; active_to may lie past the last day with data, up to N-1
    days after the last relevant event).

    How, by the shape of the rule (rule_interval_plan decides; each path
    gives the same intervals; unit tests and the oracle tests hold all
    of them to it):
      - every threshold 1, `any` (or one condition): islands of relevant
        days (active_intervals_islands), two cheap window passes;
      - one condition with a threshold above 1: islands of the days on
        which the window count reaches it (active_intervals_threshold_islands),
        found from each day's last few relevant days in one window pass;
      - `all` with several conditions: the islands of each condition (as
        above, by its threshold), intersected by a small sweep
        (intersect_islands);
      - `any` with several conditions, one of them above 1: window counts
        at change points (active_intervals_general).
    Users are keyed by a dense integer (row_number over their user_ids,
    computed per query), which the window passes sort by about twice as
    fast as by the text id. Cost grows with activity days, not users x
    days.

    With from_day (a date), only the intervals from that day on, computed
    from the activity of from_day-(N-1) on (all a window count on or after
    from_day can see): intervals that started earlier begin at from_day.
    An incremental run joins them to the stored intervals that end the day
    before (int_user_activity_intervals).

    With shared=true, the query is one of several rules computed together
    (activity_intervals_model): it reads the user keys, the user-day counts
    and the islands' window passes from the CTEs of
    activity_intervals_shared_ctes, so rules that differ only in their
    window (7, 30, 90 days of logins) sort the activity once. Those may
    hold more history than this rule's window needs, which changes no
    interval from from_day on.
#}
{% macro activity_intervals_sql(rule, activity_relation, from_day=none, shared=false) -%}
    {%- set window_days = rule['active_window_days'] -%}
    {%- set plan = rule_interval_plan(rule) -%}
    {%- set conditions = plan['conditions'] -%}
    {%- set used = conditions | map(attribute='column') | list -%}
    {%- set since = none if from_day is none else from_day - modules.datetime.timedelta(days=window_days - 1) -%}
    with
    {%- if shared %}

    user_day_counts as (

        {#- the shared user-day counts (activity_intervals_shared_ctes), from
            the first day this rule's windows can see #}
        select * from shared_user_day_counts
        {%- if since is not none %}
        where activity_date >= cast('{{ since.isoformat() }}' as date)
        {%- endif %}

    ),
    {%- else %}

    {{ keyed_activity_ctes('', activity_relation, since) }}
    {%- endif %}

    {%- if plan['path'] == 'general' %}
    {{ active_intervals_general(rule, used) }}
    {%- elif plan['path'] in ('islands', 'threshold_islands') %}
    {%- if plan['path'] == 'threshold_islands' %}
    {{ active_intervals_threshold_islands(window_days, conditions[0]['column'], conditions[0]['threshold']) | indent(4) }}
    {%- else %}
    {{ active_intervals_islands(window_days, used, edges=island_edges_name(used) if shared else none) | indent(4) }}
    {%- endif %}

    merged_intervals as (

        select user_key, active_from, active_to from islands

    ),
    {%- else %}
    {%- for condition in conditions %}
    {%- if condition['threshold'] == 1 %}
    {{ active_intervals_islands(
        window_days, [condition['column']], 'islands_' ~ condition['category'],
        edges=island_edges_name([condition['column']]) if shared else none,
    ) | indent(4) }}
    {%- else %}
    {{ active_intervals_threshold_islands(window_days, condition['column'], condition['threshold'], 'islands_' ~ condition['category']) | indent(4) }}
    {%- endif %}
    {%- endfor %}
    {{ intersect_islands(conditions | map(attribute='category') | list) | indent(4) }}
    {%- endif %}

    keyed_back as (

        select
            activity_users.user_id,
            {%- if from_day is not none %}
            case
                when merged_intervals.active_from < cast('{{ from_day.isoformat() }}' as date)
                    then cast('{{ from_day.isoformat() }}' as date)
                else merged_intervals.active_from
            end as active_from,
            {%- else %}
            merged_intervals.active_from,
            {%- endif %}
            merged_intervals.active_to
        from merged_intervals
        inner join {{ 'shared_activity_users' if shared else 'activity_users' }} as activity_users
            on merged_intervals.user_key = activity_users.user_key
        {%- if from_day is not none %}
        where merged_intervals.active_to >= cast('{{ from_day.isoformat() }}' as date)
        {%- endif %}

    )

    select * from keyed_back
{%- endmacro %}


{#
    Three CTEs (ending with a comma), named with `prefix`: `activity`, the
    rows of `activity_relation` (user-day counts) from `since` on (a date,
    or none for all); `activity_users`, a dense integer key per user
    (row_number over the user_ids: the window passes of the intervals sort
    and partition by it about twice as fast as by the text id); and
    `user_day_counts`, the counts keyed by it (user_key, activity_date and
    the three count columns the rules read). With `users_sql` (a select
    of distinct user_id: changed_users_sql), only those users' activity.
#}
{% macro keyed_activity_ctes(prefix, activity_relation, since=none, users_sql=none) -%}
{{ prefix }}activity as {{ materialized_cte(false) }} (

        {#- read twice: re-reading the table is cheaper than a copy #}
        select counts.* from {{ activity_relation }} as counts
        {%- if users_sql is not none %}
        inner join ({{ users_sql }}) as selected_users
            on counts.user_id = selected_users.user_id
        {%- endif %}
        where 1 = 1
        {%- if since is not none %}
            and counts.activity_date >= cast('{{ since.isoformat() }}' as date)
        {%- endif %}

    ),

    {{ prefix }}activity_users as (

        select
            user_id,
            row_number() over (order by user_id) as user_key
        from (select distinct user_id from {{ prefix }}activity) as distinct_users

    ),

    {{ prefix }}user_day_counts as (

        select
            {{ prefix }}activity_users.user_key,
            {{ prefix }}activity.activity_date,
            {{ prefix }}activity.login_events,
            {{ prefix }}activity.feature_events,
            {{ prefix }}activity.core_workflow_events
        from {{ prefix }}activity
        inner join {{ prefix }}activity_users
            on {{ prefix }}activity.user_id = {{ prefix }}activity_users.user_id

    ),
{%- endmacro %}


{#
    The CTE `cte_name` (ends with a comma): each user's days with an event
    of `columns` (count columns) in `counts_relation` (user_day_counts),
    with the day before and after (lag, lead): the one window pass over
    the activity of active_intervals_islands. With `since`, only from that
    day on.

    With from_day as well (an incremental run, which keeps only the
    islands from from_day on): the days from from_day on, and of the days
    between since and from_day only each user's latest. An island is the
    union of [r, r+N-1] over its relevant days r; what the days before
    from_day add from from_day on is [from_day, r+N-1] for the latest of
    them alone, whatever the window N. So every rule that shares these
    edges gets the same islands from from_day on, and the window pass
    sorts a few days of activity instead of the longest window's.
#}
{% macro island_edges_cte(cte_name, columns, counts_relation, since=none, from_day=none) -%}
{%- set condition -%}
    ({% for column in columns %}{{ column }} > 0{% if not loop.last %} or {% endif %}{% endfor %})
{%- endset -%}
{{ cte_name }} as (

        select
            user_key,
            activity_date,
            lag(activity_date) over (partition by user_key order by activity_date) as previous_day,
            lead(activity_date) over (partition by user_key order by activity_date) as next_day
        {%- if from_day is not none and since is not none %}
        from (
            select
                user_key,
                activity_date
            from {{ counts_relation }}
            where {{ condition }}
                and activity_date >= cast('{{ from_day.isoformat() }}' as date)

            union all

            select
                user_key,
                max(activity_date) as activity_date
            from {{ counts_relation }}
            where {{ condition }}
                and activity_date >= cast('{{ since.isoformat() }}' as date)
                and activity_date < cast('{{ from_day.isoformat() }}' as date)
            group by user_key
        ) as relevant_days
        {%- else %}
        from {{ counts_relation }}
        where {{ condition }}
        {%- if since is not none %}
            and activity_date >= cast('{{ since.isoformat() }}' as date)
        {%- endif %}
        {%- endif %}

    ),
{%- endmacro %}


{#
    The name of the shared island_edges_cte of `columns`.
#}
{% macro island_edges_name(columns) -%}
    {{ return('edges_' ~ columns | join('__')) }}
{%- endmacro %}


{#
    How activity_intervals_sql computes `rule` (the one place that
    decides it): a dict with
      - path: 'islands' (every threshold 1, and `any` or one condition),
        'threshold_islands' (one condition, threshold above 1),
        'intersect' (`all` with several conditions) or 'general' (`any`
        with several conditions, one of them above 1);
      - conditions: active_rule_conditions(rule);
      - island_columns: the lists of count columns whose islands
        (active_intervals_islands) the path computes: one list on the
        islands path, one per threshold-1 condition on the intersect
        path, none otherwise. activity_intervals_shared_ctes writes one
        island_edges_cte per list.
#}
{% macro rule_interval_plan(rule) -%}
    {%- set conditions = active_rule_conditions(rule) -%}
    {%- set above_one = conditions | selectattr('threshold', 'ne', 1) | list | length > 0 -%}
    {%- if conditions | length > 1 and rule['active_rule_match'] == 'any' and above_one -%}
        {%- set path = 'general' -%}
    {%- elif conditions | length == 1 or rule['active_rule_match'] == 'any' -%}
        {%- set path = 'threshold_islands' if above_one else 'islands' -%}
    {%- else -%}
        {%- set path = 'intersect' -%}
    {%- endif -%}
    {%- set island_columns = [] -%}
    {%- if path == 'islands' -%}
        {%- do island_columns.append(conditions | map(attribute='column') | list) -%}
    {%- elif path == 'intersect' -%}
        {%- for condition in conditions if condition['threshold'] == 1 -%}
            {%- do island_columns.append([condition['column']]) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return({'path': path, 'conditions': conditions, 'island_columns': island_columns}) }}
{%- endmacro %}


{#
    The CTEs (each ending with a comma) that activity_intervals_sql(...,
    shared=true) reads, for several rules computed in one query: the
    activity of `activity_relation` from the first day any of the rules'
    windows can see (from_day-(N-1) for the longest N), the user keys, the
    keyed user-day counts, and one island_edges_cte per list of columns
    the rules' islands use (from the first day the longest window among
    those rules can see). Rules that differ only in their window (7, 30
    or 90 days of logins) then share one window pass over the activity,
    and every rule the user keys.
#}
{% macro activity_intervals_shared_ctes(rules, activity_relation, from_day=none, users_sql=none) -%}
    {%- set first_days = {} -%}
    {%- for rule in rules -%}
        {%- for columns in rule_interval_plan(rule)['island_columns'] -%}
            {%- set key = island_edges_name(columns) -%}
            {%- set since = none if from_day is none else from_day - modules.datetime.timedelta(days=rule['active_window_days'] - 1) -%}
            {%- if key not in first_days -%}
                {%- do first_days.update({key: {'columns': columns, 'since': since}}) -%}
            {%- elif since is not none and since < first_days[key]['since'] -%}
                {%- do first_days[key].update({'since': since}) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- set longest = rules | map(attribute='active_window_days') | max -%}
    {{ keyed_activity_ctes(
        'shared_', activity_relation,
        none if from_day is none else from_day - modules.datetime.timedelta(days=longest - 1),
        users_sql,
    ) }}
    {%- for key, edges in first_days.items() %}

    {{ island_edges_cte(key, edges['columns'], 'shared_user_day_counts', edges['since'], from_day) }}
    {%- endfor %}
{%- endmacro %}


{#
    SQL (a complete select): the intervals of `intervals_relation` (user_id,
    active_from, active_to) clipped to each user's eligibility (users not
    eligible have none) and to as_of_date, with the user's account,
    department and role, and the intervals' `carried_columns` as they are.
#}
{% macro clip_to_eligibility_sql(intervals_relation, eligibility_relation, reporting_period_relation, carried_columns=[]) -%}
    with

    eligible_intervals as (

        select
            {%- for column in carried_columns %}
            intervals.{{ column }},
            {%- endfor %}
            eligibility.user_id,
            eligibility.account_id,
            eligibility.department,
            eligibility.role,
            case
                when intervals.active_from > eligibility.eligible_from
                    then intervals.active_from
                else eligibility.eligible_from
            end as active_from,
            case
                when eligibility.eligible_to is not null
                    and eligibility.eligible_to < intervals.active_to
                    then eligibility.eligible_to
                else intervals.active_to
            end as active_to,
            reporting_period.as_of_date
        from {{ intervals_relation }} as intervals
        inner join {{ eligibility_relation }} as eligibility
            on intervals.user_id = eligibility.user_id
        cross join {{ reporting_period_relation }} as reporting_period

    )

    select
        {%- for column in carried_columns %}
        {{ column }},
        {%- endfor %}
        user_id,
        account_id,
        department,
        role,
        active_from,
        case when active_to > as_of_date then as_of_date else active_to end as active_to
    from eligible_intervals
    where active_from <= active_to
        and active_from <= as_of_date
{%- endmacro %}

{#
    The general case (`any` with several conditions, one of them above 1:
    the conditions' islands could overlap): a user's window count on day
    d is the sum of their events on d-(N-1)..d; it can only change on a
    day with events (it rises) or N days after one (it falls). Each
    activity day becomes two change points (+count on the day, -count N
    days later); a running sum over a user's change points gives the
    window count between consecutive change points; the rule is evaluated
    once per such segment, and just before it (the same sums minus the
    segment's own deltas), which marks where activity starts and stops
    without a second pass; the starts and stops, few, are paired. Reads
    the CTE user_day_counts; ends with the CTE merged_intervals (user_key,
    active_from, active_to).
#}
{% macro active_intervals_general(rule, used) -%}
    {#- the rule's count columns and their running sums; a category the
        rule does not use is carried as 0 (no sum to keep for it) #}
    {%- set categories = [
        ('login_events', 'login_delta', 'window_logins'),
        ('feature_events', 'feature_delta', 'window_feature_events'),
        ('core_workflow_events', 'core_workflow_delta', 'window_core_workflow_events'),
    ] -%}
    relevant_days as (

        {#- days whose events can move a condition of this rule #}
        select *
        from user_day_counts
        where {% for column in used %}{{ column }} > 0{% if not loop.last %} or {% endif %}{% endfor %}

    ),

    window_deltas as (

        select
            user_key,
            activity_date as change_date
            {%- for column, delta, total in categories if column in used %},
            {{ column }} as {{ delta }}
            {%- endfor %}
        from relevant_days

        union all

        select
            user_key,
            {{ add_days('activity_date', rule['active_window_days']) }} as change_date
            {%- for column, delta, total in categories if column in used %},
            -{{ column }} as {{ delta }}
            {%- endfor %}
        from relevant_days

    ),

    change_points as (

        select
            user_key,
            change_date
            {%- for column, delta, total in categories if column in used %},
            sum({{ delta }}) as {{ delta }}
            {%- endfor %}
        from window_deltas
        group by user_key, change_date

    ),

    window_totals as (

        {#- the window counts from each change point on (a running sum); the
            counts just before it are the same sums minus its own deltas, so
            whether the rule held before the change needs no second pass #}
        select
            user_key,
            change_date
            {%- for column, delta, total in categories %},
            {%- if column in used %}
            {{ delta }},
            sum({{ delta }}) over (
                partition by user_key order by change_date rows between unbounded preceding and current row
            ) as {{ total }}
            {%- else %}
            0 as {{ delta }},
            0 as {{ total }}
            {%- endif %}
            {%- endfor %}
        from change_points

    ),

    segments as (

        select
            user_key,
            change_date,
            case
                when {{ active_condition(rule, 'window_logins', 'window_feature_events', 'window_core_workflow_events') }}
                    then 1
                else 0
            end as is_active,
            case
                when {{ active_condition(
                    rule,
                    '(window_logins - login_delta)',
                    '(window_feature_events - feature_delta)',
                    '(window_core_workflow_events - core_workflow_delta)',
                ) }}
                    then 1
                else 0
            end as was_active
        from window_totals

    ),

    activity_changes as (

        {#- the change points where the user becomes active or stops being so
            (a user's first change point follows empty windows) #}
        select
            user_key,
            change_date,
            is_active,
            lead(change_date) over (partition by user_key order by change_date) as next_change_date
        from segments
        where is_active <> was_active

    ),

    merged_intervals as (

        {#- the last change point of a user always has empty windows, so every
            start is followed by a stop #}
        select
            user_key,
            change_date as active_from,
            {{ add_days('next_change_date', -1) }} as active_to
        from activity_changes
        where is_active = 1

    ),
{%- endmacro %}


{#
    The conditions of a rule (thresholds above 0) as a list of dicts:
    category ('login' | 'feature_use' | 'core_workflow'), column (the
    count column of active_intervals_general) and threshold.
#}
{% macro active_rule_conditions(rule) -%}
    {%- set conditions = [] -%}
    {%- for key, category, column in [
        ('active_min_logins', 'login', 'login_events'),
        ('active_min_feature_events', 'feature_use', 'feature_events'),
        ('active_min_core_workflow_events', 'core_workflow', 'core_workflow_events'),
    ] -%}
        {%- if rule[key] > 0 -%}
            {%- do conditions.append({'category': category, 'column': column, 'threshold': rule[key]}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(conditions) }}
{%- endmacro %}


{#
    The common case, every threshold 1 ("at least one login in 30 days"):
    a user is active on d when one of their relevant days (a day with an
    event of `categories`) falls on d-(N-1)..d, i.e. from each relevant day
    r through r+N-1. Relevant days less than N+1 days apart chain into one
    island of activity: one window pass (lag and lead) marks the first and
    last day of each island, a second one over those few boundary rows
    pairs them. `columns`: the count columns of the conditions. Reads the
    CTE user_day_counts (one row per user and day), or the CTE `edges`
    when given (island_edges_cte, shared by the rules of one query that
    use the same columns); ends with the CTE `name` (user_key,
    active_from, active_to).
#}
{% macro active_intervals_islands(window_days, columns, name='islands', edges=none) -%}
{%- if edges is none -%}
{{ island_edges_cte(name ~ '_edges', columns, 'user_day_counts') }}

    {% endif -%}
{{ name }}_bounds as (

        select
            user_key,
            activity_date,
            case
                when previous_day is null
                    or {{ days_between('previous_day', 'activity_date') }} > {{ window_days }}
                    then 1
                else 0
            end as is_first,
            case
                when next_day is null
                    or {{ days_between('activity_date', 'next_day') }} > {{ window_days }}
                    then 1
                else 0
            end as is_last
        from {{ edges or name ~ '_edges' }}

    ),

    {{ paired_islands(name, 'activity_date', 'activity_date', window_days - 1) }}
{%- endmacro %}


{#
    One condition with a threshold K above 1 ("at least K feature events in
    N days"): the window count on day d is the sum of the user's counts on
    d-(N-1)..d. Take the relevant days r_1 < r_2 < ... with counts c_i >= 1.
    Between r_i and the day before r_(i+1) the count only falls, as days
    leave the window; it is at least K while the window still holds r_J,
    the latest relevant day such that c_J + ... + c_i >= K. So the user is
    active from r_i to min(r_J + N, r_(i+1)) - 1 when r_J + N > r_i, and
    not at all in that stretch when there is no such J. As every c >= 1,
    J is one of r_i's K-1 previous relevant days or r_i itself: one window
    pass (K-1 lags, and K-1 sums over the last rows) finds it, with no
    change points of days leaving the window. Stretches that touch are
    then joined as in active_intervals_islands. Reads the CTE
    user_day_counts; ends with the CTE `name` (user_key, active_from,
    active_to), islands that never overlap or touch.
#}
{% macro active_intervals_threshold_islands(window_days, column, threshold, name='islands') -%}
{%- set reach -%}
        case
            when day_count >= {{ threshold }} then activity_date
            {%- for back in range(1, threshold) %}
            when count_back_{{ back }} >= {{ threshold }} then day_back_{{ back }}
            {%- endfor %}
        end
{%- endset -%}
{{ name }}_days as (

        select
            user_key,
            activity_date,
            {{ column }} as day_count
        from user_day_counts
        where {{ column }} > 0

    ),

    {{ name }}_reach as (

        {#- latest_day: r_J above (null when the counts so far stay under
            the threshold) #}
        select
            user_key,
            activity_date,
            next_day,
            {{ reach | indent(4) }} as latest_day
        from (
            select
                user_key,
                activity_date,
                day_count,
                lead(activity_date) over (partition by user_key order by activity_date) as next_day
                {%- for back in range(1, threshold) %},
                lag(activity_date, {{ back }}) over (partition by user_key order by activity_date) as day_back_{{ back }},
                sum(day_count) over (
                    partition by user_key order by activity_date rows between {{ back }} preceding and current row
                ) as count_back_{{ back }}
                {%- endfor %}
            from {{ name }}_days
        ) as counted

    ),

    {{ name }}_stretches as (

        select
            user_key,
            activity_date as stretch_from,
            case
                when next_day is null or {{ add_days('latest_day', window_days) }} < next_day
                    then {{ add_days('latest_day', window_days - 1) }}
                else {{ add_days('next_day', -1) }}
            end as stretch_to
        from {{ name }}_reach
        where {{ add_days('latest_day', window_days) }} > activity_date

    ),

    {{ name }}_bounds as (

        select
            user_key,
            stretch_from,
            stretch_to,
            case
                when lag(stretch_to) over (partition by user_key order by stretch_from) is null
                    or lag(stretch_to) over (partition by user_key order by stretch_from) < {{ add_days('stretch_from', -1) }}
                    then 1
                else 0
            end as is_first,
            case
                when lead(stretch_from) over (partition by user_key order by stretch_from) is null
                    or lead(stretch_from) over (partition by user_key order by stretch_from) > {{ add_days('stretch_to', 1) }}
                    then 1
                else 0
            end as is_last
        from {{ name }}_stretches

    ),

    {{ paired_islands(name, 'stretch_from', 'stretch_to') }}
{%- endmacro %}


{#
    The last two steps of finding islands: from the CTE `name`_bounds (per
    user_key, rows with `start_column`, `end_column` and the flags
    is_first, is_last of an island's first and last row), pairs each
    island's first row with its last (one window pass over those few
    rows). Ends with the CTE `name` (user_key, active_from, active_to: the
    last row's `end_column` plus extend_days).
#}
{% macro paired_islands(name, start_column, end_column, extend_days=0) -%}
{{ name }}_paired as (

        select
            user_key,
            {{ start_column }},
            is_first,
            case
                when is_last = 1 then {{ end_column }}
                else lead({{ end_column }}) over (partition by user_key order by {{ start_column }})
            end as last_day
        from {{ name }}_bounds
        where is_first = 1 or is_last = 1

    ),

    {{ name }} as (

        select
            user_key,
            {{ start_column }} as active_from,
            {{ add_days('last_day', extend_days) if extend_days else 'last_day' }} as active_to
        from {{ name }}_paired
        where is_first = 1

    ),
{%- endmacro %}


{#
    Rule `all` with several conditions: active on the days that lie in an
    island of every condition. The islands of one condition never overlap
    or touch, so a +1/-1 sweep over the islands of all conditions counts
    how many hold on each day; the user is active where all do. Ends with
    the CTE merged_intervals.
#}
{% macro intersect_islands(categories) -%}
island_changes as (

        {%- for category in categories %}
        select user_key, active_from as change_date, 1 as delta from islands_{{ category }}
        union all
        select user_key, {{ add_days('active_to', 1) }} as change_date, -1 as delta from islands_{{ category }}
        {%- if not loop.last %}
        union all
        {%- endif %}
        {%- endfor %}

    ),

    island_change_points as (

        {#- a change that cancels out on its day is no change: dropping it keeps
            the segments below maximal #}
        select
            user_key,
            change_date,
            sum(delta) as delta
        from island_changes
        group by user_key, change_date
        having sum(delta) <> 0

    ),

    island_coverage as (

        select
            user_key,
            change_date,
            lead(change_date) over (partition by user_key order by change_date) as next_change_date,
            sum(delta) over (
                partition by user_key order by change_date rows between unbounded preceding and current row
            ) as conditions_met
        from island_change_points

    ),

    merged_intervals as (

        select
            user_key,
            change_date as active_from,
            {{ add_days('next_change_date', -1) }} as active_to
        from island_coverage
        where conditions_met = {{ categories | length }}

    ),
{%- endmacro %}



{#
    The active rules to evaluate side by side: [(name, rule)], the
    configured rule first as `default`, then each key of var
    active_definitions (sorted), validated by active_rule().
#}
{% macro active_definitions_list() -%}
    {%- set definitions = [('default', active_rule())] -%}
    {%- set configured = var('active_definitions', {}) or {} -%}
    {%- for name in configured.keys() | sort -%}
        {%- if name == 'default' -%}
            {{ exceptions.raise_compiler_error(
                "var active_definitions: the name 'default' is reserved for the configured rule"
            ) }}
        {%- endif -%}
        {%- if not (name | string).replace('_', '').isalnum() -%}
            {{ exceptions.raise_compiler_error(
                "var active_definitions: name '" ~ name ~ "' must be letters, digits and underscores"
            ) }}
        {%- endif -%}
        {%- do definitions.append((name, active_rule(configured[name], 'active_definitions.' ~ name))) -%}
    {%- endfor -%}
    {{ return(definitions) }}
{%- endmacro %}


{#
    SQL: the activity intervals of every definition, stacked:
    definition_name, account_id, active_from, active_to. The `default`
    definition reads default_intervals_relation when given (already built
    and clipped). The definitions with the configured event-name lists
    read their intervals from stored_intervals_relation when given
    (int_user_activity_intervals; all of them in one pass, clipped to the
    eligibility with one join), else compute them from the user-day counts
    of activity_relation (int_user_activity_daily); one with other lists
    counts its own from events_relation (a pass over the events).
    stored_intervals_condition: a condition on the stored intervals'
    columns (active_to) that every interval the caller keeps meets, so
    the others are not clipped at all (clipping only shortens an
    interval, so `active_to >= day` may be tested before it).
#}
{% macro active_intervals_by_definition(definitions, activity_relation, events_relation, eligibility_relation, reporting_period_relation, default_intervals_relation=none, stored_intervals_relation=none, stored_intervals_condition='1 = 1') -%}
    {%- set configured_signature = event_categories_signature(active_rule()) %}
    {%- set stored = [] %}
    {%- set branches = [] %}
    {%- for name, rule in definitions %}
        {%- if name == 'default' and default_intervals_relation is not none %}
            {%- do branches.append(('reused', name, rule)) %}
        {%- elif event_categories_signature(rule) == configured_signature and stored_intervals_relation is not none %}
            {%- if stored | length == 0 %}
                {%- do branches.append(('stored', none, none)) %}
            {%- endif %}
            {%- do stored.append(name) %}
        {%- else %}
            {%- do branches.append(('computed', name, rule)) %}
        {%- endif %}
    {%- endfor %}
    {%- for kind, name, rule in branches %}
    {%- if kind == 'stored' %}
    select
        intervals.definition_name,
        intervals.account_id,
        intervals.active_from,
        intervals.active_to
    from (
        with

        stored_intervals as (

            select
                definition_name,
                user_id,
                active_from,
                active_to
            from {{ stored_intervals_relation }}
            where definition_name in ({{ text_literals(stored) }})
                and {{ stored_intervals_condition }}

        )

        select * from (
            {{ clip_to_eligibility_sql(
                'stored_intervals', eligibility_relation, reporting_period_relation,
                carried_columns=['definition_name'],
            ) }}
        ) as clipped
    ) as intervals
    {%- else %}
    select
        '{{ name }}' as definition_name,
        intervals.account_id,
        intervals.active_from,
        intervals.active_to
    from
    {%- if kind == 'reused' %}
        {#- the configured rule is already computed: reuse it #}
        {{ default_intervals_relation }} as intervals
    {%- else %}
        {%- if event_categories_signature(rule) == configured_signature %}
            {%- set activity = activity_relation %}
        {%- else %}
            {%- set activity = '(' ~ user_activity_daily_sql(rule, events_relation) ~ ')' %}
        {%- endif %} (
        {{ active_intervals_sql(rule, activity, eligibility_relation, reporting_period_relation) }}
    ) as intervals
    {%- endif %}
    {%- endif %}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}


{# SQL: one row per definition: definition_name, definition_rule (in words). #}
{% macro definitions_table(definitions) -%}
    {%- for name, rule in definitions %}
    select
        '{{ name }}' as definition_name,
        '{{ rule_summary(rule) }}' as definition_rule
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}
