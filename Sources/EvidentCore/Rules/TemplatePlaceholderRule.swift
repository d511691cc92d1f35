import Foundation

/// Text left from a template: "Replace with ...", a stand-in record id as the templates write it, an example
/// address the templates use (`reviewer@example.com`), an all-zero digest, `HEAD` where a commit is
/// asked. A warning while the record is a draft; an error once it is in review or approved. A record
/// with any placeholder serves no requirement (coverage says so).
public struct TemplatePlaceholderRule: RecordRule {
    public init() {}
    private static let envelope = "title: A\nowner: a@example.com\n"
    public static let description = RuleDescription(
        id: "template-placeholder", name: "Template placeholder",
        summary: "A value is still the template's placeholder (\"Replace with ...\", a stand-in record id from a template, reviewer@example.com, an all-zero digest, HEAD for a commit): a warning in a draft, an error in review or approved.",
        severity: .error,
        triggering: [
            RuleExample(["security/a.yaml": "kind: security-context\nid: CTX-1\nstatus: approved\n" + envelope + "product: Replace with the product name.\n"]),
            RuleExample(["security/a.yaml": "kind: security-update\nid: SUP-1\nstatus: in-review\n" + envelope + "release: REL-TBD\n"]),
            RuleExample(["security/a.yaml": "kind: code-review\nid: CR-1\nstatus: draft\n" + envelope + "reviewers: [reviewer@example.com]\n"]),
            RuleExample(["security/a.yaml": "kind: test-report\nid: TR-1\nstatus: draft\n" + envelope + "tested-revision: HEAD\n"]),
            RuleExample(["security/a.yaml": "kind: security-update\nid: SUP-1\nstatus: draft\n" + envelope + "delivery:\n  sha256: \"0000000000000000000000000000000000000000000000000000000000000000\"\n"]),
        ],
        nonTriggering: [
            RuleExample(["security/a.yaml": "kind: security-context\nid: CTX-1\nstatus: approved\n" + envelope + "product: FG-200 gateway\nnotes: We replace keys yearly.\n"]),
            RuleExample(["security/a.yaml": "kind: test-report\nid: TR-1\nstatus: draft\n" + envelope + "tested-revision: v2.3.1\n"]),
        ])

    /// The owner `evident new` writes when no git identity is known.
    public static let unknownOwner = "owner@example.com"

    /// Addresses the templates write as examples; a real record never names them.
    static let exampleAddresses: Set<String> = {
        var found: Set<String> = [unknownOwner]
        for name in (try? Catalog.standard())?.kindNames ?? [] {
            guard let text = Templates.template(for: name) else { continue }
            found.formUnion(addresses(in: text))
        }
        return found
    }()

    /// The words of a template that hold an `@` (its example addresses), lower-cased. Split on its
    /// ASCII separators as bytes (UTF-8 never puts an ASCII byte inside another character), which
    /// took a check's unknown-person rule 2 ms as a Character-wise split.
    static func addresses(in text: String) -> [String] {
        var text = text
        return text.withUTF8 { bytes in
            bytes.split(whereSeparator: { separators.contains($0) })
                .filter { $0.contains(0x40) && $0.first != 0x7B }   // '@', not starting with '{'
                .map { String(decoding: $0, as: UTF8.self).lowercased() }
        }
    }

    private static let separators = Set(" \n\t[],:\"'#{}".utf8)

    public func check(record: Record) -> [Finding] {
        let severity: Severity = (record.status == .inReview || record.status == .approved) ? .error : .warning
        let advice = severity == .warning ? "" : " (the record is \(record.status?.rawValue ?? ""): placeholders are errors once a record leaves draft)"
        return Self.placeholders(in: record).map { placeholder in
            Self.description.finding(record.path, placeholder.mark, placeholder.message + advice, record: record.id, severity: severity)
        }
    }

    struct Placeholder { var mark: Mark; var message: String }

    /// Every placeholder in a record, in reading order.
    static func placeholders(in record: Record) -> [Placeholder] {
        var found: [Placeholder] = []
        var seen: Set<Mark> = []
        func add(_ mark: Mark, _ message: String) {
            if seen.insert(mark).inserted { found.append(Placeholder(mark: mark, message: message)) }
        }
        // Only these targets have placeholders of their own (each list is handed out, not filtered).
        let references = [ReferenceTarget.record, .commit, .commitRange, .person].flatMap { ReferenceFields.shared.values(in: record, targets: [$0]) }
        for reference in references {
            var field: String { "'\(reference.location)'" }   // made only for a finding
            switch reference.field.target {
            case .record where DanglingReferenceRule.isPlaceholder(reference.value):
                add(reference.mark, "\(field) still holds the template's placeholder '\(reference.value)'; name an existing \(DanglingReferenceRule.kindList(reference.field.kinds, or: "record")) record")
            case .commit where reference.value.uppercased().contains("HEAD"), .commitRange where reference.value.uppercased().contains("HEAD"):
                add(reference.mark, "\(field) is '\(reference.value)', which moves with every commit; write the commit id or tag it means")
            case .person where exampleAddresses.contains(reference.value.lowercased()):
                add(reference.mark, "\(field) is the template's example address '\(reference.value)'; name the real person")
            default:
                break
            }
        }
        for (mark, message) in scalarPlaceholders(in: record.node) { add(mark, message) }
        return found.sorted { $0.mark < $1.mark }
    }

    private static func scalarPlaceholders(in node: YAMLNode) -> [(Mark, String)] {
        var found: [(Mark, String)] = []
        var pending = [node]   // a stack, not recursion: nesting is as deep as the YAML limits allow
        while let current = pending.popLast() {
            switch current {
            case .mapping(let pairs, _): for pair in pairs { pending.append(pair.value) }
            case .sequence(let items, _): pending.append(contentsOf: items)
            case .scalar:
                if let text = current.scalarString, let message = message(for: text) { found.append((current.mark, message)) }
            }
        }
        return found
    }

    /// The first letters (lowercased) of "replace", "todo", "tbd", "fixme", "xxx", "sha256:" and of
    /// zeros ("0" | 0x20 is "0" itself).
    private static let placeholderStarts: Set<UInt8> = Set("rtfxs0".utf8)

    /// Why a scalar is a placeholder, or nil.
    static func message(for text: String) -> String? {
        // Most scalars start with a byte no placeholder starts with: answered without Foundation.
        if let first = text.utf8.first(where: { $0 != 0x20 && !(0x09...0x0D).contains($0) }), first < 0x80,
           !Self.placeholderStarts.contains(first | 0x20) {
            return nil
        }
        var trimmed = Substring(text)
        while let first = trimmed.first, first.isWhitespace { trimmed.removeFirst() }
        while let last = trimmed.last, last.isWhitespace { trimmed.removeLast() }
        // The longest word looked for is "replace with" (12 letters): a 13-letter head decides.
        let head = trimmed.prefix(13).lowercased()
        if head == "replace" || head.hasPrefix("replace with") || head.hasPrefix("replace:") || head.hasPrefix("replace-me") || head.hasPrefix("replace me") {
            return "'\(trimmed.prefix(60))\(trimmed.count > 60 ? "..." : "")' is the template's placeholder text; write the real content"
        }
        if ["todo", "tbd", "fixme", "xxx"].contains(head) {
            return "'\(trimmed)' is a placeholder; write the real content"
        }
        let digits = head.hasPrefix("sha256:") ? trimmed.dropFirst(7) : trimmed
        if digits.utf8.count >= 32, digits.utf8.allSatisfy({ $0 == UInt8(ascii: "0") }) {
            return "an all-zero digest is a placeholder; write the artifact's real hash"
        }
        return nil
    }
}
