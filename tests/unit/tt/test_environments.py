import pytest

from zn_ladder.domain.errors import ConfigError
from zn_ladder.tt.connection import TTConnection
from zn_ladder.tt.doctor import run_checks
from zn_ladder.tt.environments import resolve_env, short_name


@pytest.mark.parametrize("name, env", [("sim", "ext_prod_sim"), ("UAT", "ext_uat_cert"), ("Live", "ext_prod_live"),
                                       ("EXT_PROD_SIM", "ext_prod_sim")])
def test_environment_names(name, env):
    assert resolve_env(name) == env
    assert short_name(env) in ("sim", "uat", "live")
    assert resolve_env(short_name(env)) == env


def test_unknown_environment_is_a_config_error():
    with pytest.raises(ConfigError, match="unknown TT environment 'prod'"):
        resolve_env("prod")


def test_connection_builds_lower_case_urls_and_hides_the_secret():
    conn = TTConnection(base_url="http://127.0.0.1:9/", env="SIM", app_key="k" * 10, app_secret="s3cr3t")
    assert conn.url("TTLEDGER", "orders") == "http://127.0.0.1:9/ttledger/ext_prod_sim/orders"
    assert "s3cr3t" not in repr(conn) and "kkkk" not in repr(conn)


def test_doctor_without_credentials_fails_first_check_and_skips_the_rest():
    checks = run_checks(TTConnection(base_url="http://127.0.0.1:9", env="uat"))
    assert [c.label for c in checks] == ["FAIL", "SKIP", "SKIP", "SKIP", "SKIP"]
    assert "zn-ladder credentials set --env uat" in checks[0].detail
