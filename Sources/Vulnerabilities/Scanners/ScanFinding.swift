import Foundation

/// The scanner output formats evident reads.
public enum ScannerFormat: String, CaseIterable, Sendable {
    case grype
    case trivy
    case osvScanner = "osv-scanner"
    case cyclonedx
    case dependencyTrack = "dependency-track"
    case snyk
    case npmAudit = "npm-audit"
    case pipAudit = "pip-audit"
}

/// A qualitative severity as scanners state it, folded onto the CVSS bands (`unknown` when the
/// scanner gives none or one evident cannot place).
public enum ScanSeverity: String, CaseIterable, Sendable, Comparable {
    case unknown, none, low, medium, high, critical

    /// Reads a scanner's word: Critical/HIGH/moderate/Negligible/INFO/UNASSIGNED... Words meaning
    /// "minor but real" (negligible, info) become `low`, never `none`: a false "no risk" is worse.
    public init(scannerWord word: String?) {
        switch word?.trimmingCharacters(in: .whitespaces).lowercased() {
        case "critical": self = .critical
        case "high", "important": self = .high
        case "medium", "moderate": self = .medium
        case "low", "negligible", "info", "informational", "minor": self = .low
        case "none": self = .none
        default: self = .unknown
        }
    }

    /// The band of a CVSS score.
    public init(score: Double) {
        switch score {
        case ..<0.1: self = .none
        case ..<4.0: self = .low
        case ..<7.0: self = .medium
        case ..<9.0: self = .high
        default: self = .critical
        }
    }

    private var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }
    public static func < (lhs: ScanSeverity, rhs: ScanSeverity) -> Bool { lhs.rank < rhs.rank }
}

/// One vulnerability reported against one package by one scanner, in a form common to every format.
public struct ScanFinding: Sendable, Hashable {
    /// The vulnerability id the scanner leads with (CVE-, GHSA-, PYSEC-, SNYK-...).
    public var id: String
    /// Other ids of the same vulnerability (related records, aliases), without `id`.
    public var aliases: [String]
    /// The package's purl as the scanner wrote it, or built from ecosystem, name and version.
    public var purl: String?
    public var packageName: String
    public var packageVersion: String?
    public var severity: ScanSeverity
    /// CVSS v3.0/v3.1/v4.0 vectors the scanner gives, as written (the importer parses them).
    public var vectors: [String]
    /// A numeric score the scanner states without a vector.
    public var score: Double?
    public var fixedVersions: [String]
    /// Advisory and reference URLs.
    public var references: [String]
    public var summary: String?
    /// Where in the file the finding was read (a JSON pointer), for messages.
    public var pointer: String

    public init(id: String, aliases: [String] = [], purl: String? = nil, packageName: String, packageVersion: String? = nil,
                severity: ScanSeverity = .unknown, vectors: [String] = [], score: Double? = nil, fixedVersions: [String] = [],
                references: [String] = [], summary: String? = nil, pointer: String) {
        self.id = id
        self.aliases = aliases
        self.purl = purl
        self.packageName = packageName
        self.packageVersion = packageVersion
        self.severity = severity
        self.vectors = vectors
        self.score = score
        self.fixedVersions = fixedVersions
        self.references = references
        self.summary = summary
        self.pointer = pointer
    }

    /// Every id of the vulnerability: `id` first, then the aliases.
    public var allIDs: [String] { [id] + aliases }
}

/// What one scanner file says: the tool, when it scanned, and the findings (deduplicated per
/// vulnerability and package within the file).
public struct ScanReport: Sendable {
    public var format: ScannerFormat
    public var toolVersion: String?
    /// The scan's time as the file states it (an ISO 8601 timestamp), when it does.
    public var timestamp: String?
    public var findings: [ScanFinding]
    /// Things the reader passed over on purpose (stderr text around the JSON, non-vulnerability results).
    public var notes: [String]

    public init(format: ScannerFormat, toolVersion: String? = nil, timestamp: String? = nil, findings: [ScanFinding] = [], notes: [String] = []) {
        self.format = format
        self.toolVersion = toolVersion
        self.timestamp = timestamp
        self.findings = findings
        self.notes = notes
    }

    /// The scan date (YYYY-MM-DD, as the timestamp writes it), when the file gives one.
    public var date: String? {
        guard let timestamp, timestamp.count >= 10 else { return nil }
        let day = String(timestamp.prefix(10))
        let parts = day.split(separator: "-")
        guard parts.count == 3, parts[0].count == 4, parts.allSatisfy({ $0.allSatisfy(\.isNumber) }) else { return nil }
        return day
    }
}

/// Why a scanner file was refused. Each names what is wrong; the caller names the file.
public enum ScannerError: Error, Equatable, CustomStringConvertible {
    case tooLarge(bytes: Int, limit: Int)
    case notJSON(line: Int, column: Int, reason: String)
    case unknownFormat(String)
    case wrongFormat(expected: ScannerFormat, reason: String)
    case malformed(pointer: String, reason: String)
    case scannerFailed(String)

    public var description: String {
        switch self {
        case .tooLarge(let bytes, let limit):
            return "\(bytes) bytes is more than the \(limit)-byte limit for a scanner file"
        case .notJSON(let line, let column, let reason):
            return "\(line):\(column): not JSON: \(reason)"
        case .unknownFormat(let reason):
            return "not a scanner format evident reads (\(ScannerFormat.allCases.map(\.rawValue).joined(separator: ", "))): \(reason)"
        case .wrongFormat(let expected, let reason):
            return "not \(expected.rawValue) output: \(reason)"
        case .malformed(let pointer, let reason):
            return "at \(pointer.isEmpty ? "the top level" : pointer): \(reason)"
        case .scannerFailed(let reason):
            return "the scanner reported an error instead of results: \(reason)"
        }
    }
}
