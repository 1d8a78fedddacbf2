"""Messages with the app closed (DESIGN §4): each card, change notice and rush request is written to
the outbox in its cause's transaction and delivered to a local 企业微信 server that answers like the
real one: tokens fetched once and cached, fetched again when expired, errcodes and outages retried
with backoff, nothing sent twice after a worker restart, nothing lost while the server is down."""

import logging
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from domain.clock import utcnow
from domain.delivery import wecom, worker
from domain.delivery.models import PENDING, SENT, WECOM_APP, WECOM_ROBOT, OutboxMessage
from domain.production.models import TaskCard
from extensions import db
from tests.conftest import make_user
from tests.integration.production_data import Plant
from tests.integration.wecom_fake import FakeWeCom


@pytest.fixture
def fake(app):
    server = FakeWeCom()
    app.config.update(
        WECOM_CORP_ID=server.corp_id,
        WECOM_SECRET=server.secret,
        WECOM_AGENT_ID="1000002",
        WECOM_API_BASE=server.url,
        PUBLIC_BASE_URL="https://oh.example.cn",
    )
    wecom.forget_tokens()
    yield server
    server.stop()
    wecom.forget_tokens()


@pytest.fixture
def plant(app, fake):
    plant = Plant()
    plant.leader.wecom_userid = "ZhangSan"
    plant.leader.locale = "zh_CN"  # messages go in each person's language
    plant.team.wecom_robot_key = "robot-key-1"
    db.session.commit()
    return plant


def convert(client, auth, order_id: int, status: int = 201) -> dict:
    headers = {**auth.headers("planner"), "Idempotency-Key": uuid.uuid4().hex}
    response = client.post(f"/api/v1/orders/{order_id}/convert", json={}, headers=headers)
    assert response.status_code == status, response.json
    return response.json


def rows(channel: str | None = None) -> list[OutboxMessage]:
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if channel:
        query = query.where(OutboxMessage.channel == channel)
    db.session.expire_all()
    return list(db.session.scalars(query))


def test_a_converted_card_is_queued_with_its_cause_and_reaches_the_leader_and_the_group_once(
    client, auth, plant, fake
):
    work_order = convert(client, auth, plant.confirmed_order(quantity=800).id)
    queued = rows()
    assert [(r.channel, r.recipient, r.state) for r in queued] == [
        (WECOM_APP, "ZhangSan", PENDING),
        (WECOM_ROBOT, plant.team.code, PENDING),
    ]
    assert worker.run_once() == 2
    [card] = fake.sent
    assert (card["touser"], card["msgtype"], card["agentid"]) == ("ZhangSan", "textcard", 1000002)
    assert card["textcard"]["title"] == f"新任务卡 {work_order['number']}"
    assert "P-100 × 800" in card["textcard"]["description"]
    card_id = db.session.scalar(select(TaskCard.id).where(TaskCard.work_order_id == work_order["id"]))
    assert card["textcard"]["url"] == f"https://oh.example.cn/leader#card-{card_id}"  # opens at the card
    assert card["enable_duplicate_check"] == 1
    [(key, robot)] = fake.robot
    assert key == "robot-key-1" and work_order["number"] in robot["markdown"]["content"]
    assert {r.state for r in rows()} == {SENT}
    assert worker.run_once() == 0 and len(fake.sent) == 1  # sent once


def test_a_refused_conversion_queues_nothing(client, auth, plant, fake):
    order = plant.confirmed_order()
    convert(client, auth, order.id)
    before = len(rows())
    convert(client, auth, order.id, status=409)  # already converted: rolled back, outbox included
    assert len(rows()) == before


def test_the_token_is_fetched_once_cached_and_fetched_again_when_it_expired(client, auth, plant, fake):
    plant.team.wecom_robot_key = None
    db.session.commit()
    for _ in range(2):
        convert(client, auth, plant.confirmed_order().id)
    assert worker.run_once() == 2
    assert fake.token_fetches == 1  # cached for the second message
    fake.expire_tokens()  # WeCom answers 42001 to the cached token
    convert(client, auth, plant.confirmed_order().id)
    assert worker.run_once() == 1
    assert fake.token_fetches == 2 and len(fake.sent) == 3


def test_an_errcode_is_retried_after_a_growing_wait(client, auth, plant, fake):
    plant.team.wecom_robot_key = None
    db.session.commit()
    convert(client, auth, plant.confirmed_order().id)
    fake.errors.extend([-1, -1])  # 系统繁忙 twice
    now = utcnow()
    assert worker.run_once(now=now) == 0
    [row] = rows()
    assert (row.state, row.attempts, row.next_attempt_at) == (PENDING, 1, now + timedelta(seconds=15))
    assert "errcode -1" in row.last_error
    assert worker.run_once(now=now + timedelta(seconds=10)) == 0 and rows()[0].attempts == 1  # not due
    assert worker.run_once(now=now + timedelta(seconds=16)) == 0
    assert rows()[0].next_attempt_at == now + timedelta(seconds=16 + 30)  # 15 s, then 30 s
    assert worker.run_once(now=now + timedelta(seconds=47)) == 1
    assert len(fake.sent) == 1 and rows()[0].state == SENT


def test_nothing_is_sent_twice_when_a_worker_dies_mid_batch(client, auth, plant, fake):
    plant.team.wecom_robot_key = None
    db.session.commit()
    for _ in range(3):
        convert(client, auth, plant.confirmed_order().id)
    now = utcnow()
    send = worker.wecom_sender()
    first, *_rest = worker.claim(now)  # the worker takes the batch ...
    send(first)
    worker._sent(first.id)  # ... delivers the first and dies
    assert worker.run_once(now=now + timedelta(minutes=1)) == 0  # the others are still leased
    assert worker.run_once(now=now + timedelta(minutes=3)) == 2  # lease over: a new worker goes on
    titles = [m["textcard"]["title"] for m in fake.sent]
    assert len(titles) == 3 and len(set(titles)) == 3


def test_every_card_arrives_once_after_wecom_was_down_for_a_minute(client, auth, plant, fake, caplog):
    caplog.set_level(logging.WARNING)
    plant.team.wecom_robot_key = None
    db.session.commit()
    fake.stop()
    numbers = [convert(client, auth, plant.confirmed_order().id)["number"] for _ in range(5)]
    now = utcnow()
    assert worker.run_once(now=now) == 0
    assert worker.run_once(now=now + timedelta(seconds=30)) == 0  # still down
    assert all("Connection refused" in r.last_error for r in rows())
    fake.start()  # back after a minute
    assert worker.run_once(now=now + timedelta(seconds=61)) == 5
    assert sorted(m["textcard"]["title"].split()[-1] for m in fake.sent) == sorted(numbers)
    assert worker.run_once(now=now + timedelta(hours=1)) == 0
    assert fake.secret not in caplog.text and "access_token=" not in caplog.text  # never logged


def test_a_spec_change_reaches_each_recipient_with_a_wecom_id(client, auth, plant, fake):
    qc = make_user("qc", ["qc"], wecom_userid="LiSi", locale="zh_CN")
    make_user("warehouse", ["warehouse"])  # no WeCom id: the app and the badge tell them
    order = plant.confirmed_order()
    convert(client, auth, order.id)
    worker.run_once()
    sales = auth.headers("admin")
    response = client.patch(f"/api/v1/orders/{order.id}", json={"packaging": "木托盘"}, headers=sales)
    assert response.status_code == 200, response.json
    notices = rows(WECOM_APP)[1:]
    assert sorted(r.recipient for r in notices) == ["LiSi", "ZhangSan"]
    assert worker.run_once() == 2
    by_user = {m["touser"]: m["textcard"] for m in fake.sent[1:]}
    assert by_user["LiSi"]["title"] == f"客户变更 {order.number}"
    assert "木托盘" in by_user["LiSi"]["description"]
    assert by_user["LiSi"]["url"] == "https://oh.example.cn/changes/"
    assert qc.id in {r.user_id for r in notices}


def test_without_wecom_settings_nothing_is_queued(client, auth, plant, fake, app):
    app.config["WECOM_SECRET"] = None
    plant.team.wecom_robot_key = None
    db.session.commit()
    convert(client, auth, plant.confirmed_order().id)
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0


def test_the_worker_command_and_the_demo_thread_deliver_the_outbox(client, auth, plant, fake, app):
    from domain.delivery import runner

    convert(client, auth, plant.confirmed_order().id)
    result = app.test_cli_runner().invoke(args=["delivery-worker", "--once"])
    assert result.exit_code == 0 and result.output.strip() == "sent 2"
    convert(client, auth, plant.confirmed_order().id)
    stop = runner.start_thread(app)
    try:
        deadline = utcnow() + timedelta(seconds=20)
        while len(fake.sent) < 2 and utcnow() < deadline:  # the condition a user sees: the message
            stop.wait(0.05)
    finally:
        stop.stop()  # and wait for its loops to end
    assert len(fake.sent) == 2


def test_the_first_article_request_reaches_qc_and_a_rush_request_the_vp(client, auth, plant, fake):
    plant.team.wecom_robot_key = None
    db.session.commit()
    make_user("qc", ["qc"], wecom_userid="LiSi", locale="zh_CN")
    make_user("vp", ["vp"], wecom_userid="WangWu", locale="zh_CN")
    work_order = convert(client, auth, plant.confirmed_order(quantity=100).id)
    card_id = db.session.scalar(select(TaskCard.id).where(TaskCard.work_order_id == work_order["id"]))
    leader = {**auth.headers("leader"), "Idempotency-Key": uuid.uuid4().hex}
    assert client.post(f"/api/v1/task-cards/{card_id}/start", headers=leader).status_code == 200
    leader["Idempotency-Key"] = uuid.uuid4().hex
    assert (
        client.post(f"/api/v1/task-cards/{card_id}/report", json={"good": 5}, headers=leader).status_code
        == 200
    )
    worker.run_once()
    by_user = {m["touser"]: m["textcard"] for m in fake.sent}
    assert by_user["LiSi"]["title"] == f"首件待检：{work_order['number']}"
    assert by_user["LiSi"]["url"] == f"https://oh.example.cn/quality/work-orders/{work_order['id']}"
    order = plant.confirmed_order(created_by_id=make_user("sales", ["sales"]).id)
    ask = {"order_id": order.id, "requested_due_date": str(order.due_date), "reason": "客户产线停线"}
    response = client.post("/api/v1/rush", json=ask, headers=auth.headers("sales"))
    assert response.status_code == 201, response.json
    assert response.json["status"] == "pending_vp"  # scored below the threshold: the VP decides
    worker.run_once()
    rush = [m["textcard"] for m in fake.sent if m["touser"] == "WangWu"]
    assert [r["title"] for r in rush] == [f"紧急插单待您审批：{order.number}"]
    assert rush[0]["url"].endswith(f"/rush/{response.json['id']}")


def test_the_admin_log_shows_a_delayed_message_and_the_test_message_goes_through(
    app, client, auth, plant, fake
):
    plant.team.wecom_robot_key = None
    admin = make_user("admin", ["admin"], wecom_userid="Boss", locale="zh_CN")
    db.session.commit()
    fake.stop()
    convert(client, auth, plant.confirmed_order().id)
    worker.run_once()  # WeCom is down: the card waits
    auth.login("admin")
    page = client.get("/admin/delivery/").get_data(as_text=True)
    assert 'data-state="pending"' in page and "Connection refused" in page
    assert fake.secret not in page and 'data-testid="wecom-setup"' in page
    fake.start()
    assert client.post("/admin/delivery/test").status_code == 302
    assert worker.run_once(now=utcnow() + timedelta(minutes=1)) == 2  # the waiting card and the test
    assert sorted(m["touser"] for m in fake.sent) == ["Boss", "ZhangSan"]
    delivered = client.get("/admin/delivery/?state=sent").get_data(as_text=True)
    assert delivered.count('data-state="sent"') == 2
    assert admin.wecom_userid == "Boss"
