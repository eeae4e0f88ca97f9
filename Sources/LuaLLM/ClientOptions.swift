// Reads llm.client{...} into a ResilienceConfig and Lua hooks; every mistake
// names the field (`providers[2].kind`, `retry.base_delay`).
import LLMCore
import LLMProviders
import LLMTransport
import LuaBridge

struct ClientOptions {
    var config: ResilienceConfig
    var shouldRetry: LuaRef?
    var onRetry: LuaRef?
    var onFallback: LuaRef?
    var onWait: LuaRef?

    static let keys: Set<String> = ["providers", "retry", "timeout", "breaker", "rate", "budget", "should_retry", "on_retry", "on_fallback", "seed", "prices", "hedge_after", "concurrency", "max_response_bytes"]

    static func read(_ call: LuaCall, configuration: LLMConfiguration) throws -> ClientOptions {
        try call.checkTable(1)
        try call.checkOptions(1, allowed: keys)
        let o = LuaOptions(call, at: 1)
        guard try o.pushTable("providers") else { throw LuaArgumentError(argument: 1, "field 'providers' is required (a list of providers)") }
        let routes: [Route]
        do {
            defer { call.pop() }
            routes = try readRoutes(call, configuration: configuration)
        }
        var options = ClientOptions(config: ResilienceConfig(routes: routes))
        try readRetryAndTimeouts(call, o, function: "client", into: &options.config)
        try section(call, o, "breaker", ["failure_rate", "min_calls", "window", "open_for", "half_open_calls"]) { s in
            if let v = try s.number("failure_rate") {
                guard v > 0 && v <= 1 else { throw LuaArgumentError(argument: 1, "field 'breaker.failure_rate' must be in (0, 1]") }
                options.config.breaker.failureRate = v
            }
            if let v = try s.integer("min_calls") { options.config.breaker.minCalls = Int(try amount(Double(v), "breaker.min_calls")) }
            if let v = try s.number("window") { options.config.breaker.window = try positive(v, "breaker.window") }
            if let v = try s.number("open_for") { options.config.breaker.openFor = try positive(v, "breaker.open_for") }
            if let v = try s.integer("half_open_calls") { options.config.breaker.halfOpenCalls = Int(try amount(Double(v), "breaker.half_open_calls")) }
        }
        try section(call, o, "rate", ["rpm", "tpm", "queue", "on_wait"]) { s in
            var policy = RateLimitPolicy()
            if let v = try s.integer("rpm") { policy.requestsPerMinute = Int(try amount(Double(v), "rate.rpm")) }
            if let v = try s.integer("tpm") { policy.tokensPerMinute = Int(try amount(Double(v), "rate.tpm")) }
            if let v = try s.integer("queue") { policy.queueLimit = Int(try amount(Double(v), "rate.queue", allowZero: true)) }
            options.config.rate = policy
            options.onWait = try s.function("on_wait")
        }
        try section(call, o, "budget", ["usd", "tokens"]) { s in
            if let v = try s.number("usd") { options.config.budget.usd = try amount(v, "budget.usd") }
            if let v = try s.integer("tokens") { options.config.budget.tokens = Int(try amount(Double(v), "budget.tokens")) }
        }
        options.config.prices = try PriceTable.load(call, override: o)
        if let seed = try o.integer("seed") { options.config.seed = UInt64(bitPattern: seed) }
        if let after = try o.number("hedge_after") { options.config.hedgeAfter = try positive(after, "hedge_after") }
        options.shouldRetry = try o.function("should_retry")
        options.onRetry = try o.function("on_retry")
        options.onFallback = try o.function("on_fallback")
        return options
    }

    private static func readRoutes(_ call: LuaCall, configuration: LLMConfiguration) throws -> [Route] {
        let t = call.absolute(-1)
        let n = Int(call.rawLength(t))
        guard n > 0 else { throw LuaArgumentError(argument: 1, "field 'providers' is empty: give at least one provider") }
        var routes: [Route] = []
        for i in 1...n {
            call.pushIndex(t, Int64(i))
            defer { call.pop() }
            let field = "providers[\(i)]"
            guard call.type(-1) == .table else { throw LuaArgumentError(argument: 1, "field '\(field)' must be a table, got \(call.typeName(-1))") }
            do {
                try call.checkOptions(-1, allowed: ["name", "kind", "model", "base_url", "api_key", "headers"])
            } catch let e as LuaRuntimeError {
                throw LuaRuntimeError(e.message.replacingOccurrences(of: "to 'client'", with: "in '\(field)'"))
            }
            let p = LuaOptions(call, at: -1, argument: 1)
            guard let model = try p.string("model") else { throw LuaArgumentError(argument: 1, "field '\(field).model' is required") }
            let baseURL = try p.string("base_url")
            var kind: ProviderKind
            if let k = try p.string("kind") {
                kind = try LLMConfiguration.kind(named: k, field: "\(field).kind", argument: 1)
            } else {
                kind = try configuration.kind(forModel: model, explicit: nil, baseURL: baseURL)
            }
            let name = try p.string("name") ?? kind.rawValue
            guard !routes.contains(where: { $0.name == name }) else {
                throw LuaArgumentError(argument: 1, "field '\(field).name': two providers are named '\(name)'")
            }
            let headers = try HeaderOptions.read(call, p, field: "\(field).headers")
            let provider = try configuration.provider(kind: kind, baseURL: baseURL, apiKey: try p.string("api_key"), name: name, headers: headers)
            routes.append(Route(name: name, provider: provider, model: model))
        }
        return routes
    }

    /// The `retry`, `timeout` and `concurrency` sections, which llm.client
    /// and llm.configure (for plain calls) share.
    static func readRetryAndTimeouts(_ call: LuaCall, _ o: LuaOptions, function: String, into config: inout ResilienceConfig) throws {
        if let v = try o.integer("max_response_bytes") {
            guard v >= 1024 && v <= 1 << 40 else {
                throw LuaArgumentError(argument: 1, "field 'max_response_bytes' must be between 1024 and 1099511627776, got \(v)")
            }
            config.maxResponseBytes = Int(v)
        }
        try section(call, o, "retry", ["max_retries", "base_delay", "max_delay", "max_retry_after", "jitter", "on_mid_stream", "budget"], function: function) { s in
            if let v = try s.number("jitter") {
                guard v >= 0 && v <= 1 else { throw LuaArgumentError(argument: 1, "field 'retry.jitter' must be between 0 and 1") }
                config.retry.jitter = v
            }
            if let v = try s.integer("max_retries") {
                guard v >= 0 && v <= 100 else { throw LuaArgumentError(argument: 1, "field 'retry.max_retries' must be between 0 and 100, got \(v)") }
                config.retry.maxRetries = Int(v)
            }
            if let v = try s.number("base_delay") { config.retry.baseDelay = try nonNegative(v, "retry.base_delay") }
            if let v = try s.number("max_delay") { config.retry.maxDelay = try nonNegative(v, "retry.max_delay") }
            if let v = try s.number("max_retry_after") { config.retry.maxRetryAfter = try nonNegative(v, "retry.max_retry_after") }
            if let v = try s.string("on_mid_stream") {
                guard let mode = StreamRecovery(rawValue: v) else {
                    throw LuaArgumentError(argument: 1, "field 'retry.on_mid_stream' must be \"fail\", \"restart\" or \"continue\", got \"\(v)\"")
                }
                config.retry.streamRecovery = mode
            }
            call.rawField(-1, "budget")
            defer { call.pop() }
            switch call.type(-1) {
            case .nil_: break
            case .boolean where !call.boolean(-1): config.retry.budget = nil
            case .boolean: config.retry.budget = RetryBudgetPolicy()
            case .number:
                let share = try call.number(-1)
                guard share >= 0 && share <= 10 else { throw LuaArgumentError(argument: 1, "field 'retry.budget' must be between 0 and 10 (a share of calls) or false, got \(share)") }
                config.retry.budget = RetryBudgetPolicy(share: share)
            case .table:
                try call.checkOptions(-1, allowed: ["share", "min_per_second"])
                let b = LuaOptions(call, at: -1, argument: 1)
                var policy = RetryBudgetPolicy()
                if let v = try b.number("share") {
                    guard v >= 0 && v <= 10 else { throw LuaArgumentError(argument: 1, "field 'retry.budget.share' must be between 0 and 10, got \(v)") }
                    policy.share = v
                }
                if let v = try b.number("min_per_second") {
                    guard v >= 0 && v <= 1e6 else { throw LuaArgumentError(argument: 1, "field 'retry.budget.min_per_second' must be between 0 and 1000000, got \(v)") }
                    policy.minPerSecond = v
                }
                config.retry.budget = policy
            default:
                throw LuaArgumentError(argument: 1, "field 'retry.budget' must be a number (a share of calls, e.g. 0.2), a table { share =, min_per_second = } or false, got \(call.typeName(-1))")
            }
        }
        try section(call, o, "timeout", ["connect", "first_token", "idle", "deadline"], function: function) { s in
            func read(_ key: String) throws -> Double? { try s.number(key).map { try positive($0, "timeout.\(key)") } }
            if let v = try read("connect") { config.timeouts.connect = v }
            if let v = try read("first_token") { config.timeouts.firstToken = v }
            if let v = try read("idle") { config.timeouts.idle = v }
            if let v = try read("deadline") { config.timeouts.deadline = v }
        }
        try section(call, o, "concurrency", ["max", "initial", "adaptive"], function: function) { s in
            if let v = try s.integer("max") {
                guard v >= 1 && v <= 1_000_000 else { throw LuaArgumentError(argument: 1, "field 'concurrency.max' must be between 1 and 1000000, got \(v)") }
                config.concurrency.max = Int(v)
            }
            if let v = try s.integer("initial") {
                guard v >= 1 && v <= 1_000_000 else { throw LuaArgumentError(argument: 1, "field 'concurrency.initial' must be between 1 and 1000000, got \(v)") }
                config.concurrency.initial = Int(v)
            }
            if let v = try s.boolean("adaptive") { config.concurrency.adaptive = v }
        }
    }

    private static func section(_ call: LuaCall, _ o: LuaOptions, _ key: String, _ allowed: Set<String>, function: String = "client",
                                _ body: (LuaOptions) throws -> Void) throws {
        guard try o.pushTable(key) else { return }
        defer { call.pop() }
        do {
            try call.checkOptions(-1, allowed: allowed)
        } catch let e as LuaRuntimeError {
            throw LuaRuntimeError(e.message.replacingOccurrences(of: "to '\(function)'", with: "in '\(key)' of '\(function)'")
                .replacingOccurrences(of: "to 'client'", with: "in '\(key)' of '\(function)'"))
        }
        try body(LuaOptions(call, at: -1, argument: 1))
    }

    /// The longest delay or timeout a script may set, in seconds (a year):
    /// every duration becomes milliseconds and timer ticks without overflow.
    static let maxSeconds = 31_536_000.0
    /// The largest count (rpm, tokens, a queue) or amount a script may set.
    static let maxCount = 1e12

    /// A duration in seconds, 0 allowed.
    private static func nonNegative(_ v: Double, _ field: String) throws -> Double {
        try checked(v, field, allowZero: true, upTo: maxSeconds, unit: " seconds")
    }

    /// A duration in seconds, more than 0.
    private static func positive(_ v: Double, _ field: String) throws -> Double {
        try checked(v, field, allowZero: false, upTo: maxSeconds, unit: " seconds")
    }

    /// A count or an amount (rpm, tokens, dollars), more than 0 unless `allowZero`.
    private static func amount(_ v: Double, _ field: String, allowZero: Bool = false) throws -> Double {
        try checked(v, field, allowZero: allowZero, upTo: maxCount, unit: "")
    }

    private static func checked(_ v: Double, _ field: String, allowZero: Bool, upTo limit: Double, unit: String) throws -> Double {
        guard allowZero ? v >= 0 : v > 0, v <= limit else {
            let low = allowZero ? "between 0 and" : "more than 0 and at most"
            let shown = v.isFinite && v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : "\(v)"
            throw LuaArgumentError(argument: 1, "field '\(field)' must be \(low) \(limit == maxCount ? "1e12" : String(Int(limit)))\(unit), got \(shown)")
        }
        return v
    }
}
