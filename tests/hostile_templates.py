"""Hostile template files, each with the one problem cchc must answer it with.

Used by the CLI tests (`cchc templates check`) and the web tests (the templates page),
which must refuse the same files with the same located Vietnamese message.
"""

from __future__ import annotations

import pytest

from cchc.core.template_limits import MAX_FORMULA_DEPTH, MAX_YAML_DEPTH

# Nine lines, 406 bytes, standing for 9⁹ = 387 million strings («billion laughs»).
ALIAS_BOMB = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]\n"
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True)
)

HEAD = (
    "id: thu\ntitle: Thử\nlevels: [xa]\nforms:\n  - code: B1\n    title: Bảng\n"
    "    indicators:\n      - {code: '1', name: Tổng, unit: Hồ sơ}\n"
)
DEEP_FORMULA = HEAD + (
    f"      - {{code: '2', name: Tỷ lệ, unit: '%', formula: '{'(' * 300}1{')' * 300}'}}\n"
)
TOO_DEEP = f"lồng quá sâu: quá {MAX_YAML_DEPTH} mức danh sách, bảng khóa trong nhau"

# (file name, text, the problem as printed)
HOSTILE = [
    pytest.param(
        "bomb.yaml",
        ALIAS_BOMB,
        "bomb.yaml, dòng 5 (e[2]): quá nhiều giá trị: hơn 25.000 giá trị "
        "(kể cả những gì bí danh «*d» lặp lại)",
        id="alias-bomb",
    ),
    pytest.param(
        "ngoac.yaml",
        "[" * 50_000,
        f"ngoac.yaml, dòng 1 ({'[0]' * MAX_YAML_DEPTH}): {TOO_DEEP}",
        id="50000-brackets",
    ),
    pytest.param(
        "cong-thuc.yaml",
        DEEP_FORMULA,
        f"cong-thuc.yaml, dòng 9 (forms[0].indicators[1].formula): Biểu thức «{'(' * 80}…»: "
        f"lồng quá sâu (quá {MAX_FORMULA_DEPTH} mức ngoặc, hàm, not, dấu -) "
        f"ở vị trí {MAX_FORMULA_DEPTH + 1}.",
        id="300-deep-formula",
    ),
]
