"""Plant time in one place (domain/clock.py): the database holds naive UTC, people read plant time."""

from datetime import UTC, date, datetime

from domain import clock

SHANGHAI = clock.zone_named("Asia/Shanghai")


def test_a_stored_utc_time_reads_as_the_next_morning_in_shanghai():
    local = clock.to_plant(datetime(2026, 12, 6, 22, 57), SHANGHAI)
    assert (local.date(), local.hour, local.minute) == (date(2026, 12, 7), 6, 57)
    assert clock.format_plant(datetime(2026, 12, 6, 22, 57), zone=SHANGHAI) == "2026-12-07 06:57"
    assert clock.plant_date(datetime(2026, 12, 6, 22, 57), SHANGHAI) == date(2026, 12, 7)


def test_plant_wall_clock_time_goes_back_to_the_stored_utc():
    assert clock.from_plant(datetime(2026, 12, 7, 6, 57), SHANGHAI) == datetime(2026, 12, 6, 22, 57)
    assert clock.plant_midnight_utc(date(2026, 12, 1), SHANGHAI) == datetime(2026, 11, 30, 16)


def test_the_plant_month_of_the_last_evening_of_a_month_is_the_next_one():
    assert clock.plant_month(datetime(2026, 11, 30, 17), SHANGHAI) == "2026-12"
    assert clock.plant_month(date(2026, 11, 30), SHANGHAI) == "2026-11"


def test_an_aware_instant_is_stored_as_naive_utc():
    aware = datetime(2026, 12, 7, 6, 57, tzinfo=SHANGHAI)
    assert clock.as_utc(aware) == datetime(2026, 12, 6, 22, 57)
    assert clock.as_utc(datetime(2026, 12, 6, 22, 57)) == datetime(2026, 12, 6, 22, 57)


def test_the_zone_comes_from_the_setting_with_shanghai_by_default():
    assert clock.plant_zone({"PLANT_TIMEZONE": "Europe/Berlin"}).key == "Europe/Berlin"
    assert clock.plant_zone({}).key == "Asia/Shanghai"
    assert clock.format_plant(None) == ""


def test_plant_today_follows_the_zone_not_the_utc_date():
    now_utc = datetime.now(UTC)
    assert clock.plant_today(SHANGHAI) in {now_utc.date(), (now_utc.astimezone(SHANGHAI)).date()}
    assert clock.plant_now(SHANGHAI).utcoffset().total_seconds() == 8 * 3600
