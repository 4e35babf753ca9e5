"""`cchc templates check` on hostile files: exit 2, a located Vietnamese message, at once,
in bounded memory.

Each file is checked by the real command in a child process limited to 1 GB of address
space and a minute, so a hang, a memory blow-up or a segfault fails the test instead of
the suite; the time bound is on the CPU the child used.
"""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pytest

from cchc.core.template_limits import MAX_TEMPLATE_BYTES, MAX_YAML_DEPTH
from tests.hostile_templates import HEAD, HOSTILE, TOO_DEEP

ADDRESS_SPACE = 1024 * 1024 * 1024


def check(tmp_path: Path, name: str, text: str) -> tuple[int, str, float]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return check_path(path)


def check_path(path: Path) -> tuple[int, str, float]:
    """`cchc templates check PATH` in a bounded child: exit status, stderr, CPU seconds."""

    def bounded() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(
        [sys.executable, "-m", "cchc.cli", "templates", "check", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=bounded,
        check=False,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return done.returncode, done.stderr, cpu


def refused(*problems: str) -> str:
    return f"Mẫu không hợp lệ ({len(problems)} lỗi):\n" + "".join(f"  {p}\n" for p in problems)


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        *HOSTILE,
        pytest.param(
            "gach.yaml",
            "- " * 50_000 + "x\n",
            f"gach.yaml, dòng 1 ({'[0]' * MAX_YAML_DEPTH}): {TOO_DEEP}",
            id="50000-block-dashes",
        ),
        pytest.param(
            "lon.yaml",
            HEAD + "# " + "x" * MAX_TEMPLATE_BYTES + "\n",
            "lon.yaml: tệp có 1.000.141 byte, quá giới hạn 1.000.000 byte của một mẫu báo cáo",
            id="too-big",
        ),
    ],
)
def test_templates_check_refuses_a_hostile_file_at_once_with_exit_2(
    tmp_path, name, text, message
) -> None:
    code, err, cpu_seconds = check(tmp_path, name, text)

    assert (code, err) == (2, refused(message))
    assert cpu_seconds < 2.0  # CPU time: the machine running the suite is often shared


def test_templates_check_reads_no_more_of_an_endless_file_than_the_limit() -> None:
    code, err, cpu_seconds = check_path(Path("/dev/zero"))

    assert (code, err) == (
        2,
        refused(
            "zero: tệp dài hơn 1.000.000 byte, quá giới hạn 1.000.000 byte của một mẫu báo cáo"
        ),
    )
    assert cpu_seconds < 2.0


def test_validate_refuses_template_data_nested_100000_deep_with_exit_2(tmp_path) -> None:
    path = tmp_path / "so-lieu.json"
    path.write_text('{"values": {}, "template_data": ' + "[" * 100_000 + "]" * 100_000 + "}")

    done = subprocess.run(
        [sys.executable, "-m", "cchc.cli", "validate", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert (done.returncode, done.stderr) == (2, f"Lỗi: {path}: JSON lồng quá sâu.\n")
