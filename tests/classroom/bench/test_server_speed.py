"""workshop.classroom.bench: the runner finds benchmarks and prints tables (speed not asserted)."""

from __future__ import annotations

from workshop.classroom.bench import server_speed as server
from workshop.classroom.bench.__main__ import benchmark_modules, main
from workshop.classroom.bench.report import format_table, machine


def test_server_benchmark_gives_one_row_per_measure():
    rows = server.run(runs=2)
    assert [row["measure"] for row in rows] == ["start until first response", "stop"]
    assert all(row["runs"] == 2 and row["serve() ms"] > 0 for row in rows)


def test_runner_lists_modules_with_run_and_formats_rows():
    assert "server_speed" in benchmark_modules()
    table = format_table([{"a": 1.23456, "b": "x"}, {"a": 1234.5, "c": True}])
    assert table.splitlines() == ["a     b  c", "----  -  ----", "1.23  x", "1234     True"]
    line = machine()
    assert "CPUs" in line and "Python" in line


def test_unknown_benchmark_is_refused(capsys):
    assert main(["no-such-bench"]) == 2
    assert capsys.readouterr().out == "no such benchmark: no-such-bench\n"
