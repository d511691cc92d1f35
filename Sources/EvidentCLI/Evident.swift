import ArgumentParser
import EvidentCore

/// The `evident` command: IEC 62443-4-1 evidence kept in git.
public struct Evident: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "evident",
        abstract: "Keep IEC 62443-4-1 SDL evidence as YAML records in git, check it, and export an audit bundle.",
        version: "0.1.0"
    )
    public init() {}
}
