import ArgumentParser
import EvidentCore

struct CVSSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cvss",
        abstract: "A CVSS 3.0, 3.1 or 4.0 vector's base score and severity (v4.0 read in any metric order, printed in canonical order).",
        discussion: "Exit 0 for a valid vector, 1 when it is refused (the reason on stderr).")

    @Argument(help: "The vector, e.g. CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H.") var vector: String
    @Option(help: "Output format: text, json.") var format: PlainFormat = .text

    func run() throws {
        switch CVSSReport.evaluate(vector) {
        case .failure(let error):
            Terminal.error("malformed CVSS vector: \(error)")
            throw ExitCode(1)
        case .success(let report):
            Terminal.write(format == .json ? report.json() : report.text())
        }
    }
}
