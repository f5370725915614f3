import click


def register(app):
    @app.cli.group("demo")
    def demo():
        """Demo data."""

    @demo.command("load")
    def load():
        """Load the demo data (idempotent) and print the logins."""
        from app.demo.loader import load_demo

        load_demo(echo=click.echo)
