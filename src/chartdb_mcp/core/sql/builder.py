"""From a structured query spec to dialect SQL, joining tables through the diagram's keys.

The spec names tables, columns, filters, order and a limit; every name is checked
against the diagram (unknown ones are refused with suggestions) and written as a quoted
identifier by sqlglot, and every filter value becomes a bound `:pN` parameter, so no
text of the spec is ever spliced into SQL. Tables are joined along the shortest path of
foreign keys from the tables already joined; tables on the path are joined too. When
two paths (or two foreign keys) are equally short, the choice is the person's, so the
spec is refused with the candidates.
"""

import difflib
from collections import deque
from typing import Literal

from pydantic import BaseModel, Field
from sqlglot import exp

from chartdb_mcp.core.model import DatabaseType, Diagram, Relationship, Table
from chartdb_mcp.core.sql.readonly import dialect_of
from chartdb_mcp.errors import InvalidInput

Scalar = str | int | float | bool | None
Operator = Literal["=", "!=", "<", "<=", ">", ">=", "like", "in", "is null", "is not null"]
COMPARISONS: dict[str, type[exp.Expr]] = {
    "=": exp.EQ,
    "!=": exp.NEQ,
    "<": exp.LT,
    "<=": exp.LTE,
    ">": exp.GT,
    ">=": exp.GTE,
    "like": exp.Like,
}


class QueryFilter(BaseModel):
    """One condition: `table.column` compared with a value (all filters are ANDed)."""

    column: str
    op: Operator = "="
    value: Scalar | list[Scalar] = None


class QueryOrder(BaseModel):
    """One ORDER BY item."""

    column: str
    descending: bool = False


class QuerySpec(BaseModel):
    """What to select; columns are `table.column` or `table.*` (default: the first table's *)."""

    tables: list[str] = Field(min_length=1, max_length=20)
    columns: list[str] = Field(default_factory=list, max_length=200)
    filters: list[QueryFilter] = Field(default_factory=list, max_length=50)
    order: list[QueryOrder] = Field(default_factory=list, max_length=20)
    limit: int | None = Field(default=100, ge=1, le=1_000_000)


class BuiltQuery(BaseModel):
    """The SQL, its parameters, and how the tables were joined."""

    sql: str
    parameters: dict[str, Scalar]
    joins: list[str]


def build_query(diagram: Diagram, spec: QuerySpec, database_type: DatabaseType) -> BuiltQuery:
    """The spec as one SELECT in the dialect; raises InvalidInput for unknown names, tables
    no foreign key path reaches, or an ambiguous path."""
    dialect = dialect_of(database_type)
    wanted = [resolve_table(diagram, name) for name in spec.tables]
    joined, joins = plan_joins(diagram, wanted)
    by_name = {alias_of(table): table for table in joined}
    if len(by_name) < len(joined):
        raise InvalidInput(
            "Two of the tables share a name in different schemas; building such a join "
            "is not supported yet."
        )
    select = exp.select(*select_list(spec, wanted[0], by_name)).from_(table_expr(joined[0]))
    descriptions: list[str] = []
    for relationship, table in joins:
        select = select.join(table_expr(table), on=join_condition(diagram, relationship))
        descriptions.append(describe_join(diagram, relationship))
    parameters: dict[str, Scalar] = {}
    for item in spec.filters:
        select = select.where(condition(item, by_name, parameters))
    for order in spec.order:
        select = select.order_by(
            exp.Ordered(this=column_expr(order.column, by_name), desc=order.descending)
        )
    if spec.limit is not None:
        select = select.limit(spec.limit)
    return BuiltQuery(sql=select.sql(dialect=dialect), parameters=parameters, joins=descriptions)


def resolve_table(diagram: Diagram, name: str) -> Table:
    """The diagram's table for `name` (`table` or `schema.table`), or InvalidInput."""
    table = diagram.find_table(name)
    if table is None:
        names = [t.qualified_name for t in diagram.tables] + [t.name for t in diagram.tables]
        raise InvalidInput(f"The diagram has no single table named {name!r}{suggest(name, names)}.")
    return table


def plan_joins(
    diagram: Diagram, wanted: list[Table]
) -> tuple[list[Table], list[tuple[Relationship, Table]]]:
    """The tables in join order and, for each after the first, the key that joins it."""
    joined = [wanted[0]]
    joins: list[tuple[Relationship, Table]] = []
    for table in wanted[1:]:
        if any(table.id == present.id for present in joined):
            continue
        for relationship, step in shortest_path(diagram, {t.id for t in joined}, table):
            if all(step.id != present.id for present in joined):
                joined.append(step)
                joins.append((relationship, step))
    return joined, joins


def shortest_path(
    diagram: Diagram, start: set[str], goal: Table
) -> list[tuple[Relationship, Table]]:
    """The foreign keys (and the table each reaches) from `start` to `goal`, shortest first.

    Breadth-first over tables; counts the shortest paths reaching each table so that
    two equally short ways are reported instead of one chosen silently.
    """
    previous: dict[str, tuple[str, Relationship] | None] = dict.fromkeys(start)
    ways = dict.fromkeys(start, 1)
    depth = dict.fromkeys(start, 0)
    queue = deque(sorted(start))
    while queue:
        current = queue.popleft()
        for relationship in diagram.relationships_of(current):
            other = (
                relationship.target_table_id
                if relationship.source_table_id == current
                else relationship.source_table_id
            )
            if other not in depth:
                depth[other] = depth[current] + 1
                ways[other] = ways[current]
                previous[other] = (current, relationship)
                queue.append(other)
            elif depth[other] == depth[current] + 1:
                ways[other] += ways[current]
    if goal.id not in depth:
        raise InvalidInput(
            f"No foreign key path in the diagram joins {goal.qualified_name!r} to the other "
            "tables; add a relationship or query them separately."
        )
    if ways[goal.id] > 1:
        raise InvalidInput(
            f"{goal.qualified_name!r} can be joined by {ways[goal.id]} equally short foreign "
            "key paths; name the table to go through in `tables` to choose one."
        )
    path: list[tuple[Relationship, Table]] = []
    step = goal.id
    while (link := previous[step]) is not None:
        table = diagram.table_by_id(step)
        assert table is not None
        path.append((link[1], table))
        step = link[0]
    return list(reversed(path))


def select_list(spec: QuerySpec, first: Table, by_name: dict[str, Table]) -> list[exp.Expr]:
    if not spec.columns:
        return [exp.Column(this=exp.Star(), table=exp.to_identifier(alias_of(first), quoted=True))]
    items: list[exp.Expr] = []
    for name in spec.columns:
        if name.endswith(".*"):
            table = table_of(name[:-2], by_name)
            items.append(
                exp.Column(this=exp.Star(), table=exp.to_identifier(alias_of(table), quoted=True))
            )
        else:
            items.append(column_expr(name, by_name))
    return items


def condition(
    item: QueryFilter, by_name: dict[str, Table], parameters: dict[str, Scalar]
) -> exp.Expr:
    column = column_expr(item.column, by_name)
    if item.op == "is null":
        return exp.Is(this=column, expression=exp.Null())
    if item.op == "is not null":
        return exp.Not(this=exp.Is(this=column, expression=exp.Null()))
    if item.op == "in":
        values = item.value if isinstance(item.value, list) else [item.value]
        if not values:
            raise InvalidInput(f"The 'in' filter on {item.column!r} needs at least one value.")
        return exp.In(this=column, expressions=[bind(value, parameters) for value in values])
    if isinstance(item.value, list):
        raise InvalidInput(
            f"The {item.op!r} filter on {item.column!r} takes one value, not a list."
        )
    if item.value is None:
        # In SQL a comparison with NULL is never true, so the filter would match no row.
        raise InvalidInput(
            f"The {item.op!r} filter on {item.column!r} compares with null, which matches no "
            "row; use the 'is null' or 'is not null' filter."
        )
    return COMPARISONS[item.op](this=column, expression=bind(item.value, parameters))


def bind(value: Scalar, parameters: dict[str, Scalar]) -> exp.Expr:
    """A fresh `:pN` parameter holding `value` (the name is ours, never the caller's)."""
    name = f"p{len(parameters) + 1}"
    parameters[name] = value
    return exp.var(f":{name}")


def column_expr(name: str, by_name: dict[str, Table]) -> exp.Column:
    """`table.column` as a quoted column, checked against the diagram."""
    table_name, _, column_name = name.rpartition(".")
    if not table_name:
        owners = [table for table in by_name.values() if table.column(column_name)]
        if len(owners) != 1:
            raise InvalidInput(
                f"Write the column {name!r} as table.column"
                + (" (several tables have it)." if owners else "; no queried table has it.")
            )
        table = owners[0]
    else:
        table = table_of(table_name, by_name)
    if table.column(column_name) is None:
        names = [column.name for column in table.columns]
        raise InvalidInput(
            f"Table {table.qualified_name!r} has no column {column_name!r}"
            f"{suggest(column_name, names)}."
        )
    return exp.column(column_name, table=alias_of(table), quoted=True)


def table_of(name: str, by_name: dict[str, Table]) -> Table:
    for alias, table in by_name.items():
        if name in (alias, table.qualified_name):
            return table
    raise InvalidInput(
        f"{name!r} is not one of the queried tables ({', '.join(sorted(by_name))}); "
        "add it to tables."
    )


def table_expr(table: Table) -> exp.Table:
    return exp.Table(
        this=exp.to_identifier(table.name, quoted=True),
        db=exp.to_identifier(table.schema_name, quoted=True) if table.schema_name else None,
    )


def alias_of(table: Table) -> str:
    return table.name


def join_condition(diagram: Diagram, relationship: Relationship) -> exp.Expr:
    source = diagram.table_by_id(relationship.source_table_id)
    target = diagram.table_by_id(relationship.target_table_id)
    assert source is not None and target is not None
    pairs = [
        exp.EQ(
            this=exp.column(left, table=alias_of(source), quoted=True),
            expression=exp.column(right, table=alias_of(target), quoted=True),
        )
        for left, right in zip(
            relationship.source_columns, relationship.target_columns, strict=True
        )
    ]
    return exp.and_(*pairs)


def describe_join(diagram: Diagram, relationship: Relationship) -> str:
    source = diagram.table_by_id(relationship.source_table_id)
    target = diagram.table_by_id(relationship.target_table_id)
    assert source is not None and target is not None
    return (
        f"{source.name}({', '.join(relationship.source_columns)}) -> "
        f"{target.name}({', '.join(relationship.target_columns)})"
    )


def suggest(name: str, candidates: list[str]) -> str:
    """' (did you mean ...?)' with the closest candidates, or nothing."""
    close = difflib.get_close_matches(name, sorted(set(candidates)), n=3, cutoff=0.6)
    return f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""
