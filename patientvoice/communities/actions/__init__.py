"""Every write in communities, one module per verb group (CONVENTIONS: Misago's
threads/lock.py). Content goes through the publishing pipeline. Import from here:
``from patientvoice.communities import actions``; ``actions.create_thread(...)``."""

from .best_answer import mark_best_answer, unmark_best_answer
from .community import create_community, make_moderator
from .counters import recount_communities, recount_threads
from .erasure import (
    remove_posts_of,
    remove_reactions_of,
    remove_revisions_of,
    remove_unpublished_posts_of,
)
from .guidelines import accept_guidelines, publish_guidelines
from .invitations import (
    InvitationUnusable,
    accept_invitation,
    create_invitation,
    hash_token,
    revoke_invitation,
)
from .membership import (
    approve_join_request,
    decline_join_request,
    join_community,
    leave_all_communities,
    leave_community,
    request_to_join,
)
from .moderation import lock_thread, move_thread, pin_thread
from .posts import delete_post, edit_post, reply_to_thread
from .reactions import react, unreact
from .reading import mark_read
from .settings import SettingsChange, update_community_settings
from .tags import set_community_conditions, set_thread_conditions, set_thread_medicines
from .threads import create_thread

__all__ = [
    "InvitationUnusable",
    "SettingsChange",
    "accept_guidelines",
    "accept_invitation",
    "approve_join_request",
    "create_community",
    "create_invitation",
    "create_thread",
    "decline_join_request",
    "delete_post",
    "edit_post",
    "hash_token",
    "join_community",
    "leave_all_communities",
    "leave_community",
    "lock_thread",
    "make_moderator",
    "mark_best_answer",
    "mark_read",
    "move_thread",
    "pin_thread",
    "publish_guidelines",
    "react",
    "recount_communities",
    "recount_threads",
    "remove_posts_of",
    "remove_reactions_of",
    "remove_revisions_of",
    "remove_unpublished_posts_of",
    "reply_to_thread",
    "request_to_join",
    "revoke_invitation",
    "set_community_conditions",
    "set_thread_conditions",
    "set_thread_medicines",
    "unmark_best_answer",
    "unreact",
    "update_community_settings",
]
