"""``{% memo "name" key ... %}…{% endmemo %}``: a block rendered once per process for
each key (core.fragments). The keys must name everything the block shows, including the
language; a ``{% csrf_token %}`` inside leaves the slot that
``core.middleware.CsrfSlotMiddleware`` fills per request."""

from __future__ import annotations

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.template.context import Context
from django.utils.safestring import SafeString, mark_safe

from patientvoice.core.fragments import CSRF_SLOT, FragmentMemo

register = template.Library()

# Blocks per language and state (footer, navigation) and per page and state (the follow
# button): a few hundred bytes each.
TEMPLATE_MEMO = FragmentMemo[str]("template blocks", size=4096)


class MemoNode(template.Node):
    def __init__(self, nodelist: NodeList, name: str, keys: list[FilterExpression]) -> None:
        self.nodelist = nodelist
        self.name = name
        self.keys = keys

    def render(self, context: Context) -> SafeString:
        key = (self.name, *(expression.resolve(context) for expression in self.keys))

        def render_block() -> str:
            with context.push(csrf_token=CSRF_SLOT):
                return str(self.nodelist.render(context))

        return mark_safe(TEMPLATE_MEMO.get_or_render(key, render_block))


@register.tag("memo")
def do_memo(parser: Parser, token: Token) -> MemoNode:
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% memo %} needs a name and the keys of the block")
    name = bits[1].strip("\"'")
    nodelist = parser.parse(("endmemo",))
    parser.delete_first_token()
    return MemoNode(nodelist, name, [parser.compile_filter(bit) for bit in bits[2:]])
