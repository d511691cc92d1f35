import Foundation
import JSONSchema

/// Reads a scanner's JSON output into a `ScanReport`: decodes the bytes (UTF-8, or UTF-16 with a
/// byte-order mark as PowerShell redirection writes it), tolerates text a shell mixed in around the
/// document (stderr lines), detects the format unless one is named, and hands over to its reader.
public enum ScannerReader {
    /// The largest file read: a real report of tens of thousands of findings is tens of megabytes.
    public static let defaultMaxBytes = 128 << 20
    /// Deeper nesting than any scanner writes; deeper input is refused, never a stack overflow.
    public static let maxDepth = 64

    public static func read(_ data: Data, format requested: ScannerFormat? = nil, maxBytes: Int = defaultMaxBytes) throws -> ScanReport {
        guard data.count <= maxBytes else { throw ScannerError.tooLarge(bytes: data.count, limit: maxBytes) }
        var notes: [String] = []
        let text = try decode(data)
        let value: JSONValue
        do {
            value = try JSONValue.parse(text, maxDepth: maxDepth)
        } catch let error as JSONParseError {
            // A shell that redirected stderr too leaves log lines around the document: read the part
            // from the first line that opens a JSON object to the last closing brace, if that parses.
            guard let (inner, dropped) = embeddedDocument(text), let parsed = try? JSONValue.parse(inner, maxDepth: maxDepth) else {
                throw ScannerError.notJSON(line: error.line, column: error.column, reason: error.message)
            }
            value = parsed
            notes.append("ignored \(dropped) lines of text around the JSON document (stderr mixed into the file?)")
        }
        let format = try requested ?? detect(value)
        var report: ScanReport
        switch format {
        case .grype: report = try GrypeReader.read(value)
        case .trivy: report = try TrivyReader.read(value)
        case .osvScanner: report = try OSVScannerReader.read(value)
        case .cyclonedx: report = try CycloneDXReader.read(value)
        case .dependencyTrack: report = try DependencyTrackReader.read(value)
        case .snyk: report = try SnykReader.read(value)
        case .npmAudit: report = try NPMAuditReader.read(value)
        case .pipAudit: report = try PipAuditReader.read(value)
        }
        report.notes = notes + report.notes
        report.findings = try deduplicated(report.findings)
        return report
    }

    /// Which format a parsed document is, from the keys each tool always writes.
    public static func detect(_ value: JSONValue) throws -> ScannerFormat {
        if case .null = value {
            throw ScannerError.unknownFormat("the file is the JSON literal null (old Trivy writes that when it finds nothing); name the scanner with --scanner trivy to import it as empty")
        }
        if let items = value.arrayValue {
            guard let first = items.first?.objectValue else {
                throw ScannerError.unknownFormat(items.isEmpty ? "an empty list (name the scanner with --scanner)" : "a list of \(items[0].typeName)s")
            }
            if first["Target"] != nil { return .trivy }
            if first["vulnerabilities"] != nil && (first["packageManager"] != nil || first["projectName"] != nil) { return .snyk }
            if first["name"] != nil && first["vulns"] != nil { return .pipAudit }
            throw ScannerError.unknownFormat("a list whose first entry has keys \(keyList(first))")
        }
        guard let object = value.objectValue else { throw ScannerError.unknownFormat("a JSON \(value.typeName), not an object") }
        if object["matches"] != nil && (object["descriptor"] != nil || object["source"] != nil) { return .grype }
        if object["SchemaVersion"] != nil || (object["ArtifactName"] != nil && object["Results"] != nil) || object["ClusterName"] != nil { return .trivy }
        if object["bomFormat"]?.stringValue == "CycloneDX" { return .cyclonedx }
        if object["findings"] != nil && (object["meta"] != nil || object["project"] != nil) { return .dependencyTrack }
        if object["results"]?.arrayValue != nil { return .osvScanner }
        if object["auditReportVersion"] != nil || object["advisories"] != nil || (object["error"] != nil && object.count == 1) { return .npmAudit }
        if object["vulnerabilities"]?.arrayValue != nil && (object["packageManager"] != nil || object["projectName"] != nil || object["ok"] != nil) { return .snyk }
        if object["dependencies"]?.arrayValue != nil { return .pipAudit }
        throw ScannerError.unknownFormat("an object with keys \(keyList(object))")
    }

    static func keyList(_ object: JSONObject) -> String {
        let keys = object.keys.prefix(6).map { "'\(String($0.unicodeScalars.filter { !CharacterSet.controlCharacters.contains($0) }).prefix(40))'" }
        return keys.isEmpty ? "(none)" : keys.joined(separator: ", ") + (object.count > 6 ? ", ..." : "")
    }

    /// The file's text: UTF-8 (a byte-order mark dropped) or UTF-16 with its byte-order mark (a stray
    /// odd last byte, as a redirected newline leaves it, dropped).
    static func decode(_ data: Data) throws -> String {
        let bytes = [UInt8](data.prefix(3))
        if bytes.count >= 2, (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) {
            let little = bytes[0] == 0xFF
            var body = data.dropFirst(2)
            if body.count % 2 == 1 { body = body.dropLast() }
            guard let text = String(data: Data(body), encoding: little ? .utf16LittleEndian : .utf16BigEndian) else {
                throw ScannerError.notJSON(line: 1, column: 1, reason: "invalid UTF-16 text")
            }
            return text
        }
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? data.dropFirst(3) : data[...]
        guard let text = String(data: Data(body), encoding: .utf8) else {
            throw ScannerError.notJSON(line: 1, column: 1, reason: "the file is not UTF-8 (or UTF-16 with a byte-order mark) text")
        }
        return text
    }

    /// The JSON document inside surrounding log lines: from the first line starting with `{` to the
    /// last line ending with `}`; nil when there are no such lines or nothing was dropped.
    static func embeddedDocument(_ text: String) -> (String, Int)? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(where: { $0.hasPrefix("{") }),
              let end = lines.lastIndex(where: { $0.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("}") }), start <= end else { return nil }
        let dropped = lines[..<start].count + lines[(end + 1)...].filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }.count
        guard dropped > 0 else { return nil }
        return (lines[start...end].joined(separator: "\n"), dropped)
    }

    /// One finding per (vulnerability, package) of a file, ids and facts of repeats merged (the same
    /// match found by several matchers, or once per dependency path). Refuses ids that are not ids.
    static func deduplicated(_ findings: [ScanFinding]) throws -> [ScanFinding] {
        var order: [String] = []
        var merged: [String: ScanFinding] = [:]
        for finding in findings {
            for id in finding.allIDs where !VulnerabilityID.isValid(id) {
                throw ScannerError.malformed(pointer: finding.pointer, reason: "'\(VulnerabilityID.printable(id))' is not a vulnerability id (letters, digits and . _ : + - only, up to 128 characters)")
            }
            for text in [finding.packageName, finding.packageVersion ?? "", finding.purl ?? ""] + finding.fixedVersions where VulnerabilityID.hasControlCharacters(text) {
                throw ScannerError.malformed(pointer: finding.pointer, reason: "package facts contain control characters: '\(VulnerabilityID.printable(text))'")
            }
            let key = finding.id.uppercased() + "\n" + (finding.purl ?? finding.packageName + "@" + (finding.packageVersion ?? ""))
            if var existing = merged[key] {
                existing.aliases = unique(existing.aliases + finding.aliases).filter { $0.uppercased() != existing.id.uppercased() }
                existing.vectors = unique(existing.vectors + finding.vectors)
                existing.fixedVersions = unique(existing.fixedVersions + finding.fixedVersions)
                existing.references = unique(existing.references + finding.references)
                existing.severity = max(existing.severity, finding.severity)
                existing.score = existing.score ?? finding.score
                existing.summary = existing.summary ?? finding.summary
                merged[key] = existing
            } else {
                var clean = finding
                clean.aliases = unique(finding.aliases).filter { $0.uppercased() != finding.id.uppercased() }
                clean.vectors = unique(finding.vectors)
                clean.fixedVersions = unique(finding.fixedVersions)
                clean.references = unique(finding.references)
                merged[key] = clean
                order.append(key)
            }
        }
        return order.compactMap { merged[$0] }
    }

    static func unique(_ items: [String]) -> [String] {
        var seen = Set<String>()
        return items.filter { !$0.isEmpty && seen.insert($0).inserted }
    }
}

/// Vulnerability ids as evident accepts them from scanners.
public enum VulnerabilityID {
    /// Letters, digits and `. _ : + -`, starting with a letter or digit, 2 to 128 characters, at
    /// least one letter: CVE-2021-44228, GHSA-jfh8-c2jp-5v3q, openSUSE-SU-2020:0123-1, PYSEC-2021-1.
    public static func isValid(_ id: String) -> Bool {
        let scalars = id.unicodeScalars
        guard (2...128).contains(scalars.count), let first = scalars.first, isAlphanumeric(first) else { return false }
        guard scalars.contains(where: { ("A"..."Z").contains($0) || ("a"..."z").contains($0) }) else { return false }
        return scalars.allSatisfy { isAlphanumeric($0) || ".-_:+".unicodeScalars.contains($0) }
    }

    static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        ("A"..."Z").contains(scalar) || ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar)
    }

    static func hasControlCharacters(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || $0 == "\u{2028}" || $0 == "\u{2029}" }
    }

    /// Text for a message: control characters shown as `\u{..}`, at most 80 characters.
    static func printable(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars.prefix(80) {
            out += scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) ? "\\u{\(String(scalar.value, radix: 16))}" : String(scalar)
        }
        return text.unicodeScalars.count > 80 ? out + "..." : out
    }
}

/// Small accessors the readers share.
extension JSONValue {
    /// A string, or nil for absent, null and empty strings.
    var text: String? {
        guard let string = stringValue.map(Self.trimmed), !string.isEmpty else { return nil }
        return string
    }

    /// `trimmingCharacters(in: .whitespacesAndNewlines)`, without it when the first and last bytes
    /// are ASCII and not white space (nearly every scanner string; the Foundation call, per string of
    /// a 10,000-finding report, was a tenth of an import).
    static func trimmed(_ string: String) -> String {
        let utf8 = string.utf8
        guard let first = utf8.first, let last = utf8.last else { return string }
        func plain(_ byte: UInt8) -> Bool { byte < 0x80 && byte != 0x20 && !(0x09...0x0D).contains(byte) }
        return plain(first) && plain(last) ? string : string.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A number, or a string holding one.
    var double: Double? {
        if let number = numberValue { return number.double }
        return stringValue.flatMap(Double.init)
    }

    /// The strings of a list (non-strings skipped); empty when not a list.
    var texts: [String] { (arrayValue ?? []).compactMap(\.text) }

    var items: [JSONValue] { arrayValue ?? [] }
}

/// CVSS vectors as scanners write them, made whole: CycloneDX and some databases drop the
/// `CVSS:3.1/` prefix and name the method beside it.
enum VectorText {
    static func normalized(_ vector: String?, method: String? = nil) -> String? {
        guard let vector = vector?.trimmingCharacters(in: .whitespaces), !vector.isEmpty else { return nil }
        if vector.hasPrefix("CVSS:3.") || vector.hasPrefix("CVSS:4.") { return vector }
        if vector.hasPrefix("CVSS:2") || vector.hasPrefix("(AV:") { return nil }
        switch method?.lowercased().replacingOccurrences(of: "_", with: "") {
        case "cvssv31", "cvss31": return "CVSS:3.1/" + vector
        case "cvssv3", "cvss3", "cvssv30": return "CVSS:3.0/" + vector
        case "cvssv4", "cvss4", "cvssv40": return "CVSS:4.0/" + vector
        default: return nil
        }
    }
}
