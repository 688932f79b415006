"""Ops on custom types (enums, domains and composites): create, alter and drop.

An op names a type the way a person does (`mood` or `public.mood`) and may also carry
its id, which wins. Columns refer to a type by the text of their `type`, not by id, so
these ops never rewrite a column: renaming or dropping a type that columns use is
allowed, with a warning naming those columns. `drop_type` is undone by `create_type`
carrying the dropped type and the place it held, so the undo gives back the same diagram.
"""

import re
from collections import Counter
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import Field

from chartdb_mcp.core.edit.ops.base import (
    OpBase,
    check_position,
    find_index,
    inserted,
    removed,
)
from chartdb_mcp.core.edit.ops.registry import register
from chartdb_mcp.core.model import Column, CustomType, CustomTypeKind, Diagram
from chartdb_mcp.errors import InvalidChange


class CreateType(OpBase):
    """Add a new custom type, complete with its labels, base type or fields."""

    kind: Literal["create_type"] = "create_type"
    type: CustomType
    position: int | None = Field(
        default=None, description="Place in the diagram's custom type list; the end when omitted."
    )


class TypeOp(OpBase):
    """An operation on one existing custom type, addressed by name and optionally by id."""

    type: str = Field(min_length=1, description="`name` or `schema.name` of the type.")
    type_id: str | None = Field(
        default=None, description="The type's id; when given it wins over the name."
    )


class AlterType(TypeOp):
    """Change some properties of a custom type; only the fields given change.

    `values` is an enum's full label list, `base_type` a domain's underlying type and
    `fields` a composite's full field list; each is refused on another kind of type.
    Giving `default` as null removes it. `new_name` renames the type within its schema.
    """

    kind: Literal["alter_type"] = "alter_type"
    new_name: str | None = Field(
        default=None, min_length=1, description="A new name in the same schema."
    )
    values: list[str] | None = Field(default=None, description="The enum's labels, in order.")
    base_type: str | None = Field(default=None, min_length=1)
    nullable: bool | None = None
    default: str | None = None
    checks: list[str] | None = None
    fields: list[Column] | None = Field(
        default=None, description="The composite's fields, in order."
    )


class DropType(TypeOp):
    """Remove a custom type; columns that use it keep its name as their type text."""

    kind: Literal["drop_type"] = "drop_type"


ALTERABLE = ("values", "base_type", "nullable", "default", "checks", "fields")
NOT_NULL_FIELDS = ("values", "base_type", "nullable", "checks", "fields")
# The fields that belong to one kind of type; alter_type refuses them on any other kind.
OWNER_KIND = {
    "values": CustomTypeKind.ENUM,
    "base_type": CustomTypeKind.DOMAIN,
    "fields": CustomTypeKind.COMPOSITE,
}


def qualify(schema_name: str | None, name: str) -> str:
    """`schema.name`, or just the name when there is no schema."""
    return f"{schema_name}.{name}" if schema_name else name


def with_article(word: str) -> str:
    """`a domain`, `an enum`."""
    return f"{'an' if word[0] in 'aeiou' else 'a'} {word}"


def find_type(name: str, diagram: Diagram) -> int | None:
    """The position of the type called `name` or `schema.name`; a bare name must be unique."""
    types = diagram.custom_types
    if "." in name:
        schema_name, _, bare = name.rpartition(".")
        position = find_index(types, lambda t: t.schema_name == schema_name and t.name == bare)
        if position is not None:
            return position
    matches = [number for number, t in enumerate(types) if t.name == name]
    return matches[0] if len(matches) == 1 else None


def resolve_type(op: TypeOp, diagram: Diagram) -> tuple[int, CustomType]:
    """The position and type the op addresses, or InvalidChange quoting the name given."""
    if op.type_id:
        position = find_index(diagram.custom_types, lambda t: t.id == op.type_id)
    else:
        position = find_type(op.type, diagram)
    if position is None:
        namesakes = sorted(t.qualified_name for t in diagram.custom_types if t.name == op.type)
        if len(namesakes) > 1 and not op.type_id:
            raise InvalidChange(
                f"Diagram {diagram.name!r} has no single type named {op.type!r}: several "
                f"schemas have one. Did you mean: {', '.join(repr(n) for n in namesakes)}?"
            )
        raise InvalidChange(f"Type {op.type!r} does not exist in diagram {diagram.name!r}.")
    return position, diagram.custom_types[position]


def check_name_free(schema_name: str | None, name: str, diagram: Diagram) -> None:
    """Refuse a schema-qualified type name the diagram already uses."""
    if any(t.schema_name == schema_name and t.name == name for t in diagram.custom_types):
        shown = qualify(schema_name, name)
        raise InvalidChange(f"Diagram {diagram.name!r} already has a type named {shown!r}.")


def alter_refusal(custom_type: CustomType, changes: Mapping[str, Any], given: str) -> str | None:
    """Why `alter_type` cannot set these fields of the type (quoted as `given`); None if it can."""
    nulled = [name for name in NOT_NULL_FIELDS if name in changes and changes[name] is None]
    if nulled:
        return f"Type {given!r} cannot have {nulled} set to null."
    for name, owner in OWNER_KIND.items():
        if name in changes and custom_type.kind != owner:
            return (
                f"Type {given!r} is {with_article(custom_type.kind.value)}, "
                f"and only {with_article(owner.value)} has {name}."
            )
    labels: list[str] | None = changes.get("values")
    if labels is None:
        return None
    if not labels:
        return f"Enum {given!r} needs at least one label."
    repeated = [label for label, count in Counter(labels).items() if count > 1]
    if repeated:
        return f"Enum {given!r} would repeat labels {repeated}."
    return None


def type_mention(custom_type: CustomType) -> re.Pattern[str]:
    """What a column's type text looks like when it names the type."""
    schema = rf"(?:{re.escape(custom_type.schema_name)}\.)?" if custom_type.schema_name else ""
    # Bare, or qualified by the type's own schema; a name after another schema's dot is not it.
    return re.compile(rf"(?<![\w.]){schema}{re.escape(custom_type.name)}(?!\w)")


def uses_type(column: Column, mention: re.Pattern[str]) -> bool:
    """True when the column's type text names the type `mention` was made for."""
    return bool(mention.search(column.type) or mention.search(column.normalized_type))


def columns_using(custom_type: CustomType, diagram: Diagram) -> list[str]:
    """`table.column` of every column whose type text names the type."""
    mention = type_mention(custom_type)
    return [
        f"{table.name}.{column.name}"
        for table in diagram.tables
        for column in table.columns
        if uses_type(column, mention)
    ]


def summary(custom_type: CustomType) -> str:
    """`enum: a, b`, `domain: text NOT NULL` or `composite: x integer, y integer`."""
    if custom_type.kind is CustomTypeKind.ENUM:
        shown = ", ".join(custom_type.values)
    elif custom_type.kind is CustomTypeKind.DOMAIN:
        not_null = "" if custom_type.nullable else " NOT NULL"
        shown = f"{custom_type.base_type or ''}{not_null}".strip()
    else:
        shown = fields_text(custom_type.fields)
    return f"{custom_type.kind.value}: {shown}" if shown else custom_type.kind.value


def fields_text(fields: list[Column]) -> str:
    """A composite's fields as `name type, ...`."""
    return ", ".join(f"{field.name} {field.type}" for field in fields)


def show(name: str, value: Any) -> str:
    """A type field's value as the readable diff prints it."""
    if value is None or value == []:
        return "none"
    if isinstance(value, bool):
        return str(value).lower()
    if name == "fields":
        return fields_text(value)
    if isinstance(value, list):
        return ", ".join(value)
    return str(value)


# create_type


def validate_create(op: CreateType, diagram: Diagram) -> list[str]:
    """Errors for a repeated id or schema-qualified name, or a bad position; no warnings."""
    if any(t.id == op.type.id for t in diagram.custom_types):
        raise InvalidChange(
            f"Diagram {diagram.name!r} already has a custom type with id {op.type.id!r}."
        )
    check_name_free(op.type.schema_name, op.type.name, diagram)
    check_position(
        op.position, len(diagram.custom_types), f"the custom types of diagram {diagram.name!r}"
    )
    return []


def apply_create(op: CreateType, diagram: Diagram) -> Diagram:
    """The diagram with the type inserted."""
    types = inserted(diagram.custom_types, op.type, op.position)
    return diagram.model_copy(update={"custom_types": types})


def invert_create(op: CreateType, diagram: Diagram) -> OpBase:
    """Drop the created type again, by id."""
    return DropType(type=op.type.qualified_name, type_id=op.type.id)


def describe_create(op: CreateType, diagram: Diagram) -> str:
    """`+ type schema.name (enum: a, b, c)`."""
    return f"+ type {op.type.qualified_name} ({summary(op.type)})"


# alter_type


def given_changes(op: AlterType) -> dict[str, Any]:
    """The type fields the op sets, its new name aside."""
    return {name: getattr(op, name) for name in ALTERABLE if name in op.model_fields_set}


def renamed_to(op: AlterType, custom_type: CustomType) -> str | None:
    """The new name the op gives the type; None when the type keeps its name."""
    return op.new_name if op.new_name != custom_type.name else None


def validate_alter(op: AlterType, diagram: Diagram) -> list[str]:
    """Errors for an unknown type, a change its kind refuses or a taken name.

    Warns when enum labels are removed or reordered, and when a rename leaves columns
    naming the old type.
    """
    _, custom_type = resolve_type(op, diagram)
    reason = alter_refusal(custom_type, given_changes(op), op.type)
    if reason is not None:
        raise InvalidChange(reason)
    new_name = renamed_to(op, custom_type)
    if new_name is not None:
        check_name_free(custom_type.schema_name, new_name, diagram)
    warnings = label_warnings(op.type, custom_type.values, op.values)
    users = columns_using(custom_type, diagram)
    if new_name is not None and users:
        warnings.append(
            f"Columns {users} refer to type {op.type!r} by name and are NOT renamed "
            f"automatically; alter their type to {qualify(custom_type.schema_name, new_name)!r}."
        )
    return warnings


def label_warnings(given: str, old_labels: list[str], new_labels: list[str] | None) -> list[str]:
    """Warnings for enum labels that the new list drops or puts in another order."""
    if new_labels is None:
        return []
    # PostgreSQL can neither remove an enum label nor change their order without
    # recreating the type: https://www.postgresql.org/docs/current/datatype-enum.html
    warnings = []
    gone = [label for label in old_labels if label not in new_labels]
    if gone:
        warnings.append(
            f"Enum {given!r} loses labels {gone}; rows that use them would no longer be "
            "valid, and PostgreSQL cannot drop an enum label."
        )
    old_order = [label for label in old_labels if label in new_labels]
    new_order = [label for label in new_labels if label in old_labels]
    if old_order != new_order:
        warnings.append(
            f"Enum {given!r} reorders labels {old_order} to {new_order}; PostgreSQL cannot "
            "reorder enum labels."
        )
    return warnings


def apply_alter(op: AlterType, diagram: Diagram) -> Diagram:
    """The diagram with the given type fields, and the name if given, changed."""
    position, custom_type = resolve_type(op, diagram)
    changes = given_changes(op)
    if op.new_name is not None:
        changes["name"] = op.new_name
    altered = custom_type.model_copy(update=changes)
    types = [altered if n == position else t for n, t in enumerate(diagram.custom_types)]
    return diagram.model_copy(update={"custom_types": types})


def invert_alter(op: AlterType, diagram: Diagram) -> OpBase:
    """Set the changed fields and the name back, addressing the type by its id."""
    _, custom_type = resolve_type(op, diagram)
    old = {name: getattr(custom_type, name) for name in given_changes(op)}
    new_name = renamed_to(op, custom_type)
    if new_name is None:
        return AlterType(type=custom_type.qualified_name, type_id=custom_type.id, **old)
    return AlterType(
        type=qualify(custom_type.schema_name, new_name),
        type_id=custom_type.id,
        new_name=custom_type.name,
        **old,
    )


def describe_alter(op: AlterType, diagram: Diagram) -> str:
    """`~ type schema.name: values a, b -> a, b, c`, with `-> schema.new` on a rename."""
    _, custom_type = resolve_type(op, diagram)
    new_name = renamed_to(op, custom_type)
    head = f"~ type {custom_type.qualified_name}"
    if new_name is not None:
        head += f" -> {qualify(custom_type.schema_name, new_name)}"
    shown = [
        f"{name} {show(name, getattr(custom_type, name))} -> {show(name, value)}"
        for name, value in given_changes(op).items()
    ]
    if shown:
        return f"{head}: {', '.join(shown)}"
    return head if new_name is not None else f"{head}: no change"


# drop_type


def validate_drop(op: DropType, diagram: Diagram) -> list[str]:
    """An error for an unknown type; a warning naming the columns that use it."""
    _, custom_type = resolve_type(op, diagram)
    users = columns_using(custom_type, diagram)
    if not users:
        return []
    return [
        f"Columns {users} use type {op.type!r}; after the drop their type names a type "
        "the diagram no longer has."
    ]


def apply_drop(op: DropType, diagram: Diagram) -> Diagram:
    """The diagram without the type; columns are left as they are."""
    position, _ = resolve_type(op, diagram)
    return diagram.model_copy(update={"custom_types": removed(diagram.custom_types, position)})


def invert_drop(op: DropType, diagram: Diagram) -> OpBase:
    """A create_type carrying the dropped type and the place it held."""
    position, custom_type = resolve_type(op, diagram)
    return CreateType(type=custom_type, position=position)


def describe_drop(op: DropType, diagram: Diagram) -> str:
    """`- type schema.name`."""
    return f"- type {resolve_type(op, diagram)[1].qualified_name}"


register(
    "create_type",
    validate=validate_create,
    apply=apply_create,
    invert=invert_create,
    describe=describe_create,
)
register(
    "alter_type",
    validate=validate_alter,
    apply=apply_alter,
    invert=invert_alter,
    describe=describe_alter,
)
register(
    "drop_type",
    validate=validate_drop,
    apply=apply_drop,
    invert=invert_drop,
    describe=describe_drop,
)

__all__ = ["AlterType", "CreateType", "DropType", "alter_refusal", "type_mention", "uses_type"]
