from __future__ import annotations

import pytest

from marketing_project.db.sqltext import Normalizer, candidate_columns, check_read_only, parameter_count
from marketing_project.errors import InvalidInput


def test_normalization_removes_every_value_and_stays_explainable() -> None:
    normalize = Normalizer("postgresql")
    text = normalize(
        "SELECT id FROM content WHERE title = 'O''Brien' /* user 42 */ AND n IN (1, 2, 3) "
        "AND type = $1::VARCHAR ORDER BY created_at DESC LIMIT 20"
    )
    expected = "SELECT id FROM content WHERE title = $1 AND n IN ($2) AND type = $3::VARCHAR ORDER BY created_at DESC"
    assert text == expected + " LIMIT $4"
    for value in ("Brien", "42", "20"):
        assert value not in text
    assert parameter_count(text, "postgresql") == 4


def test_statements_differing_only_in_values_normalize_alike() -> None:
    normalize = Normalizer("sqlite")
    first = normalize("SELECT * FROM content WHERE type = 'blog_post' AND id IN ('a', 'b')")
    assert first == normalize("SELECT * FROM content WHERE type = 'transcript' AND id IN ('c')")
    assert first == "SELECT * FROM content WHERE type = ? AND id IN (?)"
    assert normalize("SELECT generate_series(1, 10)") == "SELECT generate_series(?, ?)"


@pytest.mark.parametrize(
    "sql",
    [
        "DELETE FROM content",
        "SELECT 1; DROP TABLE content",
        "WITH gone AS (DELETE FROM content RETURNING *) SELECT * FROM gone",
        "SELECT * INTO copy FROM content",
        "SELECT * FROM content FOR UPDATE",
        "   ",
        "EXPLAIN ANALYZE SELECT 1",
    ],
)
def test_only_one_read_only_select_is_accepted(sql: str) -> None:
    with pytest.raises(InvalidInput):
        check_read_only(sql, "postgresql")


def test_selects_and_ctes_are_accepted() -> None:
    assert check_read_only("WITH t AS (SELECT 1 AS x) SELECT x FROM t;", "postgresql") is not None
    assert check_read_only("SELECT * FROM content WHERE title = 'a;b'", "sqlite") is not None


def test_candidate_columns_come_from_where_join_and_order_by() -> None:
    sql = (
        "SELECT c.id FROM content c JOIN tags t ON t.content_id = c.id "
        "WHERE c.source_url = 'x' AND c.updated_at > $1 AND lower(c.title) = 'y' AND c.snippet LIKE '%z' "
        "ORDER BY c.updated_at DESC"
    )
    found = {table.table: table for table in candidate_columns(sql, "postgresql")}
    content = found["content"]
    assert content.equality == ("source_url",)  # lower(title) cannot use a plain index; '%z' neither
    assert content.ranges == ("updated_at",)
    assert content.joins == ("id",)
    assert content.order == (("updated_at", True),)
    assert found["tags"].joins == ("content_id",)
