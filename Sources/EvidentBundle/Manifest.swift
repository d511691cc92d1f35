import EvidentCore
import Foundation

/// `manifest.json`: what the bundle holds and where it came from. Signed (detached) when a key is given.
public struct BundleManifest: Codable, Sendable, Equatable {
    /// Who produced a file in git: first and last commit touching it and every author.
    public struct FileAttribution: Codable, Sendable, Equatable {
        public struct Event: Codable, Sendable, Equatable {
            public var commit: String
            public var author: String
            public var email: String
            public var date: String
            /// The commit's signature verdict (git's %G? letter); absent in bundles of evident 0.x.
            public var signature: Signature?
        }

        /// `{"status","format","signer","key"}`, as `log --format json` shows it.
        public struct Signature: Codable, Sendable, Equatable {
            public var status: String
            public var format: String?
            public var signer: String?
            public var key: String?
        }
        public var created: Event?
        public var lastChanged: Event?
        public var authors: [String]
        public var commits: Int

        enum CodingKeys: String, CodingKey {
            case created, lastChanged = "last-changed", authors, commits
        }
    }

    /// One file in the bundle.
    public struct File: Codable, Sendable, Equatable {
        /// Entry name in the zip.
        public var path: String
        public var sha256: String
        public var size: Int
        /// Git blob id of the bytes (for repository files, the blob in the exported commit).
        public var blob: String
        /// Path in the repository, for records and evidence files; absent for generated files.
        public var source: String?
        public var attribution: FileAttribution?
    }

    public struct Tool: Codable, Sendable, Equatable {
        public var name: String
        public var version: String
    }

    public struct CommitInfo: Codable, Sendable, Equatable {
        public var id: String
        /// Committer date, ISO 8601 UTC.
        public var date: String
        public var author: String
        public var summary: String
    }

    public var format: Int
    public var tool: Tool
    public var repository: String
    public var product: String
    public var commit: CommitInfo
    public var files: [File]

    public static let formatVersion = 1

    /// The exact bytes written: sorted keys, pretty-printed, trailing newline. The same bytes as
    /// `BundleJSON.encode` gives (a test holds them equal), written directly: `JSONEncoder` took a
    /// third of a second for the 20,000 files of a 10,000-record bundle.
    public func encoded() throws -> Data {
        var out = PrettyJSONWriter()
        out.open("{")
        out.key("commit", first: true, depth: 0)
        out.open("{")
        for (index, (key, value)) in [("author", commit.author), ("date", commit.date), ("id", commit.id), ("summary", commit.summary)].enumerated() {
            out.key(key, first: index == 0, depth: 1)
            out.string(value)
        }
        out.close("}", depth: 1)
        out.key("files", first: false, depth: 0)
        out.open("[")
        for (index, file) in files.enumerated() {
            out.element(first: index == 0, depth: 1)
            Self.write(file, to: &out, depth: 2)
        }
        out.close("]", depth: 1)
        out.key("format", first: false, depth: 0)
        out.value(format)
        out.key("product", first: false, depth: 0)
        out.string(product)
        out.key("repository", first: false, depth: 0)
        out.string(repository)
        out.key("tool", first: false, depth: 0)
        out.open("{")
        out.key("name", first: true, depth: 1)
        out.string(tool.name)
        out.key("version", first: false, depth: 1)
        out.string(tool.version)
        out.close("}", depth: 1)
        out.close("}", depth: 0)
        var data = Data(out.bytes)
        data.append(0x0A)
        return data
    }

    /// A file object: its keys and closing brace at `depth`, as `PrettyJSONWriter.key` and `close`
    /// take it (keys in sorted order, absent values left out).
    private static func write(_ file: File, to out: inout PrettyJSONWriter, depth: Int) {
        out.open("{")
        var first = true
        func key(_ name: String) {
            out.key(name, first: first, depth: depth)
            first = false
        }
        if let attribution = file.attribution {
            key("attribution")
            out.open("{")
            out.key("authors", first: true, depth: depth + 1)
            out.strings(attribution.authors, depth: depth + 2)
            out.key("commits", first: false, depth: depth + 1)
            out.value(attribution.commits)
            if let created = attribution.created {
                out.key("created", first: false, depth: depth + 1)
                write(created, to: &out, depth: depth + 2)
            }
            if let lastChanged = attribution.lastChanged {
                out.key("last-changed", first: false, depth: depth + 1)
                write(lastChanged, to: &out, depth: depth + 2)
            }
            out.close("}", depth: depth + 1)
        }
        key("blob")
        out.string(file.blob)
        key("path")
        out.string(file.path)
        key("sha256")
        out.string(file.sha256)
        key("size")
        out.value(file.size)
        if let source = file.source {
            key("source")
            out.string(source)
        }
        out.close("}", depth: depth)
    }

    private static func write(_ event: FileAttribution.Event, to out: inout PrettyJSONWriter, depth: Int) {
        out.open("{")
        for (index, (key, value)) in [("author", event.author), ("commit", event.commit), ("date", event.date), ("email", event.email)].enumerated() {
            out.key(key, first: index == 0, depth: depth)
            out.string(value)
        }
        if let signature = event.signature {
            out.key("signature", first: false, depth: depth)
            out.open("{")
            var first = true
            for (key, value) in [("format", signature.format), ("key", signature.key), ("signer", signature.signer), ("status", signature.status)] {
                guard let value else { continue }
                out.key(key, first: first, depth: depth + 1)
                out.string(value)
                first = false
            }
            out.close("}", depth: depth + 1)
        }
        out.close("}", depth: depth)
    }
}

extension BundleManifest {
    public static func decode(_ data: Data) throws -> BundleManifest {
        try JSONDecoder().decode(BundleManifest.self, from: data)
    }
}

/// `manifest.json.sig` as evident 0.x wrote it: a JSON detached Ed25519 signature over the exact bytes of
/// `manifest.json`. Read by `verify` for old bundles; new bundles carry an SSH signature (SSHSIG) instead.
public struct BundleSignature: Codable, Sendable, Equatable {
    public var algorithm: String
    /// SHA-256 of the raw public key, hex.
    public var keyFingerprint: String
    /// Base64 signature.
    public var signature: String

    enum CodingKeys: String, CodingKey {
        case algorithm, keyFingerprint = "key-fingerprint", signature
    }

    public func encoded() throws -> Data { try BundleJSON.encode(self) }
}

/// How the bundle writes its JSON files: sorted keys, pretty-printed, no escaped slashes, trailing newline.
enum BundleJSON {
    static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(value)
        data.append(0x0A)
        return data
    }
}

/// Names the bundle reserves for itself.
public enum BundleLayout {
    public static let manifest = "manifest.json"
    public static let signature = "manifest.json.sig"
    public static let attestation = "attestation.intoto.json"
    /// The SSHSIG namespace of `manifest.json.sig` (`ssh-keygen -Y verify -n evident`).
    public static let signatureNamespace = "evident"
    public static let index = "index.html"
    public static let coverage = "coverage.json"
    public static let findings = "findings.json"
    public static let traceJSON = "trace.json"
    public static let traceHTML = "trace.html"
    public static let recordsFolder = "records/"
    public static let pagesFolder = "pages/"

    /// Whether an entry name is safe to hold: relative, `/`-separated, no `.`/`..`/empty components, no backslash or NUL.
    public static func isSafeEntryName(_ name: String) -> Bool {
        guard !name.isEmpty, !name.hasPrefix("/"), !name.contains("\\"), !name.contains("\0") else { return false }
        if name.count >= 2, name.dropFirst().first == ":" { return false }
        let components = name.split(separator: "/", omittingEmptySubsequences: false)
        return !components.contains { $0.isEmpty || $0 == "." || $0 == ".." }
    }
}
