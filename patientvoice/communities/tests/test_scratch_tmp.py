import pytest
from patientvoice.core.testing.visibility import assert_can_see, assert_cannot_see, surfaces_for
from .factories import CommunityFactory, ThreadFactory, PostFactory

pytestmark = pytest.mark.django_db

def test_smoke(member, outsider):
    community = CommunityFactory(members_only=True, members=[member])
    post = PostFactory(thread__community=community, author=member)
    print([s.name for s in surfaces_for(post)])
    assert_can_see(member, post)
    assert_can_see(member, post.thread)
    assert_can_see(member, community)
    assert_cannot_see(outsider, post)
    assert_cannot_see(outsider, post.thread)
    assert_cannot_see(None, post)
    with pytest.raises(AssertionError) as e:
        assert_cannot_see(member, post)
    print(e.value)
    with pytest.raises(AssertionError) as e:
        assert_cannot_see(outsider, community)
    print(e.value)
