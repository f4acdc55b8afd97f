-- grain: customer × due_date × is_disputed × sign: documents open at $as_of (spec §2) over the
-- customers in $customer_keys (the view selected_customers; $all_customers = every customer), in reporting currency at the closing
-- rate. Documents of one customer due on one day are projected together (they are paid in the
-- same payment run); credits (negative open amounts) come back as their own rows so that the
-- projection can report them without treating them as receipts.
-- parts: open_items
with open_documents as (
    select customer_key, due_date, is_disputed, open_amount_rc
    from open_items
    where $all_customers or customer_key in (select customer_key from selected_customers)
),

final as (
    select
        customer_key,
        due_date,
        is_disputed,
        open_amount_rc < 0 as is_credit,
        date_diff('day', due_date, $as_of::date) as days_past_due,
        sum(open_amount_rc) as open_amount,
        count(*) as n_documents
    from open_documents
    group by customer_key, due_date, is_disputed, open_amount_rc < 0
)

select * from final
order by customer_key, due_date, is_disputed, is_credit;
