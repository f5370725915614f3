"""The company's map as the desk's filters offer it: branches, areas and technicians in a stable order."""
from app.auth.models import User
from app.branches.models import Area, Branch
from app.extensions import db


def filter_options():
    return {
        "branches": db.session.execute(db.select(Branch).order_by(Branch.code)).scalars().all(),
        "areas": db.session.execute(db.select(Area).order_by(Area.name)).scalars().all(),
        "technicians": db.session.execute(
            db.select(User).filter_by(role="technician").order_by(User.badge_number)
        ).scalars().all(),
    }
