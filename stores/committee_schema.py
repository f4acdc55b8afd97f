"""The workspace tables of the credit committee (spec §14): snapshots and decisions, two
migrations of stores/workspace.py (``MIGRATIONS``). Apart from stores/snapshots.py and
stores/decisions.py so that the workspace can import the schema without importing the stores
that write through it.

Customers are keyed by the ledger's own ``customer_id`` (text), never by the load-time
``customer_key``, so a snapshot or decision still finds its customer after a reload. Times are
UTC. Nothing in the stores updates or deletes a row of these tables: a snapshot is immutable
and a decision is corrected by recording another one.

``snapshots``
    one row per snapshot: the as-of date D, the ledger's content hash (``unique (as_of,
    content_hash)``: taking the same one again finds this row), where the ledger came from, the
    options the figures were computed with, the headline figures (spec §7 JSON) and what other
    models could not supply (``notes_json``).
``snapshot_customers``
    one row per customer of a snapshot: balance, buckets (``bucket_amounts``, youngest first,
    as many as the snapshot's edges give), exposure, limit, ratings, ECL, recommended limit,
    PD, grade, collections stage and warnings (NULL: not computed; an empty list: none fired).
``snapshot_items``
    one row per document open at D: its bucket and open amount (reporting currency), from
    which what changed finds the amounts that moved bucket.
``decisions``
    one row per committee decision against a customer (stores/decisions.py).
"""

from __future__ import annotations

SNAPSHOTS = """
create sequence snapshot_id;
create table snapshots (
    snapshot_id bigint primary key default nextval('snapshot_id'),
    as_of date not null,
    content_hash varchar not null,
    ledger varchar,
    source varchar,
    loaded_at varchar,
    reporting_currency varchar,
    bucket_edges integer[] not null,
    aging_basis varchar not null,
    window_days integer not null,
    insurance_coverage double not null,
    method_version integer not null,
    metrics_json varchar not null,
    notes_json varchar not null,
    n_customers integer not null,
    n_items integer not null,
    seconds double,
    taken_at_utc timestamp not null,
    taken_by varchar not null,
    unique (as_of, content_hash)
);
create table snapshot_customers (
    snapshot_id bigint not null,
    customer_id varchar not null,
    customer_key integer,
    name varchar,
    segment varchar,
    group_id varchar,
    risk_rating varchar,
    balance_amount double,
    open_amount double,
    current_amount double,
    overdue_amount double,
    disputed_amount double,
    unapplied_amount double,
    bucket_amounts double[],
    exposure_amount double,
    credit_limit double,
    utilisation double,
    is_over_limit boolean,
    gross_ecl_amount double,
    net_ecl_amount double,
    recommended_limit double,
    pd double,
    grade varchar,
    stage varchar,
    warnings varchar[]
);
create table snapshot_items (
    snapshot_id bigint not null,
    invoice_id varchar not null,
    customer_id varchar not null,
    bucket smallint not null,
    days_past_due integer,
    open_amount double,
    is_disputed boolean
);
"""

DECISION_KINDS = ("limit change", "hold", "release", "terms change", "watch", "note")

DECISIONS = """
create sequence decision_id;
create table decisions (
    decision_id bigint primary key default nextval('decision_id'),
    customer_id varchar not null,
    kind varchar not null check (kind in (
        'limit change', 'hold', 'release', 'terms change', 'watch', 'note')),
    decision_date date not null,
    author varchar not null,
    reason varchar not null,
    old_limit double,
    new_limit double,
    old_terms_days integer,
    new_terms_days integer,
    recorded_at_utc timestamp not null
);
"""
