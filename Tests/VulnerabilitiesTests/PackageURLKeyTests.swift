import Foundation
import Testing
@testable import Vulnerabilities

/// `PackageURL.key` takes plain ASCII purls byte by byte; the general, Character-wise form is the
/// reference: both must give the same key for every purl of the corpus's SBOMs and scanner files, and
/// for the spellings below.
struct PackageURLKeyTests {
    static let corpora = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/corpora")

    static let spellings = [
        "pkg:npm/lodash@4.17.21", "PKG:NPM/LoDash@4.17.21", "pkg:npm/@scope/name@1.0.0", "pkg://npm//a//b/@1",
        "pkg:PyPI/Django_Rest.Framework@3.1", "pkg:pypi/a_b.c", "pkg:maven/org.apache/commons@1.0#sub/path",
        "pkg:deb/debian/openssl@1.1.1n-0+deb11u3?arch=amd64&distro=debian-11", "pkg:golang/GitHub.com/Foo/Bar@v1.2.3",
        "pkg:generic/a@b@c", "pkg:generic/@only-version", "pkg:npm/", "pkg:npm", "pkg:", "pkg:/x", "Pkg:npm/a", "npm/a@1",
        "pkg:npm/a@", "pkg:npm/a?x=@1", "pkg:npm/a#@1", "pkg:npm/a/?q", "pkg:docker/library/nginx@sha256:abc?repository_url=x",
        "pkg:npm/%40scope/name@1.0.0", "pkg:npm/caf\u{E9}@1", "pkg:npm/a\r\nb@1", "", "pkg:gem/Rails@7/", "pkg:cargo/Serde@1.0//",
    ]

    /// Every `"purl": "..."` string of the JSON files under the corpus folders named.
    static func corpusPurls() -> [String] {
        var purls = Set<String>()
        for folder in ["cyclonedx", "scanners", "spdx", "osv"] {
            let root = corpora.appendingPathComponent(folder)
            guard let files = FileManager.default.enumerator(atPath: root.path) else { continue }
            for case let file as String in files where file.hasSuffix(".json") {
                guard let data = FileManager.default.contents(atPath: root.appendingPathComponent(file).path),
                      let json = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else { continue }
                collect(json, into: &purls)
            }
        }
        return purls.sorted()
    }

    static func collect(_ json: Any, into purls: inout Set<String>) {
        if let object = json as? [String: Any] {
            for (key, value) in object {
                if let text = value as? String, key.lowercased().contains("purl") || text.hasPrefix("pkg:") { purls.insert(text) } else { collect(value, into: &purls) }
            }
        } else if let array = json as? [Any] {
            for item in array { collect(item, into: &purls) }
        }
    }

    @Test func theByteFormEqualsTheCharacterFormOnTheCorpus() {
        let purls = Self.corpusPurls()
        #expect(purls.count > 1000, "corpus purls: \(purls.count)")
        for purl in purls + Self.spellings {
            #expect(PackageURL.key(purl) == PackageURL.keyByCharacters(purl), "\(purl)")
        }
    }

    @Test func plainASCIITakesTheByteForm() {
        #expect(PackageURL.key("PKG:NPM/LoDash@4.17.21") == "pkg:npm/lodash@4.17.21")
        guard case .key = "pkg:npm/a@1".utf8CString.withUnsafeBufferPointer({ buffer in
            buffer.withMemoryRebound(to: UInt8.self) { PackageURL.asciiKey(UnsafeBufferPointer(rebasing: $0.dropLast())) }
        }) else { Issue.record("a plain ASCII purl should take the byte form"); return }
        guard case .notPlainASCII = "pkg:npm/%40a@1".utf8CString.withUnsafeBufferPointer({ buffer in
            buffer.withMemoryRebound(to: UInt8.self) { PackageURL.asciiKey(UnsafeBufferPointer(rebasing: $0.dropLast())) }
        }) else { Issue.record("a purl with a percent-escape should take the general form"); return }
    }
}

/// `PackageURL.canonical` takes ASCII purls byte by byte; the Character-wise form is the reference.
struct PackageURLCanonicalTests {
    static let spellings = PackageURLKeyTests.spellings + [
        "pkg:deb/debian/curl@7.50.3-1?Distro=jessie&ARCH=i386", "pkg:npm/a@1?b=2&&a=1&", "pkg:npm/a@1?", "pkg:npm/a@1?#sub",
        "pkg:npm/a@1?z&A=1&a=0", "pkg:npm/a@1#x?y=1&a=2", "PKG:Maven/Org/A@1?Type=JAR&classifier=Sources#Sub/Path",
        "pkg:npm/a@1?q=caf\u{E9}&a=1", "pkg:npm/a@1?k=\r\n&a=1", "no-colon/At@All?B=1", ":/x?b&a", "?a&B", "#only",
    ]

    @Test func theByteFormEqualsTheCharacterFormOnTheCorpus() {
        let purls = PackageURLKeyTests.corpusPurls()
        #expect(purls.count > 1000, "corpus purls: \(purls.count)")
        for purl in purls + Self.spellings {
            #expect(PackageURL.canonical(purl) == PackageURL.canonicalByCharacters(purl), "\(purl)")
        }
    }

    @Test func plainASCIITakesTheByteForm() {
        var ascii = "PKG:NPM/LoDash@4.17.21?B=2&a=1"
        #expect(ascii.withUTF8 { PackageURL.asciiCanonical($0) } == "pkg:npm/LoDash@4.17.21?a=1&b=2")
        var accented = "pkg:npm/caf\u{E9}@1"
        #expect(accented.withUTF8 { PackageURL.asciiCanonical($0) } == nil)
        #expect(PackageURL.canonical(accented) == "pkg:npm/caf\u{E9}@1")
    }
}
