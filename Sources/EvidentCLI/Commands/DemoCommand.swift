import ArgumentParser
import EvidentCore
import Foundation

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Build the embedded sample product repository (FG-200 gateway firmware) and run check and coverage on it.")

    @Argument(help: "Folder to create (default: a new temporary folder).") var directory: String?

    func run() throws {
        let output = try runOrExit2 { () -> String in
            let target = directory.map { URL(fileURLWithPath: $0).standardizedFileURL }
                ?? FileManager.default.temporaryDirectory.appendingPathComponent("evident-demo-\(UUID().uuidString.prefix(8))")
            return try DemoBuilder().run(at: target, today: Clock.today, toolVersion: Evident.version)
        }
        Terminal.write(output)
    }
}
