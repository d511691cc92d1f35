/// What every libFuzzer target shares: handing the command line to libFuzzer's driver.
///
/// SwiftPM links an executable with `main` renamed to `<module>_main` (`--defsym main=FuzzX_main`),
/// so libFuzzer's own `main` is never used: each target defines `FuzzX_main` (its name must be the
/// module's) as one call to `runFuzzer` with its `LLVMFuzzerTestOneInput` function.

/// libFuzzer's per-input callback.
public typealias FuzzInput = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

/// Runs libFuzzer's driver over the process's command line with `callback` as the target.
public func runFuzzer(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ callback: FuzzInput) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments, callback)
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: FuzzInput) -> CInt
