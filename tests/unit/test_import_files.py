"""The CSV error file is formula-safe, and reads back as the user typed it."""

import csv
import io

from web.imports.files import CsvSheet


def test_the_csv_error_file_neutralises_formulas_and_reads_back_unchanged() -> None:
    upload = "名称,备注\n=HYPERLINK(\"http://evil\"),+1+1\n普通公司,-5\n".encode()
    sheet = CsvSheet(upload)

    error_file = sheet.with_errors({2: "name.invalid"}, "错误")
    rows = list(csv.reader(io.StringIO(error_file.decode("utf-8-sig"))))
    again = CsvSheet(error_file)

    assert rows[1] == ["'=HYPERLINK(\"http://evil\")", "'+1+1", "name.invalid"]
    assert rows[2] == ["普通公司", "'-5", ""]
    assert [cells[:2] for _, cells in again.rows()] == [["=HYPERLINK(\"http://evil\")", "+1+1"], ["普通公司", "-5"]]
