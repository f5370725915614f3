import click

from app.auth import services
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
    @click.password_option()
    def create_user(username, name, role, password):
        """Create a user who signs in with USERNAME."""
        services.create_user(username, password, name, role)
        db.session.commit()
        click.echo(f"created {username} ({role})")
