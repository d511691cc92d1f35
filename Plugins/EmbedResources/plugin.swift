import Foundation
import PackagePlugin

/// Embeds the package's data folders (catalog/, schema/, templates/, demo/) into the target as
/// Swift source, so the `evident` binary is self-contained: no resource bundle to lose on install.
@main
struct EmbedResources: BuildToolPlugin {
    static let folders = ["catalog", "schema", "templates", "demo"]

    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let root = context.package.directoryURL
        var inputs: [URL] = []
        let fileManager = FileManager.default
        for folder in Self.folders {
            let base = root.appendingPathComponent(folder)
            guard let walker = fileManager.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey]) else { continue }
            for case let url as URL in walker {
                let values = try? url.resourceValues(forKeys: [.isRegularFileKey])
                if values?.isRegularFile == true { inputs.append(url) }
            }
        }
        inputs.sort { $0.path < $1.path }
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("EmbeddedFiles.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(inputs.count) data files into \(target.name)",
                executable: try context.tool(named: "EmbedTool").url,
                arguments: [output.path, root.path] + Self.folders,
                inputFiles: inputs,
                outputFiles: [output]
            )
        ]
    }
}
