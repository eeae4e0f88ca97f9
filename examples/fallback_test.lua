-- Run with: moonwire test examples/   (replays fallback.cassette.json; no network, no key)
local function make_client()
  return llm.client{
    providers = {
      { name = "claude", kind = "anthropic", model = "claude-haiku-4-5" },
      { name = "openai", kind = "openai", model = "gpt-4o-mini" },
      { name = "local", kind = "openai", model = "smollm2", base_url = "http://127.0.0.1:8080/v1" },
    },
  }
end

describe("the fallback chain", function()
  it("ends at the local model when Claude and OpenAI are unreachable", { cassette = "fallback.cassette.json" }, function()
    local events = {}
    local client = make_client()
    local r = client:chat{ prompt = "What is 2 + 2?", max_tokens = 30, temperature = 0,
                           on_event = function(ev) events[#events + 1] = ev.type end }
    expect(r.provider).to.equal("local")
    expect(r.text).to.match("4")
    expect(events).to.contain("fallback")
    local stats = client:stats()
    expect(stats.claude.failed_attempts).to.equal(1)
    expect(stats["local"].calls).to.equal(1)
  end)

  it("fails with replay_mismatch for a question that was never recorded", { cassette = "fallback.cassette.json" }, function()
    local client = make_client()
    expect(function() client:chat{ prompt = "Never asked", max_tokens = 30 } end).to.fail("replay_mismatch")
  end)
end)
