-- embeddings.lua: embed a few sentences and rank them by cosine similarity to a query.
--   OPENAI_API_KEY=... moonwire run examples/embeddings.lua "a pet that purrs"
local query = arg[1] or "a pet that purrs"
local docs = {
  "Cats are small domesticated felines.",
  "The stock market fell sharply today.",
  "Dogs are loyal companions.",
}

local function cosine(a, b)
  local dot, na, nb = 0, 0, 0
  for i = 1, #a do
    dot = dot + a[i] * b[i]; na = na + a[i] * a[i]; nb = nb + b[i] * b[i]
  end
  return dot / (math.sqrt(na) * math.sqrt(nb))
end

local inputs = { query }
for _, d in ipairs(docs) do inputs[#inputs + 1] = d end
local e = llm.embed{ model = "text-embedding-3-small", input = inputs }

local ranked = {}
for i, d in ipairs(docs) do ranked[i] = { doc = d, score = cosine(e.vectors[1], e.vectors[i + 1]) } end
table.sort(ranked, function(a, b) return a.score > b.score end)
print(("query: %q (%d dimensions, %d tokens)"):format(query, #e.vectors[1], e.usage.input_tokens))
for i, r in ipairs(ranked) do print(("%d. %.3f  %s"):format(i, r.score, r.doc)) end
