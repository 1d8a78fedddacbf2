"""Admin pages for user accounts: list, create, roles and team, password reset, (de)activation."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from blueprints.access import roles_required
from blueprints.admin.listing import ListParams
from blueprints.admin.refusals import show_on_form
from domain import user_admin
from domain.errors import DomainError
from domain.roles import ADMIN, ALL_ROLES, ROLE_LABELS

bp = Blueprint("admin_users", __name__, url_prefix="/admin/users")

PER_PAGE = 25


class UserForm(FlaskForm):
    display_name = StringField(_l("Display name"), validators=[Length(max=100)])
    roles = SelectMultipleField(_l("Roles"), choices=[SelectChoice(r, ROLE_LABELS[r]) for r in ALL_ROLES])
    team_id = SelectField(_l("Team"), coerce=lambda v: int(v) if v not in (None, "", "None") else None)
    wecom_userid = StringField(_l("WeCom userid"), validators=[Length(max=64)])

    def fill_teams(self) -> None:
        teams = user_admin.teams_by_id().values()
        self.team_id.choices = [(None, _("No team"))] + [
            (t.id, f"{t.code} · {t.name}") for t in teams if t.active
        ]

    def data_input(self) -> user_admin.UserInput:
        return user_admin.UserInput(
            self.display_name.data or "",
            self.roles.data or [],
            self.team_id.data,
            self.wecom_userid.data or "",
        )


class NewUserForm(UserForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=128)])


class PasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=128)])


@bp.get("/")
@roles_required(ADMIN)
def index():
    params = ListParams.from_request(sort_keys=())
    rows = user_admin.user_page(params.q, None if params.inactive else True, params.page, PER_PAGE)
    return render_template("admin/users.html", rows=rows, params=params, teams=user_admin.teams_by_id())


@bp.route("/new", methods=["GET", "POST"])
@roles_required(ADMIN)
def new():
    form = NewUserForm()
    form.fill_teams()
    if form.validate_on_submit():
        try:
            user = user_admin.create_user(
                form.username.data, form.password.data, form.data_input(), current_user
            )
        except DomainError as error:
            show_on_form(form, error)
        else:
            flash(_("User %(name)s created.", name=user.username))
            return redirect(url_for(".edit", user_id=user.id))
    status = 422 if form.errors else 200
    return render_template("admin/user_form.html", form=form, user=None), status


@bp.route("/<int:user_id>", methods=["GET", "POST"])
@roles_required(ADMIN)
def edit(user_id: int):
    user = user_admin.get_user(user_id)
    form = UserForm(obj=user, roles=sorted(user.roles))  # on POST the submitted values win
    form.fill_teams()
    if form.validate_on_submit():
        try:
            user_admin.update_user(user_id, form.data_input(), current_user)
        except DomainError as error:
            show_on_form(form, error)
        else:
            flash(_("Saved."))
            return redirect(url_for(".edit", user_id=user_id))
    return _edit_page(user, form)


@bp.post("/<int:user_id>/password")
@roles_required(ADMIN)
def password(user_id: int):
    user = user_admin.get_user(user_id)
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            user_admin.reset_password(user_id, form.password.data, current_user)
        except DomainError as error:
            show_on_form(form, error)
        else:
            flash(
                _("Password of %(name)s reset; their app sign-ins (tokens) were ended.", name=user.username)
            )
            return redirect(url_for(".edit", user_id=user_id))
    return _edit_page(user, password_form=form)


@bp.post("/<int:user_id>/deactivate")
@roles_required(ADMIN)
def deactivate(user_id: int):
    return _set_active(user_id, False)


@bp.post("/<int:user_id>/reactivate")
@roles_required(ADMIN)
def reactivate(user_id: int):
    return _set_active(user_id, True)


def _set_active(user_id: int, active: bool):
    try:
        user = user_admin.set_active(user_id, active, current_user)
    except DomainError as error:
        flash(error.message, "error")
    else:
        done = _("%(name)s can sign in again.") if active else _("%(name)s can no longer sign in.")
        flash(done % {"name": user.username})
    return redirect(url_for(".edit", user_id=user_id))


def _edit_page(user, form: UserForm | None = None, password_form: PasswordForm | None = None):
    if form is None:
        form = UserForm(obj=user, roles=sorted(user.roles), formdata=None)
        form.fill_teams()
    password_form = password_form or PasswordForm(formdata=None)
    status = 422 if form.errors or password_form.errors else 200
    page = render_template(
        "admin/user_form.html",
        form=form,
        user=user,
        password_form=password_form,
        is_self=user.id == current_user.id,
    )
    return page, status
