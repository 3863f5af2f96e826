"""{% live_block "key" %}…{% endlive_block %}: a block of the page (Top 5,
Popular) that the page cache keeps apart from the page's copy and fills in
at each hit with its current HTML (lib/pagecache.py, LIVE): the copy of an
article page can then live until midnight while the rankings change every
few minutes."""

from __future__ import annotations

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.utils.safestring import SafeString, mark_safe

from lib.pagecache import live_block_marker

register = template.Library()


class LiveBlockNode(template.Node):
    def __init__(self, key: FilterExpression, nodelist: NodeList) -> None:
        self.key, self.nodelist = key, nodelist

    def render(self, context: template.Context) -> SafeString:
        html = self.nodelist.render(context)
        # The marker is an HTML comment around already rendered HTML.
        return mark_safe(live_block_marker(str(self.key.resolve(context)), html))


@register.tag
def live_block(parser: Parser, token: Token) -> LiveBlockNode:
    """{% live_block "top-week.article" %}: the key names the block and its
    variant (the same key must always hold the same HTML for one ranking)."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("live_block takes one key")
    nodelist = parser.parse(("endlive_block",))
    parser.delete_first_token()
    return LiveBlockNode(parser.compile_filter(bits[1]), nodelist)
