"""Imports every model so that metadata (and so Alembic) sees all tables."""
from app.audit.models import AuditEvent  # noqa: F401
from app.auth.models import ApiToken, User  # noqa: F401
from app.branches.models import Area, Branch, Estate  # noqa: F401
from app.callbacks.models import Callback, CallbackAttempt  # noqa: F401
from app.clocks.models import ClockPolicy  # noqa: F401
from app.commands.models import Command  # noqa: F401
from app.field import stamps  # noqa: F401 - moves the bundles' version stamps with every commit
from app.field.models import BundleStamp  # noqa: F401
from app.households.models import Household  # noqa: F401
from app.imports.models import ColumnName, HouseholdImport, ImportRow  # noqa: F401
from app.kpis import tally  # noqa: F401 - keeps the KPI counters in step with every flush
from app.kpis.models import KpiContribution, KpiCount  # noqa: F401
from app.materials.models import Material, StockLevel, StockLocation, StockMovement, StockPeriod  # noqa: F401
from app.numbering import Counter  # noqa: F401
from app.paid_service.models import Quote, QuoteLine  # noqa: F401
from app.photos.models import Photo  # noqa: F401
from app.price_list.models import PriceItem, PriceListVersion  # noqa: F401
from app.reconciliation.models import DayClose, Handover, SlipCopyReturn  # noqa: F401
from app.service_slips.models import Slip, SlipRating, SlipSignature  # noqa: F401
from app.temperature.models import RoomStandard  # noqa: F401
from app.visits.models import (  # noqa: F401
    DamageRecord,
    PhotoRule,
    RepairRecord,
    TemperatureReading,
    Visit,
    VisitNote,
    VisitStep,
)
from app.work_orders.models import StatusChange, WorkOrder  # noqa: F401
