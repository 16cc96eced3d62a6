"""`my_chat_member`: the user blocked or unblocked the bot (issue 8 defect 7).

Nothing is said to the user here: a blocked chat cannot be written to, and an unblocked
one gets what was pending through the outbox.
"""

from __future__ import annotations

import logging

from telegram import ChatMember, Update
from telegram.ext import ChatMemberHandler

from bot.bot_context import BotContext
from bot.membership import chat_blocked, chat_unblocked
from bot.ptb_types import BotApp

log = logging.getLogger(__name__)


async def on_my_chat_member(update: Update, context: BotContext) -> None:
    change = update.my_chat_member
    if change is None or change.chat.type != "private":
        return
    status = change.new_chat_member.status
    user_id = change.chat.id
    ctx = context.app
    now = ctx.clock.now()
    async with ctx.db.session() as session:
        if status in (ChatMember.BANNED, ChatMember.LEFT):
            await chat_blocked(session, user_id, now)
            requeued = 0
        elif status == ChatMember.MEMBER:
            requeued = await chat_unblocked(session, user_id, now)
        else:
            return
    log.info("chat %s is now %s (%d messages sent again)", user_id, status, requeued)
    if requeued:
        ctx.poke_outbox()


def register(app: BotApp) -> None:
    app.add_handler(
        ChatMemberHandler(on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER)  # type: ignore[arg-type]
    )
