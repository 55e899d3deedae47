import re

from zn_ladder.tt.request_id import clean_name, is_valid_request_id, new_request_id


def test_request_id_has_tt_form_and_is_fresh_each_time():
    ids = {new_request_id("ZN Ladder", "Acme Capital, LLC") for _ in range(50)}
    assert len(ids) == 50
    for rid in ids:
        assert rid.startswith("ZNLadder-AcmeCapitalLLC--")
        assert re.fullmatch(r"[A-Za-z0-9-]+", rid)
        assert is_valid_request_id(rid)


def test_names_are_reduced_to_letters_and_digits_with_fallbacks():
    assert clean_name("a_b-c d!", "x") == "abcd"
    assert new_request_id("", "--").startswith("znladder-company--")


def test_invalid_ids_are_recognised():
    assert not is_valid_request_id("app-company-1234")
    assert not is_valid_request_id("app_x-company--" + "0" * 36)
