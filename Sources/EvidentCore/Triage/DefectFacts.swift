import Foundation
import Vulnerabilities

/// What the lifecycle rules and the triage board read from a defect record.
struct DefectFacts {
    let record: Record

    init(_ record: Record) { self.record = record }

    var state: String? { record.node["analysis"]?["state"]?.scalarString }
    var received: String? { date("received") }
    var triaged: String? { date("triaged") }
    var fixed: String? { date("fixed") }
    var disclosed: String? { date("disclosed") }
    var decision: String? { record.node["disposition"]?["decision"]?.scalarString }

    func date(_ key: String) -> String? { record.string(key).flatMap { DateText.isDate($0) ? $0 : nil } }

    /// The CVSS score of the record's vector (any metric order), when it has a valid one.
    var score: Double? {
        record.string("cvss").flatMap { try? CVSSVector.parse($0, anyOrder: true).get() }?.baseScore
    }

    /// The severity band: from the vector's score, else the `severity` field, else `unknown`.
    var severity: String {
        if let score { return ScanSeverity(score: score).rawValue }
        if let word = record.string("severity"), DefectPolicy.severities.contains(word) { return word }
        return "unknown"
    }

    /// Closed for good: resolved, not affected, or a false positive.
    var isClosed: Bool { ["resolved", "resolved_with_pedigree", "not_affected", "false_positive"].contains(state ?? "") }

    /// Still to be handled: not closed, and the record still stands.
    var isOpen: Bool { !isClosed && record.isCurrent }

    /// The day the defect stopped being open (the fix or triage date that closed it), when known.
    var closedOn: String? {
        switch state {
        case "resolved", "resolved_with_pedigree": return fixed ?? date("released")
        case "not_affected", "false_positive": return triaged
        default: return nil
        }
    }

    /// The first release (by date) whose tag contains the `fixed-in` commit, as git answers it; the
    /// record's own `released` date when git cannot tell.
    func firstRelease(_ project: Project, releases: [ReleaseFacts]) -> (date: String, id: String?)? {
        if let git = project.git, let fix = record.string("fixed-in"), let commit = git.resolveCommit(fix) {
            let containing = releases.filter { release in release.tagCommit(git).map { git.isAncestor(commit, of: $0) } ?? false }
            if let first = containing.min(by: { $0.date < $1.date }) { return (first.date, first.record.id) }
        }
        return date("released").map { ($0, nil) }
    }
}

/// A release record's facts for the defect rules.
struct ReleaseFacts {
    let record: Record
    let date: String
    let version: String?
    let tag: String?

    static func all(_ project: Project) -> [ReleaseFacts] {
        project.records.compactMap { record in
            guard record.kind == "release", record.isCurrent, let date = record.string("date"), DateText.isDate(date) else { return nil }
            return ReleaseFacts(record: record, date: date, version: record.string("version"), tag: record.string("tag"))
        }
    }

    func tagCommit(_ git: any GitFacts) -> String? { tag.flatMap(git.tagCommit) }
}

/// Days between calendar dates, and instants (seconds since the epoch) for the CRA clocks.
enum DayClock {
    /// Whole days from `a` to `b` (negative when b is earlier).
    static func days(from a: String, to b: String) -> Int? {
        guard let x = seconds(a), let y = seconds(b) else { return nil }
        return Int(((y - x) / 86_400).rounded(.down))
    }

    static func adding(days: Int, to date: String) -> String? {
        seconds(date).map { DateText.string(from: Date(timeIntervalSince1970: $0 + Double(days) * 86_400)) }
    }

    /// Seconds since the epoch of `YYYY-MM-DD` (00:00 UTC) or an ISO 8601 timestamp with `Z` or an offset.
    static func seconds(_ text: String) -> Double? {
        let scalars = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= scalars.count else { return nil }
            var value = 0
            for index in range {
                guard (48...57).contains(scalars[index]) else { return nil }
                value = value * 10 + Int(scalars[index] - 48)
            }
            return value
        }
        guard scalars.count >= 10, DateText.isDate(String(text.prefix(10))), let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return nil }
        // Days from the civil date (Howard Hinnant's algorithm).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        var total = Double(era * 146_097 + doe - 719_468) * 86_400
        if scalars.count == 10 { return total }
        guard scalars[10] == UInt8(ascii: "T") || scalars[10] == UInt8(ascii: " "), let hour = number(11..<13), let minute = number(14..<16), hour < 24, minute < 60 else { return nil }
        total += Double(hour * 3600 + minute * 60)
        var index = 16
        if index < scalars.count, scalars[index] == UInt8(ascii: ":") {
            guard let second = number(17..<19), second < 61 else { return nil }
            total += Double(second)
            index = 19
            if index < scalars.count, scalars[index] == UInt8(ascii: ".") {
                index += 1
                while index < scalars.count, (48...57).contains(scalars[index]) { index += 1 }
            }
        }
        guard index < scalars.count else { return nil }   // a time needs its zone
        if scalars[index] == UInt8(ascii: "Z") { return index + 1 == scalars.count ? total : nil }
        guard scalars[index] == UInt8(ascii: "+") || scalars[index] == UInt8(ascii: "-"), let oh = number(index + 1..<index + 3),
              index + 6 == scalars.count, scalars[index + 3] == UInt8(ascii: ":"), let om = number(index + 4..<index + 6) else { return nil }
        let offset = Double(oh * 3600 + om * 60)
        return scalars[index] == UInt8(ascii: "+") ? total - offset : total + offset
    }
}

/// Whether a version is within an `affected-versions` entry: a version ("2.3.0"), a range
/// ("2.0.0 - 2.3.0"), comparisons ("< 2.3.1", ">= 2.0, < 3"), or `*` for every version.
/// An entry that reads as none of these is taken to include the version (the stricter answer).
enum VersionRange {
    static func contains(_ range: String, _ version: String) -> Bool {
        let text = range.trimmingCharacters(in: .whitespaces)
        if text == "*" || text.lowercased() == "all" { return true }
        if let dash = text.range(of: " - ") {
            let low = String(text[..<dash.lowerBound]), high = String(text[dash.upperBound...])
            guard let a = compare(version, low), let b = compare(version, high) else { return true }
            return a >= 0 && b <= 0
        }
        let clauses = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        for clause in clauses {
            var operatorText = ""
            var rest = Substring(clause)
            while let first = rest.first, "<>=!".contains(first) { operatorText.append(first); rest = rest.dropFirst() }
            let bound = rest.trimmingCharacters(in: .whitespaces)
            guard let order = compare(version, bound) else { return true }
            let holds: Bool
            switch operatorText {
            case "", "=", "==": holds = order == 0
            case "<": holds = order < 0
            case "<=": holds = order <= 0
            case ">": holds = order > 0
            case ">=": holds = order >= 0
            case "!=": holds = order != 0
            default: return true
            }
            if !holds { return false }
        }
        return true
    }

    /// Whether an entry is one version (no operator, range or wildcard).
    static func isPlainVersion(_ text: String) -> Bool {
        !text.isEmpty && text != "*" && text.lowercased() != "all" && !text.contains(where: { " <>=!,*".contains($0) })
    }

    /// A plain version's lookup key: what `compare` holds equal maps to one key ("v2.3" and "2.3.0").
    static func key(_ version: String) -> String {
        var parts = (version.hasPrefix("v") ? String(version.dropFirst()) : version).split(whereSeparator: { ".-+_".contains($0) }).map { part in
            Int(part).map(String.init) ?? String(part)
        }
        while parts.count > 1, parts.last == "0" { parts.removeLast() }
        return parts.joined(separator: ".")
    }

    /// -1, 0 or 1 comparing dotted versions part by part (numbers numerically, words as text).
    static func compare(_ a: String, _ b: String) -> Int? {
        func parts(_ v: String) -> [Substring] { v.split(whereSeparator: { ".-+_".contains($0) }) }
        let x = parts(a.hasPrefix("v") ? String(a.dropFirst()) : a), y = parts(b.hasPrefix("v") ? String(b.dropFirst()) : b)
        guard !x.isEmpty, !y.isEmpty else { return nil }
        for index in 0..<max(x.count, y.count) {
            let p = index < x.count ? x[index] : "0", q = index < y.count ? y[index] : "0"
            if let m = Int(p), let n = Int(q) {
                if m != n { return m < n ? -1 : 1 }
            } else if p != q {
                return p < q ? -1 : 1
            }
        }
        return 0
    }
}
