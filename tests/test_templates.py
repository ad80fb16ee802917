"""Templates through the desk (as every adapter drives it), against the sandbox:
``/template save|list|show|delete``, and a template taken in /send by name or button.
What reached the sandbox is read from its state, not only from the replies."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from chat_driver import Person, desk_settings, in_chat, labels, text
from sandbox_api import sandbox_state

from bot.app import BotApp
from bot.sandbox import SandboxServer


@pytest.fixture
async def app(sandbox: SandboxServer, tmp_path: Path) -> AsyncIterator[BotApp]:
    async with BotApp(desk_settings(sandbox.endpoint, tmp_path)) as started:
        yield started


def sent_texts(state: dict[str, object]) -> list[str]:
    return [m["text"] for e in state["events"] for m in e["messages"]]  # type: ignore[attr-defined, index]


class TestTemplateCommands:
    async def test_save_list_show_replace_delete(self, app: BotApp) -> None:
        me = in_chat(app)
        assert "No templates in this chat yet" in text(await me.send("/template"))
        saved = text(await me.send("/template save Promo Black Friday: -30% em tudo!"))
        assert "Template promo saved (1 segment)" in saved
        assert "template:promo" in saved
        await me.send("/template save aviso Loja fechada\nhoje")  # a text of two lines
        listed = text(await me.send("/template list"))
        assert "2 templates in this chat:" in listed
        assert listed.index("• aviso — Loja fechada hoje") < listed.index("• promo — Black")
        assert "Loja fechada\nhoje" in text(await me.send("/template show AVISO"))
        assert "replaced" in text(await me.send("/template save promo Outro texto"))
        assert "Outro texto" in text(await me.send("/template show promo"))
        assert "Template promo deleted" in text(await me.send("/template delete promo"))
        assert "no template promo" in text(await me.send("/template show promo"))
        assert "1 template in this chat" in text(await me.send("/template"))

    async def test_templates_are_kept_per_chat(self, app: BotApp) -> None:
        await in_chat(app).send("/template save promo Só aqui")
        elsewhere = in_chat(app, chat="console:team")
        assert "No templates in this chat yet" in text(await elsewhere.send("/template"))
        assert "no template promo" in text(await elsewhere.send("/send 912345678 template:promo"))

    @pytest.mark.parametrize(
        ("line", "said"),
        [
            ("/template save " + "n" * 33 + " Hi", "A name has 1 to 32 letters"),
            ("/template save pro/mo Hi", "A name has 1 to 32 letters"),
            ("/template save 💥 Hi", "A name has 1 to 32 letters"),
            ("/template save promo", "Use: /template save <name> <text>"),
            ("/template frobnicate", "Use: /template save"),
            ("/template save promo " + "y" * 1000, "at most 6"),
            ("/template delete nada", "There is no template nada in this chat"),
            ("/template show " + "x" * 5000, "There is no template"),
        ],
    )
    async def test_bad_input_gets_a_short_true_answer(
        self, app: BotApp, line: str, said: str
    ) -> None:
        answer = text(await in_chat(app).send(line))
        assert said in answer
        assert len(answer) < 300
        assert await app.store.list_templates("console:me") == []

    async def test_a_viewer_lists_and_a_sender_saves(self, app: BotApp) -> None:
        viewer = in_chat(app, "viewer")
        assert "needs the sender role" in text(await viewer.send("/template save promo Hi"))
        sender = in_chat(app, "sender")
        assert "saved" in text(await sender.send("/template save promo Hi"))
        assert "• promo — Hi" in text(await viewer.send("/template"))
        assert "Hi" in text(await viewer.send("/template show promo"))
        assert "needs the sender role" in text(await viewer.send("/template delete promo"))
        assert len(await app.store.list_templates("console:me")) == 1

    async def test_in_portuguese_and_spanish(self, app: BotApp) -> None:
        falante = in_chat(app, locale="pt-PT")
        assert "Modelo promo guardado" in text(await falante.send("/modelo guardar promo Olá"))
        assert "1 modelo nesta conversa" in text(await falante.send("/modelo listar"))
        hablante = in_chat(app, locale="es-ES")
        assert "Plantilla promo borrada" in text(await hablante.send("/plantilla borrar promo"))


class TestTemplatesInSend:
    async def test_a_template_by_button_at_the_text_step(
        self, app: BotApp, sandbox: SandboxServer
    ) -> None:
        me = in_chat(app)
        await me.send("/template save promo Promo de Natal: -30% hoje")
        await me.send("/template save aviso Loja fechada")
        await me.send("/send")
        asked = await me.send("912345678, 913333333")
        assert "Now the text" in text(asked)
        assert labels(asked) == ["aviso", "promo"]
        assert "Sender" in text(await me.press("promo"))
        await me.press("Default sender")
        await me.press("Send now")
        preview = text(await me.press("Any time"))
        assert "Promo de Natal: -30% hoje" in preview
        assert "done" in text(await me.press("Confirm"))
        state = await sandbox_state(sandbox.url)
        assert sent_texts(state) == ["Promo de Natal: -30% hoje"] * 2

    async def test_a_template_by_name_typed_or_on_one_line(
        self, app: BotApp, sandbox: SandboxServer
    ) -> None:
        me = in_chat(app)
        await me.send("/template save promo Só hoje")
        await me.send("/send")
        await me.send("912345678")
        assert "no template nada" in text(await me.send("template:nada"))
        assert "Sender" in text(await me.send("Template: Promo"))
        preview = text(await me.send("/send 913333333 template:promo"))
        assert "Só hoje" in preview
        assert "done" in text(await me.press("Confirm"))
        assert sent_texts(await sandbox_state(sandbox.url)) == ["Só hoje"]

    async def test_a_text_that_only_looks_like_a_reference_is_sent_as_written(
        self, app: BotApp, sandbox: SandboxServer
    ) -> None:
        me = in_chat(app)
        preview = text(await me.send("/send 912345678 Modelo: novo iPhone já na loja"))
        assert "Modelo: novo iPhone já na loja" in preview

    async def test_edit_offers_the_templates_again(self, app: BotApp) -> None:
        me = in_chat(app)
        await me.send("/template save promo Segundo texto")
        await me.send("/send 912345678 Primeiro texto")
        edit = await me.press("Edit")
        assert labels(edit) == ["promo"]
        await me.press("promo")
        await me.press("Default sender")
        await me.press("Send now")
        assert "Segundo texto" in text(await me.press("Any time"))

    async def test_a_forged_or_foreign_template_button_is_refused(self, app: BotApp) -> None:
        await in_chat(app, chat="console:team").send("/template save promo Not yours")
        other = await app.store.find_template("console:team", "promo")
        assert other is not None
        me: Person = in_chat(app)
        await me.send("/send")
        await me.send("912345678")
        assert "no longer valid" in text(await me.press(f"send:tpl:{other.id}"))
        assert "no longer valid" in text(await me.press("send:tpl:²"))
        assert "no longer valid" in text(await me.press("send:tpl:1:2"))
        assert "Sender" in text(await me.send("My own text"))
