-- grain: payment date: cash received in ($start, $end] (every payment, applied or not), over
-- the customers in $customer_keys (the view selected_customers; $all_customers = every customer), translated into the reporting
-- currency at the closing rates in force on $rate_date, so that a backtest compares receipts
-- with a projection made at those rates (FX moves are not forecast errors).
-- parts: closing_rates($rate_date)
with received as (
    select p.payment_date, p.amount * r.rate as amount
    from payments as p
    left join closing_rates as r on r.currency = p.currency
    where p.payment_date > $start and p.payment_date <= $end
        and ($all_customers or p.customer_key in (select customer_key from selected_customers))
)

select payment_date, sum(amount) as receipts_amount
from received
group by payment_date
order by payment_date;
