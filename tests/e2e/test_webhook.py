"""Webhook mode (`kinerja-bot serve`): secret check, delivery, redelivery, health."""

from __future__ import annotations

import asyncio

import httpx

from bot.api.webhook import WEBHOOK_PATH, create_api
from tests.e2e.asgi import serving
from tests.e2e.conftest import World, texts

SECRET = "s3cret-token_1"


async def _webhook_world(world: World) -> None:
    await world.stop_bot()
    world.settings = world.settings.model_copy(update={"webhook_secret": SECRET})
    await world.start_bot(mode="webhook")


async def test_webhook_mode_answers_and_checks_the_secret(world: World) -> None:
    await _webhook_world(world)
    assert world.runtime is not None
    api = create_api(world.runtime, manage_runtime=False)
    staff = await world.add_employee("Siti")
    async with serving(api) as base:
        world.runtime.settings = world.runtime.settings.model_copy(
            update={"webhook_url": base + WEBHOOK_PATH}
        )
        await world.runtime.set_webhook()
        tg = await world.join(staff)
        result = await world.client.send(tg, "/bantuan")
        assert "/lapor" in texts(result["replies"])

        async with httpx.AsyncClient() as http:
            health = await http.get(base + "/healthz")
            assert health.json() == {"status": "ok", "database": True}
            update = {
                "update_id": 990001,
                "message": {
                    "message_id": 77,
                    "date": 1_700_000_000,
                    "chat": {"id": tg, "type": "private"},
                    "from": {"id": tg, "is_bot": False, "first_name": "Siti"},
                    "text": "/bantuan",
                    "entities": [{"type": "bot_command", "offset": 0, "length": 8}],
                },
            }
            wrong = await http.post(
                base + WEBHOOK_PATH,
                json=update,
                headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"},
            )
            assert wrong.status_code == 403
            before = len(await world.client.chat(tg))
            for _ in range(2):  # Telegram redelivers when it missed our 200
                ok = await http.post(
                    base + WEBHOOK_PATH,
                    json=update,
                    headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
                )
                assert ok.status_code == 200
            await asyncio.sleep(0.3)
            after = await world.client.chat(tg)
            assert len(after) == before + 1  # one answer, not two


async def test_the_sandbox_records_a_webhook_that_refuses_the_secret(world: World) -> None:
    await _webhook_world(world)
    assert world.runtime is not None
    api = create_api(world.runtime, manage_runtime=False)
    async with serving(api) as base:
        await world.runtime.app.bot.set_webhook(base + WEBHOOK_PATH, secret_token="not-ours")
        tg = await world.new_user()
        await world.client.send(tg, "halo", wait=1.0)
        info = await world.runtime.app.bot.get_webhook_info()
        assert info.last_error_message is not None and "403" in info.last_error_message
        assert info.pending_update_count >= 1
        await world.runtime.app.bot.delete_webhook()
