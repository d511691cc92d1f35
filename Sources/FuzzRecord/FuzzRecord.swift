import EvidentCore
import Foundation

/// libFuzzer entry: arbitrary bytes as a record file, through the loader, the record model and every rule.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRecord(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(bytes: data, count: size)
    let source = MemorySource(data: [".evident.yml": Data(RuleExample.defaultConfig.utf8), "security/fuzz.yaml": bytes])
    if let catalog = FuzzState.catalog, let project = try? Project.load(from: source, catalog: catalog, today: "2026-06-01") {
        _ = Checker().check(project)
    }
    return 0
}

enum FuzzState {
    static let catalog: Catalog? = try? Catalog.standard()
}
