"""The listing reference: a bare httpx loop fetching every lead page from the CMDataManager sandbox.

Same sandbox, same page size as `crmtui list lead --all`; no backend, no pacing, no records:
authenticate, then GET each page and parse its JSON, one after another.
Run: python -m bench.bare_fetch DATA_DIR (the demo store, served in process) or
python -m bench.bare_fetch BASE_URL (a `crmtui sandbox serve`); prints the leads fetched.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import httpx

PAGE = 500


async def fetch_all(where: str) -> int:
    """Every lead, page by page; returns how many arrived."""
    from crmtui.sandbox.cmdatamanager import app as cmdatamanager

    creds = cmdatamanager.DEFAULT_CREDENTIALS
    if where.startswith("http"):
        client, base, store = httpx.AsyncClient(), f"{where.rstrip('/')}/api/v1", None
    else:
        from crmtui.sandbox.store import Store
        from crmtui.sandbox.transport import in_process_transport
        from crmtui.services.demo import demo_store_path

        store = Store(demo_store_path(Path(where)))
        app = cmdatamanager.create_app(store)
        client = httpx.AsyncClient(transport=in_process_transport(app))
        base = "https://bench.invalid/api/v1"
    async with client:
        auth = await client.post(
            f"{base}/authenticate",
            headers={
                "client_id": creds.client_id,
                "client_secret": creds.client_secret,
                "username": creds.username,
                "password": creds.password,
            },
        )
        headers = {"Authorization": f"Bearer {auth.raise_for_status().json()['token']}"}
        count, page, total = 0, 1, None
        while total is None or count < total:
            response = await client.get(
                f"{base}/lead", params={"per_page": str(PAGE), "page": str(page)}, headers=headers
            )
            body = response.raise_for_status().json()
            total = int(body["Total Records"])
            if not body["Entity"]:
                break
            count += len(body["Entity"])
            page += 1
    if store is not None:
        store.close()
    return count


if __name__ == "__main__":
    print(asyncio.run(fetch_all(sys.argv[1])))
