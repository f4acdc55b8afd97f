"""The workspace tables of what collectors record (spec §13), one migration of
stores/workspace.py (``MIGRATIONS``). Apart from stores/collections.py so that the workspace
can import the schema without importing the store that writes through it.

Every record is keyed by the ledger's own ids (``customer_id``, ``invoice_id`` as text), never
by the load-time keys, so a reloaded ledger finds its records again; a record whose customer
or invoice is gone stays here and is shown as orphaned. Times are UTC; ``as_of`` / ``made_on``
is the ledger date the user was looking at when recording (the sidebar's as-of date).
"""

from __future__ import annotations

COLLECTIONS = """
create sequence collection_record_id;
create table collection_owners (
    customer_id varchar primary key,
    owner varchar not null,
    updated_at timestamp not null
);
create table collection_notes (
    note_id bigint primary key default nextval('collection_record_id'),
    customer_id varchar not null,
    invoice_id varchar,
    kind varchar not null check (kind in ('note', 'call')),
    outcome varchar,
    note_text varchar not null,
    as_of date not null,
    who varchar not null,
    created_at timestamp not null
);
create table promises (
    promise_id bigint primary key default nextval('collection_record_id'),
    customer_id varchar not null,
    amount double not null check (amount > 0),
    currency varchar not null,
    promised_date date not null,
    made_on date not null,
    invoice_ids varchar[] not null,
    note varchar,
    who varchar not null,
    created_at timestamp not null,
    cancelled_at timestamp
);
create table payment_plans (
    plan_id bigint primary key default nextval('collection_record_id'),
    customer_id varchar not null,
    total_amount double not null check (total_amount > 0),
    currency varchar not null,
    made_on date not null,
    invoice_ids varchar[] not null,
    note varchar,
    who varchar not null,
    created_at timestamp not null,
    cancelled_at timestamp
);
create table plan_instalments (
    plan_id bigint not null,
    instalment_no integer not null,
    due_date date not null,
    amount double not null check (amount > 0),
    primary key (plan_id, instalment_no)
);
create table disputes (
    invoice_id varchar primary key,
    customer_id varchar not null,
    reason varchar not null,
    status varchar not null,
    note varchar,
    who varchar not null,
    created_at timestamp not null,
    updated_at timestamp not null
);
"""
