from datetime import date

import pytest

from contracts.catalogue import gazetteer
from sources.gazetteer import Gazetteer, Unit, split_type


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("Thanh Xuân", "Thanh Xuân"),
        ("Q. Thanh Xuân", "Thanh Xuân"),
        ("Q.Thanh Xuân", "Thanh Xuân"),
        ("quan thanh xuan", "Thanh Xuân"),
        ("QUẬN THANH XUÂN", "Thanh Xuân"),
        ("UBND quận Tây Hồ", "Tây Hồ"),
        ("huyện Mê Linh", "Mê Linh"),
        ("H. Đông Anh", "Đông Anh"),
        ("Cau Giay", "Cầu Giấy"),
        ("thị xã Sơn Tây", "Sơn Tây"),
        ("thành phố Hà Đông", "Hà Đông"),
        ("Ứng Hoà", "Ứng Hòa"),
        ("hn-long-bien", "Long Biên"),
    ],
)
def test_resolve(written, name):
    assert gazetteer().resolve(written).name == name


@pytest.mark.parametrize("written", ["huyện Thanh Xuân", "Thanh Xuân Bắc", "Bình Tân", ""])
def test_unknown_or_wrong_type(written):
    assert gazetteer().resolve(written) is None


def test_suggest_close_names():
    assert gazetteer().suggest("Long Bien Bac")[0] == "Long Biên"


def test_split_type():
    assert split_type("UBND Q. Tây Hồ") == ("quận", "tay ho")


def test_same_name_resolved_by_validity_date():
    old = Unit("old", "Thanh Xuân", "quận", "Hà Nội", date(1996, 11, 22), date(2025, 6, 30))
    new = Unit("new", "Thanh Xuân", "phường", "Hà Nội", date(2025, 7, 1), None)
    places = Gazetteer([old, new])
    assert places.resolve("Thanh Xuân", on=date(2024, 10, 31)).id == "old"
    assert places.resolve("Thanh Xuân", on=date(2025, 9, 1)).id == "new"
    assert places.resolve("Thanh Xuân") is None  # ambiguous without a date
    assert places.resolve("phường Thanh Xuân").id == "new"


def test_hanoi_has_thirty_district_level_units():
    units = gazetteer().units
    assert len(units) == 30
    assert {u.type for u in units} == {"quận", "huyện", "thị xã"}
    assert sum(u.type == "quận" for u in units) == 12
