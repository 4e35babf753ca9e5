"""`cchc draft`: «Gợi ý nội dung» on the command line, as the section editor offers it.

A unit's own report gets each section drafted from its figures; with `--from`,
the report is an upper unit's and each section also gathers what the given
subordinate reports wrote in it, attributed, their figures replaced by the
report's own (consolidated) ones. Nothing is written: the drafts are printed.
"""

from __future__ import annotations

import argparse
import sys

from cchc.cli_shared import EXIT_OK, InputError, print_json
from cchc.core.narrative import report_level
from cchc.core.narrative.drafts import Subordinate, draft_numbers, draft_own, draft_upper
from cchc.core.reading import read_report
from cchc.importers.report_file import ImportError_, ImportResult, NoTablesError, import_report

__all__ = ["add_draft_parser", "cmd_draft"]


def _read(path: str, template: str) -> ImportResult:
    try:
        return import_report(path, template)
    except NoTablesError as exc:
        raise InputError(f"{exc} Gợi ý nội dung cần số liệu của báo cáo.") from exc
    except ImportError_ as exc:
        raise InputError(str(exc)) from exc
    except KeyError as exc:
        raise InputError(exc.args[0]) from exc


def cmd_draft(args: argparse.Namespace) -> int:
    own = _read(args.file, args.template)
    checked = read_report(own.template, own.values)
    numbers = draft_numbers(checked.values, checked.computed)
    level = report_level(own.document.header.unit)
    if args.sources:
        texts: dict[str, list[Subordinate]] = {}
        for path in args.sources:
            sub = _read(path, own.template.id)
            unit = sub.document.header.unit or path
            for section in sub.document.narrative:
                if section.text.strip():
                    texts.setdefault(section.code, []).append(Subordinate(unit, section.text))
        drafts = draft_upper(own.template, numbers, texts, level)
    else:
        drafts = draft_own(own.template, numbers, level)
    if args.section:
        if args.section not in {s.code for s in own.template.all_sections()}:
            raise InputError(f"Mẫu {own.template.id} không có mục «{args.section}».")
        drafts = {c: d for c, d in drafts.items() if c == args.section}
    if args.json:
        print_json(
            {
                "file": args.file,
                "template": own.template.id,
                "sections": [
                    {
                        "code": d.code,
                        "title": d.title,
                        "text": d.text,
                        "figures": [
                            {"form": f.form, "code": f.code, "name": f.name, "shown": f.shown}
                            for f in d.figures
                        ],
                        "from": [unit for unit, _ in d.gathered],
                    }
                    for d in drafts.values()
                ],
            }
        )
        return EXIT_OK
    if not drafts:
        print("Không có mục nào có số liệu để gợi ý nội dung.", file=sys.stderr)
        return EXIT_OK
    for d in drafts.values():
        print(f"== Mục {d.code}. {d.title}")
        print(d.text)
        print()
    print(f"Gợi ý cho {len(drafts)} mục; hãy đọc lại, sửa rồi mới dùng.")
    return EXIT_OK


def add_draft_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("draft", help="gợi ý nội dung các mục từ số liệu của báo cáo")
    p.add_argument("file", help="báo cáo của đơn vị (.txt, .docx, .xlsx)")
    p.add_argument(
        "--from",
        dest="sources",
        nargs="+",
        metavar="TỆP",
        help="báo cáo của các đơn vị cấp dưới: gom nội dung của họ vào từng mục",
    )
    p.add_argument("--section", help="chỉ một mục, ví dụ II.2.c.3")
    p.add_argument("--template", default="auto", help="mã mẫu hoặc «auto»")
    p.add_argument("--json", action="store_true", help="in JSON")
    p.set_defaults(func=cmd_draft)
