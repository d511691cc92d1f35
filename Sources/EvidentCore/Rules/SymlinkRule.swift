/// Symlinks under the records root are never followed: one could lead out of the repository.
public struct SymlinkRule: Rule {
    public init() {}
    public static let description = RuleDescription(
        id: "symlink", name: "Symlink not followed",
        summary: "A record file is a symbolic link; evident does not follow links, so it is not read.",
        severity: .error, triggering: [], nonTriggering: [RuleExample(["security/a.yaml": "kind: defect\nid: DEF-1\n"])])

    public func check(_ project: Project) -> [Finding] {
        project.files.filter(\.isSymlink).map {
            Self.description.finding($0.path, Mark(line: 1, column: 1), "is a symbolic link; evident never follows links (one could lead out of the repository), so this record is not read")
        }
    }
}
