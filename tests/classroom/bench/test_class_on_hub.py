"""`kit.py bench --class N`: rows and tables (the class itself runs only on demand)."""

from __future__ import annotations

from workshop.classroom.bench import class_on_hub as classroom
from workshop.classroom.bench.__main__ import benchmark_modules, format_table
from workshop.classroom.hub.memory import TreeMemory


class Done:
    def __init__(self, seconds, failures=()):
        self.seconds, self.failures = seconds, list(failures)


def test_the_class_is_not_part_of_a_plain_bench_run():
    assert "class_on_hub" not in benchmark_modules()
    assert "class_on_hub" in benchmark_modules(["class_on_hub"])


def test_lesson_rows_compare_the_class_with_one_student_alone():
    first, second = classroom.LESSONS[:2]
    solo = Done({first: 2.0, second: 4.0})
    class_ = [Done({first: 3.0, second: 4.0}), Done({first: 5.0},
                                                   [(second, "TimeoutError: slow")])]
    rows = {row["lesson"]: row for row in classroom.lesson_rows(solo, class_)}
    assert rows[first]["class_median_s"] == 4.0 and rows[first]["ratio"] == 2.0
    assert rows[first]["students_failed"] == 0
    assert rows[second]["class_max_s"] == 4.0 and rows[second]["students_failed"] == 1
    assert "ratio" in format_table(list(rows.values())).splitlines()[0]


def test_memory_rows_give_median_and_max_per_student():
    ended = {"a": TreeMemory(server=100, kernels=50), "b": TreeMemory(server=120, kernels=70)}
    rows = classroom.memory_rows({"a": 200, "b": 260}, ended, {"a": 90, "b": 110}, ["a", "b"])
    assert rows[0]["median_MB"] == 230 and rows[0]["max_MB"] == 260
    assert [row["median_MB"] for row in rows[1:]] == [110, 60, 170, 100]
