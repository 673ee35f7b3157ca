from datetime import date

import pytest

from sources.news.districts import find_places, find_url_places, main_place, subject_places

ON = date(2023, 6, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Chủ tịch UBND quận Thanh Xuân Võ Văn A", [("district", "Thanh Xuân")]),
        ("Q. Cầu Giấy và Q.Thanh Xuân", [("district", "Cầu Giấy"), ("district", "Thanh Xuân")]),
        ("quận Long Biênđã tập trung", [("district", "Long Biên")]),  # words glued in a scraped copy
        ("Quận ủy Hà Đông", [("district", "Hà Đông")]),
        ("thành phố Hà Đông", [("district", "Hà Đông")]),
        ("UBND quận Bình Tân cho biết", [("district", "quận Bình Tân")]),  # outside the gazetteer: as written
        ("quận 5 và quận 10", [("district", "quận 5"), ("district", "quận 10")]),
        ("của quận 7 tháng đầu năm", [("district", None)]),  # 'quận' then a period, not District 7
        ("huyện Đông Anh (Hà Nội)", [("district", "Đông Anh"), ("city", "Hà Nội")]),
        ("thành phố Hà Nội", [("city", "Hà Nội")]),
        ("TP.HCM", [("city", "TP.HCM")]),
        ("tỉnh Quảng Nam", [("province", "tỉnh Quảng Nam")]),
        ("phường Thanh Xuân Trung", [("ward", "phường Thanh Xuân Trung")]),
        ("kinh tế - xã hội", [("ward", None)]),
        ("Bí thư Nguyễn Thanh Xuân phát biểu", []),  # a person, not the district
    ],
)
def test_find_places(text, expected, gazetteer):
    assert [(p.level, p.name) for p in find_places(text, gazetteer, ON)] == expected


def test_main_place_prefers_the_title_and_typed_names(gazetteer):
    title = find_places("Quận Cầu Giấy: thu ngân sách đạt 9.100 tỷ đồng", gazetteer, ON)
    text = find_places("UBND quận Cầu Giấy cho biết, phường Dịch Vọng và quận Thanh Xuân …", gazetteer, ON)
    assert main_place(title, text).name == "Cầu Giấy"


def test_an_article_about_the_city_has_no_main_district(gazetteer):
    title = find_places("Thành phố Hà Nội: kinh tế - xã hội 10 tháng, thu ngân sách đạt 350.000 tỷ", gazetteer, ON)
    text = find_places("Trong đó, quận Cầu Giấy thu 22.300 tỷ đồng, quận Thanh Xuân thu 18.700 tỷ đồng.", gazetteer, ON)
    assert main_place(title, text) is None
    assert main_place(title + find_places("Quận Cầu Giấy", gazetteer, ON), text).name == "Cầu Giấy"
    about_a_district = find_places("Quận đông dân nhất Hà Nội tăng thu ngân sách", gazetteer, ON)
    assert main_place(about_a_district, text).name == "Cầu Giấy"


def test_url_names_the_district_the_text_leaves_unnamed(gazetteer):
    places = find_url_places("https://x.vn/quan-thanh-xuan-thu-ngan-sach-den-8-2-dat-hon-1005-ty-dong.htm", gazetteer)
    assert [p.name for p in places] == ["Thanh Xuân"]


@pytest.mark.parametrize(
    ("clause", "owners"),
    [
        ("thu ngân sách của quận đạt", ["Thanh Xuân"]),
        ("Toàn thành phố thu ngân sách đạt", None),
        ("cả nước thu ngân sách đạt", None),
        ("quận 1 và quận 10 là hai địa phương có số thu ngân sách trên", ["quận 1", "quận 10"]),
        ("theo chỉ đạo của thành phố, quận thu ngân sách đạt", ["Thanh Xuân"]),
        ("thu ngân sách đạt 90% dự toán thành phố (", ["Thanh Xuân"]),
        ("kinh tế - xã hội ổn định, thu ngân sách đạt", ["Thanh Xuân"]),
        ("phường Nhân Chính thu ngân sách đạt", ["phường Nhân Chính"]),
    ],
)
def test_subject_places(clause, owners, gazetteer):
    main = find_places("quận Thanh Xuân", gazetteer, ON)[0]
    found = subject_places(clause, find_places(clause, gazetteer, ON), main)
    assert (None if found is None else [p.name for p in found]) == owners
