"""python-telegram-bot 22 works against the sandbox unchanged: Bot calls, errors, polling."""

from __future__ import annotations

import datetime as dtm

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, Forbidden, RetryAfter
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
)

from bot.sandbox import Sandbox, SandboxClient


def ptb_bot(sandbox: Sandbox) -> Bot:
    return Bot(sandbox.token, base_url=sandbox.api_base_url, base_file_url=sandbox.file_base_url)


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_bot_methods_and_errors(sandbox: Sandbox, client: SandboxClient) -> None:
    await client.create_user(1001, "Siti", "siti")
    await client.create_user(1002, "Budi")
    await client.send(1001, "/start", wait=0)
    async with ptb_bot(sandbox) as bot:
        me = await bot.get_me()
        assert me.username == "kinerja_bot" and me.is_bot
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Setujui", callback_data="ok:1")]])
        msg = await bot.send_message(
            1001, "<b>Laporan</b> diterima", parse_mode="HTML", reply_markup=keyboard
        )
        assert msg.text == "Laporan diterima" and msg.entities[0].type == "bold"
        assert msg.reply_markup == keyboard and msg.chat.id == 1001
        assert msg.from_user is not None and msg.from_user.is_bot

        with pytest.raises(BadRequest, match="Message is too long"):
            await bot.send_message(1001, "x" * 4097)
        with pytest.raises(BadRequest, match='find end tag corresponding to start tag "b"'):
            await bot.send_message(1001, "<b>x", parse_mode="HTML")
        with pytest.raises(BadRequest, match="Message is not modified"):
            await bot.edit_message_text(
                "<b>Laporan</b> diterima",
                1001,
                msg.message_id,
                parse_mode="HTML",
                reply_markup=keyboard,
            )
        with pytest.raises(BadRequest, match="Chat not found"):
            await bot.send_message(4242, "x")
        with pytest.raises(Forbidden, match="bot was blocked by the user"):
            await bot.send_message(1002, "x")

        doc = await bot.send_document(1001, b"isi berkas", filename="rekap.txt", caption="rekap")
        assert doc.document is not None and doc.document.file_name == "rekap.txt"
        file = await bot.get_file(doc.document.file_id)
        assert bytes(await file.download_as_bytearray()) == b"isi berkas"

        await client.faults(error_rate=1.0, codes=[429])
        with pytest.raises(RetryAfter) as info:
            await bot.send_message(1001, "x")
        retry = info.value.retry_after
        seconds = retry.total_seconds() if isinstance(retry, dtm.timedelta) else retry
        assert seconds == 1
        await client.faults()


async def test_application_polling_end_to_end(sandbox: Sandbox, client: SandboxClient) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        code = " ".join(context.args or [])
        name = update.effective_user.first_name if update.effective_user else ""
        await update.effective_message.reply_html(
            f"Halo <b>{name}</b>, kode {code}",
            reply_markup=InlineKeyboardMarkup(
                [[InlineKeyboardButton("Lanjut", callback_data="next")]]
            ),
        )

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer("Oke")
        await query.edit_message_text("Selesai ✅")

    app = (
        ApplicationBuilder()
        .token(sandbox.token)
        .base_url(sandbox.api_base_url)
        .base_file_url(sandbox.file_base_url)
        .build()
    )
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(pressed))
    await client.create_user(1001, "Siti")
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(
            poll_interval=0, timeout=1, allowed_updates=Update.ALL_TYPES
        )
        try:
            sent = await client.send(1001, "/start ABC123", wait=5)
            (reply,) = sent["replies"]
            assert reply["text"] == "Halo Siti, kode ABC123"
            pressed_result = await client.press(1001, reply["message_id"], button="Lanjut", wait=5)
            assert pressed_result["answer"]["text"] == "Oke"
            assert [r["text"] for r in pressed_result["replies"]] == ["Selesai ✅"]
        finally:
            await app.updater.stop()
            await app.stop()
    assert sandbox.state.updates == []  # everything was confirmed on shutdown
