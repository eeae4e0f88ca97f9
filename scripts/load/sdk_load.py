"""The official Python SDKs on the same load as scripts/soak's Moonwire runs.

    python sdk_load.py anthropic|openai BASE_URL CALLS CONCURRENCY

Sends CALLS chat requests ("item 1" ... "item N") with at most CONCURRENCY in
flight (asyncio + a semaphore, the SDKs' default retries), then prints one
line of key=value figures: answered, failed, wall time and peak RSS.
"""
import asyncio
import resource
import sys
import time


async def main() -> None:
    sdk, base_url, calls, concurrency = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    if sdk == "anthropic":
        import anthropic
        client = anthropic.AsyncAnthropic(base_url=base_url, api_key="sk-ant-test")

        async def call(prompt: str) -> str:
            r = await client.messages.create(model="claude-test", max_tokens=64,
                                             messages=[{"role": "user", "content": prompt}])
            return r.content[0].text
    else:
        import openai
        client = openai.AsyncOpenAI(base_url=base_url + "/v1", api_key="sk-test")

        async def call(prompt: str) -> str:
            r = await client.chat.completions.create(model="gpt-test", messages=[{"role": "user", "content": prompt}])
            return r.choices[0].message.content

    gate = asyncio.Semaphore(concurrency)
    answered = failed = altered = 0

    async def one(i: int) -> None:
        nonlocal answered, failed, altered
        async with gate:
            try:
                text = await call(f"item {i}")
                if text == f"Answer to item {i}.":
                    answered += 1
                else:
                    altered += 1
            except Exception:  # noqa: BLE001 - counted, as a failed call
                failed += 1

    start = time.monotonic()
    await asyncio.gather(*(one(i) for i in range(1, calls + 1)))
    wall = time.monotonic() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"sdk={sdk} calls={calls} answered={answered} failed={failed} altered={altered} wall_s={wall:.2f} peak_rss_mb={peak_mb:.1f}")


asyncio.run(main())
