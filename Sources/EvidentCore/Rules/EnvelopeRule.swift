/// Every record carries the shared envelope: kind, id, title, status, owner, and well-formed
/// evidence-for, links and approval when present.
public struct EnvelopeRule: RecordRule {
    public init() {}
    static let idPattern = #"^[A-Z][A-Z0-9]*(-[A-Za-z0-9.]+)+$"#

    /// Whether an id matches `idPattern` (checked byte by byte: a regular expression per record
    /// cost more than the rest of the rule).
    public static func isWellFormedID(_ id: String) -> Bool {
        var bytes = id.utf8.makeIterator()
        guard let first = bytes.next(), (0x41...0x5A).contains(first) else { return false }
        func isUpperOrDigit(_ byte: UInt8) -> Bool { (0x41...0x5A).contains(byte) || (0x30...0x39).contains(byte) }
        func isSegmentByte(_ byte: UInt8) -> Bool { isUpperOrDigit(byte) || (0x61...0x7A).contains(byte) || byte == 0x2E }
        // The prefix, up to the first dash.
        var sawDash = false
        while let byte = bytes.next() {
            if byte == 0x2D { sawDash = true; break }
            guard isUpperOrDigit(byte) else { return false }
        }
        guard sawDash else { return false }
        // One or more non-empty segments separated by single dashes, not ending in a dash.
        var segmentLength = 0
        while let byte = bytes.next() {
            if byte == 0x2D {
                guard segmentLength > 0 else { return false }
                segmentLength = 0
            } else {
                guard isSegmentByte(byte) else { return false }
                segmentLength += 1
            }
        }
        return segmentLength > 0
    }

    public static let description = RuleDescription(
        id: "envelope", name: "Record envelope",
        summary: "A record lacks an envelope field (kind, id, title, status, owner) or has one of the wrong type.",
        severity: .error,
        triggering: [
            RuleExample(["security/a.yaml": "kind: defect\nid: DEF-1\ntitle: T\nowner: a@example.com\n"]),
            RuleExample(["security/a.yaml": "kind: defect\nid: DEF-1\ntitle: T\nstatus: done\nowner: a@example.com\n"]),
            RuleExample(["security/a.yaml": "kind: defect\nid: [DEF-1]\ntitle: T\nstatus: draft\nowner: a@example.com\n"]),
            RuleExample(["security/a.yaml": "kind: defect\nid: def one\ntitle: T\nstatus: draft\nowner: a@example.com\n"]),
        ],
        nonTriggering: [
            RuleExample(["security/a.yaml": "kind: defect\nid: DEF-2026-001\ntitle: T\nstatus: draft\nowner: a@example.com\n"]),
        ])

    public func check(record: Record) -> [Finding] {
        var findings: [Finding] = []
        func report(_ mark: Mark, _ message: String) {
            findings.append(Self.description.finding(record.path, mark, message, record: record.id))
        }
        for key in ["kind", "id", "title", "status", "owner"] {
            guard let value = record.node[key] else {
                report(record.node.mark, "missing required field '\(key)'")
                continue
            }
            guard value.scalarString != nil else {
                report(value.mark, "'\(key)' must be text, not \(value.typeName == "null" ? "empty" : "a \(value.typeName)")")
                continue
            }
        }
        if let id = record.id, !Self.isWellFormedID(id) {
            report(record.mark(of: "id"), "id '\(id)' is not of the form PREFIX-NUMBER (letters, digits, dots after the first dash; e.g. DEF-2026-004)")
        }
        if let text = record.string("status"), RecordStatus(rawValue: text) == nil {
            let allowed = RecordStatus.allCases.map(\.rawValue)
            let hint = SchemaFindingText.closest(text, in: allowed).map { "; did you mean '\($0)'?" } ?? ""
            report(record.mark(of: "status"), "status '\(text)' is not one of \(allowed.joined(separator: ", "))\(hint)")
        }
        if let value = record.node["evidence-for"] {
            switch value {
            case .sequence(let items, _):
                for item in items where item.scalarString == nil {
                    report(item.mark, "'evidence-for' entries must be requirement IDs such as SR-2")
                }
            case .scalar where value.scalarString != nil:
                break
            default:
                report(value.mark, "'evidence-for' must be a list of requirement IDs")
            }
        }
        if let value = record.node["links"] {
            if case .sequence(let items, _) = value {
                for item in items {
                    guard case .mapping = item, item["to"]?.scalarString != nil else {
                        report(item.mark, "each link needs 'to' (a record id) and 'relation'")
                        continue
                    }
                    if let relation = item["relation"]?.scalarString, !RecordLink.relations.contains(relation) {
                        report(item["relation"]?.mark ?? item.mark, "unknown link relation '\(relation)' (one of \(RecordLink.relations.sorted().joined(separator: ", ")))")
                    } else if item["relation"] == nil {
                        report(item.mark, "link to '\(item["to"]?.scalarString ?? "?")' has no 'relation'")
                    }
                }
            } else {
                report(value.mark, "'links' must be a list of {to, relation}")
            }
        }
        if let value = record.node["approval"] {
            if case .mapping = value {
                for key in ["by", "date", "digest"] where value[key]?.scalarString == nil {
                    report(value[key]?.mark ?? value.mark, "approval needs '\(key)'")
                }
            } else {
                report(value.mark, "'approval' must be a mapping with by, date and digest (written by 'evident approve')")
            }
        }
        return findings
    }
}
