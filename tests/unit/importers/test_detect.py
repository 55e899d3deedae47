from __future__ import annotations

import pytest

from zn_ladder.domain.errors import InputError
from zn_ladder.importers.detect import detect_kind, parse_kind, read_file
from zn_ladder.importers.result import FileKind

from .conftest import FIXTURES


@pytest.mark.parametrize(("name", "kind", "records"), [
    ("fill_monitor_sample.csv", FileKind.FILL_MONITOR, 297),
    ("tt_audit_trail_sample.csv", FileKind.AUDIT_TRAIL, 56),
    ("tt_fills_widget_copy_sample.csv", FileKind.FILLS_WIDGET, 60),
    ("tt_working_orders_response.json", FileKind.TT_ORDERS, 6),
    ("actant_sod_sample.csv", FileKind.ACTANT_SOD, 0),  # its contract (ZN Jun22) expired before its RUN_DATE
])
def test_every_fixture_is_recognised_and_read(name, kind, records):
    path = FIXTURES / name
    assert detect_kind(path) is kind
    result = read_file(path, default_contract="ZN")
    assert result.kind is kind
    assert len(result.records) == records


def test_kind_override_refuses_a_file_of_another_kind():
    with pytest.raises(InputError) as err:
        read_file(FIXTURES / "actant_sod_sample.csv", "audit-trail")
    assert "actant_sod_sample.csv" in str(err.value) and "not a TT Audit Trail export" in str(err.value)


def test_unknown_kind_name_and_unknown_content_are_refused(write):
    with pytest.raises(InputError, match="unknown file kind 'pdf'"):
        parse_kind("pdf")
    with pytest.raises(InputError, match="not a file zn-ladder can read"):
        read_file(write("notes.csv", "hello,world\n1,2\n"))
    with pytest.raises(InputError, match="not a file zn-ladder can read"):
        read_file(write("other.json", '{"status": "Ok"}'))


def test_fills_json_detected(write):
    path = write("fills.json", '{"fills": [], "lastPage": "true"}')
    assert detect_kind(path) is FileKind.TT_FILLS
    assert read_file(path).fills == ()
