// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "evident",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "evident", targets: ["evident"]),
        .library(name: "EvidentCore", targets: ["EvidentCore"]),
        .library(name: "JSONSchema", targets: ["JSONSchema"]),
        .library(name: "GitKit", targets: ["GitKit"]),
        .library(name: "Signatures", targets: ["Signatures"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        // libgit2 from the system (Debian: libgit2-dev, found through pkg-config).
        .systemLibrary(
            name: "CLibGit2",
            pkgConfig: "libgit2",
            providers: [.apt(["libgit2-dev", "pkg-config"]), .brew(["libgit2", "pkg-config"])]
        ),
        // libdeflate from the system (Debian: libdeflate-dev): the bundle's files are deflated with it,
        // about 2.5 times faster than zlib at the same level.
        .systemLibrary(name: "EvidentDeflate", pkgConfig: "libdeflate", providers: [.apt(["libdeflate-dev"]), .brew(["libdeflate"])]),
        // A small, typed Swift wrapper over libgit2.
        .target(name: "GitKit", dependencies: ["CLibGit2"]),
        // JSON Schema (2020-12 and draft-07) validator; depends on nothing but Foundation.
        .target(name: "JSONSchema"),
        // Vulnerability formats: CVSS vectors and scores, CSAF 2.0 (document, writer, checker), VEX
        // (OpenVEX, CycloneDX) and, beside them, scanner readers.
        .target(name: "Vulnerabilities", dependencies: ["JSONSchema"]),
        // Signature formats: OpenSSH keys, SSHSIG, allowed-signers files, DSSE/in-toto, OpenPGP packets.
        .target(
            name: "Signatures",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        // Build-time tool that embeds catalog/, schema/ and templates/ into the binary.
        .executableTarget(name: "EmbedTool", path: "Sources/EmbedTool"),
        .plugin(name: "EmbedResources", capability: .buildTool(), dependencies: ["EmbedTool"]),
        // The domain: records, catalog, configuration, rules, coverage, reporters, attribution.
        .target(
            name: "EvidentCore",
            dependencies: [
                "GitKit", "JSONSchema", "Vulnerabilities", "Signatures", "EvidentDeflate",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            plugins: ["EmbedResources"]
        ),
        // Disclosure: advisories as CSAF 2.0, VEX (OpenVEX, CycloneDX, CSAF) from the records and git.
        .target(name: "EvidentDisclosure", dependencies: [
            "EvidentCore", "Vulnerabilities", "GitKit", "JSONSchema", .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // The SDLA audit bundle: export, verify, HTML report.
        .target(
            name: "EvidentBundle",
            dependencies: [
                "EvidentCore", "EvidentDisclosure", "GitKit", "Signatures", "EvidentDeflate",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        // Command-line surface: argument parsing and mapping results to output and exit codes.
        .target(
            name: "EvidentCLI",
            dependencies: [
                "EvidentCore", "EvidentBundle", "EvidentDisclosure", "JSONSchema", "GitKit", "Vulnerabilities",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "evident", dependencies: ["EvidentCLI"]),
        .testTarget(name: "GitKitTests", dependencies: ["GitKit"]),
        .testTarget(name: "SignaturesTests", dependencies: ["Signatures", "GitKit"]),
        .testTarget(name: "VulnerabilitiesTests", dependencies: ["Vulnerabilities"], exclude: ["Fixtures"]),
        .testTarget(name: "JSONSchemaTests", dependencies: ["JSONSchema"], exclude: ["known-failures.txt"]),
        .testTarget(name: "EvidentCoreTests", dependencies: ["EvidentCore", "GitKit", "Vulnerabilities"], exclude: ["Fixtures"]),
        .testTarget(name: "EvidentDisclosureTests", dependencies: ["EvidentDisclosure", "EvidentCore", "Vulnerabilities", "JSONSchema", "GitKit"]),
        .testTarget(name: "EvidentBundleTests", dependencies: ["EvidentBundle", "EvidentCore", "GitKit", "Signatures"]),
        .testTarget(name: "EvidentCLITests", dependencies: ["EvidentCLI", "EvidentCore", "JSONSchema"], exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v5]
)

// libFuzzer targets, declared only when EVIDENT_FUZZ=1 (scripts/fuzz), so a plain `swift build` or
// `swift test` never sees them. scripts/fuzz instruments every module with `-sanitize=address` and
// `-sanitize-coverage`; only these targets link libFuzzer (`-sanitize=fuzzer`): passing that flag to
// every module would also link libFuzzer's `main` into the EmbedTool build tool, which has its own.
if Context.environment["EVIDENT_FUZZ"] == "1" {
    let fuzzTargets: [(String, [Target.Dependency])] = [
        ("FuzzRecord", ["EvidentCore"]),
        ("FuzzConfig", ["EvidentCore"]),
        ("FuzzJSON", ["EvidentCore", "JSONSchema"]),
        ("FuzzBundle", ["EvidentBundle"]),
        ("FuzzCVSS", ["Vulnerabilities"]),
    ]
    package.targets.append(.target(name: "FuzzSupport"))
    for (name, dependencies) in fuzzTargets {
        package.targets.append(.executableTarget(name: name, dependencies: dependencies + ["FuzzSupport"],
                                                 swiftSettings: [.unsafeFlags(["-parse-as-library"])],
                                                 linkerSettings: [.unsafeFlags(["-sanitize=fuzzer"])]))
        package.products.append(.executable(name: name, targets: [name]))
    }
}
