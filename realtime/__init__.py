"""Socket.IO: who is connected where. Rooms per user, per role and per team; events go out only
after the transaction that caused them has committed."""

from flask_login import current_user
from flask_socketio import join_room

from extensions import socketio


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
        join_room(room)
    return True


from realtime import change_notices, notifiers, task_cards  # noqa: E402, F401  (they register on import)
