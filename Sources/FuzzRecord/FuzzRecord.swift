import EvidentCore
import Foundation
import FuzzSupport

/// libFuzzer entry: arbitrary bytes as a record file, through the loader, the record model and every rule.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRecord(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
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

/// The executable's entry (see FuzzSupport).
@_cdecl("FuzzRecord_main")
public func fuzzRecordMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzRecord)
}
