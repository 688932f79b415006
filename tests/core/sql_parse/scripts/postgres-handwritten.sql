-- Hand-written PostgreSQL DDL: the shapes a live import reports, spelled as people write them.
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN positive_int AS integer NOT NULL CHECK (VALUE > 0);

CREATE TABLE accounts (
    id serial PRIMARY KEY,
    email varchar(320) NOT NULL UNIQUE,
    nickname text COLLATE "C",
    feeling mood DEFAULT 'ok',
    score positive_int,
    tags text[] DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE accounts IS 'Who can sign in';
COMMENT ON COLUMN accounts.email IS 'Lowercase';

CREATE TABLE events (
    id bigint GENERATED ALWAYS AS IDENTITY,
    account_id integer NOT NULL REFERENCES accounts ON DELETE CASCADE,
    happened_at timestamp with time zone NOT NULL,
    payload jsonb,
    amount numeric(10, 2) CHECK (amount >= 0),
    doubled numeric GENERATED ALWAYS AS (amount * 2) STORED,
    PRIMARY KEY (id, happened_at)
) PARTITION BY RANGE (happened_at);

CREATE TABLE events_2024 PARTITION OF events
    FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');

CREATE INDEX events_account_idx ON events (account_id, happened_at DESC);
CREATE INDEX accounts_lower_email_idx ON accounts (lower(email));
CREATE UNIQUE INDEX accounts_nickname_idx ON accounts USING btree (nickname) INCLUDE (email)
    WHERE nickname IS NOT NULL;
CREATE INDEX accounts_tags_idx ON accounts USING gin (tags);

CREATE VIEW happy_accounts AS SELECT id, email FROM accounts WHERE feeling = 'happy';
CREATE MATERIALIZED VIEW event_counts AS
    SELECT account_id, count(*) AS events FROM events GROUP BY account_id;

CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.created_at := now();  -- a semicolon inside the body
    RETURN NEW;
END
$$;
CREATE TRIGGER accounts_touch BEFORE UPDATE ON accounts FOR EACH ROW EXECUTE FUNCTION touch();
GRANT SELECT ON accounts TO PUBLIC;
