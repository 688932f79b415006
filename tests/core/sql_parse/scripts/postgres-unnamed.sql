-- Unnamed constraints: PostgreSQL names them from the columns they use.
CREATE TABLE t (
  a int CHECK (a > 0),
  b int,
  c int,
  CHECK (b > 0),
  CHECK (a < b),
  CHECK (c > 0 AND c < 10),
  UNIQUE (a, b),
  CHECK (true)
);
CREATE TABLE u (x int, CHECK (x > 1), CHECK (x < 100));
CREATE TABLE w (x int, y int, PRIMARY KEY (x, y));
CREATE TABLE v (x int, y int, FOREIGN KEY (x, y) REFERENCES w);
-- Names past 63 characters: PostgreSQL shortens the longer part first.
CREATE TABLE a_table_name_that_is_long_enough_to_be_truncated_by_postgres (
    a_column_name_that_is_also_rather_long_for_an_identifier serial PRIMARY KEY,
    another_column_with_a_long_name integer UNIQUE CHECK (another_column_with_a_long_name > 0),
    w_x integer,
    w_y integer,
    FOREIGN KEY (w_x, w_y) REFERENCES w
);
