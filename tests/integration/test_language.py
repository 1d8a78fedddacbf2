"""Language: the browser's Accept-Language picks it until the user chooses; the choice holds for the
session and, for a signed-in user, on every phone they sign in on later."""

from domain.users import find_user
from extensions import db
from tests.conftest import FreshUserClient, make_user

CHINESE = {"Accept-Language": "zh-CN,zh;q=0.9"}
ENGLISH = {"Accept-Language": "en-US,en;q=0.9"}


def html_lang(client, path: str = "/login", headers: dict[str, str] | None = None) -> str:
    page = client.get(path, headers=headers or {}).get_data(as_text=True)
    return page.split("<html lang=", 1)[1].split(">", 1)[0].strip('"')


def sign_in(client, username: str, headers: dict[str, str] | None = None) -> None:
    response = client.post("/login", data={"username": username, "password": "demo"}, headers=headers or {})
    assert response.status_code == 302


def test_chinese_browser_gets_chinese_pages(client):
    assert html_lang(client, headers=CHINESE) == "zh-CN"


def test_chinese_browser_reads_the_page_in_chinese_not_only_its_lang_attribute(client):
    page = client.get("/login", headers=CHINESE).get_data(as_text=True)
    assert "登录" in page and "Sign in" not in page


def test_api_refusals_speak_the_callers_language(client):
    bad = {"username": 5}
    chinese = client.post("/api/v1/auth/token", json=bad, headers=CHINESE).json["error"]["message"]
    english = client.post("/api/v1/auth/token", json=bad, headers=ENGLISH).json["error"]["message"]
    assert chinese == "部分字段无效。" and english == "Some fields are not valid."


def test_english_browser_gets_english_pages(client):
    assert html_lang(client, headers=ENGLISH) == "en"


def test_browser_without_preference_gets_the_plant_language(client):
    assert html_lang(client, headers={"Accept-Language": ""}) == "zh-CN"


def test_switch_holds_for_the_session_whatever_the_browser_says(client):
    response = client.post("/language/en", headers=CHINESE)
    assert response.status_code == 302
    assert html_lang(client, headers=CHINESE) == "en"
    client.post("/language/zh_CN", headers=ENGLISH)
    assert html_lang(client, headers=ENGLISH) == "zh-CN"


def test_unknown_language_changes_nothing(client):
    assert client.post("/language/xx", headers=CHINESE).status_code == 302
    assert html_lang(client, headers=CHINESE) == "zh-CN"


def test_switch_returns_to_the_page_it_was_made_on(client):
    response = client.post("/language/en", headers={**CHINESE, "Referer": "http://localhost/login?next=/"})
    assert response.location == "/login?next=/"


def test_signed_in_users_choice_is_saved_on_their_account(client):
    make_user("planner", ["planner"])
    sign_in(client, "planner", CHINESE)
    client.post("/language/en", headers=CHINESE)
    db.session.expire_all()
    assert find_user("planner").locale == "en"
    assert html_lang(client, "/", CHINESE) == "en"


def test_saved_choice_follows_the_user_to_a_new_phone(app, client):
    make_user("leader", ["leader"])
    sign_in(client, "leader", CHINESE)
    client.post("/language/en", headers=CHINESE)
    app.test_client_class = FreshUserClient
    new_phone = app.test_client()
    assert html_lang(new_phone, headers=CHINESE) == "zh-CN"  # before signing in: the browser decides
    sign_in(new_phone, "leader", CHINESE)
    assert html_lang(new_phone, "/", CHINESE) == "en"
