-- grain: customer × day with write-off credit notes (spec §8) dated on or before $as_of:
-- their number and amount written off, reporting currency at the invoice-date rate. The
-- behavioural score's target counts a write-off as a default (spec §10).
with write_offs as (
    select customer_key, invoice_date as write_off_date, -sales_amount as amount
    from documents
    where is_write_off and invoice_date <= $as_of
),

final as (
    select customer_key, write_off_date, count(*) as n_write_offs, sum(amount) as written_off_amount
    from write_offs
    group by customer_key, write_off_date
)

select * from final
order by write_off_date, customer_key;
