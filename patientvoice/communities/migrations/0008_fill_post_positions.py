"""Number the posts of every existing thread 1, 2, 3 … in the order they were written,
and set each thread's last position and last published position."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def fill_positions(apps: Any, schema_editor: Any) -> None:
    Thread = apps.get_model("communities", "Thread")
    Post = apps.get_model("communities", "Post")
    for thread in Thread.objects.order_by().iterator():
        last = 0
        last_published = 0
        for post in Post.objects.filter(thread_id=thread.pk).order_by("created_at", "id"):
            last += 1
            post.position = last
            post.save(update_fields=["position"])
            if post.status == "published":
                last_published = last
        thread.last_position = last
        thread.last_published_position = last_published
        thread.save(update_fields=["last_position", "last_published_position"])


def clear_positions(apps: Any, schema_editor: Any) -> None:
    apps.get_model("communities", "Post").objects.update(position=0)
    apps.get_model("communities", "Thread").objects.update(
        last_position=0, last_published_position=0
    )


class Migration(migrations.Migration):
    dependencies = [("communities", "0007_thread_positions_pins_best_answer_read_state")]

    operations = [migrations.RunPython(fill_positions, clear_positions)]
