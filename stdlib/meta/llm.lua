---@meta llm
-- LuaLLS annotations for the Swift-implemented `llm` module. Not loaded at run time.

---@class llm
---@field version string Moonwire's version.
llm = {}

---@class llm.Usage
---@field input_tokens integer
---@field output_tokens integer
---@field cache_read_tokens integer
---@field cache_write_tokens integer
---@field total_tokens integer

---@class llm.ToolCall
---@field id string
---@field name string
---@field arguments table Parsed JSON arguments.

---@class llm.Message
---@field role "system"|"user"|"assistant"|"tool"
---@field content string|table[] Text, or blocks: {type="text",text=}, {type="tool_use",id=,name=,input=}, {type="tool_result",tool_use_id=,content=}, {type="thinking",thinking=,signature=}.
---@field tool_call_id? string For role "tool".

---@class llm.Tool
---@field name string
---@field description? string
---@field parameters? table JSON Schema of the arguments (default: an object with no properties).
---@field fn? fun(args: table): any Runs the tool; its result (a string, or a table sent as JSON) goes back to the model. Without `fn`, llm.chat returns the tool calls to the script.

---@class llm.ChatOptions
---@field model? string Model name; default MOONWIRE_MODEL or llm.configure{model=}.
---@field prompt? string A user message appended after `messages`.
---@field messages? llm.Message[]
---@field system? string
---@field max_tokens? integer
---@field temperature? number
---@field top_p? number
---@field stop? string|string[]
---@field tools? llm.Tool[]
---@field tool_choice? "auto"|"none"|"required"|string A tool name forces that tool.
---@field schema? table JSON Schema for structured output.
---@field extra? table Provider-specific body fields, sent unchanged.
---@field provider? "anthropic"|"openai"|"gemini" Overrides the choice made from the model name.
---@field base_url? string Endpoint (any OpenAI-compatible server with provider "openai").
---@field api_key? string Overrides the environment variable.
---@field stream? boolean Stream the response (default true).
---@field max_steps? integer Model turns in the tool loop (default 8).
---@field on_text? fun(text: string) Called with each text delta as it arrives.
---@field on_event? fun(event: llm.Event) Called with each stream event as it arrives.

---@class llm.Response
---@field text string
---@field thinking? string
---@field tool_calls llm.ToolCall[]
---@field usage llm.Usage Summed over every turn of the tool loop.
---@field stop_reason? "stop"|"length"|"tool_calls"|"content_filter"|"other"
---@field raw_stop_reason? string The provider's own value.
---@field model? string
---@field id? string
---@field provider string
---@field latency_ms number
---@field ttft_ms? number Time to the first content event.
---@field cost_usd number What the call cost (every turn of a tool loop), from the price table (stdlib/llm_prices.lua, or a client's prices); 0 for unpriced models.
---@field message llm.Message The last assistant message.
---@field messages llm.Message[] The whole transcript, ready to send back.
---@field steps integer Model turns taken (tool turns and schema repairs included).
---@field object? any With `schema`: the answer decoded and validated.

---@class llm.Event
---@field type "start"|"text"|"thinking"|"tool_input_start"|"tool_input"|"tool_call"|"usage"|"finish"
---@field text? string For "text" and "thinking".
---@field id? string
---@field name? string
---@field index? integer Content block position (1-based).
---@field delta? string For "tool_input": the new JSON fragment.
---@field partial_json? string For "tool_input": everything received so far.
---@field arguments? table For "tool_call".
---@field usage? llm.Usage For "usage".
---@field reason? string For "finish".
---@field raw_reason? string For "finish".

---@class llm.Error
---@field kind string rate_limited, overloaded, server, timeout, network, auth, invalid_request, context_length, not_found, bad_response, cancelled, max_steps, config, script (a Lua function raised: an llm.map item, a task), ...
---@field message string
---@field status? integer
---@field provider? string
---@field request_id? string
---@field retry_after? number Seconds.
---@field code? string The provider's error type.
---@field attempts integer
---@field transcript? llm.Message[] For max_steps.
---@field index? integer For an llm.map item: its index in the list.
---@field traceback? string A Lua error's traceback (llm.map items, re-raised task errors).
---@field results? table For an error raised by llm.map: the results so far.
---@field summary? llm.MapSummary For an error raised by llm.map.

---Sends a chat request and waits for the whole answer, streaming to
---`on_text`/`on_event` meanwhile, and running tools with `fn` in a loop.
---@param options llm.ChatOptions
---@return llm.Response
function llm.chat(options) end

---Starts a streamed chat request and returns an iterator over its events.
---`for ev in llm.stream{...} do ... end` closes the stream when the loop ends.
---@param options llm.ChatOptions
---@return llm.Stream
function llm.stream(options) end

---@class llm.Stream
local Stream = {}
---The next event, or nil at the end. Same as calling the stream.
---@return llm.Event?
function Stream:next() end
---Aborts the transfer and closes its connection.
function Stream:cancel() end
---Runs the stream to its end and returns the complete response.
---@return llm.Response
function Stream:response() end

---@class llm.EmbedOptions
---@field model? string
---@field input string|string[]
---@field dimensions? integer
---@field encoding? "base64"|"float" Wire encoding (default base64).
---@field provider? "openai"
---@field base_url? string
---@field api_key? string

---@class llm.Embedding
---@field vectors number[][] One vector per input, in input order.
---@field vector? number[] The vector, when `input` was one string.
---@field usage llm.Usage
---@field model string
---@field provider string

---Embeds one string or a list of strings.
---@param options llm.EmbedOptions
---@return llm.Embedding
function llm.embed(options) end

---@class llm.ConfigureOptions
---@field model? string Default model.
---@field provider? "anthropic"|"openai"|"gemini" Default provider for models whose family is unknown.
---@field anthropic? { base_url?: string, api_key?: string }
---@field openai? { base_url?: string, api_key?: string }
---@field gemini? { base_url?: string, api_key?: string }
---@field retry? llm.RetryOptions For plain calls (llm.chat, llm.stream, llm.embed without a client); default 2 retries.
---@field timeout? { connect?: number, first_token?: number, idle?: number, deadline?: number } For plain calls; defaults 10, 120, 60, none.
---@field concurrency? llm.ConcurrencyOptions For plain calls' routes.

---@class llm.RetryOptions
---@field max_retries? integer 0..100; default 2.
---@field base_delay? number Default 0.5 s.
---@field max_delay? number Default 8 s.
---@field max_retry_after? number Default 120 s; a longer retry-after moves on to the next provider.
---@field jitter? number 0..1; default 0.25.
---@field on_mid_stream? "fail"|"restart"|"continue" After the script saw content; default "fail".
---@field budget? number|false|{ share?: number, min_per_second?: number } The route's retry budget: share of calls over 10 s (default 0.2) plus a floor (default 10/s); false: none.

---@class llm.ConcurrencyOptions
---@field max? integer Upper bound of in-flight requests per route (default none but the learned limit).
---@field initial? integer Where the adaptive limit starts (default 20).
---@field adaptive? boolean Default true; false: a fixed limit of `max` (or none).

---Sets defaults for later calls.
---@param options llm.ConfigureOptions
function llm.configure(options) end

---@class llm.ProviderSpec
---@field name? string Name used in stats, events and client:breaker (default: the kind).
---@field kind? "anthropic"|"openai"|"gemini" Default: from the model name.
---@field model string
---@field base_url? string
---@field api_key? string

---@class llm.ClientOptions
---@field providers llm.ProviderSpec[] Tried in order (fallback chain).
---@field retry? llm.RetryOptions
---@field timeout? { connect?: number, first_token?: number, idle?: number, deadline?: number } Seconds; defaults 10, 60, 30, 300. connect and first_token start when the request is sent, not while it is queued.
---@field concurrency? llm.ConcurrencyOptions In-flight requests per route, adaptive by default.
---@field breaker? { failure_rate?: number, min_calls?: integer, window?: number, open_for?: number, half_open_calls?: integer } Defaults 0.5, 5, 60 s, 30 s, 1.
---@field rate? { rpm?: integer, tpm?: integer, queue?: integer, on_wait?: fun(ev: table) } Caps per route on top of what the provider's headers say, and the route's queue (default 100000). on_wait: { type = "rate_wait", wait =, provider =, cause =, queued =, position = }.
---@field budget? { usd?: number, tokens?: integer } Further calls fail with budget_exceeded once spent.
---@field prices? table<string, { input: number, output: number, cache_read?: number, cache_write?: number }> Dollars per million tokens, over stdlib/llm_prices.lua.
---@field should_retry? fun(err: llm.Error, attempt: integer): boolean? Return true/false to override the policy, nil to keep it.
---@field on_retry? fun(ev: table) Before each backoff wait: { type = "retry", wait =, provider =, attempt =, max_attempts =, error = }.
---@field on_fallback? fun(ev: table) When moving on: { type = "fallback", from =, to =, error = }.
---@field seed? integer Seeds the backoff jitter (replays repeat exactly).
---@field hedge_after? number Seconds without a first token before the next provider gets the same request; the first to stream wins, the other is cancelled. Events: { type = "hedge", from =, to = }.

---A resilient client: retries with backoff (honouring retry-after), timeouts,
---circuit breakers, a rate limiter with a queue, fallback from provider to
---provider, a budget, and metrics.
---@param options llm.ClientOptions
---@return llm.Client
function llm.client(options) end

---@class llm.Client
local Client = {}
---Like llm.chat (same options except model/provider/base_url/api_key, plus `priority`),
---through the client's policies. on_event also sees "retry", "fallback", "rate_wait" and "recovered" events.
---@param options llm.ChatOptions
---@return llm.Response
function Client:chat(options) end
---Like llm.stream, through the client's policies; the iterator also yields
---"retry", "fallback", "rate_wait" and "recovered" events.
---@param options llm.ChatOptions
---@return llm.Stream
function Client:stream(options) end
---Per provider: calls, errors, error_rate, attempts, p50_ms, p95_ms, p99_ms, ttft_p50_ms,
---ttft_p95_ms, input_tokens, output_tokens, cost_usd; plus total_cost_usd and total_tokens,
---and `routes`: a list of { name, model, concurrency_limit, in_flight, queued, retries_10s, calls_10s }.
---tostring() of the result is a printable table.
---@return table
function Client:stats() end
---The breaker of a provider: { state = "closed"|"open"|"half_open", open_for =, limited_for = }.
---@param name string
---@return table
function Client:breaker(name) end
---Closes the breaker of a provider.
---@param name string
function Client:reset_breaker(name) end

---Under `moonwire test`: calls after this replay (or, with mode, record) the
---cassette at `path`; nil goes back to the network. The test module calls it for
---`it(name, { cassette = "..." }, fn)`. Mode defaults to MOONWIRE_RECORD_MODE, else "none".
---@param path string?
---@param mode? "none"|"once"|"new"|"all"
function llm.use_cassette(path, mode) end

-- Tasks: Lua functions running side by side on Moonwire's one event loop.
-- Inside a task, every llm call that waits (chat, stream reads, embed,
-- task:wait, llm.wait_all, llm.sleep, llm.map) suspends the task and lets
-- the others run; in the main chunk the same call simply waits. A plain
-- coroutine (coroutine.create/wrap) cannot make such calls: use llm.spawn.

---@class llm.Task
local Task = {}

--- Starts `fn(...)` as a task (it runs from the loop's next turn) and returns it.
--- A script ends when its tasks have; a task that failed with nobody waiting
--- for it fails the script.
---@param fn function
---@param ... any Arguments for fn.
---@return llm.Task
function llm.spawn(fn, ...) end

--- Waits for the task and returns its results; if it failed, raises its error
--- here: a string error as "task N failed: <message>" with the task's
--- traceback, an error table (llm.Error) as it is, with a `traceback` field.
---@return any ...
function Task:wait() end

--- Stops the task: one not started never runs; one waiting has its call
--- aborted (the connection is closed) and raises a `cancelled` llm.Error.
function Task:cancel() end

--- "scheduled", "running", "waiting", "done", "failed" or "cancelled".
---@return string
function Task:status() end

--- Waits for every task; returns the first result of each, in order. If any
--- failed, raises the error of the first failed one once all are over.
---@param tasks llm.Task[]
---@return any[]
function llm.wait_all(tasks) end

--- Waits `seconds` on the loop's clock (instant under --replay at speed 0).
---@param seconds number
function llm.sleep(seconds) end

---@class llm.MapOptions
---@field concurrency? integer Items in flight at most (default 8, at least 1).
---@field ordered? boolean results[i] belongs to list[i] (default true); false: in completion order.
---@field on_error? "collect"|"raise" "collect" (default): a failed item's result is its error object; "raise": stop at the first failure (the items in flight are cancelled) and raise it.
---@field progress? boolean A progress bar on stderr when it is a terminal (done/total, rate, ETA, in flight, the limiter's wait), else one summary line at the end.

---@class llm.MapSummary
---@field total integer
---@field ok integer
---@field failed integer
---@field cancelled integer
---@field not_started integer
---@field elapsed number Seconds on the loop's clock.
---@field errors table<string, integer> Failed items by error kind ("script" for a Lua error).

--- Runs fn(item, index) for every item of `list` (a sequence without holes),
--- each in its own task, at most `concurrency` at a time, and returns the
--- results (results.n is #list) and a summary. A failed item's result is an
--- llm.Error table with `index` (a Lua error becomes kind "script", with
--- `traceback`). A raised error (on_error = "raise", Ctrl-C, cancel) carries
--- `results` and `summary`: finished results are never lost.
---@param list any[]
---@param fn fun(item: any, index: integer): any
---@param options? llm.MapOptions
---@return table results
---@return llm.MapSummary summary
function llm.map(list, fn, options) end

---@class llm.LogsOptions
---@field n? integer Rows at most, newest first (default 20; 0: all).
---@field model? string Rows of this model (asked for or answered).
---@field provider? string Rows of this provider or route.
---@field errors? boolean Only calls that failed.
---@field since? string A duration ("90s", "30m", "2h", "7d") or a UTC date/time.
---@field script? string Rows written by this script (its path as run).
---@field q? string Full-text search over prompts and answers (every word must match).
---@field run? string "current" (this run's calls) or a run id.

---@class llm.LogRow
---@field id integer
---@field run_id string
---@field started_at string UTC, ISO 8601.
---@field kind "chat"|"embedding"
---@field script? string
---@field args? string[] The script's arguments.
---@field provider? string
---@field route string
---@field model string The model asked for.
---@field response_model? string The model that answered.
---@field prompt? string
---@field response? string
---@field request? table The request as sent (secrets redacted).
---@field stop_reason? string
---@field usage llm.Usage
---@field cost_usd number
---@field latency_ms? number
---@field ttft_ms? number
---@field queue_wait_ms? number
---@field attempts integer
---@field retries integer
---@field hops integer Fallback hops.
---@field replayed boolean
---@field cassette? string
---@field error? { kind: string, status?: integer, message: string, request_id?: string }
---@field attempt_log table[] One entry per attempt: route, model, offset_ms, latency_ms, status, error_kind, error_message, request_id.
---@field tool_calls? { id?: string, name: string, arguments: any }[]

--- Rows of the call log (see `moonwire logs`), newest first, as tables.
--- This run's calls so far are written before the read.
---@param options? llm.LogsOptions
---@return llm.LogRow[]
function llm.logs(options) end
