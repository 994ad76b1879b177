"""Count the peer's tickets. Runs in the peer venv: `python -m bench.peer.stats`."""

from bench.peer import boot

boot.setup()

from helpdesk.models import FollowUp, Ticket  # noqa: E402

from bench.peer.common import emit  # noqa: E402

if __name__ == "__main__":
    emit({"tickets": Ticket.objects.count(), "followups": FollowUp.objects.count()})
