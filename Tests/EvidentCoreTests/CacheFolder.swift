import Foundation

/// A fresh folder for a cache test, as `.git/evident/` would be; the test removes it.
enum CacheFolder {
    static func make() throws -> String {
        let path = NSTemporaryDirectory() + "evident-cache-test-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
