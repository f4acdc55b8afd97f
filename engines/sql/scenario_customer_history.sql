-- grain: customer with a document dated or settled in the year ($start, $as_of]
-- (start = as_of − 365 days): what the policy levers act on, in reporting currency at
-- invoice-date rates (documents.sales_amount).
--   invoiced_amount, terms_amount_days: Σ amount and Σ amount × (due_date − invoice_date) over
--     positive invoices dated in the year (their ratio is the terms in force);
--   sales_year_amount: credit sales (spec §4, credit notes included, write-offs not: §8) dated
--     in the year;
--   settled_<undisputed|disputed>_amount, late_<...>_amount_days: positive invoices settled
--     (documents.settled_date) in the year: Σ amount and Σ amount × max(days late, 0)
--     (spec §4; paying early is not late, and no lever makes it earlier).
with year_documents as (
    select
        customer_key,
        amount,
        sales_amount,
        date_diff('day', invoice_date, due_date) as terms_days,
        is_disputed,
        is_write_off,
        greatest(days_late, 0) as late_days,
        invoice_date > $start and invoice_date <= $as_of as is_invoiced_in_year,
        settled_date > $start and settled_date <= $as_of and amount > 0 as is_settled_in_year
    from documents
    where (invoice_date > $start and invoice_date <= $as_of)
        or (settled_date > $start and settled_date <= $as_of)
),

final as (
    select
        customer_key,
        coalesce(sum(sales_amount) filter (where is_invoiced_in_year and amount > 0), 0)
            as invoiced_amount,
        coalesce(sum(sales_amount * terms_days) filter (where is_invoiced_in_year and amount > 0), 0)
            as terms_amount_days,
        coalesce(sum(sales_amount) filter (where is_invoiced_in_year and not is_write_off), 0)
            as sales_year_amount,
        coalesce(sum(sales_amount) filter (where is_settled_in_year and not is_disputed), 0)
            as settled_undisputed_amount,
        coalesce(sum(sales_amount * late_days) filter (where is_settled_in_year and not is_disputed), 0)
            as late_undisputed_amount_days,
        coalesce(sum(sales_amount) filter (where is_settled_in_year and is_disputed), 0)
            as settled_disputed_amount,
        coalesce(sum(sales_amount * late_days) filter (where is_settled_in_year and is_disputed), 0)
            as late_disputed_amount_days
    from year_documents
    group by customer_key
)

select * from final
order by customer_key;
