import click

from app.auth import services, sessions
from app.errors import ValidationFailed
from app.extensions import db


def register(app):
    @app.cli.command("create-token")
    @click.argument("username")
    @click.option("--label", default="", help="What the token is for, e.g. 12345 热线对接.")
    def create_token(username, label):
        """Create a bearer token for USER (an integration). Shown once."""
        user = services.find_user(username)
        token = services.create_token(user, label)
        db.session.commit()
        click.echo(token)

    @app.cli.command("create-user")
    @click.argument("username")
    @click.option("--name", required=True)
    @click.option("--role", required=True, type=click.Choice(["admin", "dispatcher", "technician", "back_office"]))
    @click.option("--badge", help="technician: 工号, shown on the board and the slip")
    @click.option("--branch", "branch_code", help="technician: the branch's code, e.g. CD")
    @click.option("--area", "areas", multiple=True, help="technician: a 片区 of that branch (repeat for several)")
    @click.option("--phone", default=None, help="technician: the phone customers are called from")
    @click.password_option()
    def create_user(username, name, role, badge, branch_code, areas, phone, password):
        """Create a user who signs in with USERNAME. A technician is asked for a badge, branch and areas
        (routing sends orders by area: one without them could never be sent an order)."""
        if role == "technician":
            badge = badge or click.prompt("工号 (badge)")
            branch_code = branch_code or click.prompt("分公司代码 (branch code, e.g. CD)")
            areas = areas or tuple(click.prompt("片区 (comma-separated)").replace(",", ",").split(","))
        try:
            extra = ({**services.technician_placement(badge, branch_code, areas), "phone": phone}
                     if role == "technician" else {})
            services.create_user(username, password, name, role, **extra)
        except ValidationFailed as error:
            raise click.ClickException(f"{error.message} {error.details}".strip()) from error
        db.session.commit()
        click.echo(f"created {username} ({role})")

    @app.cli.command("setup")
    @click.option("--username", prompt="管理员用户名 (admin's username)", default="admin")
    @click.option("--name", prompt="管理员姓名 (admin's name)")
    @click.password_option(prompt="密码 (password, at least 8 characters)")
    def setup(username, name, password):
        """A company starting for real: the first admin, on an install with none. Everything else — branches,
        areas, estates, households, staff — is then done on the desk (docs/setup.md)."""
        from app.auth.models import User

        if db.session.execute(db.select(User.id).filter_by(role="admin", active=True)).first():
            raise click.ClickException("已有管理员:请用管理员账号登录桌面端,在“设置 › 人员”中添加人员。")
        try:
            user = services.create_user(username, password, name, "admin")
        except ValidationFailed as error:
            raise click.ClickException(f"{error.message} {error.details}".strip()) from error
        from app.audit.services import record

        record(None, "user", user.id, "setup", username=username)
        db.session.commit()
        click.echo(f"已创建管理员 {username}。用它登录桌面端,依次在“设置”中:新建分公司和片区、添加小区、添加人员;"
                   "然后即可受理来电。")

    @app.cli.command("list-tokens")
    @click.argument("username")
    def list_tokens(username):
        """List USER's bearer tokens (id, label, created, revoked)."""
        for token in sessions.tokens_of(services.find_user(username)):
            state = f"revoked {token.revoked_at:%Y-%m-%d %H:%M}Z" if token.revoked_at else "active"
            click.echo(f"{token.id}\t{token.label or '-'}\t{token.created_at:%Y-%m-%d %H:%M}Z\t{state}")

    @app.cli.command("revoke-token")
    @click.argument("token_id", type=click.IntRange(1, 2**31 - 1))
    def revoke_token(token_id):
        """Revoke one bearer token by its id (see list-tokens)."""
        token = sessions.revoke_token(None, token_id)
        db.session.commit()
        click.echo(f"revoked token {token.id}")

    @app.cli.command("sign-out-user")
    @click.argument("username")
    def sign_out_user(username):
        """End every session and revoke every token of USER (a lost phone, a leaked token)."""
        count, tokens = sessions.end_all(services.find_user(username), None, "signed_out_by_admin")
        db.session.commit()
        click.echo(f"ended {count} sessions, revoked {tokens} tokens")

    @app.cli.command("set-password")
    @click.argument("username")
    @click.password_option()
    def set_password(username, password):
        """Reset USER's password; every session and token they had ends."""
        services.change_password(None, services.find_user(username), password)
        db.session.commit()
        click.echo(f"password changed for {username}; signed out everywhere")

    @app.cli.command("deactivate-user")
    @click.argument("username")
    def deactivate_user(username):
        """Deactivate USER: they can no longer sign in, and every session and token ends."""
        services.deactivate(None, services.find_user(username))
        db.session.commit()
        click.echo(f"deactivated {username}")
