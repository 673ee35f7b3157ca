from datetime import date

import pytest

from sources.gazetteer import Gazetteer, Unit

_UNITS = [
    Unit("hn-thanh-xuan", "Thanh Xuân", "quận", "Hà Nội", date(1996, 11, 22), date(2025, 6, 30)),
    Unit("hn-cau-giay", "Cầu Giấy", "quận", "Hà Nội", date(1996, 11, 22), date(2025, 6, 30)),
    Unit("hn-ha-dong", "Hà Đông", "quận", "Hà Nội", date(2008, 8, 1), date(2025, 6, 30), ("thành phố Hà Đông",)),
    Unit("hn-dong-anh", "Đông Anh", "huyện", "Hà Nội", date(1961, 5, 31), date(2025, 6, 30)),
    Unit("hn-me-linh", "Mê Linh", "huyện", "Hà Nội", date(2008, 8, 1), date(2025, 6, 30)),
    Unit("hn-long-bien", "Long Biên", "quận", "Hà Nội", date(2003, 11, 6), date(2025, 6, 30)),
    Unit("hn-son-tay", "Sơn Tây", "thị xã", "Hà Nội", date(2008, 8, 1), date(2025, 6, 30)),
]


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    return Gazetteer(_UNITS)
