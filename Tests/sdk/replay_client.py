"""The official SDKs as a user's app would call them, against `moonwire serve`
(issue 12). Prints one JSON object: what the SDK decoded, and how long it took.

    python replay_client.py BASE_URL CASE

Cases:
  anthropic-stream    messages.stream(), plain string content
  anthropic-create    messages.create(), twice (for --repeat and reset)
  anthropic-timeout   messages.create() with a 1 s timeout (stall-before-head)
  openai-stream       chat.completions.create(stream=True), no stream_options
  openai-embed-float  embeddings.create(encoding_format="float") against a base64 recording
"""
import json
import sys
import time

base, case = sys.argv[1], sys.argv[2]
out = {}
start = time.monotonic()
try:
    if case.startswith("anthropic"):
        import anthropic
        client = anthropic.Anthropic(base_url=base, api_key="sk-ant-not-a-real-key",
                                     timeout=1.0 if case == "anthropic-timeout" else 30.0)
        kwargs = dict(model="claude-test", max_tokens=4096, messages=[{"role": "user", "content": "hello"}])
        if case == "anthropic-stream":
            with client.messages.stream(**kwargs) as stream:
                out["text"] = stream.get_final_text()
        else:
            runs = 2 if case == "anthropic-create" else 1
            texts = []
            for _ in range(runs):
                try:
                    # Moonwire recorded a stream: ask for one, as it did, and join the text.
                    with client.messages.stream(**kwargs) as stream:
                        texts.append(stream.get_final_text())
                except anthropic.APIStatusError as e:
                    texts.append({"status": e.status_code, "message": str(e)})
            out["texts"] = texts
    elif case == "openai-embed-float":
        import openai
        client = openai.OpenAI(base_url=base + "/v1", api_key="sk-not-a-real-key")
        r = client.embeddings.create(model="text-embedding-3-small", input=["a"], encoding_format="float")
        out["vector"] = r.data[0].embedding
    else:
        import openai
        client = openai.OpenAI(base_url=base + "/v1", api_key="sk-not-a-real-key")
        parts = []
        for chunk in client.chat.completions.create(model="gpt-test", stream=True,
                                                    messages=[{"role": "user", "content": "hello"}]):
            if chunk.choices and chunk.choices[0].delta.content:
                parts.append(chunk.choices[0].delta.content)
        out["text"] = "".join(parts)
except Exception as e:  # noqa: BLE001 - reported to the test
    out["error"] = f"{type(e).__name__}: {e}"
out["seconds"] = round(time.monotonic() - start, 3)
print(json.dumps(out))
