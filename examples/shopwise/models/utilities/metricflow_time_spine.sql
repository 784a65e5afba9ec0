-- One row per day, the time spine MetricFlow needs to join metrics over time.

select
    cast(day_start as date) as date_day

from range(timestamp '2023-01-01', timestamp '2027-01-01', interval 1 day) as spine(day_start)
