import pytest

from sources.urls import HostAllowlist, absolute_link, host_of, origin_of


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://HanoiMoi.vn:443/tin-tuc/1.html", "hanoimoi.vn"),
        ("http://kinhtedothi.vn./a", "kinhtedothi.vn"),
        ("http://127.0.0.1:8080/", "127.0.0.1"),
        ("/relative/only", ""),
    ],
)
def test_host_of(url, expected):
    assert host_of(url) == expected


def test_origin_keeps_scheme_and_port():
    assert origin_of("http://127.0.0.1:8080/a/b?c=1") == "http://127.0.0.1:8080"


@pytest.mark.parametrize(
    ("base", "href", "expected"),
    [
        ("https://hanoimoi.vn/chinh-tri/", "thanh-xuan-1.html", "https://hanoimoi.vn/chinh-tri/thanh-xuan-1.html"),
        ("https://hanoimoi.vn/a/b", "/c?page=2#top", "https://hanoimoi.vn/c?page=2"),
        ("https://hanoimoi.vn/a", "//KinhTeDoThi.vn/x", "https://kinhtedothi.vn/x"),
        ("https://hanoimoi.vn/a", "  https://hanoimoi.vn  ", "https://hanoimoi.vn/"),
        ("https://hanoimoi.vn/a", "#comments", "https://hanoimoi.vn/a"),
        ("https://hanoimoi.vn/a", "javascript:void(0)", None),
        ("https://hanoimoi.vn/a", "mailto:toasoan@hanoimoi.vn", None),
        ("https://hanoimoi.vn/a", "ftp://hanoimoi.vn/file", None),
    ],
)
def test_absolute_link(base, href, expected):
    assert absolute_link(base, href) == expected


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://hanoimoi.vn/a", True),
        ("https://www.hanoimoi.vn/a", True),
        ("https://HANOIMOI.VN/a", True),
        ("https://thanhxuan.hanoi.gov.vn/tin", True),
        ("https://hanoi.gov.vn/tin", False),
        ("https://nothanoimoi.vn/a", False),  # a suffix is not a subdomain
        ("https://hanoimoi.vn.evil.example/a", False),
        ("ftp://hanoimoi.vn/a", False),
        ("file:///etc/passwd", False),
    ],
)
def test_allowlist(url, allowed):
    assert HostAllowlist(["hanoimoi.vn", "thanhxuan.hanoi.gov.vn"]).allows(url) is allowed


@pytest.mark.parametrize("entry", ["https://hanoimoi.vn", "hanoimoi.vn/tin", "", "user@hanoimoi.vn"])
def test_allowlist_refuses_entries_that_are_not_bare_hosts(entry):
    with pytest.raises(ValueError, match="bare host name"):
        HostAllowlist([entry])
