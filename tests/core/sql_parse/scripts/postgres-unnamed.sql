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
