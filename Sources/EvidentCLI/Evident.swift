import ArgumentParser
import EvidentCore
import GitKit

/// The `evident` command: IEC 62443-4-1 evidence kept in git.
public struct Evident: ParsableCommand {
    public static let version = "0.1.0"

    public static let configuration = CommandConfiguration(
        commandName: "evident",
        abstract: "Keep IEC 62443-4-1 SDL evidence as YAML records in git, check it, and export an audit bundle.",
        version: "evident \(version) (libgit2 \(GitKit.libgit2Version))",
        subcommands: [
            InitCommand.self, NewCommand.self, CheckCommand.self, CoverageCommand.self, LogCommand.self,
            ApproveCommand.self, ReopenCommand.self, SchemaCommand.self, HookCommand.self, ExportCommand.self, VerifyCommand.self,
            KeygenCommand.self, DiffCommand.self, AdvisoryCommand.self, VEXCommand.self, CSAFCommand.self, TraceCommand.self,
            TriageCommand.self, DefectsCommand.self, CVSSCommand.self, DemoCommand.self,
        ]
    )
    public init() {}
}
