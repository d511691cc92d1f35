import Foundation

/// Answers remembered by key, safe to share across threads. The answer is computed outside the lock
/// (two threads asking at once may both compute it; the first stored wins), so a slow computation
/// never holds up other keys.
final class Memo<Key: Hashable, Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var answers: [Key: Value] = [:]

    func value(_ key: Key, _ compute: () -> Value) -> Value {
        lock.lock()
        if let known = answers[key] {
            lock.unlock()
            return known
        }
        lock.unlock()
        let computed = compute()
        lock.lock()
        defer { lock.unlock() }
        if let raced = answers[key] { return raced }
        answers[key] = computed
        return computed
    }
}
