// swift-tools-version:6.0
// Moonwire: a Swift host that embeds Lua 5.4 and gives scripts a fast, reliable
// client for LLM APIs. Targets are layers; imports only go down (see README).
import PackageDescription

let package = Package(
    name: "Moonwire",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "moonwire", targets: ["moonwire"]),
        .executable(name: "moonwire-bench", targets: ["MoonwireBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/apple/swift-nio", exact: "2.101.3"),
    ],
    targets: [
        // System libraries, found with pkg-config; apt names for a helpful error.
        .systemLibrary(name: "CLua", pkgConfig: "lua5.4", providers: [.apt(["liblua5.4-dev"])]),
        // curl's headers only: libcurl itself is loaded with the first request (CShims/curl_library.c).
        .systemLibrary(name: "CCurl", path: "Sources/CCurl"),
        .systemLibrary(name: "CEditline", pkgConfig: "libedit", providers: [.apt(["libedit-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        // C only: inline wrappers for Lua macros and the one trampoline that raises Lua errors;
        // the REPL's Ctrl-C handler and interrupt hook, and libedit's settings.
        .target(name: "CShims", dependencies: ["CLua", "CCurl", "CEditline"]),
        .target(name: "CSpawn"),

        // Pure Swift layers.
        .target(name: "JSON"),
        .target(name: "LLMCore", dependencies: ["JSON"]),
        .target(name: "LLMProviders", dependencies: ["LLMCore", "JSON"]),
        .target(name: "LLMTransport", dependencies: ["LLMCore", "LLMProviders", "CShims", "CCurl", "JSON"]),
        .target(name: "LuaBridge", dependencies: ["CShims", "CLua", "JSON"]),
        // The call log: every call in a SQLite database (the system's libsqlite3), read by `moonwire logs` and llm.logs.
        .target(name: "CallLog", dependencies: ["LLMCore", "JSON", "CSQLite"]),
        // CLua and CShims: the few places that walk Lua tables or raise errors on the C API directly (LuaTask, MapFunction, JSONModule).
        .target(name: "LuaLLM", dependencies: ["LuaBridge", "LLMCore", "LLMProviders", "LLMTransport", "CallLog", "JSON", "CLua", "CShims"]),
        // The interactive REPL (lua.c's behaviour on libedit) behind a LineReader protocol.
        .target(name: "REPL", dependencies: ["LuaBridge", "LuaLLM", "LLMCore", "CEditline", "CShims", "CLua"]),
        // Loopback HTTP server playing scripted responses, for tests and `moonwire serve`.
        .target(name: "FakeProvider", dependencies: [
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        // vcrpy / pytest-recording YAML cassettes (gzip bodies, parsed_body) read
        // and converted to Moonwire cassettes: `moonwire cassette import`, and tests.
        .target(name: "VCRImport", dependencies: ["LLMCore", "JSON", "CZlib", .product(name: "Yams", package: "Yams")]),
        .executableTarget(
            name: "moonwire",
            dependencies: [
                "LuaBridge", "LuaLLM", "LLMCore", "LLMProviders", "LLMTransport", "REPL", "FakeProvider", "VCRImport", "CallLog", "JSON", "CLua", "CShims",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // scripts/bench: the performance budget, measured against a FakeProvider.
        .executableTarget(name: "MoonwireBench", dependencies: ["LuaBridge", "LuaLLM", "LLMTransport", "CallLog", "FakeProvider", "JSON"], path: "Sources/MoonwireBench"),
        .target(
            name: "TestSupport",
            dependencies: ["LuaBridge", "LuaLLM", "LLMCore", "LLMTransport", "JSON", "VCRImport", "CSpawn"]
        ),

        .testTarget(name: "FakeProviderTests", dependencies: ["FakeProvider"]),
        .testTarget(name: "JSONTests", dependencies: ["JSON"]),
        .testTarget(name: "CallLogTests", dependencies: ["CallLog", "LLMCore", "JSON", "TestSupport"]),
        .testTarget(name: "LLMCoreTests", dependencies: ["LLMCore", "TestSupport"]),
        .testTarget(name: "LLMProvidersTests", dependencies: ["LLMProviders", "LLMCore", "JSON", "TestSupport"]),
        .testTarget(name: "LLMTransportTests", dependencies: ["LLMTransport", "LLMProviders", "LLMCore", "FakeProvider"]),
        .testTarget(name: "LuaBridgeTests", dependencies: ["LuaBridge", "TestSupport", "CShims", "CLua"]),
        .testTarget(name: "LuaLLMTests", dependencies: ["LuaLLM", "LuaBridge", "LLMCore", "JSON", "FakeProvider", "TestSupport"]),
        .testTarget(name: "MoonwireCLITests", dependencies: ["TestSupport", "FakeProvider", "LLMCore", "LLMProviders", "JSON"]),
        .testTarget(name: "REPLTests", dependencies: ["REPL", "LuaBridge", "LuaLLM", "LLMCore", "LLMTransport", "FakeProvider", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
