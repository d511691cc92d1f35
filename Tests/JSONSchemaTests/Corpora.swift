import Foundation

/// Locates third-party corpora in ../shared/corpora beside the package, when they are there.
enum Corpora {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var root: URL {
        packageRoot.deletingLastPathComponent().appendingPathComponent("shared/corpora")
    }

    /// The corpus folder, or nil (after saying so) when it is absent.
    static func folder(_ name: String) -> URL? {
        let url = root.appendingPathComponent(name)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            print("corpus \(name) not found at \(url.path): skipped")
            return nil
        }
        return url
    }
}
