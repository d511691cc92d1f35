import Foundation
import Testing

/// What a user gets beyond the binary: completions and a man page from `make install`, a
/// standalone coverage page that says what it judged, a bundle carrying its configuration.
struct DistributionTests {
    @Test func installFilesPutsCompletionsAndAManPage() throws {
        guard let binary = EvidentBinary.path,
              (try? ProcessRunner.run("/usr/bin/env", ["sh", "-c", "command -v make && command -v python3"], in: URL(fileURLWithPath: "/"),
                                      environment: ProcessInfo.processInfo.environment).status) == 0 else {
            print("make or python3 missing: install test skipped")
            return
        }
        let prefix = try EvidentRun.scratch().appendingPathComponent("prefix")
        let make = try ProcessRunner.run("/usr/bin/env", ["make", "-s", "install-files", "BIN=\(binary)", "PREFIX=\(prefix.path)"],
                                         in: EvidentBinary.packageRoot, environment: ProcessInfo.processInfo.environment)
        #expect(make.status == 0, "\(make.output)")
        let files = ["bin/evident", "share/bash-completion/completions/evident", "share/zsh/site-functions/_evident",
                     "share/fish/vendor_completions.d/evident.fish", "share/man/man1/evident.1"]
        for file in files {
            let size = (try? FileManager.default.attributesOfItem(atPath: prefix.appendingPathComponent(file).path)[.size] as? NSNumber)?.intValue ?? 0
            #expect(size > 100, "\(file) is missing or empty")
        }
        let bash = try ProcessRunner.run("/usr/bin/env", ["bash", "-c", "source \(prefix.path)/share/bash-completion/completions/evident && complete -p evident"],
                                         in: prefix, environment: ProcessInfo.processInfo.environment)
        #expect(bash.status == 0 && bash.stdout.contains("evident"), "\(bash.output)")
        let page = String(decoding: try Data(contentsOf: prefix.appendingPathComponent("share/man/man1/evident.1")), as: UTF8.self)
        #expect(page.hasPrefix(".TH EVIDENT 1"))
        for command in ["init", "new", "check", "coverage", "log", "approve", "schema", "hook install", "hook uninstall", "export", "verify", "keygen", "diff", "demo"] {
            #expect(page.contains(".SS evident \(command)\n"), "man page lacks \(command)")
        }
        // Generated from --help: the options of a command are in its section.
        #expect(page.contains("--document"))
    }

    @Test func standaloneCoverageHTMLNamesWhatItJudged() throws {
        let base = try EvidentRun.scratch()
        let repo = base.appendingPathComponent("demo")
        #expect(try EvidentRun.run(["demo", repo.path], in: base).status == 0)
        let html = try EvidentRun.run(["coverage", "--rev", "v2.3.1", "--format", "html"], in: repo)
        #expect(html.status == 0)
        let commit = try EvidentRun.git(["rev-parse", "v2.3.1^{commit}"], in: repo).trimmingCharacters(in: .whitespacesAndNewlines)
        let date = try EvidentRun.git(["log", "-1", "--format=%cI", "v2.3.1"], in: repo).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(html.stdout.contains("<th scope=\"row\">Product</th><td>FG-200 Fieldbus Gateway</td>"))
        #expect(html.stdout.contains("<code>\(commit)</code>"), "commit \(commit)")
        #expect(html.stdout.contains("<th scope=\"row\">Commit date</th><td>\(date.replacingOccurrences(of: "+00:00", with: "Z"))</td>"), "date \(date)")
        #expect(html.stdout.contains("<th scope=\"row\">Target level</th><td>ML3</td>"))
        #expect(html.stdout.contains("<th scope=\"row\">Produced by</th><td>evident "))

        // The bundle carries the configuration it was judged under, byte for byte.
        let bundle = base.appendingPathComponent("b.zip")
        #expect(try EvidentRun.run(["export", "--rev", "v2.3.1", "--out", bundle.path], in: repo).status == 0)
        let unzip = try ProcessRunner.run("/usr/bin/env", ["unzip", "-p", bundle.path, "records/.evident.yml"], in: base, environment: ProcessInfo.processInfo.environment)
        let committed = try EvidentRun.git(["show", "v2.3.1:.evident.yml"], in: repo)
        #expect(unzip.status == 0, "records/.evident.yml is not in the bundle: \(unzip.stderr)")
        #expect(unzip.stdout == committed, "the bundle's .evident.yml differs from the commit's")
    }
}
