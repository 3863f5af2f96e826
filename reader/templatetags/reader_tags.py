"""{% live_block "key" %}…{% endlive_block %}: a block of the page (Top 5,
Popular) that the page cache keeps apart from the page's copy and fills in
at each hit with its current HTML (lib/pagecache.py, LIVE): the copy of an
article page can then live until midnight while the rankings change every
few minutes."""

from __future__ import annotations

from urllib.parse import urlsplit

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from lib import fragments, pagecache
from lib.embeds import replace_embeds
from lib.pagecache import live_block_marker

register = template.Library()


class LiveBlockNode(template.Node):
    def __init__(self, key: FilterExpression, nodelist: NodeList) -> None:
        self.key, self.nodelist = key, nodelist

    def render(self, context: template.Context) -> SafeString:
        key = str(self.key.resolve(context))
        # The block's current HTML is kept for the rankings' version (LIVE):
        # on a page-cache miss its queries run only when the rankings changed.
        name = fragments.key(
            "live",
            key,
            *pagecache.versions([pagecache.LIVE, pagecache.SITE]),
            timezone.get_current_timezone_name(),
        )
        html = fragments.fragment(name, lambda: self.nodelist.render(context))
        # The marker is an HTML comment around already rendered HTML.
        return mark_safe(live_block_marker(key, html))


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


class FragmentNode(template.Node):
    def __init__(self, parts: list[FilterExpression], nodelist: NodeList) -> None:
        self.parts, self.nodelist = parts, nodelist

    def render(self, context: template.Context) -> SafeString:
        parts: list[object] = []
        for part in self.parts:
            value = part.resolve(context)
            parts.extend(value if isinstance(value, tuple) else (value,))
        name = fragments.key("block", *parts)
        return fragments.fragment(name, lambda: self.nodelist.render(context))


@register.tag
def fragment(parser: Parser, token: Token) -> FragmentNode:
    """{% fragment "name" versions ... %}…{% endfragment %}: the enclosed HTML,
    kept in lib/fragments under the name and the values given (a tuple
    counts as its items). They must name every version of what the block
    shows: the block is not rendered again while they are the same."""
    bits = token.split_contents()
    if len(bits) < 3:
        raise template.TemplateSyntaxError("fragment takes a name and versions")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode([parser.compile_filter(bit) for bit in bits[1:]], nodelist)


@register.filter(is_safe=True)
def embed_placeholders(body: str) -> SafeString:
    """An article body with each embedded video or post shown as a
    placeholder: nothing is loaded from the provider until the reader clicks
    (static/js/site.js); the same HTML for everyone, so pages stay cacheable."""
    return mark_safe(
        replace_embeds(
            str(body),
            lambda embed: render_to_string(
                "includes/embed_placeholder.html",
                {"embed": embed, "host": urlsplit(embed.url).hostname},
            ),
        )
    )
