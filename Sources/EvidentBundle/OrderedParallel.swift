import Foundation

/// Makes items on every core and consumes them one at a time in index order, so what is written from
/// them does not depend on which thread made what. Whichever thread deposits the item the consumer is
/// waiting for consumes it (and any made after it); no thread sits idle waiting to write.
///
/// Memory is bounded: no item is started while `maxAhead` items, or items weighing `maxWeight` in all,
/// are made and not yet consumed (the next item to consume is always allowed, so this never stalls).
enum OrderedParallel {
    static func run<Item>(count: Int, maxAhead: Int, maxWeight: Int, weight: (Item) -> Int,
                          make: (Int) throws -> Item, consume: (Int, Item) throws -> Void) throws {
        let state = State<Item>()
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, count))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            state.condition.lock()
            defer { state.condition.unlock() }
            while state.failure == nil, state.next < count {
                let ahead = state.next - state.consumed
                guard ahead == 0 || (ahead < maxAhead && state.weight < maxWeight) else {
                    state.condition.wait()
                    continue
                }
                let index = state.next
                state.next += 1
                state.condition.unlock()
                let made = Result { try make(index) }
                state.condition.lock()
                switch made {
                case .success(let item):
                    state.ready[index] = item
                    state.weight += weight(item)
                    state.drain(weight: weight, consume: consume)
                case .failure(let error):
                    state.fail(error)
                }
            }
        }
        if let failure = state.failure { throw failure }
        precondition(state.consumed == count, "OrderedParallel finished with items left unconsumed")
    }

    private final class State<Item> {
        let condition = NSCondition()
        var next = 0
        var consumed = 0
        var weight = 0
        var ready: [Int: Item] = [:]
        var consuming = false
        var failure: Error?

        func fail(_ error: Error) {
            if failure == nil { failure = error }
            condition.broadcast()
        }

        /// With the lock held: unless another thread is consuming, consumes every item that is next in
        /// order, releasing the lock while `consume` runs.
        func drain(weight: (Item) -> Int, consume: (Int, Item) throws -> Void) {
            guard !consuming else { return }
            consuming = true
            defer { consuming = false }
            while failure == nil, let item = ready.removeValue(forKey: consumed) {
                let index = consumed
                condition.unlock()
                let result = Result { try consume(index, item) }
                condition.lock()
                if case .failure(let error) = result { return fail(error) }
                consumed += 1
                self.weight -= weight(item)
                condition.broadcast()
            }
        }
    }
}
