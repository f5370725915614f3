from tests.service_slips.conftest import shop  # noqa: F401 (a fixture)
