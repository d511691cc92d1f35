import Foundation
import JSONSchema

/// Tests of the document metadata: languages, purls, tracking and revision history, CVEs,
/// involvements, category name (6.1.12 - 6.1.24, 6.1.26, 6.1.28).
extension CSAFMandatoryTests {
    static func tracking(_ c: CSAFDocumentContext) -> JSONValue? { c.document["document"]?["tracking"] }

    static func invalidLanguage(_ c: CSAFDocumentContext) -> [CSAFFinding] {
        ["lang", "source_lang"].compactMap { key -> CSAFFinding? in
            guard let tag = c.document["document"]?[key]?.stringValue, let problem = LanguageTag.problem(tag) else { return nil }
            return finding("6.1.12", "/document/\(key)", "'\(tag)' is not a valid language tag: \(problem)")
        }
    }

    static func invalidPURL(_ c: CSAFDocumentContext) -> [CSAFFinding] {
        c.helpers.compactMap { helper -> CSAFFinding? in
            guard let purl = helper.value["purl"]?.stringValue, let problem = PackageURL.problem(purl) else { return nil }
            return finding("6.1.13", helper.pointer + "/purl", "'\(purl)' is not a valid package URL: \(problem)")
        }
    }

    /// Revision history items with parsed dates and versions, in document order.
    static func revisions(_ c: CSAFDocumentContext) -> [(index: Int, date: CSAFDate, number: String, version: CSAFVersion)] {
        c.revisionHistory.enumerated().compactMap { i, item in
            guard let dateText = item["date"]?.stringValue, let date = CSAFDate.parse(dateText),
                  let number = item["number"]?.stringValue, let version = CSAFVersion(number) else { return nil }
            return (i, date, number, version)
        }
    }

    static func sortedRevisionHistory(_ c: CSAFDocumentContext) -> [CSAFFinding] {
        let byDate = revisions(c).sorted { a, b in a.date != b.date ? a.date < b.date : a.version < b.version }
        var out: [CSAFFinding] = []
        for (previous, item) in zip(byDate, byDate.dropFirst()) where !(previous.version < item.version) {
            out.append(finding("6.1.14", "/document/tracking/revision_history/\(item.index)/number",
                               "revision '\(item.number)' is dated after revision '\(previous.number)' but does not number after it"))
        }
        return out
    }

    static func translator(_ c: CSAFDocumentContext) -> [CSAFFinding] {
        guard c.document["document"]?["publisher"]?["category"]?.stringValue == "translator",
              c.document["document"]?["source_lang"] == nil else { return [] }
        return [finding("6.1.15", "/document/publisher/category", "a translator's document must give source_lang")]
    }

    static func latestDocumentVersion(_ c: CSAFDocumentContext) -> [CSAFFinding] {
        guard let text = tracking(c)?["version"]?.stringValue, let version = CSAFVersion(text) else { return [] }
        let history = revisions(c)
        guard let latest = history.max(by: { a, b in a.date != b.date ? a.date < b.date : a.version < b.version }) else { return [] }
        let draft = tracking(c)?["status"]?.stringValue == "draft"
        let same = version.scheme == latest.version.scheme && version.numbers == latest.version.numbers
            && (draft || version.preRelease == latest.version.preRelease)
        return same ? [] : [finding("6.1.16", "/document/tracking/version",
                                    "version is '\(text)', the latest revision history item (by date) is '\(latest.number)'")]
    }

    static func documentStatusDraft(_ c: CSAFDocumentContext) -> [CSAFFinding] {
        guard let text = tracking(c)?["version"]?.stringValue, let version = CSAFVersion(text),
              let status = tracking(c)?["status"]?.stringValue, status != "draft",
              version.isInitialDevelopment || version.preRelease != nil else { return [] }
        return [finding("6.1.17", "/document/tracking/status", "version '\(text)' is a draft version, so status must be draft, not \(status)")]
    }

    static func releasedRevisionHistory(_ c: CSAFDocumentContext) -> [CSAFFinding] {
        guard let status = tracking(c)?["status"]?.stringValue, status == "final" || status == "interim" else { return [] }
        return revisions(c).filter { $0.version.isInitialDevelopment }.map {
            finding("6.1.18", "/document/tracking/revision_history/\($0.index)/number",
                    "a \(status) document's revision history has version '\($0.number)' (0 or 0.y.z are drafts)")
        }
    }

    static func preReleaseRevisionHistory(_ c: CSAFDocumentContext) -> [CSAFFinding] {
        revisions(c).filter { $0.version.preRelease != nil }.map {
            finding("6.1.19", "/document/tracking/revision_history/\($0.index)/number", "revision '\($0.number)' is a pre-release version")
        }
    }

    static func nonDraftDocumentVersion(_ c: CSAFDocumentContext) -> [CSAFFinding] {
        guard let status = tracking(c)?["status"]?.stringValue, status == "final" || status == "interim",
              let text = tracking(c)?["version"]?.stringValue, CSAFVersion(text)?.preRelease != nil else { return [] }
        return [finding("6.1.20", "/document/tracking/version", "a \(status) document's version '\(text)' has a pre-release part")]
    }

    static func missingRevisionHistoryItem(_ c: CSAFDocumentContext) -> [CSAFFinding] {
        // "When the items are sorted ascending by date" (ties by number); semantic versions by major only.
        let items = revisions(c).sorted { a, b in a.date != b.date ? a.date < b.date : a.version < b.version }
        guard let first = items.first else { return [] }
        var out: [CSAFFinding] = []
        if first.version.major > 1 {
            out.append(finding("6.1.21", "/document/tracking/revision_history/\(first.index)/number",
                               "the revision history starts at '\(first.number)', not at 0 or 1"))
        }
        var majors: [(major: Int, index: Int)] = []
        for item in items where majors.last?.major != item.version.major { majors.append((item.version.major, item.index)) }
        for (previous, next) in zip(majors, majors.dropFirst()) where next.major != previous.major + 1 {
            out.append(finding("6.1.21", "/document/tracking/revision_history/\(next.index)/number",
                               "sorted by date, the revision history goes from \(previous.major) to \(next.major), not to \(previous.major + 1)"))
        }
        return out
    }

    static func multipleRevisionHistoryDefinition(_ c: CSAFDocumentContext) -> [CSAFFinding] {
        let numbers = c.revisionHistory.enumerated().compactMap { i, item in
            item["number"]?.stringValue.map { (id: $0, pointer: "/document/tracking/revision_history/\(i)/number") }
        }
        return repeats(numbers).map { finding("6.1.22", $0.pointer, "revision number '\($0.id)' is already used at \($0.first)") }
    }

    static func multipleCVE(_ c: CSAFDocumentContext) -> [CSAFFinding] {
        let cves = c.vulnerabilities.enumerated().compactMap { v, vulnerability in
            vulnerability["cve"]?.stringValue.map { (id: $0, pointer: "/vulnerabilities/\(v)/cve") }
        }
        return repeats(cves).map { finding("6.1.23", $0.pointer, "\($0.id) is already the CVE at \($0.first)") }
    }

    static func multipleInvolvements(_ c: CSAFDocumentContext) -> [CSAFFinding] {
        var out: [CSAFFinding] = []
        for (v, vulnerability) in c.vulnerabilities.enumerated() {
            var seen: Set<String> = []
            for (i, involvement) in (vulnerability["involvements"]?.arrayValue ?? []).enumerated() {
                let party = involvement["party"]?.stringValue ?? ""
                let date = involvement["date"]?.stringValue.flatMap(CSAFDate.parse).map { "\($0.seconds).\($0.nanoseconds)" } ?? "none"
                if !seen.insert(party + "\u{0}" + date).inserted {
                    out.append(finding("6.1.24", "/vulnerabilities/\(v)/involvements/\(i)",
                                       "involvement of party '\(party)' at the same date is given twice"))
                }
            }
        }
        return out
    }

    static let profiles = ["csaf_base", "csaf_security_incident_response", "csaf_informational_advisory", "csaf_security_advisory", "csaf_vex"]

    static func normalizedCategory(_ text: String) -> String {
        String(text.lowercased().unicodeScalars.filter { scalar in
            !(scalar == "-" || scalar == "_" || CharacterSet.whitespacesAndNewlines.contains(scalar)
              || scalar.properties.generalCategory == .dashPunctuation || scalar == "\u{00AD}")
        }.map(Character.init))
    }

    static func prohibitedCategoryName(_ c: CSAFDocumentContext) -> [CSAFFinding] {
        let category = c.category
        guard !profiles.contains(category) else { return [] }
        let reserved = Set(profiles.dropFirst().flatMap { [normalizedCategory($0), normalizedCategory(String($0.dropFirst(5)))] } + [normalizedCategory("csaf_base")])
        if reserved.contains(normalizedCategory(category)) {
            return [finding("6.1.26", "/document/category", "category '\(category)' is too close to a profile's name; name a profile exactly or choose another name")]
        }
        if category.lowercased().hasPrefix("csaf_") {
            return [finding("6.1.26", "/document/category", "category '\(category)' uses the reserved prefix csaf_")]
        }
        return []
    }

    static func translation(_ c: CSAFDocumentContext) -> [CSAFFinding] {
        guard let lang = c.document["document"]?["lang"]?.stringValue, let source = c.document["document"]?["source_lang"]?.stringValue,
              lang.lowercased() == source.lowercased() else { return [] }
        return [finding("6.1.28", "/document/lang", "lang and source_lang are both '\(lang)': a translation has another language")]
    }
}

/// CSAF timestamps: RFC 3339 date-times (`2024-01-24T10:00:00.000Z`, offsets allowed), compared
/// exactly: seconds since 1970 and the fraction to the nanosecond (Foundation's ISO 8601 parser keeps
/// milliseconds only, and the OASIS tests differ by 100 microseconds).
struct CSAFDate: Comparable, Hashable {
    let seconds: Int
    let nanoseconds: Int

    static func < (a: CSAFDate, b: CSAFDate) -> Bool { (a.seconds, a.nanoseconds) < (b.seconds, b.nanoseconds) }

    static func parse(_ text: String) -> CSAFDate? {
        let chars = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= chars.count else { return nil }
            var value = 0
            for c in chars[range] {
                guard c >= 48, c <= 57 else { return nil }
                value = value * 10 + Int(c - 48)
            }
            return value
        }
        guard chars.count >= 20, let year = number(0..<4), chars[4] == UInt8(ascii: "-"), let month = number(5..<7),
              chars[7] == UInt8(ascii: "-"), let day = number(8..<10), chars[10] == UInt8(ascii: "T") || chars[10] == UInt8(ascii: "t"),
              let hour = number(11..<13), chars[13] == UInt8(ascii: ":"), let minute = number(14..<16), chars[16] == UInt8(ascii: ":"),
              let second = number(17..<19), (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        var i = 19
        var nanoseconds = 0
        if chars[i] == UInt8(ascii: ".") {
            i += 1
            var digits = 0
            while i < chars.count, chars[i] >= 48, chars[i] <= 57 {
                if digits < 9 { nanoseconds = nanoseconds * 10 + Int(chars[i] - 48) }
                digits += 1
                i += 1
            }
            guard digits > 0 else { return nil }
            if digits < 9 { for _ in digits..<9 { nanoseconds *= 10 } }
        }
        guard i < chars.count else { return nil }
        var offset = 0
        if chars[i] == UInt8(ascii: "Z") || chars[i] == UInt8(ascii: "z") {
            guard i + 1 == chars.count else { return nil }
        } else {
            guard chars[i] == UInt8(ascii: "+") || chars[i] == UInt8(ascii: "-"), i + 6 == chars.count,
                  let oh = number(i + 1..<i + 3), chars[i + 3] == UInt8(ascii: ":"), let om = number(i + 4..<i + 6) else { return nil }
            offset = (oh * 3600 + om * 60) * (chars[i] == UInt8(ascii: "+") ? 1 : -1)
        }
        // Days from civil (Howard Hinnant's algorithm).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        return CSAFDate(seconds: days * 86_400 + hour * 3600 + minute * 60 + second - offset, nanoseconds: nanoseconds)
    }
}
