import ArgumentParser
import EvidentCore
import Foundation

struct ApproveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Approve a record: status approved and an approval (by, date-time, digest of the content), after checking it; stale when the record changes.",
        discussion: "Exit 0 when approved, 1 when the record has errors (they are listed; nothing is written), 2 when it cannot run.")

    @OptionGroup var repository: RepositoryOptions
    @Argument(help: "The record ID or path.") var record: String
    @Option(help: "Approver email (default: the identity git will author the commit with: GIT_AUTHOR_EMAIL, author.email, user.email).") var by: String?

    func run() throws {
        let result = try runOrExit2 { () -> ApprovalResult? in
            let workspace = try Workspace.open(at: repository.repositoryPath)
            guard let approver = by ?? workspace.defaultApprover(environment: ProcessInfo.processInfo.environment) else {
                throw ApprovalError.noApprover
            }
            do {
                return try workspace.approve(record, by: approver, now: Clock.now, today: Clock.today)
            } catch ApprovalError.refused(let label, let findings) {
                FindingLines.writeError(findings)
                Terminal.error("\(ApprovalError.refused(label, findings))")
                return nil
            }
        }
        guard let result else { throw ExitCode(1) }
        FindingLines.write(result.findings)
        Terminal.write("approved \(result.record) (\(result.path)) by \(result.by) at \(result.date) (\(result.digest))\n")
        Terminal.write("next: commit it as \(result.by): git add \(ShellQuote.quote(result.path)) && git commit -m " + ShellQuote.quote("Approve \(result.record)") + "\n")
    }
}

struct ReopenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reopen",
        abstract: "Put an approved record back under revision: status in-review, approval block removed (it stays in git history).")

    @OptionGroup var repository: RepositoryOptions
    @Argument(help: "The record ID or path.") var record: String
    @Option(help: "Why it is reopened: suggested as a 'Reopen-Reason:' trailer for the commit, which 'evident log' shows in the approval history.") var reason: String?

    func run() throws {
        let result = try runOrExit2 { () -> ReopenResult in
            let workspace = try Workspace.open(at: repository.repositoryPath)
            return try workspace.reopen(record, today: Clock.today)
        }
        let removed = result.removed.map { " (approval by \($0.by ?? "?") at \($0.date ?? "?") removed; it stays in git history)" } ?? ""
        Terminal.write("reopened \(result.record) (\(result.path)): status in-review\(removed)\n")
        let trailer = reason.map { " -m " + ShellQuote.quote("Reopen-Reason: " + $0.replacingOccurrences(of: "\n", with: " ")) } ?? ""
        Terminal.write("next: git add \(ShellQuote.quote(result.path)) && git commit -m " + ShellQuote.quote("Reopen \(result.record)") + trailer + "\n")
    }
}

/// Findings as `check` prints them, one per line, without the summary.
enum FindingLines {
    static func lines(_ findings: [Finding]) -> String {
        findings.map { "\($0.path):\($0.line):\($0.column): \($0.severity.rawValue): [\($0.rule)] \($0.message)\n" }.joined()
    }

    static func write(_ findings: [Finding]) {
        if !findings.isEmpty { Terminal.write(lines(Finding.sorted(findings))) }
    }

    static func writeError(_ findings: [Finding]) {
        FileHandle.standardError.write(Data(lines(Finding.sorted(findings)).utf8))
    }
}

/// Single quotes for a shell command line the user may paste.
enum ShellQuote {
    static func quote(_ text: String) -> String {
        let safe = text.allSatisfy { $0.isLetter || $0.isNumber || "-_./:@+=,".contains($0) }
        return safe && !text.isEmpty ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
