import Foundation

/// A value in a record that names a git object, with where it was written.
struct GitReference {
    enum Form { case commit, range, tag }
    /// The field as a user reads it, e.g. `root-cause.introduced-in` or `findings[2].fixed-in`.
    var field: String
    var value: String
    var form: Form
    var mark: Mark
}

extension Record {
    /// Every field naming a commit, range or tag: the schemas' `x-evident-ref` commit, commit-range
    /// and tag (`ReferenceFields`), so a field added to a kind schema is checked without code here.
    var gitReferences: [GitReference] {
        ReferenceFields.shared.values(in: self, targets: [.commit, .commitRange, .tag]).map { reference in
            let form: GitReference.Form
            switch reference.field.target {
            case .commitRange: form = .range
            case .tag: form = .tag
            default: form = .commit
            }
            return GitReference(field: reference.location, value: reference.value, form: form, mark: reference.mark)
        }
    }

    /// Whether the record still stands (not superseded or retired).
    var isCurrent: Bool { status != .superseded && status != .retired }
}

/// Calendar arithmetic on `YYYY-MM-DD` strings (no time zones: dates in records are days).
enum Day {
    static func parts(_ date: String) -> (Int, Int, Int)? {
        let fields = date.prefix(10).split(separator: "-")
        guard date.count >= 10, fields.count == 3, let y = Int(fields[0]), let m = Int(fields[1]), let d = Int(fields[2]),
              (1...12).contains(m), (1...31).contains(d) else { return nil }
        return (y, m, d)
    }

    /// The date `months` months after `date` (the day clamped to the month's length), or nil when not a date.
    static func adding(months: Int, to date: String) -> String? {
        guard let (y, m, d) = parts(date) else { return nil }
        let total = y * 12 + (m - 1) + months
        let year = total / 12, month = total % 12 + 1
        let lengths = [31, (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        let day = min(d, lengths[month - 1])
        return String(format: "%04d-%02d-%02d", year, month, day)
    }
}

/// People as records describe them (roles records' `people`), for independence judgements.
struct PeopleDirectory {
    struct Person { var organisation: String?; var department: String? }
    private var byEmail: [String: Person] = [:]
    private var canonicalByAlias: [String: String] = [:]
    private let git: (any GitFacts)?

    init(_ project: Project) {
        git = project.git
        for record in project.records where record.kind == "roles" {
            guard case .sequence(let people, _)? = record.node["people"] else { continue }
            for entry in people {
                guard let email = entry["email"]?.scalarString else { continue }
                let key = email.lowercased()
                byEmail[key] = Person(organisation: entry["organisation"]?.scalarString, department: entry["department"]?.scalarString)
                for alias in entry["aliases"]?.stringItems ?? [] { canonicalByAlias[alias.value.lowercased()] = key }
            }
        }
    }

    /// One spelling per person: mailmap and `.evident.yml` identities (through git), then roles aliases.
    func canonical(_ email: String) -> String {
        let mapped = git?.canonicalEmail(email) ?? email.lowercased()
        return canonicalByAlias[mapped] ?? mapped
    }

    func person(_ email: String) -> Person? { byEmail[canonical(email)] }
}
