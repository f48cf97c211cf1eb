-- The daily utilization fact (CONTRACT sections 3-5, default "active" rule) as one plain,
-- hand-written DuckDB query over the raw Parquet files: the yardstick the dbt project is
-- measured against in bench/run_bench.py. Same columns and rows as
-- marts.fct_license_utilization_daily.
--
-- Parameter: {raw_path}, the folder holding accounts/subscriptions/... .parquet and events/
-- (substituted by the runner). as_of_date = the latest event date of known users.
--
-- Rule: active on d = at least one `login` event on d-29 .. d. A user counts on d when
-- holds_license (null = true), created_at date <= d and deactivated_at is null or its date
-- > d. Seats in force on d = sum over seat_based/tiered terms in force on d of the latest
-- seat change effective on or before d, else seats_purchased. One row per account and day
-- with seats > 0, up to as_of_date.
--
-- Approach (cost grows with events and account-days, not users x days):
--   1. the events: fold repeated event_ids (the earliest copy wins; only ids whose hash
--      repeats, found by sorting the hashes, are grouped by id), keep the distinct
--      (user, day) pairs with a login;
--   2. each login day L makes the user active on L .. L+29; consecutive login days less
--      than 30 days apart chain into one island of activity (gaps and islands: one window
--      pass with lag and lead marks the first and last login of each island);
--   3. islands clipped to the user's eligibility and to as_of_date (only login days from
--      29 days before eligibility to its end take part, so each island meets it);
--   4. seats, assigned users and active users all become +/- steps per account and day;
--      one running sum per account gives constant segments, expanded to days with seats.
-- Assumes the raw ids of accounts, subscriptions and users are unique and clean (as
-- bench/generate.py writes them); events are deduplicated, enumerations compared lower-case.
with

users as (

    select
        user_id,
        account_id,
        coalesce(holds_license, true) as holds_license,
        cast(created_at as date) as created_date,
        cast(deactivated_at as date) as deactivated_date
    from read_parquet('{raw_path}/users.parquet')

),

-- 1. events: one row per event_id (the earliest event_ts, then user_id, then event_name
--    wins, as in staging), reduced at once to what the rule needs. Nearly every id occurs
--    once, so only ids whose hash occurs more than once (true repeats, plus the odd hash
--    collision, which is harmless) go through the exact fold; the rest pass straight
--    through. Grouping 8-byte hashes is several times cheaper than grouping the text ids
--    with their payload (at 50M events: ~25 s instead of ~300 s with a 4GB memory limit),
--    and sorting them (a repeated hash follows itself) cheaper again than grouping them
--    (~2-3 s less at 50M).
raw_events as not materialized (

    select
        hash(event_id) as id_hash,
        event_id,
        event_ts,
        user_id,
        lower(trim(event_name)) as event_name
    from read_parquet('{raw_path}/events/*.parquet', union_by_name = true)
    where event_id is not null

),

repeated_hashes as (

    select distinct id_hash
    from (select id_hash, lag(id_hash) over (order by id_hash) as previous_hash from raw_events)
    where id_hash = previous_hash

),

events as (

    select user_id, event_ts, event_name
    from raw_events
    anti join repeated_hashes on raw_events.id_hash = repeated_hashes.id_hash
    union all
    select kept.user_id, kept.event_ts, kept.event_name
    from (
        select min({'event_ts': event_ts, 'user_id': user_id, 'event_name': event_name}) as kept
        from raw_events
        semi join repeated_hashes on raw_events.id_hash = repeated_hashes.id_hash
        group by event_id
    )

),

user_days as (

    -- per user and day: was there a login (the only thing the default rule reads)
    select
        user_id,
        cast(event_ts as date) as activity_date,
        bool_or(event_name = 'login') as has_login
    from events
    where event_ts is not null
    group by 1, 2

),

known_user_days as (

    select user_days.*
    from user_days
    semi join users on user_days.user_id = users.user_id

),

as_of as (

    select max(activity_date) as as_of_date from known_user_days

),

-- 2-3. eligibility, and login days -> active intervals clipped to it
eligibility as (

    select
        user_id,
        account_id,
        created_date as eligible_from,
        deactivated_date - 1 as eligible_to
    from users
    where holds_license
        and created_date is not null
        and (deactivated_date is null or deactivated_date > created_date)

),

login_days as (

    -- only login days that can make the user active while eligible: a login on L counts on
    -- L .. L+29, so L in eligible_from-29 .. eligible_to. Then every island of activity
    -- meets the eligibility interval, and clipping its two ends is enough.
    select
        eligibility.account_id,
        eligibility.eligible_from,
        eligibility.eligible_to,
        known_user_days.activity_date,
        lag(known_user_days.activity_date) over w as previous_login_date,
        lead(known_user_days.activity_date) over w as next_login_date
    from known_user_days
    inner join eligibility on known_user_days.user_id = eligibility.user_id
    where known_user_days.has_login
        and known_user_days.activity_date >= eligibility.eligible_from - 29
        and (eligibility.eligible_to is null or known_user_days.activity_date <= eligibility.eligible_to)
    window w as (partition by known_user_days.user_id order by known_user_days.activity_date)

),

active_steps as (

    -- an island of activity starts at a login with no login in the 29 days before it, and
    -- ends 29 days after a login with no login in the 29 days after it (one window pass)
    select account_id, greatest(activity_date, eligible_from) as change_date, 1 as active_step
    from login_days
    where previous_login_date is null or activity_date - previous_login_date >= 30
    union all
    select account_id, least(activity_date + 29, coalesce(eligible_to, as_of.as_of_date), as_of.as_of_date) + 1, -1
    from login_days
    cross join as_of
    where next_login_date is null or next_login_date - activity_date >= 30

),

-- seat periods: terms in force, quantities from seat changes
terms as (

    select
        subscriptions.subscription_id,
        subscriptions.account_id,
        subscriptions.seats_purchased,
        subscriptions.start_date,
        least(
            coalesce(subscriptions.end_date, as_of.as_of_date),
            coalesce(subscriptions.canceled_at - 1, as_of.as_of_date),
            as_of.as_of_date
        ) as last_day
    from read_parquet('{raw_path}/subscriptions.parquet') as subscriptions
    cross join as_of
    where lower(trim(subscriptions.pricing_model)) in ('seat_based', 'tiered')
        and subscriptions.start_date is not null

),

seat_changes as (

    select subscription_id, effective_date, max(seats_purchased) as seats
    from read_parquet('{raw_path}/subscription_seat_changes.parquet')
    where effective_date is not null
    group by subscription_id, effective_date

),

quantity_points as (

    -- (valid_from, seats) per term: the purchase, then every change (one effective before
    -- the start holds from the start); on one day the latest-effective change wins
    select subscription_id, valid_from, arg_max(seats, priority) as seats
    from (
        select subscription_id, start_date as valid_from, coalesce(seats_purchased, 0) as seats,
               date '0001-01-01' as priority
        from terms
        union all
        select terms.subscription_id, greatest(seat_changes.effective_date, terms.start_date),
               coalesce(seat_changes.seats, 0), seat_changes.effective_date
        from seat_changes
        inner join terms on seat_changes.subscription_id = terms.subscription_id
    )
    group by subscription_id, valid_from

),

seat_periods as (

    select
        terms.account_id,
        quantity_points.seats,
        quantity_points.valid_from,
        least(
            lead(quantity_points.valid_from) over (
                partition by quantity_points.subscription_id order by quantity_points.valid_from
            ) - 1,
            terms.last_day
        ) as valid_to
    from quantity_points
    inner join terms on quantity_points.subscription_id = terms.subscription_id

),

-- 4. everything as steps per account and day, one running sum, segments -> days
steps as (

    select account_id, valid_from as change_date, seats as seats_step, 0 as assigned_step, 0 as active_step
    from seat_periods where valid_from <= valid_to
    union all
    select account_id, valid_to + 1, -seats, 0, 0
    from seat_periods where valid_from <= valid_to
    union all
    select account_id, eligible_from, 0, 1, 0
    from eligibility
    union all
    select account_id, eligible_to + 1, 0, -1, 0
    from eligibility where eligible_to is not null
    union all
    select account_id, change_date, 0, 0, active_step
    from active_steps

),

segments as (

    select
        account_id,
        change_date as segment_from,
        lead(change_date) over w - 1 as segment_to,
        sum(sum(seats_step)) over w as licensed_seats,
        sum(sum(assigned_step)) over w as assigned_seats,
        sum(sum(active_step)) over w as active_users
    from steps
    group by account_id, change_date
    window w as (partition by account_id order by change_date rows between unbounded preceding and current row)

),

days as (

    select
        segments.account_id,
        cast(unnest(generate_series(
            segments.segment_from,
            least(coalesce(segments.segment_to, as_of.as_of_date), as_of.as_of_date),
            interval 1 day
        )) as date) as date_day,
        segments.licensed_seats,
        segments.assigned_seats,
        segments.active_users
    from segments
    cross join as_of
    where segments.licensed_seats > 0
        and segments.segment_from <= as_of.as_of_date

)

select
    account_id,
    date_day,
    cast(licensed_seats as bigint) as licensed_seats,
    cast(assigned_seats as bigint) as assigned_seats,
    cast(active_users as bigint) as active_users,
    cast(least(active_users, licensed_seats) as bigint) as utilized_seats,
    100.0 * least(active_users, licensed_seats) / licensed_seats as utilization_pct,
    cast(greatest(active_users - licensed_seats, 0) as bigint) as overage_users,
    case
        when 100.0 * least(active_users, licensed_seats) / licensed_seats >= 80 then 'strong'
        when 100.0 * least(active_users, licensed_seats) / licensed_seats < 60 then 'at_risk'
        else 'healthy'
    end as health_band
from days
