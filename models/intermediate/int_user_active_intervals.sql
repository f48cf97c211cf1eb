{#
    The configured "active" rule (CONTRACT section 3, the active_* vars)
    as intervals of days on which each eligible, licensed user is active.
    See the macro active_intervals_sql for how it is computed.
#}
{{ active_intervals_sql(
    rule=active_rule(),
    activity_relation=ref('int_user_activity_daily'),
    eligibility_relation=ref('int_user_eligibility'),
    reporting_period_relation=ref('int_reporting_period'),
) }}
