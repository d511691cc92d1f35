import Foundation

/// Work spread over all cores, results in order.
public enum Parallel {
    /// `transform` over every item on all cores (few, large items as well as many small ones).
    public static func map<T, U>(_ items: [T], _ transform: (T) -> U) -> [U] {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        guard items.count > 1, cores > 1 else { return items.map(transform) }
        var results = [U?](repeating: nil, count: items.count)
        let chunks = min(items.count, 8 * cores)
        results.withUnsafeMutableBufferPointer { buffer in
            let out = buffer
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                for index in (items.count * chunk / chunks)..<(items.count * (chunk + 1) / chunks) { out[index] = transform(items[index]) }
            }
        }
        return results.map { $0! }
    }

    /// Two pieces of work at once (on any two threads), both results.
    public static func both<A, B>(_ first: () -> A, _ second: () -> B) -> (A, B) {
        guard ProcessInfo.processInfo.activeProcessorCount > 1 else { return (first(), second()) }
        var a: A?
        var b: B?
        withUnsafeMutablePointer(to: &a) { outA in
            withUnsafeMutablePointer(to: &b) { outB in
                let (pa, pb) = (outA, outB)
                DispatchQueue.concurrentPerform(iterations: 2) { index in
                    if index == 0 { pa.pointee = first() } else { pb.pointee = second() }
                }
            }
        }
        return (a!, b!)
    }
}
