import click


def register(app):
    @app.cli.group("kpis")
    def kpis():
        """KPI counters (考核指标)."""

    @kpis.command("rebuild")
    def rebuild():
        """Recompute every KPI counter from the orders, callbacks and visits (after a bulk load)."""
        from sqlalchemy import func, select

        from app.extensions import db
        from app.kpis import services
        from app.kpis.models import KpiContribution, KpiCount

        services.rebuild()
        db.session.commit()
        counts = db.session.execute(select(func.count()).select_from(KpiCount)).scalar()
        orders = db.session.execute(select(func.count(KpiContribution.work_order_id.distinct()))).scalar()
        click.echo(f"考核指标已重算:{orders} 张工单计入,{counts} 组计数(月 × 分公司 × 维修师傅)。")
