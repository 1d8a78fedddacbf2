"""Delivery rules with numbers: the retry wait, quiet hours across midnight, muted kinds."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from domain.delivery import rules

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_the_wait_doubles_from_15_seconds_up_to_half_an_hour():
    waits = [rules.backoff(n).total_seconds() for n in range(1, 10)]
    assert waits == [15, 30, 60, 120, 240, 480, 960, 1800, 1800]


def test_quiet_hours_across_midnight_end_the_next_morning():
    late = datetime(2026, 12, 7, 23, 30, tzinfo=SHANGHAI)
    assert rules.quiet_end(late, time(22), time(7)) == datetime(2026, 12, 8, 7, 0, tzinfo=SHANGHAI)
    early = datetime(2026, 12, 8, 6, 59, tzinfo=SHANGHAI)
    assert rules.quiet_end(early, time(22), time(7)) == datetime(2026, 12, 8, 7, 0, tzinfo=SHANGHAI)
    assert rules.quiet_end(early + timedelta(minutes=1), time(22), time(7)) is None
    noon = datetime(2026, 12, 8, 12, 0, tzinfo=SHANGHAI)
    assert rules.quiet_end(noon, time(12), time(13)) == noon.replace(hour=13)
    assert rules.quiet_end(noon, None, None) is None


def test_a_muted_kind_is_not_wanted_on_that_channel_only():
    muted = ["change_notice:web_push"]
    assert not rules.wanted("change_notice", "web_push", muted)
    assert rules.wanted("change_notice", "wecom_app", muted)
    assert rules.wanted("task_card", "web_push", muted)


def test_a_long_description_is_cut_before_wecoms_512_bytes():
    text = "颜色改为冷灰 " * 60
    cut = rules.clip(text, 500)
    assert len(cut.encode()) <= 500 and cut.endswith("…")
    assert rules.clip("short", 500) == "short"
