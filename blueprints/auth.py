"""Sign in and out on a phone, and the language switch (remembered per user)."""

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from blueprints.access import public, roles_required
from domain import sign_in
from extensions import limiter

bp = Blueprint("auth", __name__)


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=128)])
    remember = BooleanField(_l("Keep me signed in on this phone"))


def _safe_next(target: str | None) -> str:
    """Only same-site relative paths: an open redirect would make a phishing link look like ours."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("main.home")


def login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        user = sign_in.sign_in(form.username.data, form.password.data)
        if user is None:
            flash(_("Wrong username or password."), "error")
            return render_template("auth/login.html", form=form), 401
        _start_session(user, remember=form.remember.data)
        return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


def _start_session(user, remember: bool) -> None:
    """A fresh session (no fixation), complete from the start: with its form token made here, no page
    rendered later writes the cookie, so the phone's parallel requests cannot overwrite each other's."""
    session.clear()
    g.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)  # the old session's token
    login_user(user, remember=remember)
    if user.locale:
        session["lang"] = user.locale
    generate_csrf()


@bp.post("/logout")
@roles_required()
def logout():
    sign_in.sign_out(current_user)
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"))


class LanguageForm(FlaskForm):
    pass


@bp.post("/language/<code>")
@public
def set_language(code: str):
    if code not in current_app.config["LANGUAGES"]:
        return redirect(_safe_next(request.referrer and urlsplit(request.referrer).path))
    if not LanguageForm().validate_on_submit():
        flash(_("The form expired; please reload the page and try again."), "error")
    else:
        session["lang"] = code
        if current_user.is_authenticated:
            sign_in.remember_language(current_user, code)
    referrer = request.referrer and urlsplit(request.referrer)
    back = referrer.path + (f"?{referrer.query}" if referrer.query else "") if referrer else None
    return redirect(_safe_next(back))
