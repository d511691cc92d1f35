import Foundation

/// Keeps a value alive until the process exits. A command's loaded project is a tree of millions
/// of small objects; freeing them one by one just before `exit` costs a tenth of a large check,
/// and the operating system reclaims the memory at once anyway.
public enum ProcessLifetime {
    private final class Box<T> {
        let value: T
        init(_ value: T) { self.value = value }
    }

    public static func keepUntilExit<T>(_ value: T) {
        _ = Unmanaged.passRetained(Box(value))
    }
}
