"""Import test files: good and deliberately bad rows, as CSV or XLSX bytes."""

import csv
import io

from openpyxl import Workbook, load_workbook

from domain.customers.credit_code import check_character

HEADER = ["客户名称", "统一社会信用代码", "行业", "地区", "阶段", "负责人", "电话", "E-mail", "备注"]


def code(n: int) -> str:
    body = f"91310000{n:09d}"
    return body + check_character(body)


def good_rows(count: int, owner: str, start: int = 0) -> list[list[str]]:
    industries, regions = ("制造业", "Technology", "retail"), ("上海", "Zhejiang", "beijing")
    stages = ("线索", "Prospect", "")
    return [[f"导入测试{start + i}有限公司", code(start + i), industries[i % 3], regions[i % 3], stages[i % 3], owner,
             f"1380000{start + i:04d}", f"info{start + i}@example.cn", "备注"] for i in range(count)]


def bad_rows(owner: str, stranger: str, taken_code: str, first_good: list[str]) -> list[list[str]]:
    """Ten rows, each wrong in one way (the field that is wrong is the comment)."""
    bad_check = code(900)[:-1] + ("0" if code(900)[-1] != "0" else "1")
    return [
        ["", code(901), "制造业", "上海", "线索", owner, "", "", "name missing"],
        ["坏校验码公司", bad_check, "制造业", "上海", "线索", owner, "", "", "credit code checksum"],
        ["短代码公司", "91310000123", "制造业", "上海", "线索", owner, "", "", "credit code length"],
        ["太空行业公司", code(902), "太空", "上海", "线索", owner, "", "", "industry"],
        ["无名负责人公司", code(903), "制造业", "上海", "线索", "nobody-here", "", "", "owner unknown"],
        ["别部门公司", code(904), "制造业", "上海", "线索", stranger, "", "", "owner not assignable"],
        ["重复代码公司", first_good[1], "制造业", "上海", "线索", owner, "", "", "credit code twice in file"],
        [first_good[0], code(905), "制造业", "上海", "线索", owner, "", "", "name twice in file"],
        ["已存在代码公司", taken_code, "制造业", "上海", "线索", owner, "", "", "credit code in the database"],
        ["坏邮箱公司", code(906), "制造业", "上海", "线索", owner, "", "not-an-address", "e-mail"],
    ]


def as_csv(rows: list[list[str]], header: list[str] = HEADER, encoding: str = "utf-8-sig") -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    return out.getvalue().encode(encoding)


def as_xlsx(rows: list[list[str]], header: list[str] = HEADER) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("客户")
    for row in [header, *rows]:
        sheet.append([int(v) if v.isdigit() and len(v) == 11 else v for v in row])  # phones as Excel numbers
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read_back(data: bytes, file_format: str) -> list[list[str]]:
    """A downloaded file's rows as text (empty cells as "")."""
    if file_format == "csv":
        assert data.startswith(b"\xef\xbb\xbf")
        return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]


SUPPLIER_HEADER = ["供应商名称", "统一社会信用代码", "类别", "地区", "地址", "付款条件", "开户行", "银行账号", "备注"]
SUPPLIER_FIELDS = ["name", "credit_code", "category", "region", "address", "payment_terms", "bank_name",
                   "bank_account", "notes"]


def good_suppliers(count: int, start: int = 500) -> list[list[str]]:
    categories, regions = ("原材料", "Equipment", "logistics"), ("上海", "Zhejiang", "")
    return [[f"导入供应商{start + i}有限公司", code(start + i), categories[i % 3], regions[i % 3], f"工业路 {i} 号",
             "月结 30 天", "中国工商银行", f"6222 0212 3456 {start + i:04d}", "首批"] for i in range(count)]


def bad_suppliers(taken_code: str, similar_name: str, first_good: list[str]) -> list[list[str]]:
    """Eight rows, each wrong in one way (the notes say how)."""
    bad_check = code(990)[:-1] + ("0" if code(990)[-1] != "0" else "1")
    rest = ["地址", "月结", "银行"]
    return [
        ["", code(991), "原材料", "上海", *rest, "6222 0000 1111", "name missing"],
        ["坏校验码供应商", bad_check, "原材料", "上海", *rest, "", "credit code checksum"],
        ["太空材料公司", code(992), "太空", "上海", *rest, "", "category"],
        ["坏账号供应商", code(993), "原材料", "上海", *rest, "12ab-34", "bank account"],
        ["重复代码供应商", first_good[1], "原材料", "上海", *rest, "", "credit code twice in file"],
        ["上海" + first_good[0], code(994), "原材料", "上海", *rest, "", "name key twice in file"],
        ["已存在代码供应商", taken_code, "原材料", "上海", *rest, "", "credit code in the database"],
        [similar_name, code(995), "原材料", "上海", *rest, "", "name key in the database"],
    ]
