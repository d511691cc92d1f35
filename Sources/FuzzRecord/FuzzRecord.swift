import EvidentCore
import Foundation

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

/// SwiftPM links executables with `main` renamed to `<module>_main` (`--defsym main=FuzzRecord_main`), so
/// libFuzzer's own `main` is never used: this one hands the command line to libFuzzer's driver.
@_cdecl("FuzzRecord_main")
public func fuzzRecordMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments, fuzzRecord)
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt
