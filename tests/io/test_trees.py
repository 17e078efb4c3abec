"""pathways.io.trees: requirement trees and prerequisite expressions from file data; the fast
paths agree with the full parsers, expressions mean what they say (checked by evaluation), and
problems carry the key path below the tree's root."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pathways.describe import prerequisite_text
from pathways.domain import AllOf, AnyOf, Choose, MinHours, Node, Ref, leaf_ids
from pathways.io.trees import (
    MAX_DEPTH,
    TreeProblem,
    _ExprParser,
    _flat_expression,
    parse_prerequisites,
    parse_requirement,
    requirement_tree,
)
from pathways.planner.audit import prerequisites_met

IDS = ["A", "B", "C", "D"]


def holds(node: Node, done: set[str]) -> bool:
    """What a prerequisite tree means, evaluated from the node kinds (not the planner's code)."""
    if isinstance(node, Ref):
        return node.id in done
    results = [holds(c, done) for c in node.children]  # type: ignore[union-attr]
    return all(results) if isinstance(node, AllOf) else any(results)


flat_texts = st.lists(st.sampled_from(IDS), min_size=1, max_size=6).flatmap(
    lambda ids: st.lists(st.sampled_from(["and", "or", "AND", "Or"]), min_size=len(ids) - 1,
                         max_size=len(ids) - 1).map(
        lambda ops: " ".join(x for pair in itertools.zip_longest(ids, ops) for x in pair if x)))


@settings(max_examples=300, deadline=None)
@given(flat_texts)
def test_the_flat_fast_path_agrees_with_the_full_parser(text: str) -> None:
    assert _flat_expression(text) == _ExprParser(text).parse()


prerequisite_trees = st.recursive(
    st.sampled_from(IDS).map(Ref),
    lambda kids: st.builds(lambda cls, cs: cls(tuple(cs)), st.sampled_from([AllOf, AnyOf]),
                           st.lists(kids, min_size=2, max_size=3)),
    max_leaves=8)


@settings(max_examples=300, deadline=None)
@given(prerequisite_trees)
def test_an_expression_means_what_its_tree_means(tree: Node) -> None:
    """Written as text and read back, a prerequisite tree is met by exactly the same sets of
    completed courses (and the planner's own check agrees)."""
    back = parse_prerequisites(prerequisite_text(tree))
    assert not isinstance(back, TreeProblem)
    for n in range(len(IDS) + 1):
        for done in map(set, itertools.combinations(IDS, n)):
            assert holds(back, done) == holds(tree, done) == prerequisites_met(back, done)


@pytest.mark.parametrize("data, expected", [
    ("A and B", ["A and B"]),
    (["A", "B"], ["A and B"]),
    ({"any": ["A", "B"]}, ["A or B"]),
    ({"all": ["A", {"any": ["B", "C"]}]}, ["A and (B or C)"]),
    (["A"], ["A"]),  # a group of one is that one
    ("a-1 OR b-2", ["a-1 or b-2"]),
])
def test_prerequisites_in_every_written_form(data: Any, expected: list[str]) -> None:
    tree = parse_prerequisites(data)
    assert not isinstance(tree, TreeProblem) and [prerequisite_text(tree)] == expected


@pytest.mark.parametrize("data, keypath, message", [
    ({"all": ["A", {"choose": 2, "from": "B"}]}, ("all", 1, "from"), "expected a non-empty list"),
    ({"all": ["A", {"any": ["B"], "colour": "red"}]}, ("all", 1, "colour"),
     'unknown key "colour" in a requirement'),
    ({"all": [{"all": ["A"], "any": ["B"]}]}, ("all", 0),
     "a requirement node cannot combine all, any"),
    ({"min_hours": 10, "from": []}, ("from",), "min_hours needs a non-empty list of course ids"),
    ({"min_hours": -1, "from": ["A"]}, ("min_hours",), "min_hours must be a number > 0, found -1"),
    ({"choose": 1.5, "from": ["A"]}, ("choose",), "choose must be a whole number > 0, found 1.5"),
    ({"any": ["A"], "label": 7}, ("label",), "label must be text"),
    ({"all": ["A", True]}, ("all", 1), "expected an id, found bool True"),
    ({"all": ["A", " "]}, ("all", 1), "empty id"),
])
def test_requirement_problems_name_their_place(data: Any, keypath: tuple[Any, ...],
                                               message: str) -> None:
    problem = parse_requirement(data)
    assert isinstance(problem, TreeProblem)
    assert (problem.keypath, problem.message) == (keypath, message) and problem.hint


def test_too_deep_is_reported_at_the_root() -> None:
    data: Any = "A"
    for _ in range(MAX_DEPTH + 1):
        data = {"any": [data, "B"]}
    problem = parse_requirement(data)
    assert isinstance(problem, TreeProblem)
    assert problem.keypath == () and f"nested more than {MAX_DEPTH} levels deep" in problem.message
    deep = "(" * (MAX_DEPTH + 1) + "A" + ")" * (MAX_DEPTH + 1)
    assert "nested more than" in parse_prerequisites(deep).message  # type: ignore[union-attr]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(IDS + ["E-1", "f_2"]), min_size=1, max_size=8))
def test_requirement_tree_fast_path_agrees_with_the_parser(ids: list[str]) -> None:
    for data in (ids, {"all": ids}):
        tree, named = requirement_tree(data)  # type: ignore[misc]
        assert tree == parse_requirement(data) and named == leaf_ids(tree)


def test_requirement_shapes() -> None:
    tree = parse_requirement({"all": ["A", {"choose": 2, "from": ["B", {"id": "C", "label": "c"}, "D"],
                                            "label": "Pick"},
                                      {"min_hours": 30, "from": ["E", 7]}]})
    assert tree == AllOf((Ref("A"), Choose(2, (Ref("B"), Ref("C", "c"), Ref("D")), "Pick"),
                          MinHours(30.0, ("E", "7"))))
