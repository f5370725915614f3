"""A company starting for real: `flask setup` makes the first admin on an empty install, and only then."""
from app.auth import services as auth
from app.auth.models import User
from app.extensions import db
from tests import factories


def run_setup(app, *args, password="firstadmin-2026"):
    return app.test_cli_runner().invoke(args=["setup", *args], input=f"{password}\n{password}\n")


def test_setup_makes_the_first_admin_who_signs_in(app):
    result = run_setup(app, "--username", "zhouming", "--name", "周明")
    assert result.exit_code == 0, result.output
    assert "已创建管理员 zhouming" in result.output
    with app.app_context():
        user = auth.authenticate("zhouming", "firstadmin-2026")
        assert (user.role, user.name, user.active) == ("admin", "周明", True)


def test_setup_refuses_once_an_admin_exists(app):
    with app.app_context():
        factories.user("admin")
        db.session.commit()
    result = run_setup(app, "--username", "second", "--name", "第二位")
    assert result.exit_code != 0 and "已有管理员" in result.output
    with app.app_context():
        assert db.session.execute(db.select(User).filter_by(username="second")).first() is None


def test_setup_refuses_a_short_password(app):
    result = run_setup(app, "--username", "zhouming", "--name", "周明", password="short")
    assert result.exit_code != 0 and "密码至少 8 位" in result.output
