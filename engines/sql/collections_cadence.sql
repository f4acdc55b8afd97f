-- grain: pre-due reminder step (spec §13, the "3+2+1" cadence) of a positive, undisputed
-- document open at $as_of and not yet due, dated from $as_of to $as_of + $days, over the
-- customers in $customer_keys (the view selected_customers; $all_customers = every customer). With term = due_date − invoice_date
-- (days): statement on invoice_date + 3, first reminder on invoice_date + term // 2, second
-- reminder on invoice_date + (3 × term) // 4, payment confirmation on due_date − 1. A step is
-- kept only when it falls after the invoice date and before the due date; steps of one
-- document on one day keep the latest (one message per document a day). open_amount in
-- reporting currency at the closing rate.
-- parts: open_items
with items as (
    select
        o.customer_key,
        o.invoice_key,
        o.invoice_date,
        o.due_date,
        o.open_amount_rc,
        cast(date_diff('day', o.invoice_date, o.due_date) as integer) as term_days
    from open_items as o
    where o.amount > 0
        and o.open_amount > 0
        and not o.is_disputed
        and o.due_date > $as_of
        and ($all_customers or o.customer_key in (select customer_key from selected_customers))
),

steps as (
    select
        i.*,
        s.step_no,
        s.step,
        case s.step_no
            when 1 then i.invoice_date + 3
            when 2 then i.invoice_date + cast(i.term_days // 2 as integer)
            when 3 then i.invoice_date + cast((3 * i.term_days) // 4 as integer)
            else i.due_date - 1
        end as step_date
    from items as i
    cross join (
        values
            (1, 'statement'),
            (2, 'first reminder'),
            (3, 'second reminder'),
            (4, 'payment confirmation')
    ) as s (step_no, step)
),

kept as (
    select *
    from steps
    where step_date > invoice_date
        and step_date < due_date
        and step_date >= $as_of
        and step_date <= $as_of + cast($days as integer)
    qualify row_number() over (partition by invoice_key, step_date order by step_no desc) = 1
),

final as (
    select
        k.step_date,
        k.step_no,
        k.step,
        c.customer_id,
        coalesce(c.name, c.customer_id) as name,
        i.invoice_id,
        k.invoice_date,
        k.due_date,
        k.term_days,
        k.open_amount_rc as open_amount
    from kept as k
    inner join invoices as i on i.invoice_key = k.invoice_key
    inner join customers as c on c.customer_key = k.customer_key
)

select * from final
order by step_date, customer_id, due_date, invoice_id;
