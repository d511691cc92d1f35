import EvidentBundle
import Foundation

/// libFuzzer entry: arbitrary bytes as an audit bundle (zip), verified without extraction.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBundle(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let url = FuzzFile.url
    guard FileManager.default.createFile(atPath: url.path, contents: Data(bytes: data, count: size)) else { return 0 }
    _ = try? BundleVerifier().verify(url)
    return 0
}

enum FuzzFile {
    static let url = FileManager.default.temporaryDirectory.appendingPathComponent("evident-fuzz-bundle-\(ProcessInfo.processInfo.processIdentifier).zip")
}

/// SwiftPM links executables with `main` renamed to `<module>_main` (`--defsym main=FuzzBundle_main`), so
/// libFuzzer's own `main` is never used: this one hands the command line to libFuzzer's driver.
@_cdecl("FuzzBundle_main")
public func fuzzBundleMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments, fuzzBundle)
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt
