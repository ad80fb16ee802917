"""``/_sandbox/``: the phones' inboxes, the codes and the payments, as people see them.

Over HTTP: what each phone shows and in what order, escaping, paging, that a page
costs the same however many messages are stored. In headless Chromium (Debian's
``chromium`` and ``chromium-driver``, driven by selenium): a campaign sent from the
console, as a newcomer does, appears under each number, its HTML-special text
shown as typed.
"""

from __future__ import annotations

import queue
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from chat_driver import child_env
from conftest import SoapCaller, sms
from lxml import html as lxml_html

from bot.sandbox import inbox, inbox_page

DEMO = {"username": "demo", "password": "demo"}
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


async def send(soap: SoapCaller, numbers: list[str], text: str, **fields: Any) -> Any:
    items = [sms(n, text, **fields) for n in numbers]
    answer = await soap.call("SendMessages", **DEMO, partnerEventId="p", smsList={"Sms": items})
    assert answer["ScheduleStatus"] in ("SCHEDULE_OK", "SCHEDULE_OK_WARNING")
    return answer


async def page(soap: SoapCaller, query: str = "") -> httpx.Response:
    response = await soap.client.get(f"{soap.server.url}/_sandbox/{query}")
    assert response.status_code == 200, response.text
    return response


def phones_shown(body: str) -> list[tuple[str, list[str]]]:
    """(number, texts newest first) of each phone on a page, in order."""
    tree = lxml_html.fromstring(body)
    return [
        (
            section.get("data-number"),
            [p.text_content() for p in section.find_class("text")],
        )
        for section in tree.find_class("phone")
    ]


async def test_each_phone_shows_its_messages_newest_first_escaped(soap: SoapCaller) -> None:
    await send(soap, ["912345678", "351913333333", "1"], '<b>&amp; "x"</b> & <script>')
    await send(soap, ["351912345678"], "second <i>", Sender="Loja")
    response = await page(soap)
    assert response.headers["Content-Type"].startswith("text/html")
    assert "script-src" not in response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    body = response.text
    # Typed as one phone (912345678, 351912345678), shown newest first; the invalid
    # number reached no phone.
    assert phones_shown(body) == [
        ("351912345678", ["second <i>", '<b>&amp; "x"</b> & <script>']),
        ("351913333333", ['<b>&amp; "x"</b> & <script>']),
    ]
    assert "&lt;b&gt;&amp;amp; &quot;x&quot;&lt;/b&gt; &amp; &lt;script&gt;" in body
    assert "<script" not in body
    assert "<i>" not in body
    tree = lxml_html.fromstring(body)
    assert tree.find_class("sender")[0].text_content() == "Loja"
    assert (
        tree.find_class("phone")[0].find_class("delivery")[0].text_content().startswith("delivered")
    )
    one = await page(soap, "?number=%2B351+912+345+678")
    assert phones_shown(one.text) == phones_shown(body)[:1]
    nobody = await page(soap, "?number=<96>")
    assert "No message has reached &lt;96&gt;" in nobody.text


async def test_a_window_and_a_wait_are_shown(soap: SoapCaller) -> None:
    item = sms("912345678", "later", ScheduleDatetime="2099-01-01T10:00:00")
    item.update(BeginTime="2000-01-01T12:00:00", EndTime="2000-01-01T13:30:00", WorkingDays=True)
    await soap.call("SendMessages", **DEMO, partnerEventId="w", smsList={"Sms": [item]})
    tree = lxml_html.fromstring((await page(soap, "?number=912345678")).text)
    (message,) = tree.find_class("sms")
    assert "waiting" in message.get("class")
    # 2099-01-01 is a Thursday: the window opens at 12:00 that day.
    assert message.find_class("delivery")[0].text_content() == ("waiting until 2099-01-01 12:00:00")
    assert message.find_class("window")[0].text_content() == (
        "Delivery window: only 12:00–13:30, working days only"
    )


async def test_codes_and_payments_are_listed(soap: SoapCaller) -> None:
    new = {
        "newAccount": {
            "AccountName": "Zé & Filhos", "Username": "ze", "Password": "secret1",
            "Email": "ze@example.org", "Country": "PT", "Msisdn": "351919999999",
            "HowDidYouFindUs": "OTHER", "AllowMarketingCampaigns": False,
        },
        "invoiceInfo": {"Name": "Zé", "TaxIdentificationNumber": "123456789", "Country": "PT"},
        "caller": "tests",
    }  # fmt: skip
    created = await soap.call("CreateAccount", **new)
    assert created["CreateAccountStatus"] == "SUCCESS"
    bought = await soap.call("BuyCredits", **DEMO, packId=1, caller="tests")
    assert bought["BuyCreditsStatus"] == "SUCCESS"
    tree = lxml_html.fromstring((await page(soap)).text)
    code = soap.server.state.accounts["ze"].confirmation_code
    assert code is not None
    (codes,) = tree.find_class("codes")
    assert [c.text_content() for c in codes.find_class("code")] == [code]
    assert "Zé & Filhos" in codes.text_content()
    assert code in codes.find_class("text")[0].text_content()  # the SMS that carried it
    (payments,) = tree.find_class("payments")
    assert bought["PaymentReference"] in payments.text_content()
    (link,) = payments.xpath(".//a")
    assert link.get("href") == bought["CreditCardLink"].removeprefix(soap.server.url)
    paid = await soap.client.get(f"{soap.server.url}{link.get('href')}")
    assert "Payment accepted" in paid.text
    again = lxml_html.fromstring((await page(soap)).text).find_class("payments")[0]
    assert again.xpath(".//a") == []
    assert "paid " in again.text_content()


def links(body: str, label: str) -> list[str]:
    tree = lxml_html.fromstring(body)
    return [a.get("href") for a in tree.xpath("//a") if a.text_content() == label]


async def test_pages_walk_every_message_and_phone_once(
    soap: SoapCaller, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(inbox_page, "MESSAGES_PER_PAGE", 3)
    monkeypatch.setattr(inbox_page, "PHONES_PER_PAGE", 2)
    monkeypatch.setattr(inbox, "SCAN", 3)
    sent = []
    for n in range(5):
        # Fewer numbers each time: each phone's newest message is in another call.
        numbers = [f"35191000000{i}" for i in range(5 - n)] + ["1"]
        await send(soap, numbers, f"text {n}")
        sent.append(numbers[:-1])
    # One phone's 5 messages, 3 a page, newest first.
    texts: list[str] = []
    query = "?number=351910000000"
    while True:
        body = (await page(soap, query)).text
        texts += [t for _, shown in phones_shown(body) for t in shown]
        older = links(body, "Older messages")
        if not older:
            break
        query = older[0].removeprefix("/_sandbox/")
    assert texts == [f"text {n}" for n in reversed(range(5))]
    # Every phone once, the most recently messaged first (the higher MsgId first within
    # a call), its newest text with it.
    seen: list[tuple[str, str]] = []
    query = ""
    for _ in range(20):
        body = (await page(soap, query)).text
        seen += [(number, shown[0]) for number, shown in phones_shown(body)]
        older = links(body, "Older phones")
        if not older:
            break
        query = older[0].removeprefix("/_sandbox/")
    expected = []
    for n in reversed(range(5)):
        shown = {number for number, _ in expected}
        expected += [(p, f"text {n}") for p in reversed(sent[n]) if p not in shown]
    assert seen == expected
    # A place that is not the phone's shows none of another phone's messages.
    forged = re.sub(r"number=\d+", "number=351910000004", query or "?number=351910000004")
    body = (await page(soap, forged + "&from=700001.0")).text
    assert [t for _, shown in phones_shown(body) for t in shown] == []


@pytest.mark.parametrize("query", ["?older=x", "?from=1", "?older=1.-2", "?from=9" * 3])
async def test_a_bad_place_is_refused(soap: SoapCaller, query: str) -> None:
    response = await soap.client.get(f"{soap.server.url}/_sandbox/{query}")
    assert response.status_code == 400


async def test_the_bare_path_leads_to_the_page(soap: SoapCaller) -> None:
    response = await soap.client.get(f"{soap.server.url}/_sandbox", follow_redirects=False)
    assert response.status_code == 302
    assert response.headers["Location"] == "/_sandbox/"
    assert soap.server.inbox_url == f"{soap.server.url}/_sandbox/"


async def test_a_page_costs_the_same_however_many_messages_are_stored(
    soap: SoapCaller,
) -> None:
    """The page's statements and the rows they read do not grow with the messages stored."""
    numbers = [f"3519100{i:05d}" for i in range(30)]
    soap.server.state.accounts["demo"].credits = 10_000

    async def cost(query: str) -> tuple[int, int]:
        statements: list[str] = []
        connection = soap.server.sandbox.database.connection
        connection.set_trace_callback(statements.append)
        try:
            await page(soap, query)
        finally:
            connection.set_trace_callback(None)
        rows = sum(1 for s in statements if s.lstrip().upper().startswith(("SELECT", "WITH")))
        return len(statements), rows

    await send(soap, numbers, "first")
    small = await cost(""), await cost(f"?number={numbers[3]}")
    for n in range(40):
        await send(soap, numbers, f"again {n}")
    large = await cost(""), await cost(f"?number={numbers[3]}")
    assert small == large
    assert small[1][0] <= 3  # one phone: its row and its chain


def test_the_page_is_rendered_by_the_sandbox_alone() -> None:
    """No script, no external asset: the page opens offline and runs nothing."""
    source = Path(inbox_page.__file__).read_text(encoding="utf-8")
    assert "<script" not in source
    assert not re.search(r"(src|href)=\"https?:", source)


# --- in Chromium, after a campaign sent from the console --------------------------


class Console:
    """``usendit-bot`` (the console on its embedded sandbox) in a subprocess, its output
    read line by line as it comes."""

    def __init__(self, tmp_path: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot.cli"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=tmp_path,
            env=child_env(tmp_path),
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        self.errors: list[str] = []
        assert self.process.stdout is not None
        assert self.process.stderr is not None
        self._readers = [
            threading.Thread(target=self._read, args=(self.process.stdout, self.lines.put)),
            threading.Thread(target=self._read, args=(self.process.stderr, self.errors.append)),
        ]
        for reader in self._readers:
            reader.start()

    @staticmethod
    def _read(stream: Any, keep: Any) -> None:
        for line in stream:
            keep(line)

    def type(self, *lines: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write("".join(f"{line}\n" for line in lines))
        self.process.stdin.flush()

    def wait_for(self, pattern: str, within: float = 30.0) -> re.Match[str]:
        deadline = time.monotonic() + within
        while True:
            found = re.search(pattern, "".join(self.seen))
            if found:
                return found
            left = deadline - time.monotonic()
            assert left > 0, f"no {pattern!r} in {''.join(self.seen)!r}"
            try:
                self.seen.append(self.lines.get(timeout=left))
            except queue.Empty:
                continue

    def close(self) -> str:
        """End the session (end of input) and return what it wrote on stderr."""
        assert self.process.stdin is not None
        if not self.process.stdin.closed:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for reader in self._readers:
            reader.join(timeout=10)
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()
        return "".join(self.errors)


@pytest.fixture
def console(tmp_path: Path) -> Iterator[Console]:
    session = Console(tmp_path)
    try:
        yield session
    finally:
        session.close()


@pytest.fixture
def chromium() -> Iterator[Any]:
    """Headless Chromium through chromedriver, offline: no sync, updates, QUIC or
    background requests."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in CHROMIUM_ARGS:
        options.add_argument(argument)
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    try:
        yield driver
    finally:
        driver.quit()


@pytest.mark.slow
@pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium (CI installs it)"
)
def test_a_campaign_from_the_console_shows_in_chromium(console: Console, chromium: Any) -> None:
    from selenium.webdriver.common.by import By

    text = 'Promo <b>&amp; 50%</b> & "x"'
    # Where the embedded sandbox listens, from the line the console starts with.
    base = console.wait_for(r"(http://127\.0\.0\.1:\d+)/_sandbox/").group(1)
    console.type("/send", "912345678 913333333", text, "1", "Send now", "Any time", "1")
    console.wait_for(r"Campaign #1: done")

    chromium.get(f"{base}/_sandbox/")
    assert chromium.title == "uSendit sandbox: phones"
    for number in ("351912345678", "351913333333"):
        phone = chromium.find_element(By.CSS_SELECTOR, f'section.phone[data-number="{number}"]')
        shown = phone.find_elements(By.CSS_SELECTOR, "li.sms .text")
        assert [element.text for element in shown] == [text]
        assert "delivered" in phone.find_element(By.CSS_SELECTOR, ".delivery").text
    # Shown as typed: nothing of the text became markup.
    assert chromium.find_elements(By.CSS_SELECTOR, "li.sms .text *") == []
    chromium.get(f"{base}/_sandbox/?number=913333333")
    (one,) = chromium.find_elements(By.CSS_SELECTOR, "section.phone")
    assert one.get_attribute("data-number") == "351913333333"
    assert one.find_element(By.CSS_SELECTOR, ".text").text == text
    errors = console.close()
    assert console.process.returncode == 0, errors
