"""Socket.IO: who is connected where. Rooms per user, per role and per team; events go out only
after the transaction that caused them has committed."""

from flask import current_app, request
from flask_login import current_user

from extensions import socketio


def app_server():
    """This app's Socket.IO server. `socketio.server` is the server of the last app made, which in a
    process holding two apps (tests, a tool beside the web app) is another app's."""
    return current_app.extensions.get("socketio_server") or socketio.server


def join(room: str) -> None:
    """Put the connection of this event in `room`, on the server that serves it."""
    app_server().enter_room(request.sid, room, namespace=request.namespace or "/")


def user_rooms(user) -> list[str]:
    rooms = [f"user:{user.id}"] + [f"role:{r}" for r in sorted(user.roles)]
    if user.team_id:
        rooms.append(f"team:{user.team_id}")
    return rooms


@socketio.on("connect")
def on_connect(auth=None):
    if not current_user.is_authenticated:
        return False  # refuses the connection
    for room in user_rooms(current_user):
        join(room)
    return True


from realtime import change_notices, notifiers, task_cards  # noqa: E402, F401  (they register on import)
