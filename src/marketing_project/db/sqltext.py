"""SQL text, read with sqlglot's lexer and parser: normalization, the read-only guard, index candidate columns."""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass, field

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError
from sqlglot.tokenizer_core import Token, TokenType

from marketing_project.errors import InvalidInput

_DIALECTS = {"postgresql": "postgres", "sqlite": "sqlite"}
_LITERALS = frozenset({TokenType.STRING, TokenType.NUMBER, TokenType.NATIONAL_STRING, TokenType.BIT_STRING})
_LITERALS |= frozenset({TokenType.HEX_STRING, TokenType.BYTE_STRING, TokenType.RAW_STRING, TokenType.HEREDOC_STRING})
_PLACEHOLDERS = frozenset({TokenType.PLACEHOLDER})
_WRITES = (exp.Insert, exp.Update, exp.Delete, exp.Merge, exp.Create, exp.Drop, exp.Alter, exp.Command)
_NORMALIZED_CACHE_SIZE = 2048


def dialect_of(backend: str) -> str:
    return _DIALECTS.get(backend, backend)


# sqlglot's PostgreSQL lexer reads `,$2` as the start of a dollar-quoted string; a space keeps `$2` a parameter
_GLUED_PARAMETER = re.compile(r"(?<=[,(=<>+*/-])\$(?=\d)")


def _lexable(sql: str, dialect: str) -> str:
    return _GLUED_PARAMETER.sub(" $", sql) if dialect == "postgres" else sql


def _tokens(sql: str, dialect: str) -> list[Token]:
    return sqlglot.Dialect.get_or_raise(dialect).tokenize(sql)


def _value_spans(tokens: list[Token]) -> list[tuple[int, int]]:
    """Index ranges [i, j) of tokens that stand for one value: a literal, `?`, `:name` or `$1`."""
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(tokens):
        kind = tokens[i].token_type
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        glued = nxt is not None and nxt.start == tokens[i].end + 1
        if kind in _LITERALS or kind in _PLACEHOLDERS:
            spans.append((i, i + 1))
        elif kind in (TokenType.PARAMETER, TokenType.COLON) and glued and nxt is not None:
            spans.append((i, i + 2))
            i += 1
        elif kind == TokenType.PARAMETER:
            spans.append((i, i + 1))
        i += 1
    return spans


class Normalizer:
    """Statement text with every literal and parameter replaced by a placeholder, memoized.

    The result stays valid SQL of the same dialect (`$1, $2...` for PostgreSQL, `?` for SQLite), so the query advisor
    can EXPLAIN it as a generic plan; IN lists collapse to one value so they count as one statement.
    """

    def __init__(self, backend: str, max_size: int = _NORMALIZED_CACHE_SIZE) -> None:
        self.dialect = dialect_of(backend)
        self._numbered = self.dialect == "postgres"
        self._cache: OrderedDict[str, str] = OrderedDict()
        self._max_size = max_size

    def __call__(self, sql: str) -> str:
        cached = self._cache.get(sql)
        if cached is not None:
            self._cache.move_to_end(sql)
            return cached
        try:
            normalized = self._normalize(sql)
        except SqlglotError:
            # unlexable text still needs a bounded key; never keep it verbatim (it may hold values)
            normalized = "<unparsed statement>"
        self._cache[sql] = normalized
        if len(self._cache) > self._max_size:
            self._cache.popitem(last=False)
        return normalized

    def _normalize(self, sql: str) -> str:
        sql = _lexable(sql, self.dialect)
        tokens = _tokens(sql, self.dialect)
        spans = {start: end for start, end in _value_spans(tokens)}
        parts: list[str] = []
        count = 0
        i = 0
        previous_end = -1
        while i < len(tokens):
            token = tokens[i]
            if previous_end >= 0 and token.start > previous_end + 1:
                parts.append(" ")  # the gap held whitespace or comments: comments may carry values, so drop them
            if i in spans:
                end = spans[i]
                # collapse `IN (v, v, v)` into `IN (v)`
                while (
                    i > 1
                    and tokens[i - 1].token_type == TokenType.L_PAREN
                    and tokens[i - 2].token_type == TokenType.IN
                    and end + 1 < len(tokens)
                    and tokens[end].token_type == TokenType.COMMA
                    and end + 1 in spans
                ):
                    end = spans[end + 1]
                count += 1
                parts.append(f"${count}" if self._numbered else "?")
                previous_end = tokens[end - 1].end
                i = end
                continue
            parts.append(sql[token.start : token.end + 1])
            previous_end = token.end
            i += 1
        return "".join(parts).strip()


def parameter_count(sql: str, backend: str) -> int:
    """How many values the statement needs bound (`$n` counts its highest n)."""
    dialect = dialect_of(backend)
    tokens = _tokens(_lexable(sql, dialect), dialect)
    highest = 0
    positional = 0
    for start, end in _value_spans(tokens):
        first = tokens[start]
        if first.token_type in _LITERALS:
            continue
        if end - start == 2 and tokens[start + 1].token_type == TokenType.NUMBER:
            highest = max(highest, int(tokens[start + 1].text))
        else:
            positional += 1
    return max(highest, positional)


def check_read_only(sql: str, backend: str) -> exp.Query | None:
    """Accept one SELECT (or WITH ... SELECT) statement; raise InvalidInput for anything else.

    Returns the parsed statement, or None when sqlglot cannot parse text that still lexes as one SELECT: the
    database then gives its own verdict, inside a read-only transaction, under EXPLAIN (nothing is executed).
    """
    dialect = dialect_of(backend)
    sql = _lexable(sql, dialect)
    try:
        tokens = _tokens(sql, dialect)
    except SqlglotError as exc:
        raise InvalidInput(f"SQL could not be read: {exc}") from None
    significant = [t for t in tokens if t.token_type != TokenType.SEMICOLON]
    if not significant:
        raise InvalidInput("SQL is empty: send one SELECT statement")
    semicolons = [i for i, t in enumerate(tokens) if t.token_type == TokenType.SEMICOLON]
    if any(i != len(tokens) - 1 for i in semicolons):
        raise InvalidInput("Only a single statement is accepted: remove everything after the first `;`")
    first = significant[0].token_type
    if first not in (TokenType.SELECT, TokenType.WITH, TokenType.L_PAREN):
        raise InvalidInput(f"Only a read-only SELECT (or WITH ... SELECT) is accepted, not {significant[0].text!r}")
    try:
        statement = sqlglot.parse_one(sql, read=dialect)
    except SqlglotError:
        return None
    if not isinstance(statement, exp.Query) or statement.args.get("into") is not None:
        raise InvalidInput("Only a read-only SELECT (or WITH ... SELECT) is accepted")
    writes = next(statement.find_all(*_WRITES), None)
    if writes is not None:
        raise InvalidInput(f"Only read-only statements are accepted: it contains {writes.key.upper()}")
    if statement.find(exp.Lock) is not None:
        raise InvalidInput("Only read-only statements are accepted: FOR UPDATE/SHARE takes locks")
    return statement


@dataclass(frozen=True, slots=True)
class TableColumns:
    """The columns of one table a query filters, joins or sorts on, in the order an index would want them."""

    table: str
    equality: tuple[str, ...] = ()
    ranges: tuple[str, ...] = ()
    joins: tuple[str, ...] = ()
    order: tuple[tuple[str, bool], ...] = field(default=())  # (column, descending)


def _column_table(column: exp.Column, aliases: dict[str, str], only_table: str | None) -> str | None:
    if column.table:
        return aliases.get(column.table, column.table)
    return only_table


def candidate_columns(sql: str, backend: str, schema: dict[str, set[str]] | None = None) -> list[TableColumns]:
    """Columns in WHERE (equality, then range), JOIN ... ON and ORDER BY, per table (the advisor's raw material)."""
    dialect = dialect_of(backend)
    try:
        statement = sqlglot.parse_one(_lexable(sql, dialect), read=dialect)
    except SqlglotError as exc:
        raise InvalidInput(f"SQL could not be parsed: {exc}") from None
    aliases = table_aliases(sql, backend)
    tables = sorted(set(aliases.values()))
    only = tables[0] if len(tables) == 1 else None
    found: dict[str, dict[str, list[str] | list[tuple[str, bool]]]] = {
        t: {"equality": [], "ranges": [], "joins": [], "order": []} for t in tables
    }

    def owner(column: exp.Column) -> str | None:
        table = _column_table(column, aliases, only)
        if table is None and schema:
            holders = [t for t in tables if column.name in schema.get(t, set())]
            table = holders[0] if len(holders) == 1 else None
        return table if table in found else None

    def add(kind: str, column: exp.Column, value: str | tuple[str, bool] | None = None) -> None:
        table = owner(column)
        if table is None:
            return
        bucket = found[table][kind]
        item = value if value is not None else column.name
        if item not in bucket:
            bucket.append(item)  # type: ignore[arg-type]

    for where in statement.find_all(exp.Where):
        equalities: list[exp.Expression] = list(where.find_all(exp.EQ, exp.In, exp.Is))
        for node in equalities:
            for column in _bare_columns(node):
                add("equality", column)
        comparisons: list[exp.Expression] = list(
            where.find_all(exp.GT, exp.GTE, exp.LT, exp.LTE, exp.Between, exp.Like)
        )
        for node in comparisons:
            if isinstance(node, exp.Like) and not _prefix_pattern(node.expression):
                continue
            for column in _bare_columns(node):
                add("ranges", column)
    for join in statement.find_all(exp.Join):
        condition = join.args.get("on")
        if condition is not None:
            for column in condition.find_all(exp.Column):
                add("joins", column)
    for order_by in statement.find_all(exp.Order):
        for ordered in order_by.expressions:
            if isinstance(ordered.this, exp.Column):
                add("order", ordered.this, (ordered.this.name, bool(ordered.args.get("desc"))))
    result = []
    for table, kinds in found.items():
        equality = tuple(str(c) for c in kinds["equality"])
        ranges = tuple(str(c) for c in kinds["ranges"] if c not in equality)
        joins = tuple(str(c) for c in kinds["joins"])
        order = tuple((str(c[0]), bool(c[1])) for c in kinds["order"] if isinstance(c, tuple))
        if equality or ranges or joins or order:
            result.append(TableColumns(table, equality, ranges, joins, order))
    return result


def _bare_columns(node: exp.Expression) -> list[exp.Column]:
    """Columns compared directly (not inside a function call, which a plain index cannot serve)."""
    return [side for side in (node.this, node.args.get("expression")) if isinstance(side, exp.Column)]


def _prefix_pattern(pattern: exp.Expression | None) -> bool:
    return isinstance(pattern, exp.Literal) and pattern.is_string and not pattern.this.startswith(("%", "_"))


def table_aliases(sql: str, backend: str) -> dict[str, str]:
    """{alias or name: table name} for every table the statement reads (SQLite's plans name tables by alias)."""
    dialect = dialect_of(backend)
    try:
        statement = sqlglot.parse_one(_lexable(sql, dialect), read=dialect)
    except SqlglotError:
        return {}
    aliases: dict[str, str] = {}
    for table in statement.find_all(exp.Table):
        aliases[table.alias_or_name] = table.name
        aliases.setdefault(table.name, table.name)
    return aliases
