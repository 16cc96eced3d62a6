"""Bot API conformance: shapes, validation texts and limits, over real HTTP like a bot."""

from __future__ import annotations

import asyncio
import base64

import httpx
import pytest

from bot.sandbox import Sandbox, SandboxClient

from .conftest import RawBot

BLOCKED = "Forbidden: bot was blocked by the user"
PNG_1x1 = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


async def test_get_me_token_and_unknown_method(bot: RawBot, sandbox: Sandbox) -> None:
    me = await bot.ok("getMe")
    assert me["is_bot"] is True and me["username"] == "kinerja_bot" and me["id"] == 123456789
    async with httpx.AsyncClient() as http:
        wrong = await http.post(f"{sandbox.api_base_url}123:wrong/getMe")
        assert wrong.status_code == 401
        assert wrong.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}
        get = await http.get(f"{sandbox.api_base_url}{sandbox.token}/getme")  # case-insensitive
        assert get.json()["ok"] is True
    missing = await bot.call("sendTelepathy")
    assert (missing["_status"], missing["description"]) == (404, "Not Found")


async def test_send_message_shape(bot: RawBot, siti: int) -> None:
    msg = await bot.ok(
        "sendMessage",
        chat_id=siti,
        text="<b>Halo</b> Siti",
        parse_mode="HTML",
        reply_markup={
            "inline_keyboard": [
                [{"text": "Setujui", "callback_data": "ok"}, {"text": "Web", "url": "https://x.id"}]
            ]
        },
    )
    assert msg["from"]["is_bot"] is True and msg["from"]["username"] == "kinerja_bot"
    assert msg["chat"] == {"id": siti, "first_name": "Siti", "username": "siti", "type": "private"}
    assert msg["text"] == "Halo Siti"
    assert msg["entities"] == [{"type": "bold", "offset": 0, "length": 4}]
    assert msg["reply_markup"]["inline_keyboard"][0][1] == {"text": "Web", "url": "https://x.id"}
    assert isinstance(msg["date"], int) and msg["message_id"] == 2
    mention = await bot.ok(
        "sendMessage",
        chat_id=siti,
        text='Dari <a href="tg://user?id=1001">Siti</a> dan <a href="tg://user?id=7">X</a>',
        parse_mode="HTML",
    )
    assert [e["type"] for e in mention["entities"]] == ["text_mention", "text_link"]
    assert mention["entities"][0]["user"]["first_name"] == "Siti"


async def test_form_encoded_values_are_json_strings(sandbox: Sandbox, siti: int) -> None:
    """python-telegram-bot style: form fields, objects as JSON strings."""
    async with httpx.AsyncClient() as http:
        answer = await http.post(
            f"{sandbox.api_base_url}{sandbox.token}/sendMessage",
            data={
                "chat_id": str(siti),
                "text": "x",
                "reply_markup": '{"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}',
            },
        )
    assert answer.json()["result"]["reply_markup"]["inline_keyboard"][0][0]["text"] == "A"


async def test_text_length_limits(bot: RawBot, siti: int) -> None:
    too_long = await bot.call("sendMessage", chat_id=siti, text="a" * 4097)
    assert (too_long["_status"], too_long["description"]) == (
        400,
        "Bad Request: message is too long",
    )
    assert (await bot.ok("sendMessage", chat_id=siti, text="a" * 4096))["text"] == "a" * 4096
    # tags do not count; emoji outside the BMP count twice (UTF-16)
    html = "<b>" + "a" * 4096 + "</b>"
    assert await bot.ok("sendMessage", chat_id=siti, text=html, parse_mode="HTML")
    emoji = await bot.call("sendMessage", chat_id=siti, text="😀" * 2049)
    assert emoji["description"] == "Bad Request: message is too long"
    for empty in ("", "   \n ", None):
        params = {"chat_id": siti} if empty is None else {"chat_id": siti, "text": empty}
        answer = await bot.call("sendMessage", **params)
        assert answer["description"] == "Bad Request: message text is empty"
    blank = await bot.call("sendMessage", chat_id=siti, text="<b> </b>", parse_mode="HTML")
    assert blank["description"] == "Bad Request: message text is empty"


async def test_html_errors(bot: RawBot, siti: int) -> None:
    prefix = "Bad Request: can't parse entities: "
    cases = {
        "<b>tebal": 'Can\'t find end tag corresponding to start tag "b"',
        "halo <foo>x</foo>": 'Unsupported start tag "foo" at byte offset 5',
        "1 < 2": 'Unsupported start tag "" at byte offset 2',
        "<b>x</i>": 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"',
    }
    for text, message in cases.items():
        answer = await bot.call("sendMessage", chat_id=siti, text=text, parse_mode="HTML")
        assert (answer["_status"], answer["description"]) == (400, prefix + message)
    plain = await bot.ok("sendMessage", chat_id=siti, text="1 < 2 & <foo>")
    assert plain["text"] == "1 < 2 & <foo>"
    mode = await bot.call("sendMessage", chat_id=siti, text="x", parse_mode="BBCode")
    assert mode["description"] == "Bad Request: unsupported parse_mode"


async def test_inline_keyboard_validation(bot: RawBot, siti: int) -> None:
    def markup(*buttons: dict[str, str]) -> dict[str, object]:
        return {"inline_keyboard": [list(buttons)]}

    long_data = await bot.call(
        "sendMessage",
        chat_id=siti,
        text="x",
        reply_markup=markup({"text": "A", "callback_data": "x" * 65}),
    )
    assert long_data["description"] == "Bad Request: BUTTON_DATA_INVALID"
    multibyte = await bot.call(
        "sendMessage",
        chat_id=siti,
        text="x",
        reply_markup=markup({"text": "A", "callback_data": "é" * 33}),
    )
    assert multibyte["description"] == "Bad Request: BUTTON_DATA_INVALID"
    empty = await bot.call(
        "sendMessage",
        chat_id=siti,
        text="x",
        reply_markup=markup({"text": "A", "callback_data": ""}),
    )
    assert empty["description"] == "Bad Request: BUTTON_DATA_INVALID"
    assert await bot.ok(
        "sendMessage",
        chat_id=siti,
        text="x",
        reply_markup=markup({"text": "A", "callback_data": "x" * 64}),
    )
    no_text = await bot.call(
        "sendMessage", chat_id=siti, text="x", reply_markup=markup({"callback_data": "a"})
    )
    assert no_text["_status"] == 400 and "inline keyboard button" in no_text["description"]
    text_only = await bot.call(
        "sendMessage", chat_id=siti, text="x", reply_markup=markup({"text": "A"})
    )
    assert text_only["description"].endswith("Text buttons are unallowed in the inline keyboard")
    many = {"inline_keyboard": [[{"text": str(i), "callback_data": str(i)}] for i in range(101)]}
    too_many = await bot.call("sendMessage", chat_id=siti, text="x", reply_markup=many)
    assert too_many["description"] == "Bad Request: too many inline keyboard buttons"
    bad_json = await bot.call("sendMessage", chat_id=siti, text="x", reply_markup="{nope")
    assert bad_json["description"] == "Bad Request: can't parse reply keyboard markup JSON object"


async def test_blocked_never_started_and_unknown_chats(
    bot: RawBot, client: SandboxClient, siti: int
) -> None:
    await client.create_user(2002, "Budi")  # never wrote to the bot
    never = await bot.call("sendMessage", chat_id=2002, text="halo")
    assert (never["_status"], never["description"]) == (403, BLOCKED)
    unknown = await bot.call("sendMessage", chat_id=999999, text="halo")
    assert (unknown["_status"], unknown["description"]) == (400, "Bad Request: chat not found")
    missing = await bot.call("sendMessage", text="halo")
    assert missing["description"] == "Bad Request: chat_id is empty"

    await client.block(siti)
    blocked = await bot.call("sendMessage", chat_id=siti, text="halo")
    assert (blocked["_status"], blocked["description"]) == (403, BLOCKED)
    photo = await bot.call("sendChatAction", chat_id=siti, action="typing")
    assert photo["_status"] == 403
    await client.unblock(siti)
    assert await bot.ok("sendMessage", chat_id=siti, text="halo lagi")
    assert [m["text"] for m in await client.chat(siti)] == ["/start", "halo lagi"]


async def test_edit_and_delete(bot: RawBot, client: SandboxClient, siti: int) -> None:
    keyboard = {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}
    msg = await bot.ok(
        "sendMessage", chat_id=siti, text="<b>x</b>", parse_mode="HTML", reply_markup=keyboard
    )
    mid = msg["message_id"]
    same = await bot.call(
        "editMessageText",
        chat_id=siti,
        message_id=mid,
        text="<b>x</b>",
        parse_mode="HTML",
        reply_markup=keyboard,
    )
    assert same["description"] == (
        "Bad Request: message is not modified: specified new message content and reply markup "
        "are exactly the same as a current content and reply markup of the message"
    )
    # same text, but without markup: the keyboard goes away, so it is a modification
    edited = await bot.ok(
        "editMessageText", chat_id=siti, message_id=mid, text="<b>x</b>", parse_mode="HTML"
    )
    assert "reply_markup" not in edited and edited["edit_date"] >= msg["date"]
    markup_same = await bot.call("editMessageReplyMarkup", chat_id=siti, message_id=mid)
    assert markup_same["description"].startswith("Bad Request: message is not modified")
    assert (
        await bot.ok("editMessageReplyMarkup", chat_id=siti, message_id=mid, reply_markup=keyboard)
    )["reply_markup"] == keyboard
    gone = await bot.call("editMessageText", chat_id=siti, message_id=9999, text="y")
    assert gone["description"] == "Bad Request: message to edit not found"
    users_own = await bot.call("editMessageText", chat_id=siti, message_id=1, text="y")
    assert users_own["description"] == "Bad Request: message can't be edited"

    chat = await client.chat(siti)
    assert (
        chat[-1]["text"] == "x"
        and chat[-1]["edited"]
        and chat[-1]["buttons"] == [[{"text": "A", "callback_data": "a"}]]
    )
    assert await bot.ok("deleteMessage", chat_id=siti, message_id=mid) is True
    again = await bot.call("deleteMessage", chat_id=siti, message_id=mid)
    assert again["description"] == "Bad Request: message to delete not found"
    assert [m["message_id"] for m in await client.chat(siti)] == [1]
    after_delete = await bot.call("editMessageText", chat_id=siti, message_id=mid, text="z")
    assert after_delete["description"] == "Bad Request: message to edit not found"


async def test_rate_limits(bot: RawBot, client: SandboxClient) -> None:
    """More than 30 messages in a second (burst 30, 30/s): the excess gets 429 and is dropped."""
    users = [3001, 3002, 3003]  # 15 each: under the per-chat burst, so only the global limit bites
    for uid in users:
        await client.create_user(uid, f"U{uid}")
        await client.send(uid, "/start", wait=0)
    results = await asyncio.gather(
        *(bot.call("sendMessage", chat_id=users[i % 3], text=f"m{i}") for i in range(45))
    )
    sent = [r for r in results if r["ok"]]
    limited = [r for r in results if not r["ok"]]
    assert len(sent) >= 30 and len(limited) >= 5  # at most a few tokens refill meanwhile
    for answer in limited:
        assert answer["_status"] == 429
        retry = answer["parameters"]["retry_after"]
        assert isinstance(retry, int) and retry >= 1
        assert answer["description"] == f"Too Many Requests: retry after {retry}"
    stats = await client.stats()
    assert stats["sent_messages"] == len(sent)
    assert stats["errors"] == {"429": len(limited)} and stats["rate_limited"] == len(limited)
    chats = [len(await client.chat(uid)) for uid in users]
    assert sum(chats) == len(sent) + 3  # the 429'd messages were not delivered


async def test_per_chat_rate_limit() -> None:
    async with (
        Sandbox(per_chat_rate=1.0, per_chat_burst=3) as sb,
        SandboxClient(sb.base_url) as client,
    ):
        bot = RawBot(sb)
        await client.create_user(1, "A")
        await client.send(1, "hi", wait=0)
        answers = [await bot.call("sendMessage", chat_id=1, text=str(i)) for i in range(4)]
        assert [a["ok"] for a in answers] == [True, True, True, False]
        assert answers[-1]["parameters"]["retry_after"] == 1
        await asyncio.sleep(1.05)
        assert (await bot.call("sendMessage", chat_id=1, text="later"))["ok"]
        await bot.http.aclose()


async def test_documents_upload_get_file_and_download(
    bot: RawBot, sandbox: Sandbox, siti: int
) -> None:
    async with httpx.AsyncClient() as http:
        answer = await http.post(
            f"{sandbox.api_base_url}{sandbox.token}/sendDocument",
            data={"chat_id": str(siti), "caption": "<i>laporan</i>", "parse_mode": "HTML"},
            files={"document": ("rekap.pdf", b"%PDF-1.4 data", "application/pdf")},
        )
        msg = answer.json()["result"]
        doc = msg["document"]
        assert doc["file_name"] == "rekap.pdf" and doc["mime_type"] == "application/pdf"
        assert doc["file_size"] == 13
        assert msg["caption"] == "laporan" and msg["caption_entities"][0]["type"] == "italic"
        info = await bot.ok("getFile", file_id=doc["file_id"])
        assert info["file_unique_id"] == doc["file_unique_id"] and info["file_size"] == 13
        data = await http.get(f"{sandbox.file_base_url}{sandbox.token}/{info['file_path']}")
        assert data.content == b"%PDF-1.4 data"
        missing = await http.get(f"{sandbox.file_base_url}{sandbox.token}/documents/nope.pdf")
        assert missing.status_code == 404
    again = await bot.ok("sendDocument", chat_id=siti, document=doc["file_id"])
    assert again["document"]["file_id"] == doc["file_id"]
    wrong_kind = await bot.call("sendPhoto", chat_id=siti, photo=doc["file_id"])
    assert wrong_kind["description"] == "Bad Request: can't use file of type Document as Photo"
    bogus = await bot.call("sendDocument", chat_id=siti, document="nope")
    assert bogus["description"] == "Bad Request: wrong file identifier/HTTP URL specified"
    assert (await bot.call("getFile", file_id="nope"))[
        "description"
    ] == "Bad Request: invalid file_id"
    long_caption = await bot.call(
        "sendDocument", chat_id=siti, document=doc["file_id"], caption="c" * 1025
    )
    assert long_caption["description"] == "Bad Request: message caption is too long"


async def test_photos(bot: RawBot, sandbox: Sandbox, siti: int) -> None:
    async with httpx.AsyncClient() as http:
        answer = await http.post(
            f"{sandbox.api_base_url}{sandbox.token}/sendPhoto",
            data={"chat_id": str(siti)},
            files={"photo": ("p.png", PNG_1x1, "image/png")},
        )
        sizes = answer.json()["result"]["photo"]
        assert sizes[-1]["width"] == 1 and sizes[-1]["height"] == 1
        not_image = await http.post(
            f"{sandbox.api_base_url}{sandbox.token}/sendPhoto",
            data={"chat_id": str(siti)},
            files={"photo": ("p.png", b"not an image", "image/png")},
        )
        assert not_image.json()["description"] == "Bad Request: IMAGE_PROCESS_FAILED"
    resent = await bot.ok("sendPhoto", chat_id=siti, photo=sizes[0]["file_id"], caption="lagi")
    assert [p["file_id"] for p in resent["photo"]] == [p["file_id"] for p in sizes]
    none = await bot.call("sendPhoto", chat_id=siti)
    assert none["description"] == "Bad Request: there is no photo in the request"


async def test_user_files_reach_the_bot(
    bot: RawBot, client: SandboxClient, sandbox: Sandbox
) -> None:
    await client.create_user(1001, "Siti")
    await client.send_photo(1001, PNG_1x1, caption="bukti", wait=0)
    await client.send_document(1001, "surat.pdf", b"%PDF", caption="surat", wait=0)
    updates = await bot.ok("getUpdates")
    photo_msg, doc_msg = updates[0]["message"], updates[1]["message"]
    assert photo_msg["caption"] == "bukti" and photo_msg["photo"][-1]["width"] == 1
    assert doc_msg["document"]["file_name"] == "surat.pdf"
    async with httpx.AsyncClient() as http:
        for file_id, expected in (
            (photo_msg["photo"][-1]["file_id"], PNG_1x1),
            (doc_msg["document"]["file_id"], b"%PDF"),
        ):
            info = await bot.ok("getFile", file_id=file_id)
            data = await http.get(f"{sandbox.file_base_url}{sandbox.token}/{info['file_path']}")
            assert data.content == expected
    chat = await client.chat(1001)
    assert chat[0]["photo"]["size"] == len(PNG_1x1) and chat[0]["text"] == "bukti"
    assert chat[1]["document"] == {
        "file_name": "surat.pdf",
        "size": 4,
        "file_id": doc_msg["document"]["file_id"],
        "mime_type": "application/pdf",
        "url": f"/sandbox/files/{doc_msg['document']['file_id']}",
    }


async def test_commands_per_scope_and_language(
    bot: RawBot, client: SandboxClient, siti: int
) -> None:
    default = [{"command": "lapor", "description": "Laporkan kegiatan"}]
    english = [{"command": "report", "description": "Report work"}]
    assert await bot.ok("setMyCommands", commands=default) is True
    assert await bot.ok("setMyCommands", commands=english, language_code="en") is True
    admin = [{"command": "broadcast", "description": "Kirim pengumuman"}]
    assert await bot.ok("setMyCommands", commands=admin, scope={"type": "chat", "chat_id": siti})
    assert await bot.ok("getMyCommands") == default
    assert await bot.ok("getMyCommands", language_code="en") == english
    assert await bot.ok("getMyCommands", scope={"type": "chat", "chat_id": siti}) == admin
    assert await client.commands(siti) == admin
    assert await bot.ok("deleteMyCommands", scope={"type": "chat", "chat_id": siti})
    assert await client.commands(siti) == default
    bad = await bot.call("setMyCommands", commands=[{"command": "Bad Command", "description": "x"}])
    assert bad["description"] == "Bad Request: BOT_COMMAND_INVALID"


async def test_harmless_methods(bot: RawBot, siti: int) -> None:
    assert await bot.ok("setChatMenuButton", menu_button={"type": "commands"}) is True
    assert await bot.ok("getChatMenuButton") == {"type": "commands"}
    chat = await bot.ok("getChat", chat_id=siti)
    assert chat["type"] == "private" and chat["first_name"] == "Siti"
    assert await bot.ok("sendChatAction", chat_id=siti, action="typing") is True
    bad = await bot.call("sendChatAction", chat_id=siti, action="dancing")
    assert bad["description"] == "Bad Request: wrong parameter action in request"
    assert await bot.ok("setMyDescription", description="Bot laporan harian") is True
    assert await bot.ok("getMyDescription") == {"description": "Bot laporan harian"}


async def test_timeout_fault_delivers_then_answers_too_late(
    bot: RawBot, client: SandboxClient, sandbox: Sandbox, siti: int
) -> None:
    """timeout_rate 1.0 on sendMessage: the message is delivered, the answer comes after
    timeout_ms (a client with a shorter read timeout gives up); other methods are not held;
    a body without the timeout fields (an older client) switches them off."""
    shown = await client.faults(timeout_rate=1.0, timeout_ms=1500, timeout_methods=["sendMessage"])
    assert (shown["timeout_rate"], shown["timeout_ms"]) == (1.0, 1500)
    url = f"{sandbox.api_base_url}{sandbox.token}/sendMessage"
    async with httpx.AsyncClient(timeout=httpx.Timeout(5.0, read=0.3)) as impatient:
        with pytest.raises(httpx.ReadTimeout):
            await impatient.post(url, json={"chat_id": siti, "text": "terlambat"})
    await asyncio.sleep(1.5)
    assert [m["text"] for m in await client.chat(siti) if m["from"] == "bot"][-1] == "terlambat"
    assert (await bot.ok("getMe"))["is_bot"]  # not held
    stats = await client.stats()
    assert stats["timeouts_injected"] == 1 and stats["sent_messages"] >= 1
    assert (await client.faults(error_rate=0.0))["timeout_rate"] == 0.0
    answer = await bot.ok("sendMessage", chat_id=siti, text="cepat")
    assert answer["text"] == "cepat"
