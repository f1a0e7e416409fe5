#!/usr/bin/env python3
"""Generates benign_urls.txt: ordinary site traffic for the false-positive check.

Deterministic (fixed seed) so the committed file and the script agree. Lines are
"URL" or "URL<TAB>USER_AGENT". The traffic deliberately contains what naive WAF
rules trip on: apostrophes, SQL and shell words used as words, Chinese text (raw
UTF-8 and percent-encoded), JSON APIs, static assets, pagination and UTM tags.
Run: python3 tests/corpus/gen_benign.py > tests/corpus/benign_urls.txt
"""
import random
import urllib.parse

rng = random.Random(20261124)

searches = [
    "o'reilly books", "rock 'n' roll", "tom's diner", "children's shoes", "don't stop me now",
    "it's a wonderful life", "select committee report", "european union news",
    "union square hotels", "credit union select checking", "select all that apply",
    "exec summary template", "executive order 14028", "sleep apnea treatment",
    "how to sleep better", "ping pong table", "table tennis; ping pong", "ping an insurance",
    "script writing course", "javascript tutorial", "movie script format",
    "drop shipping business", "insert coin", "update my address", "delete my account",
    "where to buy", "order by price", "group by size", "and or not logic",
    "1=1 meaning", "true or false quiz", "cat food", "cat and dog", "ls engine",
    "id card renewal", "whoami podcast", "echo dot", "curl hair tips", "wget vs curl",
    "bash birthday party", "shell oil stock", "python course", "perl jam", "sh shanghai",
    "alert system", "confirm booking", "prompt engineering", "document scanner",
    "window cleaning", "location services", "cookie recipe", "eval board price",
    "system requirements", "assert yourself", "include me", "require js",
    "benchmark results 2024", "waitfor", "char array", "concat strings excel",
    "information schema design", "version control basics", "user manual pdf",
    "passwd command", "etc etc", "windows 11 upgrade", "boot camp", "proc macros rust",
    "c++ primer", "c# vs java", "100% cotton", "50% off sale", "a+b problem",
    "what is 7*7", "2>1", "x<y", "<3 emoji", "\"quoted phrase\"", "semi;colon",
    "pipe | character", "dollar $ sign", "hash #tag", "at @ sign", "back`tick",
    "curly {braces}", "square [brackets]", "tilde ~ home", "caret ^ up",
    "ampersand & co", "percent % off", "plus + minus", "equals = sign",
    "中文搜索", "北京天气", "重大活动安保", "网络安全法", "选择 联合 执行", "睡眠 质量",
    "脚本 编写", "数据库 查询 语句", "上海 酒店 预订", "春节 放假 安排",
    "café crème", "naïve résumé", "Grüße aus München", "东京 おすすめ", "서울 맛집",
]
words = ["news", "sports", "tech", "health", "travel", "finance", "culture", "events",
         "security", "notice", "about", "contact", "products", "services", "careers",
         "help", "faq", "blog", "press", "downloads", "support", "docs", "media"]
exts = ["css", "js", "png", "jpg", "gif", "svg", "woff2", "ico", "webp", "map", "json",
        "mp4", "pdf"]
utm_sources = ["google", "baidu", "weibo", "wechat", "newsletter", "twitter", "bing"]
uas = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Version/17.1 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, "
    "like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; MI 13) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/119.0 Mobile Safari/537.36 MicroMessenger/8.0.44",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/118.0 Safari/537.36 Edg/118.0",
    "okhttp-android-app/4.2 (Pixel 7; Android 14)",
    "Prometheus/2.45.0",
]


def q(s, plus=True):
    return urllib.parse.quote_plus(s) if plus else urllib.parse.quote(s)


def search():
    s = rng.choice(searches)
    style = rng.randrange(3)
    if style == 0:
        return "/search?q=" + q(s)
    if style == 1:
        return "/search?q=" + q(s, plus=False) + "&page=" + str(rng.randint(1, 40))
    return "/s?wd=" + q(s) + "&ie=utf-8"


def static():
    d = rng.choice(["static", "assets", "img", "css", "js", "fonts", "uploads/2024/05"])
    name = rng.choice(words) + "-" + "".join(rng.choice("abcdef0123456789") for _ in range(8))
    u = "/%s/%s.%s" % (d, name, rng.choice(exts))
    if rng.random() < 0.4:
        u += "?v=" + str(rng.randint(1, 999))
    return u


def api():
    res = rng.choice(["users", "orders", "items", "events", "tickets", "alerts", "venues",
                      "sessions", "comments", "reports"])
    u = "/api/v%d/%s" % (rng.randint(1, 3), res)
    r = rng.randrange(5)
    if r == 0:
        u += "/%d" % rng.randint(1, 99999)
    elif r == 1:
        u += "?limit=%d&offset=%d&sort=%s" % (rng.choice([10, 20, 50]), rng.randint(0, 500),
                                            rng.choice(["asc", "desc", "-created_at"]))
    elif r == 2:
        u += "?filter=" + q('{"status":"open","tags":["select","union"]}')
    elif r == 3:
        u += "/%d/comments?page=%d" % (rng.randint(1, 999), rng.randint(1, 9))
    else:
        u += "?fields=id,name,created_at&q=" + q(rng.choice(searches))
    return u


def page():
    parts = [rng.choice(words) for _ in range(rng.randint(1, 3))]
    u = "/" + "/".join(parts)
    r = rng.randrange(6)
    if r == 0:
        u += "/%d.html" % rng.randint(1, 20000)
    elif r == 1:
        u += "/?page=%d&per_page=20" % rng.randint(1, 60)
    elif r == 2:
        u += "?utm_source=%s&utm_medium=%s&utm_campaign=%s" % (
            rng.choice(utm_sources), rng.choice(["cpc", "social", "email"]),
            q(rng.choice(["spring sale", "major-event-2026", "union select promo", "新年活动"])))
    elif r == 3:
        u += "/" + q(rng.choice(["重大活动", "新闻中心", "通知公告", "联系我们"]), plus=False)
    elif r == 4:
        u += "/" + rng.choice(["index.php", "list.php", "detail.jsp", "default.aspx",
                               "view.do", "show.action"]) + "?id=%d" % rng.randint(1, 9999)
    return u


def misc():
    return rng.choice([
        "/", "/favicon.ico", "/robots.txt", "/sitemap.xml", "/index.html",
        "/login", "/logout", "/account/settings", "/cart?add=%d" % rng.randint(1, 999),
        "/checkout?step=%d" % rng.randint(1, 4), "/healthz", "/metrics",
        "/wp-json/wp/v2/posts?per_page=10", "/feed/", "/.well-known/security.txt",
        "/redirect?to=" + q("https://example.com/path?a=1&b=2"),
        "/share?url=" + q("https://news.example.org/story/%d" % rng.randint(1, 9999)),
        "/login?next=" + q("/account/orders?page=2"),
        "/oauth/callback?code=%x&state=%x" % (rng.getrandbits(64), rng.getrandbits(32)),
        "/track?e=click&t=%d&ref=%s" % (rng.randint(10**9, 2 * 10**9), rng.choice(words)),
        "/download?file=report-%d.pdf" % rng.randint(2000, 2026),
        "/img/resize?w=%d&h=%d&src=%s" % (rng.choice([64, 128, 256]), rng.choice([64, 128]),
                                         q("/uploads/photo.jpg")),
        "/docs/sql/select-statement", "/blog/union-types-in-typescript",
        "/blog/exec-vs-spawn-in-node", "/blog/why-sleep-matters", "/tools/ping-test",
        "/events/2026/opening-ceremony?lang=zh-CN", "/news/2026/11/24/security-notice",
        "/search?q=%E9%87%8D%E5%A4%A7%E6%B4%BB%E5%8A%A8",
        "/search?q=%E4%B8%AD%E6%96%87%2B%E6%90%9C%E7%B4%A2",
        "/comments?text=" + q("I'd say it's \"fine\" -- really; 10/10 <3"),
        "/price?min=10&max=100&currency=%24",
        "/calc?expr=" + q("(1+2)*3"),
    ])


gens = [search, search, static, static, api, page, page, misc]
for i in range(2400):
    url = rng.choice(gens)()
    if rng.random() < 0.5:
        print(url + "\t" + rng.choice(uas))
    else:
        print(url)
