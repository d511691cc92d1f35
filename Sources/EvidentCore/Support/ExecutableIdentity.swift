import Foundation

/// The running executable's size and modification time: caches keyed by it start afresh with
/// every other build of evident, whose parser or validator may judge differently.
public enum ExecutableIdentity {
    public static let current: String = {
        guard let executable = Bundle.main.executablePath,
              let attributes = try? FileManager.default.attributesOfItem(atPath: executable) else { return "unknown" }
        return "\((attributes[.size] as? NSNumber)?.intValue ?? 0)|\((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)"
    }()
}
